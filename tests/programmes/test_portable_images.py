"""A programme's export carries the images its Things show; an import keeps
them as the importer's own uploads (issue 16)."""

import io
import zipfile
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image as PillowImage

from journal import actions as journal_actions
from journal.models import Image
from programmes import actions
from programmes.models import Programme, Thing
from programmes.portable import MAX_IMAGES, export_programme
from tests.images import camera_jpeg, image_bytes, noise_png, png_claiming, upload
from tests.programmes.test_portable import front, good_files, post, refused, zipped

GPS_IFD = 0x8825


@pytest.fixture
def importer(make_user):
    user = make_user("ivy")
    user.user_permissions.add(Permission.objects.get(codename="add_programme"))
    return user


def add_thing(programme: Programme, slug: str, introduction: str, **fields) -> Thing:
    return actions.add_thing(
        programme=programme,
        title=slug.capitalize(),
        slug=slug,
        introduction=introduction,
        questions=[],
        action="",
        estimated_minutes=None,
        **fields,
    )


@pytest.fixture
def illustrated(owner) -> tuple[Programme, Image, Image]:
    """A programme whose Things show a described image and a decorative one;
    the described one is shown by both Things."""
    programme = actions.create_programme(
        owner=owner, title="Pictures", slug="pictures", summary=""
    )
    slide = journal_actions.upload_image(
        owner=owner, upload=upload(image_bytes(1000, 500)), alt="A slide, before"
    )
    rule = journal_actions.upload_image(
        owner=owner, upload=upload(image_bytes(600, 10)), decorative=True
    )
    add_thing(
        programme,
        "one",
        f"Look:\n\n{slide.markdown()}\n\n{rule.markdown()}\n",
        status=Thing.Status.PUBLISHED,
    )
    add_thing(programme, "two", f"Again: {slide.markdown()}")
    return programme, slide, rule


def files_under(folder: str) -> set[str]:
    folders, files = default_storage.listdir(folder)
    return {f"{folder}/{name}" for name in files}.union(
        *(files_under(f"{folder}/{name}") for name in folders)
    )


def opened(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_export_carries_each_image_once_with_its_description(illustrated):
    programme, slide, rule = illustrated
    archive = opened(export_programme(programme))
    slide_file, rule_file = (
        f"images/{slide.public_id}.png",
        f"images/{rule.public_id}.png",
    )
    assert sorted(archive.namelist()) == sorted(
        [
            "programme.md",
            "things/01-one.md",
            "things/02-two.md",
            slide_file,
            rule_file,
        ]
    )
    with default_storage.open(slide.file.name) as stored:
        assert archive.read(slide_file) == stored.read()
    one = archive.read("things/01-one.md").decode()
    assert f'image_alt: {{"{slide_file}": "A slide, before"}}' in one
    assert f'decorative_images: ["{rule_file}"]' in one
    assert f"![A slide, before](../{slide_file})" in one
    assert "/images/" not in one.replace("../images/", "")


def test_a_thing_without_images_is_exported_as_before(owner, programme):
    add_thing(programme, "plain", "Words only")
    archive = opened(export_programme(programme))
    assert not any(name.startswith("images/") for name in archive.namelist())
    for name in archive.namelist():
        assert "image" not in archive.read(name).decode()


def test_another_persons_image_in_an_introduction_is_not_exported(
    owner, programme, make_user
):
    stranger = make_user("stranger")
    theirs = journal_actions.upload_image(
        owner=stranger, upload=upload(image_bytes()), alt="Not yours"
    )
    add_thing(programme, "borrowed", theirs.markdown())
    archive = opened(export_programme(programme))
    assert not any(name.startswith("images/") for name in archive.namelist())


def test_a_round_trip_shows_the_same_images_as_the_importers_own(
    client_for, illustrated, importer
):
    programme, slide, rule = illustrated
    response = post(client_for(importer), export_programme(programme))
    assert response.status_code == HTTPStatus.FOUND
    copy = Programme.objects.exclude(pk=programme.pk).get()
    kept = list(Image.objects.filter(owner=importer).order_by("width"))
    assert [(i.width, i.height) for i in kept] == [(600, 10), (1000, 500)]
    new_rule, new_slide = kept
    assert new_slide.alt == "A slide, before" and not new_slide.decorative
    assert new_rule.decorative and new_rule.alt == ""
    assert {slide.public_id, rule.public_id}.isdisjoint(
        {new_slide.public_id, new_rule.public_id}
    )
    one, two = copy.things.order_by("number")
    assert one.introduction == (
        f"Look:\n\n![A slide, before]({new_slide.get_absolute_url()})\n\n"
        f"![]({new_rule.get_absolute_url()})\n"
    )
    assert f'src="{new_slide.get_absolute_url()}"' in one.introduction_html
    assert 'alt="A slide, before"' in one.introduction_html
    assert f'src="{new_slide.get_absolute_url()}"' in two.introduction_html
    assert set(one.images.all()) == {new_slide, new_rule}
    assert list(two.images.all()) == [new_slide]
    assert Image.objects.bytes_used_by(importer) == new_slide.bytes + new_rule.bytes
    shown = client_for(importer).get(new_slide.get_absolute_url())
    assert shown.status_code == HTTPStatus.OK
    assert b"".join(shown.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_imported_image_is_cleaned_as_an_upload_is(client_for, importer):
    files = {
        **good_files(),
        "things/01-one.md": front(
            number=1,
            title="One",
            slug="one",
            image_alt={"images/phone.jpg": "A desk"},
        )
        + "\n![](../images/phone.jpg)",
        "images/phone.jpg": camera_jpeg(60, 30),
    }
    assert post(client_for(importer), zipped(files)).status_code == HTTPStatus.FOUND
    image = Image.objects.get(owner=importer)
    # Turned upright by its EXIF, which is then dropped with the GPS position.
    assert (image.width, image.height) == (30, 60)
    with default_storage.open(image.file.name) as stored:
        reopened = PillowImage.open(stored)
        reopened.load()
        assert GPS_IFD not in reopened.getexif()
        assert "icc_profile" not in reopened.info
    assert image.alt == "A desk"


def test_an_image_no_thing_shows_is_not_kept(client_for, importer):
    files = {**good_files(), "images/spare.png": image_bytes()}
    assert post(client_for(importer), zipped(files)).status_code == HTTPStatus.FOUND
    assert not Image.objects.exists()


def with_image(content: bytes, name: str = "images/bad.png") -> dict:
    return {
        **good_files(),
        "things/01-one.md": front(number=1, title="One", slug="one")
        + f"\n![x](../{name})",
        name: content,
    }


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"<svg onload=alert(1)>", "images/bad.png: This file is not an image"),
        (png_claiming(100_000, 100_000), "images/bad.png: This image has too many"),
    ],
    ids=["not an image", "decompression bomb"],
)
def test_a_bad_image_is_named_and_nothing_is_imported(
    client_for, importer, content, error
):
    errors = refused(client_for(importer), zipped(with_image(content)))
    assert f"programme.zip, {error}" in errors
    assert not Image.objects.exists()


def test_an_image_that_inflates_past_the_image_limit_is_refused(
    client_for, importer, settings
):
    settings.PONDER_IMAGE_MAX_BYTES = 1024 * 1024
    content = zipped(with_image(b"\0" * (2 * 1024 * 1024)))
    assert len(content) < 50_000
    errors = refused(client_for(importer), content)
    assert "images/bad.png: This file is too large" in errors


def test_too_many_images_are_refused(client_for, importer):
    files = {
        **good_files(),
        **{f"images/{n}.png": image_bytes(2, 2) for n in range(MAX_IMAGES + 1)},
    }
    errors = refused(client_for(importer), zipped(files))
    assert f"holds more than {MAX_IMAGES} images" in errors


def test_an_image_shown_but_missing_is_named(client_for, importer):
    files = with_image(image_bytes())
    del files["images/bad.png"]
    errors = refused(client_for(importer), zipped(files))
    assert "things/01-one.md: it shows images/bad.png, which is not in the file" in (
        errors
    )


def test_images_count_in_the_importers_space(client_for, importer, settings):
    settings.PONDER_IMAGE_QUOTA_BYTES = 2000
    journal_actions.upload_image(owner=importer, upload=upload(image_bytes(10, 10)))
    before = files_under(f"images/{importer.pk}")
    files = {
        **with_image(noise_png(100, 100)),
        "things/01-one.md": front(number=1, title="One", slug="one")
        + "\n![x](../images/small.png) ![y](../images/bad.png)",
        "images/small.png": image_bytes(10, 10),
    }
    response = post(client_for(importer), zipped(files))
    assert response.status_code == HTTPStatus.OK
    assert "images/bad.png: You have used your space for images" in " ".join(
        response.context["form"].errors["file"]
    )
    assert not Programme.objects.exists()
    assert Image.objects.filter(owner=importer).count() == 1
    assert files_under(f"images/{importer.pk}") == before


def test_the_studio_exports_a_programme_with_its_images(client_for, illustrated):
    programme, slide, _rule = illustrated
    owner = programme.owners.get()
    response = client_for(owner).get(
        reverse("studio:export_programme", args=[programme.slug])
    )
    assert f"images/{slide.public_id}.png" in opened(response.content).namelist()
