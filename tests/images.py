"""Image files for tests, made with Pillow: plain ones, ones carrying a
camera's metadata, and hostile ones."""

import io
import os
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PillowImage

ORIENTATION = 0x0112
#: EXIF orientation 6: the camera was turned, show the pixels turned 90° clockwise.
ROTATE_90_CLOCKWISE = 6


def image_bytes(
    width: int = 40, height: int = 20, image_format: str = "PNG", **save
) -> bytes:
    image = PillowImage.new("RGB", (width, height), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format=image_format, **save)
    return out.getvalue()


def noise_png(width: int = 60, height: int = 60) -> bytes:
    """Pixels no encoder can squeeze, different each time: what is stored of
    it is about as large as it is."""
    noise = PillowImage.frombytes(
        "RGB", (width, height), os.urandom(width * height * 3)
    )
    out = io.BytesIO()
    noise.save(out, format="PNG")
    return out.getvalue()


def camera_jpeg(width: int = 60, height: int = 30) -> bytes:
    """A JPEG as a phone makes it: turned by EXIF, with where it was taken,
    an ICC profile and a comment."""
    image = PillowImage.new("RGB", (width, height), (10, 120, 200))
    exif = PillowImage.Exif()
    exif[ORIENTATION] = ROTATE_90_CLOCKWISE
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        exif=exif,
        icc_profile=b"not really a profile",
        comment=b"taken at home",
    )
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` by `height` pixels: a
    decompression bomb as far as anything reading the header knows."""
    content = bytearray(image_bytes(1, 1))
    header = struct.pack(">II", width, height) + bytes(content[24:29])
    content[16:29] = header
    crc = zlib.crc32(b"IHDR" + header) & 0xFFFFFFFF
    content[29:33] = struct.pack(">I", crc)
    return bytes(content)


def upload(content: bytes, name: str = "photo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def finish(response) -> None:
    """Read a streamed answer (an image's file) to its end, which closes it.

    Not `response.close()`: the test client disconnects the database's
    `close_old_connections` only while it closes a stream it iterated, so an
    explicit close() closes the test's own PostgreSQL connection.
    """
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
