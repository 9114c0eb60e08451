"""Bring your own blog: a participant's blog followed by its feed into a cohort.

Each post becomes a linked entry (`Entry.linked_blog`): published, dated as
on the blog, its excerpt through the one sanitiser, matched to a Thing by
"Thing 12" or "#12" in its title or categories, or by the participant's pick.
Being entries, linked posts count for completion and show wherever entries
do; they are edited on the blog, and each read brings the edits over. A post
gone from the feed stays, marked (`Entry.gone_at`).

`read_linked_blogs` (the worker) fetches due feeds a few at a time in
threads, which only touch the network (core/fetch.py), and records each read
here, in its own transaction.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

from core import freshness
from core.feeds_in import ParsedFeed, Post, discover_feeds, parse_feed
from core.fetch import FetchResult, Outcome, fetch
from core.markdown import clean_html, rendered_text
from journal import hooks
from journal.models import NOT_A_FEED, TITLE_MAX_LENGTH, Entry, LinkedBlog
from programmes.models import Cohort, Thing

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
#: The longest a failing blog waits between reads.
LONGEST_WAIT = datetime.timedelta(days=1)
EXCERPT_WORDS = 120
#: Feeds a page announces that are tried, in the page's order.
FEEDS_TRIED = 3


class FeedNotFound(Exception):
    """The address gave no feed: ``message`` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FoundFeed:
    url: str
    result: FetchResult
    parsed: ParsedFeed


def read_every() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.PONDER_LINKED_BLOG_MINUTES)


def _page_text(result: FetchResult) -> str:
    charset = "utf-8"
    for part in result.content_type.split(";")[1:]:
        name, _sep, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"'")
    try:
        return result.body.decode(charset, errors="replace")
    except LookupError:
        return result.body.decode("utf-8", errors="replace")


def _fetch_feed(url: str) -> FoundFeed | FetchResult:
    result = fetch(url, accept=FEED_ACCEPT)
    if not result.ok:
        return result
    parsed = parse_feed(result.body, result.url)
    return FoundFeed(result.url, result, parsed) if parsed.is_feed else result


def find_feed(address: str) -> FoundFeed:
    """The feed at ``address``, or the first working one its page announces
    (RSS or Atom autodiscovery); FeedNotFound says why there is none."""
    first = _fetch_feed(address)
    if isinstance(first, FoundFeed):
        return first
    if not first.ok:
        raise FeedNotFound(first.message)
    for url in discover_feeds(_page_text(first), first.url)[:FEEDS_TRIED]:
        found = _fetch_feed(url)
        if isinstance(found, FoundFeed):
            return found
    raise FeedNotFound(
        gettext(
            "We found no RSS or Atom feed at that address. Try your blog's "
            "feed address: on WordPress it ends in /feed/, on Blogger in "
            "/feeds/posts/default."
        )
    )


@transaction.atomic
def link_blog(
    *, owner: User, cohort: Cohort, address: str, visibility: str, found: FoundFeed
) -> LinkedBlog:
    """Follow ``found`` (from `find_feed`) into the cohort for its owner, and
    copy its posts now. Linking again changes the address or who sees the
    posts; there is one linked blog per person and cohort."""
    blog, created = LinkedBlog.objects.select_for_update().get_or_create(
        owner=owner,
        cohort=cohort,
        defaults={"address": address, "feed_url": found.url},
    )
    if not created and blog.feed_url != found.url:
        blog.etag = blog.last_modified = ""
    blog.address = address
    blog.feed_url = found.url
    blog.title = found.parsed.title[:TITLE_MAX_LENGTH]
    blog.visibility = visibility
    blog.save()
    if blog.entries.exclude(visibility=visibility).update(visibility=visibility):
        freshness.cohorts_changed([cohort.pk])
        freshness.writing_changed(owner.pk)
    record_read(blog=blog, result=found.result, parsed=found.parsed)
    return blog


@transaction.atomic
def unlink_blog(*, blog: LinkedBlog) -> None:
    """Stop following the blog. The posts copied so far stay, as entries
    the author may delete like any other."""
    blog.delete()
    freshness.writing_changed(blog.owner_id)


def fetch_blog(blog: LinkedBlog) -> FetchResult:
    """Network only, safe in a thread: the blog's feed, asked conditionally."""
    return fetch(
        blog.feed_url,
        etag=blog.etag,
        last_modified=blog.last_modified,
        accept=FEED_ACCEPT,
    )


def read_blog(*, blog: LinkedBlog) -> LinkedBlog:
    """Read one blog now ("Read now", and the worker one by one)."""
    result = fetch_blog(blog)
    parsed = parse_feed(result.body, result.url) if result.ok else None
    record_read(blog=blog, result=result, parsed=parsed)
    return blog


def read_due_blogs(*, limit: int = 1000, threads: int | None = None) -> int:
    """Read up to ``limit`` blogs whose time has come; the feeds are fetched
    ``threads`` at a time. Returns how many were read."""
    blogs = list(LinkedBlog.objects.due().select_related("cohort")[:limit])
    if not blogs:
        return 0
    with ThreadPoolExecutor(threads or settings.PONDER_LINKED_BLOG_THREADS) as pool:
        for blog, result in zip(blogs, pool.map(fetch_blog, blogs), strict=True):
            parsed = parse_feed(result.body, result.url) if result.ok else None
            record_read(blog=blog, result=result, parsed=parsed)
    return len(blogs)


@transaction.atomic
def record_read(
    *, blog: LinkedBlog, result: FetchResult, parsed: ParsedFeed | None
) -> None:
    """What one read came to: posts copied, the next read scheduled (later
    after each failure in a row), and the outcome kept for the owner."""
    now = timezone.now()
    blog.last_tried_at = now
    blog.last_status = result.status
    if result.outcome is Outcome.NOT_MODIFIED or (parsed and parsed.is_feed):
        blog.last_outcome = result.outcome.value
        blog.failures = 0
        blog.last_read_at = now
        blog.next_read_at = now + read_every()
        if result.ok:
            blog.etag = result.etag[:500]
            blog.last_modified = result.last_modified[:100]
    else:
        blog.last_outcome = NOT_A_FEED if result.ok else result.outcome.value
        blog.failures += 1
        wait = read_every() * 2 ** min(blog.failures, 20)
        blog.next_read_at = now + min(wait, LONGEST_WAIT)
    blog.save()
    if parsed and parsed.is_feed and copy_posts(blog=blog, posts=parsed.posts):
        freshness.cohorts_changed([blog.cohort_id])
        freshness.writing_changed(blog.owner_id)


def _counted_from(cohort: Cohort) -> datetime.datetime:
    """Posts from before the cohort started are the blog's past, not answers."""
    zone = zoneinfo.ZoneInfo(cohort.time_zone)
    return datetime.datetime.combine(cohort.start_date, datetime.time(), zone)


def _dated(post: Post, now: datetime.datetime) -> datetime.datetime:
    when = post.published or post.updated or now
    return min(when, now)


def _excerpt(post: Post) -> tuple[str, str]:
    """The post's opening, as sanitised HTML and as its plain text."""
    cleaned = clean_html(post.content_html or post.summary_html)
    short = Truncator(cleaned).words(EXCERPT_WORDS, html=True, truncate="…")
    html_excerpt = clean_html(short)
    return html_excerpt, rendered_text(html_excerpt)


def _original_url(post: Post, blog: LinkedBlog) -> str:
    link = post.link if post.link.startswith(("https://", "http://")) else ""
    return (link or blog.address)[:2000]


def _title(post: Post, text: str) -> str:
    title = " ".join(post.title.split()) or Truncator(text).words(8, truncate="…")
    return title[:TITLE_MAX_LENGTH] or gettext("Untitled post")


def _things_free_for(blog: LinkedBlog) -> dict[int, Thing]:
    """Things the owner may answer here that they have no entry on yet, by number."""
    answered = set(
        Entry.objects.filter(author_id=blog.owner_id, cohort_id=blog.cohort_id)
        .exclude(thing=None)
        .values_list("thing_id", flat=True)
    )
    return {
        release.thing.number: release.thing
        for release in blog.cohort.visible_things(blog.owner)
        if release.thing.is_published and release.thing.pk not in answered
    }


def copy_posts(*, blog: LinkedBlog, posts: Sequence[Post]) -> bool:
    """Copy new posts, bring edits over, mark posts gone from the feed.
    Returns whether any entry changed."""
    now = timezone.now()
    since = _counted_from(blog.cohort)
    posts = [post for post in posts if _dated(post, now) >= since]
    known = {
        entry.original_guid: entry
        for entry in Entry.with_deleted.filter(
            linked_blog=blog, original_guid__in=[post.guid[:500] for post in posts]
        )
    }
    free = _things_free_for(blog)
    held = blog.cohort.holds_posts_of(blog.owner)
    changed = False
    for post in posts:
        entry = known.get(post.guid[:500])
        if entry is None:
            changed |= _copy_new(blog, post, free, now, held=held) is not None
        elif not entry.is_deleted:
            changed |= _bring_edits(blog, entry, post, free)
    return _mark_gone(blog, posts, now) or changed


def _copy_new(
    blog: LinkedBlog,
    post: Post,
    free: dict[int, Thing],
    now: datetime.datetime,
    *,
    held: bool = False,
) -> Entry | None:
    """``held``: the owner's posts wait for a facilitator's approval here
    (`Cohort.holds_posts_of`), so the copy does too."""
    html_excerpt, text = _excerpt(post)
    number = post.thing_number
    entry = Entry(
        author=blog.owner,
        cohort=blog.cohort,
        thing=free.get(number) if number else None,
        title=_title(post, text),
        body=text,
        body_html=html_excerpt,
        visibility=blog.visibility,
        status=Entry.Status.PUBLISHED,
        published_at=_dated(post, now),
        linked_blog=blog,
        original_url=_original_url(post, blog),
        original_guid=post.guid[:500],
        held_at=now if held else None,
    )
    if not _insert_linked(entry) and not (entry.thing and _insert_unmatched(entry)):
        return None
    if entry.thing:
        free.pop(entry.thing.number, None)
    hooks.entry_saved(entry=entry)
    return entry


def _insert_linked(entry: Entry) -> bool:
    """Insert, or find that the constraints say no: a worker copied the post
    meanwhile, or the author wrote on its Thing meanwhile."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        entry.pk = None
        entry.slug = ""
        return False
    return True


def _insert_unmatched(entry: Entry) -> bool:
    entry.thing = None
    return _insert_linked(entry)


def _bring_edits(
    blog: LinkedBlog, entry: Entry, post: Post, free: dict[int, Thing]
) -> bool:
    html_excerpt, text = _excerpt(post)
    title = _title(post, text)
    number = post.thing_number
    thing = free.get(number) if number and entry.thing_id is None else None
    if (
        entry.title == title
        and entry.body_html == html_excerpt
        and entry.gone_at is None
        and thing is None
    ):
        return False
    entry.title, entry.body, entry.body_html = title, text, html_excerpt
    entry.original_url = _original_url(post, blog)
    entry.gone_at = None
    if thing is not None:
        entry.thing = thing
        free.pop(number, None)
    _save_edits(entry)
    hooks.entry_saved(entry=entry)
    return True


def _save_edits(entry: Entry) -> None:
    """The author may have written on the Thing meanwhile: then it stays
    unmatched."""
    fields = ["title", "body", "body_html", "original_url", "gone_at", "thing"]
    try:
        with transaction.atomic():
            entry.save(update_fields=[*fields, "updated"])
    except IntegrityError:
        entry.thing = None
        entry.save(update_fields=[*fields, "updated"])


def _mark_gone(blog: LinkedBlog, posts: Iterable[Post], now: datetime.datetime) -> bool:
    """A copied post missing from the feed is gone only if the feed still
    reaches back to its date: older posts simply fell off the feed's end."""
    posts = list(posts)
    dated = [post.published or post.updated for post in posts]
    dated = [when for when in dated if when is not None]
    if not dated:
        return False
    missing = blog.entries.filter(gone_at=None, published_at__gte=min(dated)).exclude(
        original_guid__in=[post.guid[:500] for post in posts]
    )
    return missing.update(gone_at=now) > 0


@transaction.atomic
def match_post(*, entry: Entry, thing: Thing | None) -> bool:
    """The author says which Thing a linked post answers (None: no Thing).
    False when they have another entry on that Thing in the cohort."""
    entry.thing = thing
    try:
        with transaction.atomic():
            entry.save(update_fields=["thing", "updated"])
    except IntegrityError:
        return False
    freshness.cohorts_changed([entry.cohort_id])
    freshness.writing_changed(entry.author_id)
    return True
