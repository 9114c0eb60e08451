"""Uploaded images in Markdown: their addresses, how a text shows them, and
how feeds and exports carry them. (Checking and cleaning an upload: core/images.py.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from core.markdown import ShownImage

if TYPE_CHECKING:
    from journal.models import Image

#: What the page gives an image: the text column, or the screen on a phone.
SIZES = "(min-width: 48rem) 46rem, 100vw"
#: ``/images/<public id>/`` in a Markdown image's address.
IMAGE_PATH_RE = re.compile(r"/images/([A-Za-z0-9_-]{20,32})/")


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
