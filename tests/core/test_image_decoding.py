"""A large JPEG is decoded at the smallest scale that still gives the widest
width kept, upright: a camera's photo costs a quarter of the memory."""

import pytest

from core.images import WIDTHS, clean_image, open_image
from tests.images import camera_jpeg, image_bytes

WIDEST = WIDTHS[-1]


def test_a_photo_twice_the_widest_width_is_decoded_at_half_scale():
    opened = open_image(image_bytes(4000, 3000, "JPEG"))

    assert opened.size == (2000, 1500)
    assert clean_image(image_bytes(4000, 3000, "JPEG")).largest.width == WIDEST


@pytest.mark.parametrize(
    ("stored", "decoded"),
    [
        # Turned a quarter by EXIF: the upright width is the stored height.
        ((4000, 3400), (2000, 1700)),
        ((4000, 3000), (4000, 3000)),  # halved, it would be 1500 wide upright
    ],
)
def test_a_turned_photo_keeps_its_upright_width(stored, decoded):
    content = camera_jpeg(*stored)

    assert open_image(content).size == decoded
    largest = clean_image(content).largest
    assert largest.width == WIDEST
    assert largest.height == round(decoded[0] * WIDEST / decoded[1])


def test_png_and_small_jpegs_are_decoded_whole():
    assert open_image(image_bytes(4000, 3000, "PNG")).size == (4000, 3000)
    assert open_image(image_bytes(3199, 100, "JPEG")).size == (3199, 100)
