"""Uploading images: only pixels of real images are kept, within limits."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from core.images import ImageRefused
from journal import actions
from journal.models import Image
from tests.images import (
    camera_jpeg,
    image_bytes,
    png_claiming,
    upload,
)


def stored(image: Image, width: int | None = None) -> PillowImage.Image:
    with default_storage.open(image.file_name(width)) as file:
        opened = PillowImage.open(io.BytesIO(file.read()))
        opened.load()
        return opened


def test_it_keeps_an_image_at_widths_never_upscaled(author):
    image = actions.upload_image(
        owner=author, upload=upload(image_bytes(1200, 600)), alt="A red slide"
    )
    assert [r["width"] for r in image.renditions] == [480, 960, 1200]
    assert (image.width, image.height) == (1200, 600)
    assert image.content_type == "image/png"
    assert stored(image, 480).size == (480, 240)
    assert stored(image).size == (1200, 600)
    assert image.bytes == sum(default_storage.size(name) for name in image.file_names())


def test_a_wide_image_is_kept_at_most_1600_wide(author):
    image = actions.upload_image(owner=author, upload=upload(image_bytes(2000, 100)))
    assert [r["width"] for r in image.renditions] == [480, 960, 1600]
    assert stored(image).size == (1600, 80)


def test_a_small_image_is_kept_at_its_own_width(author):
    image = actions.upload_image(owner=author, upload=upload(image_bytes(40, 20)))
    assert [r["width"] for r in image.renditions] == [40]


def test_metadata_is_gone_and_orientation_applied(author):
    original = PillowImage.open(io.BytesIO(camera_jpeg(60, 30)))
    assert original.getexif().get_ifd(0x8825)  # the test file does carry GPS

    image = actions.upload_image(
        owner=author,
        upload=upload(camera_jpeg(60, 30), "IMG_0001.jpg", "image/jpeg"),
    )

    kept = stored(image)
    assert kept.format == "JPEG"
    assert kept.size == (30, 60)  # turned as the EXIF said
    assert (image.width, image.height) == (30, 60)
    assert not kept.getexif()
    for key in ("exif", "icc_profile", "comment", "xmp"):
        assert key not in kept.info
    with default_storage.open(image.file_name()) as file:
        raw = file.read()
    assert b"PhoneMaker" not in raw
    assert b"taken at home" not in raw


@pytest.mark.parametrize(
    ("image_format", "content_type", "stored_type"),
    [
        ("JPEG", "image/jpeg", "image/jpeg"),
        ("PNG", "image/png", "image/png"),
        ("GIF", "image/gif", "image/png"),
        ("WEBP", "image/webp", "image/webp"),
    ],
)
def test_it_takes_jpeg_png_gif_and_webp(
    author, image_format, content_type, stored_type
):
    content = image_bytes(30, 30, image_format)
    image = actions.upload_image(
        owner=author, upload=upload(content, "x.img", content_type)
    )
    assert image.content_type == stored_type


@pytest.mark.parametrize(
    "content",
    [
        b"just some text, called .png",
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        image_bytes(30, 30, "BMP"),
        image_bytes(30, 30, "TIFF"),
        image_bytes(30, 30, "PNG")[:60],  # cut short
        b"",
    ],
    ids=["text", "html", "svg", "bmp", "tiff", "truncated", "empty"],
)
def test_it_refuses_what_is_not_an_image_of_ours_whatever_its_name(author, content):
    with pytest.raises(ImageRefused, match="not an image we can show"):
        actions.upload_image(
            owner=author, upload=upload(content, "photo.png", "image/png")
        )
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused_before_decoding(author):
    with pytest.raises(ImageRefused, match="too many pixels"):
        actions.upload_image(owner=author, upload=upload(png_claiming(8000, 6000)))
    with pytest.raises(ImageRefused, match="too many pixels"):
        actions.upload_image(owner=author, upload=upload(png_claiming(10**5, 10**5)))
    assert not Image.objects.exists()


def test_the_pixel_limit_is_a_setting(author, settings):
    settings.PONDER_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ImageRefused, match="too many pixels"):
        actions.upload_image(owner=author, upload=upload(image_bytes(40, 30)))


def test_a_file_over_the_size_limit_is_refused(author, settings):
    settings.PONDER_IMAGE_MAX_BYTES = 100
    with pytest.raises(ImageRefused, match="too large"):
        actions.upload_image(owner=author, upload=upload(image_bytes(300, 300)))


def test_each_person_has_a_total(author, cohort_mate, settings):
    first = actions.upload_image(owner=author, upload=upload(image_bytes(50, 50)))
    settings.PONDER_IMAGE_QUOTA_BYTES = first.bytes + 10
    with pytest.raises(ImageRefused, match="used your space"):
        actions.upload_image(owner=author, upload=upload(image_bytes(60, 60)))
    # Another person's space is their own.
    actions.upload_image(owner=cohort_mate, upload=upload(image_bytes(50, 50)))
    assert Image.objects.filter(owner=author).count() == 1


def test_a_retried_upload_from_the_same_page_stores_one_image(author):
    def send():
        return actions.upload_image(
            owner=author, upload=upload(image_bytes(50, 50)), submission_key="page-1"
        )

    assert send() == send()
    assert Image.objects.count() == 1
    other_page = actions.upload_image(
        owner=author, upload=upload(image_bytes(50, 50)), submission_key="page-2"
    )
    assert Image.objects.count() == 2
    assert other_page.public_id != send().public_id


def test_the_public_id_is_long_and_random(author):
    images = [
        actions.upload_image(owner=author, upload=upload(image_bytes(10, 10)))
        for _ in range(2)
    ]
    assert len(images[0].public_id) >= 20
    assert images[0].public_id != images[1].public_id
    # The address is the random id alone: nothing in it counts up.
    assert images[0].get_absolute_url() == f"/images/{images[0].public_id}/"


def test_alt_text_is_kept_and_changed_later(author):
    image = actions.upload_image(
        owner=author, upload=upload(image_bytes()), alt="  A  chart "
    )
    assert image.alt == "A chart"
    actions.set_image_alt(image=image, alt="", decorative=True)
    image.refresh_from_db()
    assert (image.alt, image.decorative) == ("", True)
