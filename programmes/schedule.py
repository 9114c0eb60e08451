"""A cohort's schedule: dates by hand, release now, pause and resume, openings.

When a Thing opens is decided in one place, `Cohort.schedule()`; this module
changes its inputs (ThingRelease overrides, `paused_since`, `pause_days`) and
records each opening once.

The pause rule
--------------
- Pausing sets `paused_since` to the moment of the pause. While it is set, a
  Thing is open only if its opening moment (local midnight of its date) is at
  or before `paused_since`: what was open stays open, nothing new opens.
- Resuming adds to `pause_days` the number of local midnights (in the
  cohort's time zone) that passed during the pause, in (paused_since, resumed
  at]: a pause from Monday 10:00 to Thursday 09:00 lasted 3 days; from 10:00
  to 23:00 the same day, 0 days. A midnight at the very moment of pausing was
  before the pause (its Thing opened); one at the moment of resuming was still
  inside it. Counting midnights rather than 24-hour spans keeps dates whole
  across DST changes.
- Default dates are `start_date + (number - 1) weeks + pause_days`, so every
  default date moves later by the pause; dates set by hand (ThingRelease) stay.
  A Thing that was open before the pause stays open: its date moves by the
  midnights passed since the pause began, so it is still in the past.
- Openings (ThingOpening) are never recorded while a cohort is paused, nor for
  drafts; they are recorded once per cohort and Thing.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core import freshness
from programmes import hooks
from programmes.models import Cohort, Release, Thing, ThingOpening, ThingRelease

# Dates further from the start than this are typing mistakes, and years far
# out of range overflow when converted to UTC.
MAX_DISTANCE = datetime.timedelta(days=5 * 366)


class ScheduleError(Exception):
    """A schedule change that cannot be made now; the message says why."""


def local_today(cohort: Cohort) -> datetime.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(cohort.time_zone))


def midnights_between(
    start: datetime.datetime, end: datetime.datetime, time_zone: str
) -> int:
    """Local midnights in (start, end]: the whole days a pause lasted."""
    zone = zoneinfo.ZoneInfo(time_zone)
    days = (end.astimezone(zone).date() - start.astimezone(zone).date()).days
    return max(days, 0)


class ScheduleForm(forms.Form):
    """One optional date per published Thing; empty means the default date."""

    def __init__(self, *args, cohort: Cohort, releases: list[Release], **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.releases = releases
        for release in releases:
            default = release.default_opens_on
            self.fields[self.field_name(release.thing)] = forms.DateField(
                required=False,
                label=str(release.thing),
                initial=release.opens_on,
                help_text=f"Default {date_format(default, 'D j M Y')}",
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    @staticmethod
    def field_name(thing: Thing) -> str:
        return f"thing-{thing.pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        start = self.cohort.start_date
        for name, value in list(cleaned.items()):
            if value is not None and abs(value - start) > MAX_DISTANCE:
                self.add_error(
                    name, "Choose a date within five years of the cohort's start."
                )
        return cleaned

    def rows(self) -> list[tuple[Release, forms.BoundField]]:
        return [(r, self[self.field_name(r.thing)]) for r in self.releases]

    def dates(self) -> dict[Thing, datetime.date | None]:
        """The dates submitted, by Thing. A Thing the page did not show (one
        published since it was loaded) is left out, so it keeps its date."""
        return {
            release.thing: self.cleaned_data[self.field_name(release.thing)]
            for release in self.releases
            if self.add_prefix(self.field_name(release.thing)) in self.data
        }


def _lock(cohort: Cohort) -> Cohort:
    locked = Cohort.objects.select_for_update().select_related("programme")
    return locked.get(pk=cohort.pk)


def _set_date(cohort: Cohort, thing: Thing, opens_on: datetime.date | None) -> bool:
    """Store a date by hand, or none when it is empty or the default one.
    Returns whether anything changed."""
    if opens_on is None or opens_on == cohort.default_opening_date(thing):
        deleted, _ = ThingRelease.objects.filter(cohort=cohort, thing=thing).delete()
        return bool(deleted)
    release, created = ThingRelease.objects.get_or_create(
        cohort=cohort, thing=thing, defaults={"opens_on": opens_on}
    )
    if created or release.opens_on == opens_on:
        return created
    release.opens_on = opens_on
    release.save(update_fields=["opens_on"])
    return True


def _record_openings_of(cohort: Cohort) -> list[ThingOpening]:
    """Record the Things newly open and tell the members (not of old ones)."""
    if cohort.is_paused:
        return []
    recorded = set(cohort.openings.values_list("thing_id", flat=True))
    today = local_today(cohort)
    openings = []
    for release in cohort.schedule():
        if release.is_open and release.thing.pk not in recorded:
            # get_or_create: two workers racing still record it once.
            opening, created = ThingOpening.objects.get_or_create(
                cohort=cohort, thing=release.thing
            )
            if created:
                hooks.thing_opened(opening=opening, release=release, today=today)
                openings.append(opening)
    return openings


@transaction.atomic
def save_schedule(
    *, cohort: Cohort, dates: dict[Thing, datetime.date | None]
) -> list[Thing]:
    """Apply every date of the schedule form at once; returns the Things changed."""
    locked = _lock(cohort)
    changed = [thing for thing, day in dates.items() if _set_date(locked, thing, day)]
    if changed:
        freshness.cohort_changed(cohort)
    _record_openings_of(locked)
    return changed


@transaction.atomic
def release_now(*, cohort: Cohort, thing: Thing) -> bool:
    """Open a published Thing at once: its date becomes today, local time.

    Returns False when it was already open (its date is left alone).
    """
    locked = _lock(cohort)
    if locked.is_paused:
        raise ScheduleError("The cohort is paused: resume it to release a Thing.")
    if not thing.is_published or thing.programme_id != locked.programme_id:
        raise ScheduleError("Only a published Thing of the programme can open.")
    release = next(r for r in locked.schedule() if r.thing.pk == thing.pk)
    if not release.is_open:
        _set_date(locked, thing, local_today(locked))
        freshness.cohort_changed(cohort)
    _record_openings_of(locked)
    return not release.is_open


@transaction.atomic
def pause_cohort(*, cohort: Cohort) -> bool:
    """Hold back every Thing still to come. Returns False if already paused."""
    locked = _lock(cohort)
    if locked.is_paused:
        cohort.paused_since = locked.paused_since
        return False
    locked.paused_since = timezone.now()
    locked.save(update_fields=["paused_since"])
    freshness.cohort_changed(cohort)
    cohort.paused_since = locked.paused_since
    return True


@transaction.atomic
def resume_cohort(*, cohort: Cohort) -> int | None:
    """Resume; default dates move later by the days paused (returned), or
    None if the cohort was not paused."""
    locked = _lock(cohort)
    if not locked.is_paused:
        return None
    days = midnights_between(locked.paused_since, timezone.now(), locked.time_zone)
    locked.pause_days += days
    locked.paused_since = None
    locked.save(update_fields=["pause_days", "paused_since"])
    freshness.cohort_changed(cohort)
    cohort.pause_days, cohort.paused_since = locked.pause_days, None
    _record_openings_of(locked)
    return days


def record_openings(*, cohorts: Iterable[Cohort] | None = None) -> list[ThingOpening]:
    """Record each Thing that has opened to a cohort, once (for cron or a worker).

    Idempotent: a Thing already recorded for a cohort is skipped, even if its
    date was moved and it opened again.
    """
    if cohorts is None:
        cohorts = Cohort.objects.filter(paused_since__isnull=True)
    openings = []
    for cohort in cohorts:
        with transaction.atomic():
            openings += _record_openings_of(_lock(cohort))
    return openings
