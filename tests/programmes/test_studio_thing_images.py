"""The studio's Thing form adds an image without JavaScript (issue 16), as
the entry editor does."""

from http import HTTPStatus

from django.urls import reverse

from journal.models import Image
from tests.images import image_bytes, upload
from tests.programmes.test_studio_things import thing_data

NEW_THING = reverse("studio:new_thing", args=["23-things"])
EDIT_THING = reverse("studio:edit_thing", args=["23-things", "feeds"])


def test_the_form_posts_files_and_shows_the_plain_file_field(
    client_for, owner, programme
):
    page = client_for(owner).get(NEW_THING).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="image"' in page and 'name="image_alt"' in page


def test_a_new_thing_shows_the_uploaded_image_at_the_end(client_for, owner, programme):
    response = client_for(owner).post(
        NEW_THING,
        thing_data(image=upload(image_bytes(300, 200)), image_alt="A [big] desk"),
    )
    assert response.status_code == HTTPStatus.FOUND
    image = Image.objects.get()
    assert (image.owner, image.alt, image.width) == (owner, "A [big] desk", 300)
    new = programme.things.get(number=6)
    assert new.introduction == (
        f"Meet **face to face**, online.\n\n"
        f"![A (big) desk]({image.get_absolute_url()})\n"
    )
    assert f'src="{image.get_absolute_url()}"' in new.introduction_html
    assert list(new.images.all()) == [image]


def test_editing_adds_the_image_after_the_text(client_for, owner, programme):
    response = client_for(owner).post(
        EDIT_THING,
        thing_data(
            title="Feeds",
            introduction="Subscribe.",
            image=upload(image_bytes()),
            image_decorative="on",
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    image = Image.objects.get()
    assert image.decorative
    thing = programme.things.get(slug="feeds")
    assert thing.introduction == f"Subscribe.\n\n![]({image.get_absolute_url()})\n"
    assert list(thing.images.all()) == [image]


def test_not_an_image_comes_back_with_the_text_kept(client_for, owner, programme):
    response = client_for(owner).post(
        NEW_THING,
        thing_data(image=upload(b"%PDF-1.4", "slides.png"), image_alt="Slides"),
    )
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert "not an image we can show" in form.errors["image"][0]
    assert form["introduction"].value() == "Meet **face to face**, online."
    assert not Image.objects.exists()
    assert not programme.things.filter(number=6).exists()


def test_a_published_thing_needs_the_image_described(client_for, owner, programme):
    response = client_for(owner).post(
        NEW_THING, thing_data(status="published", image=upload(image_bytes()))
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["image_alt"]
    assert not Image.objects.exists()


def test_alt_text_and_decorative_are_not_both_given(client_for, owner, programme):
    response = client_for(owner).post(
        NEW_THING,
        thing_data(image=upload(image_bytes()), image_alt="A", image_decorative="on"),
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["image_decorative"]


def test_over_the_owners_space_nothing_is_saved(client_for, owner, programme, settings):
    settings.PONDER_IMAGE_QUOTA_BYTES = 10
    response = client_for(owner).post(
        EDIT_THING,
        thing_data(title="Feeds", introduction="Changed", image=upload(image_bytes())),
    )
    assert response.status_code == HTTPStatus.OK
    assert "used your space" in response.context["form"].errors["image"][0]
    assert programme.things.get(slug="feeds").introduction != "Changed"


def preview_data(**overrides) -> dict:
    data = thing_data(preview="1", **overrides)
    del data["save"]
    return data


def test_the_preview_button_shows_the_things_images_as_its_page_does(
    client_for, owner, programme
):
    client = client_for(owner)
    client.post(EDIT_THING, thing_data(title="Feeds", image=upload(image_bytes())))
    thing = programme.things.get(slug="feeds")
    image = Image.objects.get()

    response = client.post(
        EDIT_THING,
        preview_data(title="Feeds", introduction=thing.introduction),
    )

    assert response.status_code == HTTPStatus.OK
    preview = response.context["preview_html"]
    assert f'src="{image.get_absolute_url()}"' in preview
    assert preview == thing.introduction_safe
    assert programme.things.get(slug="feeds").introduction == thing.introduction


def test_the_preview_shows_no_image_of_someone_else(
    client_for, owner, author, programme
):
    with_image = client_for(owner)
    with_image.post(EDIT_THING, thing_data(title="Feeds", image=upload(image_bytes())))
    image = Image.objects.get()
    image.owner = author
    image.save()

    response = with_image.post(
        EDIT_THING,
        preview_data(title="Feeds", introduction=f"![]({image.get_absolute_url()})"),
    )

    assert f'src="{image.get_absolute_url()}"' not in response.context["preview_html"]
