"""Atom feeds of entries and comments, public or read through a private token.

A feed holds what its reader may read: a visitor (public feeds) or the owner
of the token in the URL (private feeds). Feeds are for reading, not for
moderating or writing, so they never hold a draft or a hidden item, whoever
the reader is.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext

from accounts.models import display_name
from core.freshness import kept
from journal.images import images_for_feed
from journal.models import Comment, CommentQuerySet, Entry, EntryQuerySet, FeedToken
from programmes.models import AnyUser, Cohort, Release

MAX_ITEMS = 30
# XML 1.0 has no way to write these; a title pasted with one must not break
# the whole feed.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# The private tokens ------------------------------------------------------------


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


def feed_token_for(user: User) -> FeedToken:
    token, _ = FeedToken.objects.get_or_create(
        user=user, defaults={"key": new_feed_key}
    )
    return token


def renew_feed_token(user: User) -> FeedToken:
    """Replace the member's key: every private link made with the old one 404s."""
    token, _ = FeedToken.objects.update_or_create(
        user=user, defaults={"key": new_feed_key, "created": timezone.now}
    )
    return token


def reader_of(key: str | None) -> AnyUser:
    """Whose eyes a feed reads with: a visitor's, or the token owner's."""
    if key is None:
        return AnonymousUser()
    token = get_object_or_404(
        FeedToken.objects.select_related("user"), key=key, user__is_active=True
    )
    return token.user


# What a feed may hold ------------------------------------------------------------


def feed_entries(reader: AnyUser) -> EntryQuerySet:
    return (
        Entry.objects.visible_to(reader)
        .published()
        .shown()
        .select_related("author__profile")
        .order_by("-published_at", "-pk")
    )


def feed_comments(reader: AnyUser) -> CommentQuerySet:
    return (
        Comment.objects.shown_to(reader)
        .shown()
        .select_related("author__profile", "entry__author")
        .order_by("-created", "-pk")
    )


# Feed items ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    link: str
    author_name: str
    published: datetime.datetime
    updated: datetime.datetime
    content_html: str


@dataclass(frozen=True)
class FeedSource:
    title: str
    link: str
    subtitle: str
    items: list[FeedItem]


@dataclass(frozen=True)
class CachedSource:
    """A feed kept as XML until its cohort's content version moves on (see
    core/freshness.py): `key` names the version and the reader, `build` makes
    the source on a miss. A feed reader polling it costs two queries."""

    key: str
    build: Callable[[], FeedSource]


@dataclass(frozen=True)
class RenderedFeed:
    """What Django's `Feed` uses of a feed generator, kept in the cache."""

    content_type: str
    xml: str
    latest: datetime.datetime

    def latest_post_date(self) -> datetime.datetime:
        return self.latest

    def write(self, outfile, encoding: str) -> None:
        outfile.write(self.xml)


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text)


def tag_id(kind: str, pk: int, created: datetime.datetime) -> str:
    """A tag: URI (RFC 4151) that survives edits of the title and the slug."""
    authority = urlsplit(settings.SITE_URL).hostname
    return f"tag:{authority},{created.year}:{kind}/{pk}"


def entry_item(entry: Entry) -> FeedItem:
    return FeedItem(
        id=tag_id("entry", entry.pk, entry.created),
        title=xml_safe(entry.title),
        link=entry.get_absolute_url(),
        author_name=xml_safe(display_name(entry.author)),
        published=entry.published_at,
        updated=entry.updated,
        content_html=xml_safe(
            images_for_feed(
                entry.body_html,
                public=entry.visibility == Entry.Visibility.PUBLIC
                and not entry.is_withheld,
            )
        ),
    )


def comment_item(comment: Comment) -> FeedItem:
    author = display_name(comment.author)
    return FeedItem(
        id=tag_id("comment", comment.pk, comment.created),
        title=xml_safe(
            gettext('%(author)s on "%(title)s"')
            % {"author": author, "title": comment.entry.title}
        ),
        link=comment.get_absolute_url(),
        author_name=xml_safe(author),
        published=comment.created,
        updated=comment.edited_at or comment.created,
        content_html=xml_safe(
            images_for_feed(
                comment.body_html,
                public=comment.entry.visibility == Entry.Visibility.PUBLIC
                and not (
                    comment.entry.is_withheld or comment.private or comment.is_withheld
                ),
            )
        ),
    )


# The feeds -------------------------------------------------------------------------


class AtomWithContent(Atom1Feed):
    """Django's Atom feed has no <content>: ours carries each whole entry."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class PonderFeed(Feed):
    """Each feed builds a `FeedSource` in `get_object`, or a `CachedSource`
    to build one when its XML is not in the cache; this writes it out."""

    feed_type = AtomWithContent
    item_guid_is_permalink = False

    def get_feed(self, obj: FeedSource | CachedSource, request: HttpRequest):
        if not isinstance(obj, CachedSource):
            return super().get_feed(obj, request)
        # The XML holds absolute links made from the request's address; its
        # query string changes nothing, so it must not make copies of the feed.
        # Its fixed texts are in the reader's language: one copy per language.
        url = request.build_absolute_uri(request.path)
        key = f"feed:{obj.key}:{get_language()}:{url}"
        return kept(key, lambda: self.render(obj.build(), request))

    def render(self, source: FeedSource, request: HttpRequest) -> RenderedFeed:
        feed = super().get_feed(source, request)
        return RenderedFeed(
            feed.content_type, feed.writeString("utf-8"), feed.latest_post_date()
        )

    def title(self, source: FeedSource) -> str:
        return xml_safe(source.title)

    def link(self, source: FeedSource) -> str:
        return source.link

    def subtitle(self, source: FeedSource) -> str:
        return source.subtitle

    def items(self, source: FeedSource) -> list[FeedItem]:
        return source.items

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_guid(self, item: FeedItem) -> str:
        return item.id

    def item_author_name(self, item: FeedItem) -> str:
        return item.author_name

    def item_pubdate(self, item: FeedItem) -> datetime.datetime:
        return item.published

    def item_updateddate(self, item: FeedItem) -> datetime.datetime:
        return item.updated

    def item_description(self, item: FeedItem) -> None:
        return None

    def item_extra_kwargs(self, item: FeedItem) -> dict[str, str]:
        return {"content": item.content_html}


def subtitle_for(reader: AnyUser) -> str:
    if reader.is_authenticated:
        return gettext("What %(name)s may read, through a private link.") % {
            "name": display_name(reader)
        }
    return gettext("Public entries.")


def member_cohort(slug: str, reader: AnyUser) -> Cohort:
    """The cohort; through a private link, only one its owner belongs to."""
    cohorts = Cohort.objects.select_related("programme").with_role_of(reader)
    cohort = get_object_or_404(cohorts, slug=slug)
    if reader.is_authenticated and cohort.viewer_role is None:
        raise Http404("No such cohort")
    return cohort


def open_release(cohort: Cohort, slug: str, reader: AnyUser) -> Release:
    if reader.is_authenticated:
        release = cohort.visible_thing(reader, slug)
    else:
        release = next(
            (r for r in cohort.schedule() if r.thing.slug == slug and r.is_open), None
        )
    if release is None:
        raise Http404("No such Thing")
    return release


class JournalFeed(PonderFeed):
    def get_object(
        self, request: HttpRequest, username: str, key: str | None = None
    ) -> FeedSource:
        reader = reader_of(key)
        author = get_object_or_404(
            User.objects.select_related("profile"), username=username
        )
        entries = feed_entries(reader).filter(author=author)[:MAX_ITEMS]
        return FeedSource(
            title=gettext("%(name)s's journal") % {"name": display_name(author)},
            link=reverse("journal:journal", kwargs={"username": username}),
            subtitle=subtitle_for(reader),
            items=[entry_item(entry) for entry in entries],
        )


class CohortFeed(PonderFeed):
    def get_object(
        self, request: HttpRequest, cohort: str, key: str | None = None
    ) -> CachedSource:
        reader = reader_of(key)
        cohort = member_cohort(cohort, reader)

        def build() -> FeedSource:
            entries = feed_entries(reader).filter(cohort=cohort)[:MAX_ITEMS]
            return FeedSource(
                title=cohort.name,
                link=cohort.get_absolute_url(),
                subtitle=subtitle_for(reader),
                items=[entry_item(entry) for entry in entries],
            )

        return CachedSource(f"cohort:{cohort.entries_state}:{reader.pk}", build)


class ThingFeed(PonderFeed):
    def get_object(
        self, request: HttpRequest, cohort: str, thing: str, key: str | None = None
    ) -> CachedSource:
        reader = reader_of(key)
        cohort = member_cohort(cohort, reader)
        release = open_release(cohort, thing, reader)

        def build() -> FeedSource:
            entries = feed_entries(reader).filter(cohort=cohort, thing=release.thing)
            return FeedSource(
                title=f"{release.thing} · {cohort.name}",
                link=reverse(
                    "journal:thing", kwargs={"cohort": cohort.slug, "thing": thing}
                ),
                subtitle=subtitle_for(reader),
                items=[entry_item(entry) for entry in entries[:MAX_ITEMS]],
            )

        key = f"thing:{cohort.entries_state}:{release.thing.pk}:{reader.pk}"
        return CachedSource(key, build)


class CommentsFeed(PonderFeed):
    def get_object(
        self, request: HttpRequest, username: str, slug: str, key: str | None = None
    ) -> FeedSource:
        reader = reader_of(key)
        entry = get_object_or_404(
            feed_entries(reader), author__username=username, slug=slug
        )
        comments = feed_comments(reader).filter(entry=entry)[:MAX_ITEMS]
        return FeedSource(
            title=gettext('Comments on "%(title)s"') % {"title": entry.title},
            link=entry.get_absolute_url(),
            subtitle=subtitle_for(reader),
            items=[comment_item(comment) for comment in comments],
        )
