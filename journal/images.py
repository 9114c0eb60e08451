"""Uploaded images: checking, cleaning and resizing them, and showing them in
Markdown.

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
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError

from core.markdown import ShownImage

if TYPE_CHECKING:
    from journal.models import Image

#: Formats accepted, as Pillow names them, and what each is stored as.
#: A GIF is stored as a PNG of its first frame.
STORED_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
#: The widths kept for srcset; an image narrower than one is never upscaled.
WIDTHS = (480, 960, 1600)
#: What the page gives an image: the text column, or the screen on a phone.
SIZES = "(min-width: 48rem) 46rem, 100vw"
#: ``/images/<public id>/`` in a Markdown image's address.
IMAGE_PATH_RE = re.compile(r"/images/([A-Za-z0-9_-]{20,32})/")


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


def _open(content: bytes) -> PillowImage.Image:
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
    opened = _open(content)
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


def public_id_in(src: str) -> str | None:
    """The public id in an address of one of our images, else None. Only our
    own addresses count: a relative one, or one on our site."""
    parts = urlsplit(src)
    if parts.netloc and parts.netloc != urlsplit(settings.SITE_URL).netloc:
        return None
    match = IMAGE_PATH_RE.fullmatch(parts.path)
    return match.group(1) if match else None


@dataclass
class ImagesShown:
    """Resolves the image addresses in Markdown written by `owner_ids` (only
    their own images show: embedding another's image would show it to the
    readers of this text), and keeps which images were shown and which of
    those have no alt text."""

    images: dict[str, Image]
    shown: dict[int, Image] = field(default_factory=dict)
    missing_alt: list[Image] = field(default_factory=list)

    def __call__(self, src: str, written_alt: str) -> ShownImage | None:
        public_id = public_id_in(src)
        image = self.images.get(public_id) if public_id else None
        if image is None:
            return None
        alt = image.alt or ("" if image.decorative else written_alt.strip())
        if not alt and not image.decorative and image.pk not in self.shown:
            self.missing_alt.append(image)
        self.shown[image.pk] = image
        return ShownImage(
            src=image.get_absolute_url(),
            srcset=image.srcset(),
            sizes=SIZES,
            width=image.width,
            height=image.height,
            alt=alt,
        )


def image_url(public_id: str, width: int | None = None) -> str:
    if width is None:
        return reverse("journal:image", kwargs={"public_id": public_id})
    return reverse(
        "journal:image_width", kwargs={"public_id": public_id, "width": width}
    )


#: An image as core.markdown's _ImageFilter writes it (every <img> we store).
STORED_IMG_RE = re.compile(r'<img src="([^"]*)" srcset="([^"]*)" ([^>]*)>')
STORED_ALT_RE = re.compile(r'alt="([^"]*)"')


def _alt_text(match: re.Match[str]) -> str:
    """A stored <img> as words: for copies where the image cannot be shown."""
    alt = STORED_ALT_RE.search(match.group(3))
    described = alt.group(1) if alt and alt.group(1) else gettext("an image")
    return "<em>[" + gettext("Image: %(alt)s") % {"alt": described} + "]</em>"


def images_for_feed(stored_html: str, *, public: bool) -> str:
    """Stored HTML for a feed, which a feed reader fetches with no session.

    In a public item every image may be fetched by anyone: its addresses
    become absolute. In any other item the reader's software would be refused
    them: each image is replaced by its alt text, so the feed shows no
    broken image and tells no one the address.
    """

    def absolute(match: re.Match[str]) -> str:
        src, srcset, rest = match.groups()
        site = settings.SITE_URL.rstrip("/")
        srcset = ", ".join(
            f"{site}{candidate.strip()}" for candidate in srcset.split(", ")
        )
        return f'<img src="{site}{src}" srcset="{srcset}" {rest}>'

    return STORED_IMG_RE.sub(absolute if public else _alt_text, stored_html)


#: Our image's address in Markdown, not one of its widths.
MARKDOWN_IMAGE_URL_RE = re.compile(r"/images/([A-Za-z0-9_-]{20,32})/(?![0-9])")


def images_for_export(text: str, files: dict[str, str], *, html: bool) -> str:
    """An entry's Markdown or stored HTML for the journal export, where the
    writer's images are files beside it (`files`: public id to path from the
    export's root, entries one folder down). Others' images (in comments)
    become their alt text in the HTML."""
    if not html:
        return MARKDOWN_IMAGE_URL_RE.sub(
            lambda m: f"../{files[m.group(1)]}" if m.group(1) in files else m.group(0),
            text,
        )

    def local(match: re.Match[str]) -> str:
        public_id = public_id_in(match.group(1))
        if public_id not in files:
            return _alt_text(match)
        rest = re.sub(r'(sizes|loading)="[^"]*" ?', "", match.group(3)).strip()
        return f'<img src="../{files[public_id]}" {rest}>'

    return STORED_IMG_RE.sub(local, text)
