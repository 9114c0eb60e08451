"""What the dashboard shows a participant: progress, CPD minutes and a streak.

Each helper runs a fixed number of queries whatever the number of entries; the
progress runs two more per cohort the user belongs to (its schedule), and two
more per cohort a participant has not yet finished (facilitation/certificates.py).
Dates are the reader's: months and weeks start at local midnight in `zone`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import tzinfo

from django.contrib.auth.models import User
from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

from core.charts import BarChart, bar_chart, format_number
from core.freshness import kept
from facilitation.certificates import certificate_for, needed_to_finish
from journal.models import Entry
from programmes.models import (
    Certificate,
    Cohort,
    Membership,
    NudgeDelivery,
    Release,
)

MONTHS_CHARTED = 12
#: Weeks looked back for a streak: ten years of weekly writing.
STREAK_WEEKS_LOOKED_AT = 520


@dataclass(frozen=True)
class CohortProgress:
    cohort: Cohort
    membership: Membership
    #: The programme's published Things: the "N" of "x of N".
    total: int
    open: int
    done: int
    #: The Thing that opened in the last seven days (the cohort's local days),
    #: the latest if more than one did; None between and after releases.
    this_week: Release | None
    this_week_done: bool
    #: Every other open Thing not done yet, in the cohort's order.
    to_catch_up: list[Release]
    next_release: Release | None
    #: Issued here once earned (issue 3, Completion); None until then.
    certificate: Certificate | None = None


def cohort_progress(user: User) -> list[CohortProgress]:
    """My progress in each of my cohorts, in the order I joined them.

    A Thing counts as done once I have published an entry on it, whatever its
    visibility (DESIGN.md, Completion); only the programme's published Things
    count, so a Thing taken back to draft leaves both x and N.
    """
    memberships = list(
        Membership.objects.filter(user=user).select_related(
            "cohort__programme", "certificate"
        )
    )
    if not memberships:
        return []
    done_by_cohort: dict[int, set[int]] = defaultdict(set)
    completing = Entry.objects.completing().filter(
        author=user,
        cohort_id__in=[membership.cohort_id for membership in memberships],
    )
    for cohort_id, thing_id in completing.values_list("cohort_id", "thing_id"):
        done_by_cohort[cohort_id].add(thing_id)

    progress = []
    for membership in memberships:
        schedule = _schedule(membership)
        done = done_by_cohort[membership.cohort_id]
        done_count = sum(release.thing.pk in done for release in schedule)
        open_releases = [release for release in schedule if release.is_open]
        this_week = _opened_this_week(membership.cohort, open_releases)
        progress.append(
            CohortProgress(
                cohort=membership.cohort,
                membership=membership,
                total=len(schedule),
                open=len(open_releases),
                done=done_count,
                this_week=this_week,
                this_week_done=this_week is not None and this_week.thing.pk in done,
                to_catch_up=[
                    r
                    for r in open_releases
                    if r.thing.pk not in done and r is not this_week
                ],
                next_release=next((r for r in schedule if not r.is_open), None),
                certificate=_certificate(membership, done_count, len(schedule)),
            )
        )
    return progress


def _schedule(membership: Membership) -> list[Release]:
    """The member's schedule; the same for every member of a cohort that is
    not self-paced, so worked out once for all of them under `entries_state`
    (a Thing, a date or a pause changed moves it on)."""
    cohort = membership.cohort
    if cohort.is_self_paced and not membership.is_facilitator:
        return cohort.schedule(member=membership)
    return kept(f"schedule:{cohort.entries_state}", cohort.schedule)


def _certificate(membership: Membership, done: int, total: int) -> Certificate | None:
    """`certificate_for`, without its counts for a participant who has none
    and whose `done` of the `total` published Things cannot have finished."""
    if membership.is_facilitator:
        return None
    issued = getattr(membership, "certificate", None)
    needed = needed_to_finish(membership.cohort, total)
    if issued is None and not (needed > 0 and done >= needed):
        return None
    return certificate_for(membership)


def _opened_this_week(cohort: Cohort, open_releases: list[Release]) -> Release | None:
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(cohort.time_zone))
    recent = [
        release
        for release in open_releases
        if release.opens_on > today - datetime.timedelta(days=7)
    ]
    # The latest to open; of two opening the same day, the later in the order.
    return max(reversed(recent), key=lambda release: release.opens_on, default=None)


def _month_start(day: datetime.date, months_later: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months_later
    return datetime.date(index // 12, index % 12 + 1, 1)


def _local_midnight(day: datetime.date, zone: tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), zone)


def _local_date(
    value: datetime.datetime | datetime.date, zone: tzinfo
) -> datetime.date:
    """A truncated moment from the database as the local date it starts."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, zone)
        return value.date()
    return value


def minutes_by_month(
    user: User, *, zone: tzinfo, months: int = MONTHS_CHARTED
) -> list[tuple[datetime.date, int]]:
    """My CPD minutes in each of the last `months` months, this one included.

    Minutes count in the month their entry was published, in my time zone;
    drafts do not count. Months with nothing are there, with 0.
    """
    this_month = _month_start(timezone.localdate(timezone.now(), zone))
    first = _month_start(this_month, -(months - 1))
    totals = (
        Entry.objects.published()
        .filter(
            author=user,
            minutes__gt=0,
            published_at__gte=_local_midnight(first, zone),
            published_at__lt=_local_midnight(_month_start(this_month, 1), zone),
        )
        .annotate(month=TruncMonth("published_at", tzinfo=zone))
        .order_by()
        .values("month")
        .annotate(total=Sum("minutes"))
        .values_list("month", "total")
    )
    by_month = {_local_date(month, zone): total for month, total in totals}
    return [
        (month, by_month.get(month, 0))
        for month in (_month_start(first, offset) for offset in range(months))
    ]


def minutes_chart(user: User, *, zone: tzinfo) -> BarChart:
    months = minutes_by_month(user, zone=zone)
    total = sum(minutes for _month, minutes in months)
    first, last = format_date(months[0][0], "F Y"), format_date(months[-1][0], "F Y")
    return bar_chart(
        [(format_date(month, "F Y"), minutes) for month, minutes in months],
        axis_labels=[format_date(month, "M") for month, _minutes in months],
        chart_id="minutes-chart",
        title=gettext("CPD minutes by month"),
        description=gettext(
            "Minutes recorded on published entries from %(first)s to %(last)s: "
            "%(total)s in all."
        )
        % {"first": first, "last": last, "total": format_number(total)},
        label_heading=gettext("Month"),
        value_heading=gettext("Minutes"),
        unit=gettext("minutes"),
        empty_message=gettext("No minutes recorded yet."),
        width=300,
    )


@dataclass(frozen=True)
class Streak:
    #: Consecutive weeks, each with at least one published entry.
    weeks: int
    #: Whether this week is one of them; if not, the streak runs to last week.
    includes_this_week: bool
    #: The Monday of the streak's first week.
    since: datetime.date | None


def weekly_streak(user: User, *, zone: tzinfo) -> Streak:
    """Consecutive weeks (Monday to Sunday, in my time zone) I have published in.

    The streak runs up to this week, or up to last week while nothing is
    published yet this week: a week still under way does not break it.
    """
    today = timezone.localdate(timezone.now(), zone)
    this_week = today - datetime.timedelta(days=today.weekday())
    earliest = this_week - datetime.timedelta(weeks=STREAK_WEEKS_LOOKED_AT)
    weeks = {
        _local_date(week, zone)
        for week in Entry.objects.published()
        .filter(author=user, published_at__gte=_local_midnight(earliest, zone))
        .annotate(week=TruncWeek("published_at", tzinfo=zone))
        .order_by()
        .values_list("week", flat=True)
        .distinct()
    }
    one_week = datetime.timedelta(weeks=1)
    includes_this_week = this_week in weeks
    week = this_week if includes_this_week else this_week - one_week
    count = 0
    while week in weeks:
        count += 1
        week -= one_week
    return Streak(
        weeks=count,
        includes_this_week=includes_this_week,
        since=week + one_week if count else None,
    )


#: Messages from facilitators shown on the dashboard, newest first.
MESSAGES_SHOWN = 5


def facilitator_messages(user: User) -> list[NudgeDelivery]:
    """My newest nudges, in one query whatever their number."""
    return list(
        NudgeDelivery.objects.filter(recipient=user).select_related(
            "nudge__cohort", "nudge__sender__profile"
        )[:MESSAGES_SHOWN]
    )
