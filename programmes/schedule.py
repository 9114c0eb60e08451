"""A cohort's schedule: its date maths and the form that sets dates by hand.

When a Thing opens is decided in one place, `Cohort.schedule()`; the actions
in programmes/actions.py change its inputs (ThingRelease overrides,
`paused_since`, `pause_days`) and record each opening once.

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

Self-paced cohorts
------------------
A cohort's `pace` is "together" (everyone on the cohort's dates, as above) or
self-paced: each participant's Things are dated from their own first day,
the local date (in the cohort's time zone) they joined, or the start date if
they joined before it. "Self-paced" follows the cadence from that day (its
weekdays; catch-up weeks counted from it); "all at once" opens every Thing
on it. The same `Cohort.schedule(member=...)` computes both, so every page
and message asks it.

- Pauses hold everyone back as above; resuming moves a member's dates by the
  pause days since they joined (`Membership.pause_days_at_join`), so a pause
  before someone joined never delays them.
- A date set by hand means "not before this date": a facilitator holds a
  Thing back for everyone without pulling anybody's date earlier. "Release
  now" and "move every later date" do not apply (there is no one date).
- Without a member (facilitators, the studio, a visitor's feed) the schedule
  is that of someone who joined on the start date.
- A Thing is recorded as opened (ThingOpening) when it first opens to anyone;
  each participant is told when it opens to them, once, except of Things open
  on the day they joined (the welcome e-mail lists those). Facilitators, who
  see every Thing ahead, are not told.
- Changing the pace or the cadence of a self-paced cohort re-dates everyone
  at once; what opened to someone is not pinned open as in a cohort that goes
  together.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from programmes.models import Cohort, Membership, Release, Thing

# Dates further from the start than this are typing mistakes, and years far
# out of range overflow when converted to UTC.
MAX_DISTANCE = datetime.timedelta(days=5 * 366)


def local_today(cohort: Cohort) -> datetime.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(cohort.time_zone))


def midnights_between(
    start: datetime.datetime, end: datetime.datetime, time_zone: str
) -> int:
    """Local midnights in (start, end]: the whole days a pause lasted."""
    zone = zoneinfo.ZoneInfo(time_zone)
    days = (end.astimezone(zone).date() - start.astimezone(zone).date()).days
    return max(days, 0)


def pause_days_so_far(cohort: Cohort) -> int:
    """The cohort's pause days now, a pause under way counted to today: what a
    member joining now records (`Membership.pause_days_at_join`)."""
    if not cohort.is_paused:
        return cohort.pause_days
    return cohort.pause_days + midnights_between(
        cohort.paused_since, timezone.now(), cohort.time_zone
    )


def joining_today(cohort: Cohort) -> list[Release]:
    """A self-paced cohort's schedule for someone joining now, which its
    schedule page shows as an example (the same rule, not a copy of it)."""
    newcomer = Membership(
        cohort=cohort,
        joined=timezone.now(),
        pause_days_at_join=pause_days_so_far(cohort),
    )
    return cohort.schedule(member=newcomer)


class ScheduleForm(forms.Form):
    """One optional date per published Thing; empty means the default date."""

    def __init__(self, *args, cohort: Cohort, releases: list[Release], **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.releases = releases
        for release in releases:
            if cohort.is_self_paced:
                initial = release.date_set_by_hand
                help_text = gettext("Not before this date; empty: each person's own")
            else:
                initial = release.opens_on
                default = date_format(release.default_opens_on, gettext("D j M Y"))
                help_text = gettext("Default %(date)s") % {"date": default}
            self.fields[self.field_name(release.thing)] = forms.DateField(
                required=False,
                label=str(release.thing),
                initial=initial,
                help_text=help_text,
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
                    name,
                    gettext("Choose a date within five years of the cohort's start."),
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
