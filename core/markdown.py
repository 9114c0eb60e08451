"""The one way user Markdown becomes HTML in Ponder.

User text is rendered with Python-Markdown and then sanitised with bleach on a
strict allowlist. The result is stored on the model when it is saved, so pages
only show stored HTML and never render Markdown per request. ``as_safe_html``
is the only place in the app where user content is marked safe.

Both libraries take super-linear time on some input: 100,000 characters of
``[`` or of misnested tags take minutes to hours in Python-Markdown 3.11 and
html5lib (bleach 6.4), and deeply nested lists raise RecursionError. So a
render runs against a deadline, checked at every step of the loops where that
time goes, and input that misses it or breaks a parser is stored as escaped
plain text instead: no input costs more than about ``RENDER_TIME_LIMIT`` or
makes saving fail.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial, wraps
from html.parser import HTMLParser
from typing import Any, ParamSpec, TypeVar

import markdown
from bleach import html5lib_shim
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.htmlparser import HTMLExtractor
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import Treeprocessor

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "LINK_REL",
    "RENDER_TIME_LIMIT",
    "ImageResolver",
    "ShownImage",
    "as_safe_html",
    "escape_markdown",
    "images_in",
    "plain_text",
    "register_image_lookup",
    "render_markdown",
    "rendered_text",
]

logger = logging.getLogger(__name__)

#: Tags that may appear in stored HTML; every other tag is stripped, its text kept.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "a",
        "table", "thead", "tbody", "tr", "th", "td", "del", "img",
    }
)  # fmt: skip

#: Attributes kept by the sanitiser. ``rel`` is added afterwards by the linkifier.
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "a": ["href", "title"],
    # What an <img> keeps until _ImageFilter rewrites it from the resolver's
    # answer, or turns it into a link or its alt text.
    "img": ["src", "alt"],
}

#: Attributes of an image we serve, as _ImageFilter writes them.
IMAGE_ATTRIBUTES: tuple[str, ...] = (
    "src", "srcset", "sizes", "alt", "width", "height", "loading",
)  # fmt: skip

#: URL schemes allowed in ``href``; relative URLs and fragments are allowed too.
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})

#: The ``rel`` every link gets: user links pass on no ranking and no opener.
LINK_REL = "nofollow ugc noopener"

#: Tags whose text is never linkified (code samples keep their URLs as text).
LINKIFY_SKIP_TAGS: frozenset[str] = frozenset({"pre", "code"})

#: Bare URLs that become links: only ``http(s)://…`` and ``www.…``. bleach's
#: default pattern also links file names whose suffix is a country TLD
#: (``notes.md``, ``views.py``), misses newer TLDs (``.dev``) and links
#: ``data:`` URLs. Linkified hrefs are made after the sanitiser's protocol
#: check, so this pattern is what keeps them to http and https.
LINKIFY_URL_RE: re.Pattern[str] = re.compile(
    r"""
    \(*                                 # opening parentheses (bleach balances them)
    (?<![\w@.:/\-])                     # not inside a word, address or URL
    (?:
        https?://[\w-]+(?:\.[\w-]+)*    # scheme and host (localhost too)
      | www\.(?:[\w-]+\.)+[a-z]{2,63}\b # or a www. host with a TLD
    )
    (?::[0-9]{1,5})?                    # port
    (?:[/?\#]                           # path, query or fragment,
      (?:[^\s{}|\\^`<>"]*
         [^\s{}|\\^`<>".,;:!?'])?       # not ending in punctuation
    )?
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: Seconds one render may take before the text is stored as plain text
#: instead. A 100,000-character entry with markup on every line renders in
#: about a second; only hostile input (or a 900-row table) gets near this.
RENDER_TIME_LIMIT: float = 3.0

_MARKDOWN_EXTENSIONS: tuple[str, ...] = ("tables", "fenced_code", "sane_lists")

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class ShownImage:
    """How one of our own images is shown: the attributes of its <img>."""

    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    #: "" for a decorative image (or one still without alt text).
    alt: str


#: Given an image's address and the alt text written in the Markdown, how to
#: show it if it is one of ours that the text's writer may show, else None.
ImageResolver = Callable[[str, str], ShownImage | None]

#: Given a text and the ids of its writers, the resolver for the images it
#: shows. The app that keeps images registers it (journal: JournalConfig.ready),
#: so text kept by the apps below it (a Thing's introduction) can show them.
ImageLookup = Callable[[str, Sequence[int]], ImageResolver]
_image_lookups: list[ImageLookup] = []


def register_image_lookup(lookup: ImageLookup) -> None:
    if lookup not in _image_lookups:
        _image_lookups.append(lookup)


def images_in(text: str, *, owner_ids: Sequence[int]) -> ImageResolver | None:
    """The resolver for `text` by `owner_ids`; None if no app keeps images."""
    return _image_lookups[0](text, owner_ids) if _image_lookups else None


#: The resolver of the current render; None: no image of ours is shown.
_images: ContextVar[ImageResolver | None] = ContextVar("markdown_images", default=None)


class _ImageFilter(Filter):  # type: ignore[misc]
    """Shows our own images and hot-links nobody else's.

    Runs after the sanitiser, on images from Markdown and raw HTML alike. An
    image the resolver knows gets exactly the attributes it answers (the
    writer's own attributes are dropped); any other image on the web becomes a
    link to it named by its alt text, so readers' browsers fetch nothing from
    elsewhere without a click; an image with no usable address leaves its alt
    text.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                yield from self._replace(token["data"])
            elif token["type"] == "EndTag" and token["name"] == "img":
                continue
            else:
                yield token

    def _replace(self, data: dict[tuple[str | None, str], str]) -> Iterator[dict]:
        src = data.get((None, "src"), "").strip()
        alt = " ".join(data.get((None, "alt"), "").split())
        resolver = _images.get()
        shown = resolver(src, alt) if resolver is not None and src else None
        if shown is not None:
            values = (
                shown.src,
                shown.srcset,
                shown.sizes,
                shown.alt,
                str(shown.width),
                str(shown.height),
                "lazy",
            )
            attributes = {
                (None, name): value
                for name, value in zip(IMAGE_ATTRIBUTES, values, strict=True)
            }
            yield {"type": "EmptyTag", "name": "img", "data": attributes}
            return
        if src.lower().startswith(("http://", "https://")):
            yield {"type": "StartTag", "name": "a", "data": {(None, "href"): src}}
            yield {"type": "Characters", "data": alt or src}
            yield {"type": "EndTag", "name": "a", "data": {}}
        elif alt:
            yield {"type": "Characters", "data": alt}


class RenderTimeoutError(Exception):
    """Rendering passed its deadline; the caller falls back to plain text."""


#: ``time.monotonic()`` value after which the current render gives up.
_deadline: ContextVar[float] = ContextVar("markdown_deadline", default=float("inf"))


def _check_deadline() -> None:
    """Raise :class:`RenderTimeoutError` once the current render is out of time."""
    if time.monotonic() > _deadline.get():
        raise RenderTimeoutError


def _with_deadline(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a parser step so every call first checks the deadline."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        _check_deadline()
        return func(*args, **kwargs)

    return wrapper


class _TopHeadingProcessor(Treeprocessor):
    """Make ``#`` headings ``<h2>``: the page's ``<h1>`` is the entry's title.

    Other levels stay, so the editor's ``## question`` headings are h2 too and
    no level is skipped. Unlike the toc extension this adds no ``id``.
    """

    def run(self, root: etree.Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


class _DeadlineHTMLExtractor(HTMLExtractor):
    """Markdown's raw-HTML extractor, checking the deadline before each tag or text run.

    Its tag stack and Python's html.parser both do up to O(length) work per
    token on hostile input (misnested or unclosed tags).
    """

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str]]) -> None:
        _check_deadline()
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        _check_deadline()
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        _check_deadline()
        super().handle_data(data)

    def handle_empty_tag(self, data: str, is_block: bool) -> None:
        _check_deadline()
        super().handle_empty_tag(data, is_block)


class _DeadlineHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    """Markdown 3.11's ``HtmlBlockPreprocessor.run``, with the deadline extractor."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _DeadlineHTMLExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _FenceSearch:
    """Stands in for ``FencedBlockPreprocessor.FENCED_BLOCK_RE`` (used only to search).

    Markdown's own pattern is super-linear inside one ``search`` call, which
    no deadline can interrupt: a fence followed by thousands of spaces takes
    minutes (two adjacent ``[ ]*``), and each unclosed fence scans to the end
    of the text. This pattern is the same with possessive quantifiers, and
    ``search`` tries one candidate line at a time, checking the deadline.
    """

    PATTERN: re.Pattern[str] = re.compile(
        r"""
        (?P<fence>^(?:~{3,}+|`{3,}+))[ ]*+                        # opening fence
        ((\{(?P<attrs>[^\n]*)\})|                                # (optional {attrs} or
        (\.?(?P<lang>[\w\#.+-]*+)[ ]*+)?                          # optional (.)lang
        (hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*+)?) # optional hl_lines)
        \n                                                        # end of opening fence
        (?P<code>.*?)(?<=\n)                                      # the code block
        (?P=fence)[ ]*$                                           # closing fence
        """,
        re.MULTILINE | re.DOTALL | re.VERBOSE,
    )
    CANDIDATE: re.Pattern[str] = re.compile(r"^(?:~~~|```)", re.MULTILINE)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        for candidate in self.CANDIDATE.finditer(text, pos):
            _check_deadline()
            if match := self.PATTERN.match(text, candidate.start()):
                return match
        return None


class _PonderExtension(Extension):
    """Makes top headings h2 and puts deadline checks where Markdown can be slow.

    Must come after ``fenced_code`` in the extension list.
    """

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_TopHeadingProcessor(md), "top_heading", 5)
        # Same name and priority as Markdown's own, so it replaces it.
        md.preprocessors.register(_DeadlineHtmlBlockPreprocessor(md), "html_block", 20)
        fenced: FencedBlockPreprocessor = md.preprocessors["fenced_code_block"]  # type: ignore[assignment]
        fenced.FENCED_BLOCK_RE = _FenceSearch()  # type: ignore[assignment]
        for pattern in md.inlinePatterns:
            pattern.handleMatch = _with_deadline(pattern.handleMatch)  # type: ignore[method-assign]
        for processor in md.parser.blockprocessors:
            processor.run = _with_deadline(processor.run)  # type: ignore[method-assign]


#: ``@name`` where it starts a word: not in ``a@b``, ``/@x`` or ``.@x``.
MENTION_RE = r"(?<![\w@/.])@([a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)"


class _MentionProcessor(Treeprocessor):
    """Links ``@name`` to a page when `name` is one of the given names.

    A tree pass after the inline patterns, so text inside links and code
    stays as it is.
    """

    SKIP = frozenset({"a", "code", "pre"})

    def __init__(self, links: Mapping[str, str], md: markdown.Markdown) -> None:
        super().__init__(md)
        self.links = links
        self.pattern = re.compile(MENTION_RE)

    def run(self, root: etree.Element) -> None:
        for element in list(root):
            if element.tag in self.SKIP:
                continue
            self.run(element)
            self._link_text(element)

    def _link_text(self, element: etree.Element) -> None:
        """Mentions in the element's own text, then in its children's tails."""
        element.text, made = self._split(element.text)
        for position, link in enumerate(made):
            element.insert(position, link)
        for child in list(element):
            child.tail, made = self._split(child.tail)
            at = list(element).index(child) + 1
            for offset, link in enumerate(made):
                element.insert(at + offset, link)

    def _split(self, text: str | None) -> tuple[str | None, list[etree.Element]]:
        """The text before the first mention, and the links with their tails."""
        if not text:
            return text, []
        head, links, last = None, [], 0
        for match in self.pattern.finditer(text):
            href = self.links.get(match.group(1))
            if href is None:
                continue
            before = text[last : match.start()]
            if links:
                links[-1].tail = before
            else:
                head = before
            link = etree.Element("a", {"href": href})
            link.text = match.group(0)
            links.append(link)
            last = match.end()
        if not links:
            return text, []
        links[-1].tail = text[last:]
        return head, links


class _MentionExtension(Extension):
    def __init__(self, links: Mapping[str, str]) -> None:
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns (20), before prettify (10).
        md.treeprocessors.register(_MentionProcessor(self.links, md), "mention", 15)


def _new_markdown(mentions: Mapping[str, str]) -> markdown.Markdown:
    """A fresh Markdown converter whose slow steps check the deadline.

    A new instance per call: instances keep state between conversions and are
    not safe to share between threads (and the deadline wrappers are per instance).
    """
    extensions: list[Extension | str] = [*_MARKDOWN_EXTENSIONS]
    if mentions:
        extensions.append(_MentionExtension(mentions))
    return markdown.Markdown(
        extensions=[*extensions, _PonderExtension()],
        output_format="html",
    )


class _DeadlineTokenizer(html5lib_shim.BleachHTMLTokenizer):  # type: ignore[misc]
    """bleach's tokenizer, checking the deadline before each token.

    html5lib spends up to O(depth of open elements) per token, so checking
    per token bounds the time spent on deeply nested input.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            _check_deadline()
            yield token


class _DeadlineParser(html5lib_shim.BleachHTMLParser):  # type: ignore[misc]
    """bleach's parser using :class:`_DeadlineTokenizer`.

    The body is ``BleachHTMLParser._parse`` (bleach 6.4) with the tokenizer
    class swapped; bleach offers no other hook for it.
    """

    def _parse(
        self,
        stream: Any,
        innerHTML: bool = False,
        container: str = "div",
        scripting: bool = True,
        **kwargs: Any,
    ) -> None:
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _DeadlineTokenizer(
            stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs
        )
        self.reset()
        try:
            self.mainLoop()
        except html5lib_shim.ReparseException:
            self.reset()
            self.mainLoop()


class _DeadlineTreeWalker(html5lib_shim.getTreeWalker("etree")):  # type: ignore[misc]
    """html5lib's etree walker, checking the deadline before each node.

    Finding a node's parent scans its siblings, so walking a wide tree is
    quadratic; the sanitiser, linkifier and serialiser all pull from here.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            _check_deadline()
            yield token


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
    """Build the sanitiser: allowlist, then linkify and set ``rel``, in one pass."""
    cleaner = Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            _ImageFilter,
            partial(
                LinkifyFilter,
                callbacks=[_set_link_attributes],
                skip_tags=LINKIFY_SKIP_TAGS,
                parse_email=False,
                url_re=LINKIFY_URL_RE,
            ),
        ],
    )
    # Same arguments as Cleaner.__init__ gives its own parser.
    cleaner.parser = _DeadlineParser(
        tags=cleaner.tags,
        strip=cleaner.strip,
        consume_entities=False,
        namespaceHTMLElements=False,
    )
    cleaner.walker = _DeadlineTreeWalker
    return cleaner


# bleach's Cleaner holds a parser with internal state and is documented as not
# thread-safe, so each thread builds its own once and reuses it for every call.
_local = threading.local()


def _cleaner() -> Cleaner:
    """Return this thread's Cleaner, building it on first use."""
    cleaner: Cleaner | None = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _build_cleaner()
    return cleaner


def _plain_text_html(text: str) -> str:
    """Escaped text in paragraphs: the fallback for input we will not render.

    Linear time, and safe without bleach because every character is escaped.
    """
    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(
        "<p>" + html.escape(paragraph.strip()).replace("\n", "<br>\n") + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def render_markdown(
    text: str,
    mentions: Mapping[str, str] | None = None,
    images: ImageResolver | None = None,
) -> str:
    """Markdown → sanitised HTML string, to be stored on the model when saved.

    Raw HTML in the Markdown is allowed through only within the allowlist;
    other tags are stripped and their text kept, escaped. Input that takes
    longer than ``RENDER_TIME_LIMIT`` or breaks a parser is stored as escaped
    plain text, so saving never fails because of what the user wrote.
    `mentions` maps names to URLs: ``@name`` becomes a link to it.
    `images` says how to show our own images (see ShownImage); without it,
    and for any image it does not know, see _ImageFilter.
    """
    if not text or not text.strip():
        return ""
    size = len(text)
    token = _deadline.set(time.monotonic() + RENDER_TIME_LIMIT)
    images_token = _images.set(images)
    try:
        return _cleaner().clean(_new_markdown(mentions or {}).convert(text)).strip()
    except RenderTimeoutError:
        logger.warning("Markdown too slow; kept as plain text (%d chars)", size)
    except RecursionError:
        logger.warning("Markdown nests too deeply; kept as plain text (%d chars)", size)
    except Exception:
        logger.exception("Markdown failed; kept as plain text (%d chars)", size)
    finally:
        _deadline.reset(token)
        _images.reset(images_token)
    # The parser may have been left mid-document: start the next call afresh.
    _local.cleaner = None
    return _plain_text_html(text)


def clean_html(html_text: str) -> str:
    """HTML from elsewhere (a linked blog's post) → sanitised HTML to store:
    the same allowlist, links and images as `render_markdown`, without
    reading it as Markdown. Too slow or broken: its text, escaped."""
    if not html_text or not html_text.strip():
        return ""
    size = len(html_text)
    token = _deadline.set(time.monotonic() + RENDER_TIME_LIMIT)
    try:
        return _cleaner().clean(html_text).strip()
    except RenderTimeoutError:
        logger.warning("HTML too slow to clean; kept as text (%d chars)", size)
    except RecursionError:
        logger.warning("HTML nests too deeply; kept as text (%d chars)", size)
    finally:
        _deadline.reset(token)
    _local.cleaner = None
    return _plain_text_html(rendered_text(html_text))


_OUTSIDE_LINK_RE = re.compile(r"<a\s[^>]*\bhref=\"(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def outside_links(rendered_html: str) -> int:
    """How many links to other sites HTML from render_markdown holds (written
    as Markdown or HTML, or bare addresses linkified); links to our own pages,
    such as @mentions, are not counted."""
    return len(_OUTSIDE_LINK_RE.findall(rendered_html))


def as_safe_html(stored_html: str) -> SafeString:
    """Mark HTML previously produced by render_markdown as safe for templates.

    The only place user content is marked safe: call it only on HTML that
    came out of :func:`render_markdown` (and was stored in the database).
    """
    return mark_safe(stored_html)


# For values put into Markdown source (a nudge's placeholders), and back for a
# plain-text e-mail. Python-Markdown's backslash escapes (tables adds "|").
# "<" and "&" have no backslash escape: they become entities, which stay text.
# "." and ":" become entities too, so the linkifier does not turn a name like
# "www.x.com" into a link.
_MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+\-!|>])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ".": "&#46;", ":": "&#58;"}
_ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-!|>])")


def escape_markdown(value: str) -> str:
    """Text that renders as itself in Markdown, on one line, whatever it holds."""
    value = " ".join(value.split())
    value = "".join(_ENTITIES.get(char, char) for char in value)
    return _MARKDOWN_SPECIAL_RE.sub(r"\\\1", value)


def plain_text(body: str) -> str:
    """Markdown for a plain-text e-mail (a personalised nudge): as written, with
    the escapes of `escape_markdown` (and the writer's own) read back."""
    return html.unescape(_ESCAPED_RE.sub(r"\1", body))


class _TextReader(HTMLParser):
    """The words of stored HTML as a reader sees them: tags gone, entities read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _INLINE_TAGS:
            self.pieces.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


#: Tags inside a line of text: no space where they open or close ("**bo**ld").
_INLINE_TAGS = frozenset({"strong", "em", "b", "i", "code", "a", "del"})


def rendered_text(stored_html: str) -> str:
    """The text of HTML from :func:`render_markdown`, in one line: what a
    search snippet quotes, with no Markdown or HTML source in it."""
    reader = _TextReader()
    reader.feed(stored_html)
    reader.close()
    return " ".join("".join(reader.pieces).split())
