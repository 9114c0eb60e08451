"""Lists of a cohort's entries shared by every reader who may see the same
ones: the cohort page and a Thing's page (core/freshness.py,
`shared_fragment_key`).

A cohort's members read the same published entries of it, and its
facilitators the same ones plus those hidden or held. What differs for one
reader is theirs alone: their own entries nobody else in the audience reads
(private, hidden, held), and on a Thing's page their own entry, which the
list leaves out. The shared page is also theirs when none of these would fall
on it (`PageEnd.holds_for`); otherwise they get a page of their own. Comment
counts depend on the reader (private comments) and move with every comment:
they are holes, filled for the whole page by one query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import ngettext

from core import holes
from journal.models import Comment, Entry, EntryQuerySet, shown_to_all
from programmes.models import AnyUser, Cohort, Membership

COMMENT_COUNT = "comment-count"
MEMBERS = "members"
FACILITATORS = "facilitators"

#: Where an entry falls in a newest-first list: (published_at, pk).
SortKey = tuple[datetime.datetime, int]


def audience_of(role: str | None) -> str:
    """Who shares a list with a reader of this role in the cohort."""
    return FACILITATORS if role == Membership.Role.FACILITATOR else MEMBERS


def shared_by(audience: str) -> Q:
    """The entries of a cohort that every reader in `audience` reads
    (`readable_entries` for one cohort, leaving out each reader's own)."""
    listed = Q(
        status=Entry.Status.PUBLISHED,
        visibility__in=[Entry.Visibility.COHORT, Entry.Visibility.PUBLIC],
    )
    return listed if audience == FACILITATORS else listed & shown_to_all()


def is_shared(entry: Entry, audience: str) -> bool:
    """`shared_by`, for one entry at hand."""
    return (
        entry.is_published
        and entry.visibility != Entry.Visibility.PRIVATE
        and (audience == FACILITATORS or not entry.is_withheld)
    )


def shared_entries(cohort: Cohort, audience: str) -> EntryQuerySet:
    return Entry.objects.filter(cohort=cohort).filter(shared_by(audience))


def only_mine(user: AnyUser, cohort: Cohort, audience: str) -> EntryQuerySet:
    """The reader's published entries in the cohort that the others in their
    audience do not read."""
    return (
        Entry.objects.filter(author=user, cohort=cohort)
        .published()
        .exclude(shared_by(audience))
    )


def sort_key(entry: Entry) -> SortKey:
    return (entry.published_at, entry.pk)


@dataclass(frozen=True)
class PageEnd:
    """What a reader's own differences are checked against: where a shared
    page ends, whether more follow, and how many entries the list holds."""

    last: SortKey | None
    has_next: bool
    count: int
    per_page: int

    @classmethod
    def of(cls, entries: EntryQuerySet, number: str | None, per_page: int) -> PageEnd:
        """The end of page `number` of `entries`, newest first (as
        `Paginator.get_page` finds it), read as narrow rows."""
        keys = entries.order_by("-published_at", "-pk").values_list(
            "published_at", "pk"
        )
        page = Paginator(keys, per_page).get_page(number)
        return cls(
            last=tuple(page[-1]) if len(page) else None,
            has_next=page.has_next(),
            count=page.paginator.count,
            per_page=per_page,
        )

    def holds_for(self, added: list[SortKey], removed: list[SortKey]) -> bool:
        """Whether this page shows the same entries to a reader whose list
        has the `added` entries and lacks the `removed` ones: all of them
        fall after it, on a later page."""
        changed = [*added, *removed]
        if not changed:
            return True
        return self.has_next and all(key < self.last for key in changed)

    def navigation(self, number: str | None, added: int, removed: int) -> Page:
        """The page numbers of a reader's list (`partials/pagination.html`),
        which holds `added` entries more and `removed` fewer: counted, not
        read."""
        count = self.count + added - removed
        return Paginator(range(count), self.per_page).get_page(number)


def fill_comment_counts(request: HttpRequest) -> None:
    """Fill the page's comment-count holes (`entry_card.html` with
    `count_holes`) as this reader counts, in one query."""
    holes.fill_with(
        request, COMMENT_COUNT, lambda ids: _comment_counts(request.user, ids)
    )


def _comment_counts(viewer: AnyUser, arguments: list[str]) -> dict[str, str]:
    entry_ids = [int(argument) for argument in arguments if argument.isdigit()]
    counts = Comment.objects.counts_for(entry_ids, viewer)
    return {str(pk): _comment_count_html(counts.get(pk, 0)) for pk in entry_ids}


def _comment_count_html(count: int) -> str:
    if not count:
        return ""
    words = ngettext("%(counter)s comment", "%(counter)s comments", count) % {
        "counter": localize(count)
    }
    return format_html(' · <span class="nowrap">{}</span>', words)
