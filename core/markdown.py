"""The one way user Markdown becomes HTML in Ponder.

User text is rendered with Python-Markdown and then sanitised with bleach on a
strict allowlist. The result is stored on the model when it is saved, so pages
only show stored HTML and never render Markdown per request. ``as_safe_html``
is the only place in the app where user content is marked safe.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from functools import partial

import markdown
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "as_safe_html",
    "render_markdown",
]

#: Tags that may appear in stored HTML; everything else is stripped to text.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "a",
        "table", "thead", "tbody", "tr", "th", "td", "del",
    }
)  # fmt: skip

#: Attributes kept by the sanitiser. ``rel`` is added afterwards by the linkifier.
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {"a": ["href", "title"]}

#: URL schemes allowed in ``href``; relative URLs and fragments are allowed too.
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})

#: The ``rel`` every link gets: user links must not pass on ranking or opener.
LINK_REL = "nofollow ugc noopener"

#: Tags whose text is never linkified (code samples keep their URLs as text).
LINKIFY_SKIP_TAGS: frozenset[str] = frozenset({"pre", "code"})

#: Bare URLs that become links: only ``http(s)://…`` and ``www.…``. bleach's
#: default pattern also links file names whose suffix is a country TLD
#: (``notes.md``, ``views.py``), misses newer TLDs (``.dev``) and links
#: ``data:`` URLs; linkified hrefs are made after the sanitiser's protocol
#: check, so this pattern is what keeps them to http and https.
LINKIFY_URL_RE: re.Pattern[str] = re.compile(
    r"""
    \(*                                       # opening parentheses (bleach balances them)
    (?<![\w@.:/\-])                           # not in the middle of a word, address or URL
    (?:
        https?://[\w-]+(?:\.[\w-]+)*          # scheme and host (localhost too)
      | www\.(?:[\w-]+\.)+[a-z]{2,63}\b       # or a www. host with a TLD
    )
    (?::[0-9]{1,5})?                          # port
    (?:[/?\#](?:[^\s{}|\\^`<>"]*[^\s{}|\\^`<>".,;:!?'])?)?  # path, not ending in punctuation
    """,
    re.IGNORECASE | re.VERBOSE,
)

_MARKDOWN_EXTENSIONS: tuple[str, ...] = ("tables", "fenced_code", "sane_lists")


class _ShiftHeadingsProcessor(Treeprocessor):
    """Move every Markdown heading down one level (``#`` → ``<h2>``).

    The page's ``<h1>`` is the entry title, so user headings start at h2.
    Unlike the toc extension this adds no ``id`` attributes.
    """

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            tag = element.tag
            if (
                isinstance(tag, str)
                and len(tag) == 2
                and tag[0] == "h"
                and tag[1] in "123456"
            ):
                element.tag = f"h{min(int(tag[1]) + 1, 6)}"


class _ShiftHeadingsExtension(Extension):
    """Registers :class:`_ShiftHeadingsProcessor`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(
            _ShiftHeadingsProcessor(md), "ponder_shift_headings", 5
        )


def _set_link_attributes(
    attrs: dict[tuple[str | None, str], str], new: bool = False
) -> dict[tuple[str | None, str], str]:
    """Linkify callback: every link gets our ``rel`` and never a ``target``.

    Runs on links from Markdown, raw HTML and linkified bare URLs alike, and
    overwrites whatever ``rel`` the user wrote.
    """
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _build_cleaner() -> Cleaner:
    """Build the sanitiser: allowlist first, then linkify and set ``rel`` in the same pass."""
    return Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter,
                callbacks=[_set_link_attributes],
                url_re=LINKIFY_URL_RE,
                skip_tags=LINKIFY_SKIP_TAGS,
                parse_email=False,
            )
        ],
    )


# bleach's Cleaner holds a parser with internal state and is documented as not
# thread-safe, so each thread builds its own once and reuses it for every call.
_local = threading.local()


def _cleaner() -> Cleaner:
    """Return this thread's Cleaner, building it on first use."""
    cleaner: Cleaner | None = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _build_cleaner()
    return cleaner


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML string, to be stored on the model when saved.

    Raw HTML in the Markdown is allowed through only within the allowlist;
    everything else is stripped, leaving its text escaped.
    """
    if not text or not text.strip():
        return ""
    # A new Markdown instance per call: instances keep state between
    # conversions and are not safe to share between threads.
    md = markdown.Markdown(
        extensions=[*_MARKDOWN_EXTENSIONS, _ShiftHeadingsExtension()],
        output_format="html",
    )
    html = md.convert(text)
    return _cleaner().clean(html).strip()


def as_safe_html(stored_html: str) -> SafeString:
    """Mark HTML previously produced by render_markdown as safe for templates.

    The only place user content is marked safe: call it only on HTML that
    came out of :func:`render_markdown`.
    """
    return mark_safe(stored_html)
