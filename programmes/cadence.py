"""A cohort's cadence: on which days its Things open by default.

Things open one per chosen weekday, in order, from the start date: weekdays
Tuesday and Thursday give two a week. A catch-up week (counted from the start:
week 1 is the start date and the six days after it) opens nothing new. A
cohort with no weekdays chosen keeps the first schedule Ponder had: one Thing
a week on the start date's weekday, so cohorts made before cadences keep
their dates exactly.

Pure date maths, without models, so `Cohort.schedule()` computes it once
for all its Things and the forms can check catch-up weeks against it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def week_of(start: datetime.date, day: datetime.date) -> int:
    """The week, counted from 1 at the start date, that a day falls in."""
    return (day - start).days // 7 + 1


def opening_days(
    start: datetime.date,
    weekdays: Iterable[int],
    catch_up_weeks: Iterable[int],
    count: int,
) -> list[datetime.date]:
    """The first `count` opening days: Thing n opens on the n-th of them."""
    chosen = set(weekdays) or {start.weekday()}
    skipped = set(catch_up_weeks)
    days: list[datetime.date] = []
    day = start
    while len(days) < count:
        if day.weekday() in chosen and week_of(start, day) not in skipped:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def weeks_needed(
    start: datetime.date,
    weekdays: Iterable[int],
    catch_up_weeks: Iterable[int],
    count: int,
) -> int:
    """The week in which the last of `count` Things opens: a catch-up week
    after it is beyond the programme."""
    if count < 1:
        return 0
    last = opening_days(start, weekdays, catch_up_weeks, count)[-1]
    return week_of(start, last)
