"""Reading a participant's own blog: finding its feed, parsing it into plain
post records, and seeing which Thing a post answers.

Only parsing lives here: no models. The HTML in a record is as the blog sent
it (feedparser's own cleaning aside) and is not safe to show; the caller runs
it through core/markdown's sanitiser. feedparser is only ever given a stream
of the bytes we fetched through core/fetch: given a string it fetches URLs
itself (unguarded), and given a string or bytes that names a file it reads
the file (a body of b"/etc/passwd" would be parsed from disk).
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import io
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

FEED_TYPES = {"application/rss+xml", "application/atom+xml"}
#: A Thing named in a title or category: "Thing 12", "thing #12", "Thing12",
#: German and Dutch "Ding 12", or a bare "#12" (not "#23things", not "Things 2011").
THING_PATTERNS = (
    re.compile(r"\b(?:thing|ding)\s*#?\s*(\d{1,3})(?!\d)", re.IGNORECASE),
    re.compile(r"(?<![\w&#])#(\d{1,3})\b"),
)


class _FeedLinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag == "base" and not self.base:
            self.base = values.get("href", "").strip()
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";")[0].strip().lower()
        href = values.get("href", "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            self.hrefs.append(href)


def discover_feeds(html: str, page_url: str) -> list[str]:
    """The feed addresses a page announces, absolute, in page order."""
    finder = _FeedLinkFinder()
    finder.feed(html)
    finder.close()
    base = urljoin(page_url, finder.base) if finder.base else page_url
    found: list[str] = []
    for href in finder.hrefs:
        url = urljoin(base, href)
        if url.startswith(("http://", "https://")) and url not in found:
            found.append(url)
    return found


@dataclass(frozen=True)
class Post:
    """One post of a feed, as plain values."""

    guid: str
    link: str
    title: str
    published: datetime.datetime | None
    updated: datetime.datetime | None
    categories: tuple[str, ...]
    summary_html: str
    content_html: str

    @property
    def thing_number(self) -> int | None:
        return match_thing(self.title, self.categories)


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, link and posts; ``is_feed`` is False for anything that
    is not RSS or Atom (an HTML page, broken XML with no entries)."""

    is_feed: bool
    title: str = ""
    link: str = ""
    posts: tuple[Post, ...] = ()


def _utc(parsed: time.struct_time | None) -> datetime.datetime | None:
    if parsed is None:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)


def _content(entry: feedparser.FeedParserDict) -> str:
    parts = entry.get("content") or []
    html = [part.get("value", "") for part in parts if part.get("value")]
    return "\n".join(html)


def _guid(entry: feedparser.FeedParserDict, link: str, title: str) -> str:
    """The entry's id, else its link, else a hash of what it says: a post
    without either still keeps one identity between reads."""
    guid = (entry.get("id") or link or "").strip()
    if guid:
        return guid
    text = f"{title}\n{entry.get('published', '')}\n{entry.get('summary', '')}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _post(entry: feedparser.FeedParserDict) -> Post:
    link = (entry.get("link") or "").strip()
    title = (entry.get("title") or "").strip()
    categories = tuple(
        dict.fromkeys(
            (tag.get("term") or tag.get("label") or "").strip()
            for tag in entry.get("tags", [])
            if (tag.get("term") or tag.get("label") or "").strip()
        )
    )
    return Post(
        guid=_guid(entry, link, title),
        link=link,
        title=title,
        published=_utc(entry.get("published_parsed")),
        # Not entry.get: feedparser 6 answers a missing "updated" with the
        # published date, and warns.
        updated=_utc(dict.get(entry, "updated_parsed")),
        categories=categories,
        summary_html=entry.get("summary", ""),
        content_html=_content(entry),
    )


def parse_feed(body: bytes, url: str = "") -> ParsedFeed:
    """Parse RSS 2.0 or Atom bytes. Tolerates what feedparser tolerates (a
    slightly broken feed still yields its entries); anything with no feed
    version and no entries is "not a feed"."""
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers={"content-location": url} if url else None
    )
    if not parsed.get("version") and not parsed.entries:
        return ParsedFeed(is_feed=False)
    feed = parsed.feed
    return ParsedFeed(
        is_feed=True,
        title=(feed.get("title") or "").strip(),
        link=(feed.get("link") or "").strip(),
        posts=tuple(_post(entry) for entry in parsed.entries),
    )


def match_thing(title: str, categories: tuple[str, ...] | list[str] = ()) -> int | None:
    """The Thing a post names, from its title first, then its categories."""
    for text in (title, *categories):
        for pattern in THING_PATTERNS:
            found = pattern.search(text)
            if found and int(found.group(1)) > 0:
                return int(found.group(1))
    return None
