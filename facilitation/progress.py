"""The progress grid of a cohort, for its facilitators: who has done which Thing.

Completion is derived (DESIGN.md, Concepts): a participant has done a Thing once
they have published an entry on it in this cohort, whatever its visibility.
Drafts never count. Nothing here reads an entry's title or text: the grid, its
CSV and the charts carry only dates and counts.

Everything runs in a fixed number of queries whatever the cohort's size: the
share done and the last entry date are annotated on the Membership queryset as
subqueries, so filtering, ORDER BY and pagination happen in SQL, and the cells
of a page come from one aggregate query over that page's participants.

In a self-paced cohort each participant's Things are due on their own dates
(`Cohort.schedules_of`, two queries a page): the columns are every published
Thing, a cell not yet due for that person says so (never "not done"), and
the share is of the Things due to them. Sorting by share there sorts by the
Things done, as the share per person is worked out after the query.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf, TruncDate
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext, gettext_lazy

from core.charts import BarChart, bar_chart, format_number
from core.downloads import csv_cell
from core.freshness import kept
from journal.models import Comment, Entry
from programmes.models import Cohort, Membership, Thing

PARTICIPANTS_PER_PAGE = 50
#: "Nothing published for two weeks" looks back this far from now.
STALE_AFTER = datetime.timedelta(days=14)
#: The CSV asks for the cells of this many participants at a time.
CSV_CHUNK = 500
#: The weekly charts show at most this many of the cohort's latest weeks.
MAX_WEEKS_CHARTED = 52


class Show(TextChoices):
    ALL = "all", gettext_lazy("Everyone")
    STALE = "stale", gettext_lazy("Nothing published for two weeks")
    FINISHED = "finished", gettext_lazy("Finished")


class Sort(TextChoices):
    NAME = "name", gettext_lazy("Name")
    SHARE = "share", gettext_lazy("Share done, most first")
    SHARE_ASC = "-share", gettext_lazy("Share done, least first")
    LAST = "last", gettext_lazy("Last entry, latest first")
    LAST_ASC = "-last", gettext_lazy("Last entry, earliest first")


def parse_choice(value: str | None, choices: type[TextChoices], default: str) -> str:
    """A GET parameter that is one of `choices`; anything else is the default."""
    return value if value in choices.values else default


def member_name_order():
    """Members by the name shown for them, case-insensitively."""
    return Lower(
        Coalesce(NullIf("user__profile__display_name", Value("")), "user__username")
    )


ORDERINGS: dict[str, list] = {
    Sort.NAME: [member_name_order(), "user_id"],
    Sort.SHARE: ["-done_open", member_name_order(), "user_id"],
    Sort.SHARE_ASC: ["done_open", member_name_order(), "user_id"],
    # Never published sorts as the oldest: last when latest first, and first
    # when earliest first.
    Sort.LAST: [
        F("last_entry_at").desc(nulls_last=True),
        member_name_order(),
        "user_id",
    ],
    Sort.LAST_ASC: [
        F("last_entry_at").asc(nulls_first=True),
        member_name_order(),
        "user_id",
    ],
}


def completing_entries(cohort: Cohort) -> QuerySet[Entry]:
    """The cohort's entries that complete their Thing (`EntryQuerySet.completing`)."""
    return Entry.objects.completing().filter(cohort=cohort)


def dated_entries(cohort: Cohort) -> QuerySet[Entry]:
    """Published entries whose date a facilitator may know: the "last entry".

    An "only me" entry on a Thing is a completion, and its date shows anyway;
    an "only me" free reflection is the author's alone and does not count,
    nor does a post waiting for approval.
    """
    return (
        Entry.objects.published()
        .not_held()
        .filter(
            Q(thing__isnull=False) | ~Q(visibility=Entry.Visibility.PRIVATE),
            cohort=cohort,
        )
    )


def _count_subquery(entries: QuerySet[Entry]) -> Coalesce:
    counted = (
        entries.filter(author_id=OuterRef("user_id"))
        .order_by()
        .values("author_id")
        .annotate(n=Count("thing_id", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class Grid:
    cohort: Cohort
    #: The Things open to the cohort: the grid's columns, the "N" of the share
    #: (in a self-paced cohort every published Thing, each due on its own date).
    things: list[Thing]
    #: Published Things still to open (not columns; counted in "finished").
    upcoming: int
    #: Things a participant completes to finish: the target, else all published.
    finish_at: int

    @property
    def thing_ids(self) -> list[int]:
        return [thing.pk for thing in self.things]


def grid_for(cohort: Cohort) -> Grid:
    """The grid's columns from the cohort's schedule (two queries): the Things
    open to the cohort, or in a self-paced cohort every published Thing."""
    schedule = cohort.schedule()
    things = [
        release.thing for release in schedule if release.is_open or cohort.is_self_paced
    ]
    return Grid(
        cohort=cohort,
        things=things,
        upcoming=len(schedule) - len(things),
        finish_at=cohort.completion_target or len(schedule),
    )


def participants(
    grid: Grid, *, show: str = Show.ALL, sort: str = Sort.NAME
) -> QuerySet[Membership]:
    """The cohort's participants (facilitators are not in the grid), annotated.

    `done_open`: open Things done (the share); `done_all`: published Things done
    (for "finished"); `last_entry_at`: their latest published entry.
    """
    cohort = grid.cohort
    completed = completing_entries(cohort)
    last = (
        dated_entries(cohort)
        .filter(author_id=OuterRef("user_id"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    members = (
        cohort.memberships.filter(role=Membership.Role.PARTICIPANT)
        .select_related("user__profile")
        .annotate(
            done_open=_count_subquery(completed.filter(thing_id__in=grid.thing_ids)),
            done_all=_count_subquery(completed),
            last_entry_at=Subquery(last, output_field=DateTimeField()),
        )
    )
    if show == Show.STALE:
        since = timezone.now() - STALE_AFTER
        members = members.filter(
            Q(last_entry_at__isnull=True) | Q(last_entry_at__lt=since)
        )
    elif show == Show.FINISHED:
        if grid.finish_at <= 0:
            members = members.none()
        else:
            members = members.filter(done_all__gte=grid.finish_at)
    return members.order_by(*ORDERINGS.get(sort, ORDERINGS[Sort.NAME]))


def completions(
    cohort: Cohort, user_ids: Iterable[int], thing_ids: Iterable[int]
) -> dict[int, dict[int, datetime.datetime]]:
    """{user id: {thing id: first published}} for some participants (one query)."""
    rows = (
        completing_entries(cohort)
        .filter(author_id__in=list(user_ids), thing_id__in=list(thing_ids))
        .order_by()
        .values("author_id", "thing_id")
        .annotate(first=Min("published_at"))
    )
    done: dict[int, dict[int, datetime.datetime]] = defaultdict(dict)
    for row in rows:
        done[row["author_id"]][row["thing_id"]] = row["first"]
    return done


@dataclass(frozen=True)
class Cell:
    thing: Thing
    done_at: datetime.datetime | None
    #: Open to the participant: in a self-paced cohort, on their own date.
    is_due: bool = True


@dataclass(frozen=True)
class Row:
    membership: Membership
    cells: list[Cell]
    done: int
    total: int
    finish_at: int
    last_entry_at: datetime.datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.finish_at > 0 and self.membership.done_all >= self.finish_at


def rows_for(grid: Grid, memberships: Sequence[Membership]) -> list[Row]:
    """The grid's rows for some annotated memberships: one query for the cells
    (and two for each person's dates in a self-paced cohort)."""
    done = completions(grid.cohort, (m.user_id for m in memberships), grid.thing_ids)
    due = _due_things(grid, memberships)
    rows = []
    for membership in memberships:
        cells = [
            Cell(
                thing=thing,
                done_at=done[membership.user_id].get(thing.pk),
                is_due=due is None or thing.pk in due[membership.user_id],
            )
            for thing in grid.things
        ]
        if due is None:
            done_count, total = membership.done_open, len(grid.things)
        else:
            done_count = sum(1 for cell in cells if cell.is_due and cell.done_at)
            total = len(due[membership.user_id])
        rows.append(
            Row(
                membership=membership,
                cells=cells,
                done=done_count,
                total=total,
                finish_at=grid.finish_at,
                last_entry_at=membership.last_entry_at,
            )
        )
    return rows


def _due_things(
    grid: Grid, memberships: Sequence[Membership]
) -> dict[int, set[int]] | None:
    """In a self-paced cohort, the Things due to each participant (by user
    id); None where the grid's columns are due to everyone."""
    if not grid.cohort.is_self_paced:
        return None
    schedules = grid.cohort.schedules_of(memberships)
    return {
        user_id: {release.thing.pk for release in releases if release.is_open}
        for user_id, releases in schedules.items()
    }


# CSV ------------------------------------------------------------------------


def _local_day(moment: datetime.datetime | None, zone: tzinfo) -> str:
    return timezone.localtime(moment, zone).date().isoformat() if moment else ""


def csv_rows(grid: Grid, memberships: QuerySet[Membership], zone: tzinfo) -> Iterator:
    """The header, then one row per participant: dates in `zone`, ISO 8601.

    Participants are read CSV_CHUNK at a time, each chunk with one query for
    its cells, so a cohort of any size streams in bounded memory.
    """
    header = [gettext("Participant"), gettext("Username")]
    header += [
        gettext("Thing %(number)s: %(title)s")
        % {"number": thing.number, "title": thing.title}
        for thing in grid.things
    ]
    header += [
        gettext("Things done"),
        gettext("Open Things"),
        gettext("Share done (%)"),
    ]
    if grid.cohort.completion_target:
        header.append(gettext("Completion target"))
    header.append(gettext("Last entry"))
    yield [csv_cell(value) for value in header]
    chunk: list[Membership] = []
    for membership in memberships.iterator(chunk_size=CSV_CHUNK):
        chunk.append(membership)
        if len(chunk) >= CSV_CHUNK:
            yield from _csv_chunk(grid, chunk, zone)
            chunk = []
    if chunk:
        yield from _csv_chunk(grid, chunk, zone)


def _csv_chunk(grid: Grid, chunk: list[Membership], zone: tzinfo) -> Iterator[list]:
    for row in rows_for(grid, chunk):
        user = row.membership.user
        values: list = [csv_cell(user.profile.name), csv_cell(user.username)]
        values += [_local_day(cell.done_at, zone) for cell in row.cells]
        values += [row.done, row.total, row.percent]
        if grid.cohort.completion_target:
            values.append(grid.cohort.completion_target)
        values.append(_local_day(row.last_entry_at, zone))
        yield values


def csv_filename(cohort: Cohort, zone: tzinfo) -> str:
    today = timezone.localtime(timezone.now(), zone).date().isoformat()
    return f"ponder-progress-{cohort.slug}-{today}.csv"


# Charts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    number: int
    starts: datetime.date


def cohort_weeks(cohort: Cohort, *, today: datetime.date | None = None) -> list[Week]:
    """The cohort's weeks so far, from its start date, in its own time zone."""
    zone = zoneinfo.ZoneInfo(cohort.time_zone)
    today = today or timezone.localtime(timezone.now(), zone).date()
    if today < cohort.start_date:
        return []
    count = (today - cohort.start_date).days // 7 + 1
    first = max(1, count - MAX_WEEKS_CHARTED + 1)
    return [
        Week(number=n, starts=cohort.start_date + datetime.timedelta(weeks=n - 1))
        for n in range(first, count + 1)
    ]


def _by_week(
    days: Iterable[tuple[datetime.date | datetime.datetime, int]],
    weeks: list[Week],
    zone: tzinfo,
) -> list[int]:
    """Daily counts summed into the cohort's weeks."""
    totals = [0] * len(weeks)
    if not weeks:
        return totals
    first = weeks[0].starts
    for day, count in days:
        if isinstance(day, datetime.datetime):
            day = (
                timezone.localtime(day, zone).date()
                if timezone.is_aware(day)
                else day.date()
            )
        index = (day - first).days // 7
        if 0 <= index < len(weeks):
            totals[index] += count
    return totals


def _daily_counts(queryset: QuerySet, field: str, zone: tzinfo) -> list[tuple]:
    """(local date, count): at most one row a day, whatever the number of rows."""
    return list(
        queryset.annotate(day=TruncDate(field, tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )


def weekly_entries(cohort: Cohort) -> tuple[list[Week], list[int]]:
    """Published entries per week of the cohort, of every visibility: their
    count, never their content (one query)."""
    zone = zoneinfo.ZoneInfo(cohort.time_zone)
    weeks = cohort_weeks(cohort)
    if not weeks:
        return weeks, []
    entries = (
        Entry.objects.published()
        .not_held()
        .filter(cohort=cohort, published_at__gte=_start_of(weeks[0].starts, zone))
    )
    return weeks, _by_week(_daily_counts(entries, "published_at", zone), weeks, zone)


def counted_comments(cohort: Cohort) -> QuerySet[Comment]:
    """Comments the charts count: visible and not held, on the cohort's
    published entries."""
    return Comment.objects.not_held().filter(
        state=Comment.State.VISIBLE,
        entry__in=Entry.objects.published().filter(cohort=cohort),
    )


def weekly_comments(cohort: Cohort) -> tuple[list[Week], list[int]]:
    """Visible comments per week of the cohort, counted in three spans: the
    days before today and today's hours before this one, each kept under
    `entries_state` (one query when either moves on), and this hour's
    comments, counted afresh (one query over them alone).

    A comment made earlier changes its day's count only when it stops or
    starts counting: deleted (`delete_comment`), hidden, held or approved
    (moderation), its entry unpublished, deleted, held or moved, its author's
    account deleted. Each of these moves `entries_state`. A new comment is
    made now, in this hour; an edit or a like counts nothing. So a
    conversation, which moves `cache_state` alone, leaves the spans kept as
    they were, and a new day or hour starts new ones.
    """
    zone = zoneinfo.ZoneInfo(cohort.time_zone)
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    weeks = cohort_weeks(cohort, today=today)
    if not weeks:
        return weeks, []
    today_starts = _start_of(today, zone)
    hour_starts = max(today_starts, now.replace(minute=0, second=0, microsecond=0))
    comments = counted_comments(cohort)

    def kept_counts(since: datetime.datetime, until: datetime.datetime) -> list:
        return kept(
            f"comments-per-day:{cohort.entries_state}:{since.isoformat()}:{until.isoformat()}",
            lambda: _daily_counts(
                comments.filter(created__gte=since, created__lt=until),
                "created",
                zone,
            ),
        )

    return weeks, _by_week(
        kept_counts(_start_of(weeks[0].starts, zone), today_starts)
        + kept_counts(today_starts, hour_starts)
        + _daily_counts(comments.filter(created__gte=hour_starts), "created", zone),
        weeks,
        zone,
    )


def _start_of(day: datetime.date, zone: tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), zone)


def _week_chart(
    weeks: list[Week],
    values: list[int],
    *,
    chart_id: str,
    title: str,
    heading: str,
    unit: str,
    description: str,
    empty_message: str,
) -> BarChart:
    """`description` has a `%(total)s` placeholder for the sum of `values`."""
    total = sum(values)
    return bar_chart(
        [
            (
                gettext("Week %(number)s (from %(date)s)")
                % {"number": week.number, "date": format_date(week.starts, "j M")},
                value,
            )
            for week, value in zip(weeks, values, strict=True)
        ],
        axis_labels=[str(week.number) for week in weeks],
        chart_id=chart_id,
        title=title,
        description=description % {"total": format_number(total)} if weeks else "",
        label_heading=gettext("Week"),
        value_heading=heading,
        unit=unit,
        empty_message=empty_message,
    )


def thing_completion(grid: Grid) -> list[tuple[Thing, int, int]]:
    """(Thing, participants done, participants) for each open Thing (2 queries)."""
    cohort = grid.cohort
    participant_ids = cohort.memberships.filter(
        role=Membership.Role.PARTICIPANT
    ).values("user_id")
    total = cohort.memberships.filter(role=Membership.Role.PARTICIPANT).count()
    done = dict(
        completing_entries(cohort)
        .filter(thing_id__in=grid.thing_ids, author_id__in=participant_ids)
        .order_by()
        .values("thing_id")
        .annotate(n=Count("author_id", distinct=True))
        .values_list("thing_id", "n")
    )
    return [(thing, done.get(thing.pk, 0), total) for thing in grid.things]


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def things_chart(grid: Grid) -> BarChart:
    """The share of participants who completed each open Thing (2 queries)."""
    thing_rows = thing_completion(grid)
    return bar_chart(
        [
            (
                gettext("Thing %(number)s: %(title)s")
                % {"number": thing.number, "title": thing.title},
                round(100 * done / total, 1) if total else 0,
            )
            for thing, done, total in thing_rows
        ],
        axis_labels=[str(thing.number) for thing, _done, _total in thing_rows],
        chart_id="things-chart",
        title=gettext("Share of participants who completed each open Thing"),
        label_heading=gettext("Thing"),
        value_heading=gettext("Participants done"),
        empty_message=gettext("No Thing completed yet."),
        top=100,
        format_value=_percent,
    )


def entries_chart(cohort: Cohort) -> BarChart:
    return _week_chart(
        *weekly_entries(cohort),
        chart_id="entries-chart",
        title=gettext("Entries published per week"),
        heading=gettext("Entries"),
        unit=gettext("entries"),
        description=gettext(
            "Entries in each week of the cohort so far: %(total)s in all."
        ),
        empty_message=gettext("No entries yet."),
    )


def comments_chart(cohort: Cohort) -> BarChart:
    return _week_chart(
        *weekly_comments(cohort),
        chart_id="comments-chart",
        title=gettext("Comments per week"),
        heading=gettext("Comments"),
        unit=gettext("comments"),
        description=gettext(
            "Comments in each week of the cohort so far: %(total)s in all."
        ),
        empty_message=gettext("No comments yet."),
    )
