"""Reading load (issue 5): what to read next, entries waiting for a first
comment, and the filters of the cohort page.

An entry is "waiting" while it has no comment that everyone in its cohort can
read. A private or hidden comment does not end the wait: the rest of the cohort
does not see it, so to them the entry is still unanswered.
"""

from __future__ import annotations

import datetime
import heapq
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext

from core.freshness import kept
from journal import listing
from journal.models import Comment, Entry, EntryQuerySet, Reading, shown_to_all
from programmes.models import AnyUser, Cohort, Thing

READ_NEXT_COUNT = 5
READ_NEXT_WINDOW = datetime.timedelta(days=7)
READING_REMEMBERED_SECONDS = 24 * 60 * 60
#: Longer values in a filter match nothing anyway; the note quotes this much.
MAX_SHOWN_VALUE = 80
FILTER_NAMES = ("thing", "person", "waiting")


def _comments_everyone_reads() -> QuerySet[Comment]:
    """The comments on the outer entry that every member of its cohort reads."""
    return Comment.objects.filter(
        shown_to_all(),
        entry=OuterRef("pk"),
        state=Comment.State.VISIBLE,
        private=False,
    )


def waiting_for_first_comment(entries: EntryQuerySet) -> EntryQuerySet:
    """Published entries the cohort may comment on that nobody has answered yet."""
    return (
        entries.published()
        .shown()
        .filter(
            ~Exists(_comments_everyone_reads()),
            visibility__in=[Entry.Visibility.COHORT, Entry.Visibility.PUBLIC],
        )
    )


def waiting_count(cohort: Cohort) -> int:
    """For the cohort's facilitators: how many entries still wait (one query,
    kept until the cohort's next change, a comment included)."""
    return kept(
        f"waiting-count:{cohort.cache_state}",
        lambda: waiting_for_first_comment(Entry.objects.filter(cohort=cohort)).count(),
    )


class Candidate(NamedTuple):
    """An entry of the week that every member of its cohort reads."""

    pk: int
    author_id: int
    published_at: datetime.datetime


@dataclass(frozen=True)
class Queue:
    """A cohort's candidates for "read next", those nobody has answered apart
    from the rest: the same for every member."""

    waiting: tuple[Candidate, ...]
    answered: tuple[Candidate, ...]


def read_next(
    user: User,
    cohort: Cohort | None = None,
    limit: int = READ_NEXT_COUNT,
    cohorts: list[Cohort] | None = None,
) -> list[Entry]:
    """A few entries of this week for `user` to read and answer: in `cohort`,
    else in `cohorts` (all of theirs when not given).

    Never their own nor one they commented on. Those nobody has answered come
    first, then those by people `user` has never read, then the ones waiting
    longest. Hidden and held entries are left out even for facilitators: nobody else
    can answer them.

    What every member shares is kept per cohort (`cohort_queue`); what is the
    reader's own is two small queries, and the ranking is done here.
    """
    if cohort is not None:
        cohorts = [cohort] if cohort.cached_role_of(user) is not None else []
    elif cohorts is None:
        cohorts = list(Cohort.objects.for_member(user))
    if not cohorts:
        return []
    now = timezone.now()
    since = now - READ_NEXT_WINDOW
    commented = set(
        Comment.objects.filter(
            author=user, entry__cohort__in=cohorts, entry__published_at__gte=since
        ).values_list("entry_id", flat=True)
    )
    queues = [cohort_queue(cohort, now) for cohort in cohorts]
    read_authors = set(
        Reading.objects.filter(reader=user, author_id__in=_authors_in(queues))
        .values_list("author_id", flat=True)
        .distinct()
    )
    reader = user.pk

    def rank(suggestion: tuple[bool, Candidate]) -> tuple:
        waiting, candidate = suggestion
        read = candidate.author_id in read_authors
        return (not waiting, read, candidate.published_at, candidate.pk)

    suggestions = (
        (waiting, candidate)
        for queue in queues
        for waiting, candidates in ((True, queue.waiting), (False, queue.answered))
        for candidate in candidates
        if candidate.published_at >= since
        and candidate.author_id != reader
        and candidate.pk not in commented
    )
    chosen = {
        candidate.pk: waiting
        for waiting, candidate in heapq.nsmallest(limit, suggestions, key=rank)
    }
    return _loaded(chosen)


def _authors_in(queues: list[Queue]) -> set[int]:
    return {
        candidate.author_id
        for queue in queues
        for candidate in (*queue.waiting, *queue.answered)
    }


def _loaded(chosen: dict[int, bool]) -> list[Entry]:
    """The chosen entries (pk: whether it waits), in their order, as the box
    shows them."""
    entries = (
        Entry.objects.filter(pk__in=chosen)
        .select_related("author__profile", "thing", "cohort")
        .in_bulk()
    )
    suggested = [entries[pk] for pk in chosen if pk in entries]
    for entry in suggested:
        entry.waiting = chosen[entry.pk]
    return suggested


def cohort_queue(cohort: Cohort, now: datetime.datetime) -> Queue:
    """The cohort's `Queue` this hour, worked out once per change its members
    could see (a comment included) rather than once per reader."""

    def queue() -> Queue:
        candidates = _candidates(cohort, now)
        answered = set(
            _this_week(cohort, now)
            .filter(Exists(_comments_everyone_reads()))
            .values_list("pk", flat=True)
        )
        return Queue(
            waiting=tuple(c for c in candidates if c.pk not in answered),
            answered=tuple(c for c in candidates if c.pk in answered),
        )

    return kept(f"read-next-queue:{cohort.cache_state}:{read_next_period(now)}", queue)


def _candidates(cohort: Cohort, now: datetime.datetime) -> tuple[Candidate, ...]:
    """`_this_week`'s entries, kept until the cohort's entries change (which
    comments do not)."""
    return kept(
        f"read-next-candidates:{cohort.entries_state}:{read_next_period(now)}",
        lambda: tuple(
            Candidate(*row)
            for row in _this_week(cohort, now).values_list(
                "pk", "author_id", "published_at"
            )
        ),
    )


def _this_week(cohort: Cohort, now: datetime.datetime) -> EntryQuerySet:
    """The entries of the cohort that every member reads, published in the
    week before this hour began (`read_next` narrows them to the week before
    now), oldest first."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    return (
        listing.shared_entries(cohort, listing.MEMBERS)
        .filter(published_at__gte=hour - READ_NEXT_WINDOW)
        .order_by("published_at", "pk")
    )


def read_next_period(now: datetime.datetime | None = None) -> str:
    """What a cached read next depends on besides its cohorts' content: the
    hour, as the week's window moves. Entries opened since (which move their
    authors down the list) reorder it within the hour."""
    return f"{now or timezone.now():%Y%m%d%H}"


def record_reading(*, reader: AnyUser, entry: Entry, role: str | None) -> None:
    """Note that a member (`role` in the entry's cohort) opened someone
    else's entry. The insert ignores a repeat visit instead of looking first,
    so recording is one statement; the cache remembers it was made, so a
    reader coming back to an entry costs the database nothing."""
    if role is None or entry.author_id == reader.pk:
        return
    recorded = f"reading:{reader.pk}:{entry.pk}"
    if cache.get(recorded):
        return
    Reading.objects.bulk_create(
        [Reading(reader=reader, entry=entry, author_id=entry.author_id)],
        ignore_conflicts=True,
    )
    cache.set(recorded, True, READING_REMEMBERED_SECONDS)


def asks_filters(query: QueryDict) -> bool:
    """Whether the query string names a filter, allowed or not."""
    return any(name in query for name in FILTER_NAMES)


_USERNAME = re.compile(r"[a-z0-9_-]+")


@dataclass(frozen=True)
class EntryFilters:
    """The cohort page's filters, each one known to be allowed for the reader."""

    thing: Thing | None = None
    person: User | None = None
    waiting: bool = False
    #: Why a value in the URL was ignored, for the reader.
    notes: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.thing or self.person or self.waiting)

    def apply(self, entries: EntryQuerySet) -> EntryQuerySet:
        if self.thing is not None:
            entries = entries.filter(thing=self.thing)
        if self.person is not None:
            entries = entries.filter(author=self.person)
        if self.waiting:
            entries = waiting_for_first_comment(entries)
        return entries


def entry_filters(
    query: QueryDict, *, cohort: Cohort, things: list[Thing]
) -> EntryFilters:
    """Read the filters from the query string; unknown values are left out
    with a note, so a stale or edited link still shows a page."""
    notes = []
    thing_slug = query.get("thing", "")[:MAX_SHOWN_VALUE]
    thing = next((t for t in things if t.slug == thing_slug), None)
    if thing_slug and thing is None:
        notes.append(
            gettext("There is no Thing “%(thing)s” here yet: showing every Thing.")
            % {"thing": thing_slug}
        )
    username = query.get("person", "").strip().removeprefix("@")[:MAX_SHOWN_VALUE]
    # A cohort may have thousands of members: look up the one asked for.
    person = (
        User.objects.filter(username=username, memberships__cohort=cohort).first()
        if _USERNAME.fullmatch(username)
        else None
    )
    if username and person is None:
        notes.append(
            gettext("“%(username)s” is not in this cohort: showing everyone.")
            % {"username": username}
        )
    waiting = query.get("waiting", "")
    if waiting not in {"", "1"}:
        notes.append(
            gettext("The “waiting for a first comment” filter takes no value.")
        )
    return EntryFilters(
        thing=thing, person=person, waiting=waiting == "1", notes=tuple(notes)
    )
