"""Images, the part no app owns: checking, cleaning and resizing an upload,
and the one place an app below the journal (a programme's export and import)
asks the app that keeps images (journal: JournalConfig.ready) for them.

An upload is trusted for nothing: Pillow decides what it is (never its name or
the browser's content type), refuses anything but JPEG, PNG, GIF and WebP,
and refuses an image whose header claims more pixels than
``PONDER_IMAGE_MAX_PIXELS`` before decoding a byte of it (a decompression
bomb). What is kept is only pixels: the EXIF orientation is applied, then the
pixels are copied into a new image, so no EXIF (GPS above all), XMP, ICC
profile or comment survives, and that image is encoded afresh at a few widths
for ``srcset``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.translation import gettext
from PIL import ExifTags, ImageOps, UnidentifiedImageError
from PIL import Image as PillowImage

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Formats accepted, as Pillow names them, and what each is stored as.
#: A GIF is stored as a PNG of its first frame.
STORED_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
#: The widths kept for srcset; an image narrower than one is never upscaled.
WIDTHS = (480, 960, 1600)


class ImageRefused(ValueError):
    """The upload is not an image we keep; the message says why, to its sender."""


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    content: bytes


@dataclass(frozen=True)
class CleanImage:
    """What is stored of an upload: only its pixels, at a few widths."""

    format: str
    renditions: list[Rendition]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def total_bytes(self) -> int:
        return sum(len(rendition.content) for rendition in self.renditions)

    @property
    def largest(self) -> Rendition:
        return self.renditions[-1]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_size(size: int) -> None:
    limit = settings.PONDER_IMAGE_MAX_BYTES
    if size > limit:
        raise ImageRefused(
            gettext("This file is too large: images may be up to %(limit)s MB.")
            % {"limit": _megabytes(limit)}
        )


#: EXIF orientations that turn the image a quarter: its width is its height.
QUARTER_TURNS = {5, 6, 7, 8}


def _decoded_size(image: PillowImage.Image) -> tuple[int, int]:
    """The least a JPEG must be decoded at (libjpeg scales by 1/2, 1/4, 1/8
    for free) to keep the widest width stored, upright: a 12-megapixel photo
    then costs a quarter of the memory and time."""
    turned = image.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS
    return (1, WIDTHS[-1]) if turned else (WIDTHS[-1], 1)


def open_image(content: bytes) -> PillowImage.Image:
    """Open and decode, refusing what is not one of our formats or too big."""
    not_an_image = ImageRefused(
        gettext("This file is not an image we can show: use JPEG, PNG, GIF or WebP.")
    )
    too_many_pixels = ImageRefused(
        gettext(
            "This image has too many pixels (the limit is %(limit)s million): "
            "make it smaller and try again."
        )
        % {"limit": settings.PONDER_IMAGE_MAX_PIXELS // 1_000_000}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
        try:
            image = PillowImage.open(io.BytesIO(content), formats=list(STORED_FORMAT))
            # The header's claim, checked before load() decodes anything.
            if image.width * image.height > settings.PONDER_IMAGE_MAX_PIXELS:
                raise too_many_pixels
            if image.format == "JPEG":
                image.draft(None, _decoded_size(image))
            image.load()
        except ImageRefused:
            raise
        except (
            PillowImage.DecompressionBombError,
            PillowImage.DecompressionBombWarning,
        ) as error:
            raise too_many_pixels from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise not_an_image from error
    if image.format not in STORED_FORMAT:
        raise not_an_image
    return image


def _pixels_only(image: PillowImage.Image) -> PillowImage.Image:
    """The pixels, upright, in a new image that carries no metadata at all."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or ("transparency" in upright.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = upright.convert(mode)
    return PillowImage.frombytes(mode, pixels.size, pixels.tobytes())


def _encode(image: PillowImage.Image, stored_format: str) -> bytes:
    if stored_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}
    image.save(out, format=stored_format, **options.get(stored_format, {}))
    return out.getvalue()


def clean_image(content: bytes) -> CleanImage:
    """Check an upload and make what is stored of it; raises ImageRefused."""
    check_size(len(content))
    opened = open_image(content)
    stored_format = STORED_FORMAT[opened.format]
    clean = _pixels_only(opened)
    widths = sorted(
        {width for width in WIDTHS if width < clean.width}
        | {min(clean.width, WIDTHS[-1])}
    )
    renditions = []
    for width in widths:
        height = max(1, round(clean.height * width / clean.width))
        resized = (
            clean
            if width == clean.width
            else clean.resize((width, height), PillowImage.Resampling.LANCZOS)
        )
        renditions.append(Rendition(width, height, _encode(resized, stored_format)))
    return CleanImage(format=stored_format, renditions=renditions)


def image_markdown(address: str, alt: str) -> str:
    """The Markdown that shows the image at `address`, its alt text kept
    from closing the brackets."""
    alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
    return f"![{alt}]({address})"


@dataclass(frozen=True)
class PortableImage:
    """An image as it travels in a file (a programme's export): its name in
    that file, its bytes, and how it is described. Neither alt text nor
    decorative: not described yet."""

    name: str
    content: bytes
    alt: str = ""
    decorative: bool = False


class ImageKeeper(Protocol):
    """What the app that keeps images answers (journal/actions.py)."""

    def export(
        self, text: str, *, owner_ids: Sequence[int], folder: str
    ) -> tuple[str, list[PortableImage]]:
        """`text` with each image of `owner_ids` it shows pointing at its file,
        `folder` + its name from the export's root (`text` sits one folder
        down: "../images/<name>"), and those images at their largest."""
        ...

    def keep(self, *, owner: User, images: Sequence[PortableImage]) -> dict[str, str]:
        """Keep each image as an upload of `owner` (cleaned, counted in their
        space), returning its address by name; ImageRefused keeps none."""
        ...


_keepers: list[ImageKeeper] = []


def register_image_keeper(keeper: ImageKeeper) -> None:
    if keeper not in _keepers:
        _keepers.append(keeper)


def image_keeper() -> ImageKeeper:
    """The registered keeper; an app that keeps images is always installed."""
    return _keepers[0]
