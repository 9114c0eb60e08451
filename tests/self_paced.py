"""What the self-paced tests share: January 2025 in London, and a cohort that
starts on Monday the 6th, whose members each join on a day of their own."""

import datetime
import zoneinfo

import time_machine
from django.contrib.auth.models import User

from programmes import actions
from programmes.models import Cohort, Programme

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2025, 1, 6)


def at(day: int, hour: int = 10, month: int = 1) -> datetime.datetime:
    """A moment in 2025 (January unless said), London time."""
    return datetime.datetime(2025, month, day, hour, tzinfo=LONDON)


def self_paced_cohort(
    programme: Programme, facilitator: User, pace=Cohort.Pace.SELF_PACED, **fields
) -> Cohort:
    """Made on 1 January, starting Monday the 6th, one Thing a week from each
    person's own first day."""
    with time_machine.travel(at(1), tick=False):
        return actions.create_cohort(
            programme=programme,
            facilitator=facilitator,
            name="Own pace",
            slug="own-pace",
            time_zone="Europe/London",
            start_date=MONDAY,
            pace=pace,
            **fields,
        )
