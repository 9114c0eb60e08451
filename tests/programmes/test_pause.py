"""Pausing and resuming a cohort, release now and recorded openings, in time."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from programmes import actions, schedule
from programmes.models import Cohort, ThingOpening, ThingRelease
from tests.conftest import thing

UTC = datetime.UTC
ONE_SECOND = datetime.timedelta(seconds=1)
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2025, 1, 6)  # Things 1-4 open on 6, 13, 20, 27 January


def local(zone, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zone)


def open_numbers(cohort: Cohort) -> list[int]:
    cohort.refresh_from_db()
    return [t.number for t in cohort.open_things()]


def visible_numbers(cohort: Cohort, user) -> list[int]:
    cohort.refresh_from_db()
    return [r.thing.number for r in cohort.visible_things(user)]


def recorded(cohort: Cohort) -> list[int]:
    return sorted(cohort.openings.values_list("thing__number", flat=True))


@pytest.fixture
def la_cohort(make_cohort, make_user, join):
    cohort = make_cohort(slug="la", time_zone="America/Los_Angeles", start_date=MONDAY)
    return cohort


# Whole days of a pause


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        # Same local day: no midnight passed.
        (local(LA, 2025, 1, 15, 10), local(LA, 2025, 1, 15, 23, 59, 59), 0),
        # One second before local midnight to midnight: one day.
        (local(LA, 2025, 1, 15, 23, 59, 59), local(LA, 2025, 1, 16), 1),
        (local(AUCKLAND, 2025, 1, 15, 23, 59, 59), local(AUCKLAND, 2025, 1, 16), 1),
        # Paused at midnight: that midnight was before the pause.
        (local(AUCKLAND, 2025, 1, 16), local(AUCKLAND, 2025, 1, 16, 23), 0),
        (local(LA, 2025, 1, 15, 10), local(LA, 2025, 1, 25, 9), 10),
        # London springs forward on 30 March: 47 hours, but two midnights.
        (local(LONDON, 2025, 3, 29, 12), local(LONDON, 2025, 3, 31, 11), 2),
        # Falls back on 26 October: 49 hours, still two midnights.
        (local(LONDON, 2025, 10, 25, 0, 30), local(LONDON, 2025, 10, 27, 0, 15), 2),
    ],
)
def test_a_pause_lasts_the_local_midnights_it_spans(start, end, days):
    time_zone = str(start.tzinfo)

    assert schedule.midnights_between(start, end, time_zone) == days
    # The same moments seen in UTC give the same answer.
    assert schedule.midnights_between(start.astimezone(UTC), end, time_zone) == days


def test_the_days_are_counted_in_the_cohorts_zone():
    # 23:30 to 00:30 UTC crosses midnight in UTC but not in Los Angeles.
    start = datetime.datetime(2025, 1, 15, 23, 30, tzinfo=UTC)
    end = start + datetime.timedelta(hours=1)

    assert schedule.midnights_between(start, end, "America/Los_Angeles") == 0
    assert schedule.midnights_between(start, end, "UTC") == 1


# Pausing across a Thing's date


def test_a_pause_holds_back_what_is_to_come_and_resume_moves_default_dates(
    la_cohort, make_user, join
):
    participant = make_user("pat")
    join(participant, la_cohort)
    networks = thing(la_cohort.programme, 4)
    ThingRelease.objects.create(
        cohort=la_cohort, thing=networks, opens_on=datetime.date(2025, 1, 22)
    )

    with time_machine.travel(local(LA, 2025, 1, 15, 10), tick=False):
        assert visible_numbers(la_cohort, participant) == [1, 2]
        assert actions.pause_cohort(cohort=la_cohort)
        actions.record_openings()
        assert recorded(la_cohort) == []  # never while paused

    # Thing 3's date (20 January) and Thing 4's hand-set date pass: neither opens.
    with time_machine.travel(local(LA, 2025, 1, 23), tick=False):
        assert visible_numbers(la_cohort, participant) == [1, 2]
        releases = la_cohort.schedule()
        assert [r.is_held_back for r in releases] == [False, False, True, True]
        assert actions.record_openings() == []

    with time_machine.travel(local(LA, 2025, 1, 25, 9), tick=False):
        assert actions.resume_cohort(cohort=la_cohort) == 10
        la_cohort.refresh_from_db()
        assert la_cohort.paused_since is None
        assert la_cohort.pause_days == 10
        dates = {r.thing.number: r.opens_on for r in la_cohort.schedule()}
        # Default dates moved 10 days later; the hand-set date stayed.
        assert dates == {
            1: datetime.date(2025, 1, 16),
            2: datetime.date(2025, 1, 23),
            3: datetime.date(2025, 1, 30),
            4: datetime.date(2025, 1, 22),
        }
        # What was open stays open; the hand-set Thing, now past, opens.
        assert visible_numbers(la_cohort, participant) == [1, 2, 4]
        assert 4 in recorded(la_cohort)

    thing3_midnight = local(LA, 2025, 1, 30)
    with time_machine.travel(thing3_midnight - ONE_SECOND, tick=False):
        assert visible_numbers(la_cohort, participant) == [1, 2, 4]
    with time_machine.travel(thing3_midnight, tick=False):
        assert visible_numbers(la_cohort, participant) == [1, 2, 3, 4]
        actions.record_openings()
        assert recorded(la_cohort) == [1, 2, 3, 4]


def test_things_open_before_the_pause_stay_open(la_cohort, make_user, join):
    participant = make_user("pat")
    join(participant, la_cohort)
    # Paused at the very moment Thing 2 opens: it opened.
    with time_machine.travel(local(LA, 2025, 1, 13), tick=False):
        actions.pause_cohort(cohort=la_cohort)
    with time_machine.travel(local(LA, 2025, 3, 1), tick=False):
        assert visible_numbers(la_cohort, participant) == [1, 2]
        actions.resume_cohort(cohort=la_cohort)
        assert visible_numbers(la_cohort, participant) == [1, 2]


def test_facilitators_still_see_things_held_back(la_cohort):
    facilitator = la_cohort.memberships.get().user
    with time_machine.travel(local(LA, 2025, 1, 8), tick=False):
        actions.pause_cohort(cohort=la_cohort)
    with time_machine.travel(local(LA, 2025, 2, 1), tick=False):
        assert visible_numbers(la_cohort, facilitator) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("zone", "time_zone"),
    [(AUCKLAND, "Pacific/Auckland"), (LA, "America/Los_Angeles")],
    ids=["auckland", "los-angeles"],
)
def test_a_shifted_date_opens_at_local_midnight(
    make_cohort, make_user, join, zone, time_zone
):
    cohort = make_cohort(slug="tz", time_zone=time_zone, start_date=MONDAY)
    participant = make_user("pat")
    join(participant, cohort)
    with time_machine.travel(local(zone, 2025, 1, 10, 12), tick=False):
        actions.pause_cohort(cohort=cohort)
    with time_machine.travel(local(zone, 2025, 1, 13, 12), tick=False):
        assert actions.resume_cohort(cohort=cohort) == 3
    midnight = local(zone, 2025, 1, 16)  # Thing 2: 13 January + 3 days

    with time_machine.travel(midnight - ONE_SECOND, tick=False):
        assert visible_numbers(cohort, participant) == [1]
        assert actions.record_openings(cohorts=[cohort]) == []
    with time_machine.travel(midnight, tick=False):
        assert visible_numbers(cohort, participant) == [1, 2]
        opened = actions.record_openings(cohorts=[cohort])
        assert [o.thing.number for o in opened] == [2]


def test_a_pause_across_the_dst_change_moves_dates_by_whole_days(
    make_cohort, make_user, join
):
    # Thing 2 would open on 31 March, the first day of BST.
    cohort = make_cohort(
        slug="ldn", time_zone="Europe/London", start_date=datetime.date(2025, 3, 24)
    )
    participant = make_user("pat")
    join(participant, cohort)
    with time_machine.travel(local(LONDON, 2025, 3, 29, 12), tick=False):
        actions.pause_cohort(cohort=cohort)
    with time_machine.travel(local(LONDON, 2025, 3, 31, 11), tick=False):
        assert visible_numbers(cohort, participant) == [1]  # held back
        assert actions.resume_cohort(cohort=cohort) == 2
    midnight = local(LONDON, 2025, 4, 2)  # 23:00 UTC on 1 April, BST
    assert midnight.astimezone(UTC).hour == 23

    with time_machine.travel(midnight - ONE_SECOND, tick=False):
        assert visible_numbers(cohort, participant) == [1]
    with time_machine.travel(midnight, tick=False):
        assert visible_numbers(cohort, participant) == [1, 2]


def test_pausing_twice_or_resuming_a_running_cohort_changes_nothing(la_cohort):
    with time_machine.travel(local(LA, 2025, 1, 8), tick=False):
        assert actions.resume_cohort(cohort=la_cohort) is None
        assert actions.pause_cohort(cohort=la_cohort)
    with time_machine.travel(local(LA, 2025, 1, 9), tick=False):
        assert not actions.pause_cohort(cohort=la_cohort)
    la_cohort.refresh_from_db()
    assert la_cohort.paused_since == local(LA, 2025, 1, 8)
    assert la_cohort.pause_days == 0


def test_pauses_add_up(la_cohort):
    for pause, resume in [((1, 8), (1, 10)), ((2, 1, 12), (2, 8, 1))]:
        with time_machine.travel(local(LA, 2025, *pause), tick=False):
            actions.pause_cohort(cohort=la_cohort)
        with time_machine.travel(local(LA, 2025, *resume), tick=False):
            actions.resume_cohort(cohort=la_cohort)
    la_cohort.refresh_from_db()
    assert la_cohort.pause_days == 2 + 7


# Release now


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        # 23:59:59 on the 14th in Auckland is still the 14th there (the 14th
        # 10:59:59 UTC); at midnight it is the 15th (still the 14th in UTC).
        (local(AUCKLAND, 2025, 1, 14, 23, 59, 59), datetime.date(2025, 1, 14)),
        (local(AUCKLAND, 2025, 1, 15), datetime.date(2025, 1, 15)),
        # In Los Angeles 23:59:59 on the 14th is already the 15th in UTC.
        (local(LA, 2025, 1, 14, 23, 59, 59), datetime.date(2025, 1, 14)),
        (local(LA, 2025, 1, 15), datetime.date(2025, 1, 15)),
    ],
    ids=["auckland-before", "auckland-at", "la-before", "la-at"],
)
def test_release_now_opens_today_in_the_cohorts_zone(
    make_cohort, make_user, join, moment, today
):
    cohort = make_cohort(slug="tz", time_zone=str(moment.tzinfo), start_date=MONDAY)
    participant = make_user("pat")
    join(participant, cohort)
    feeds = thing(cohort.programme, 3)

    with time_machine.travel(moment, tick=False):
        assert visible_numbers(cohort, participant) == [1, 2]
        assert actions.release_now(cohort=cohort, thing=feeds)
        assert visible_numbers(cohort, participant) == [1, 2, 3]
        assert ThingRelease.objects.get(cohort=cohort, thing=feeds).opens_on == today
        # Recorded at once, with the earlier openings cron had not seen yet.
        assert recorded(cohort) == [1, 2, 3]


def test_release_now_of_an_open_thing_keeps_its_date(la_cohort):
    with time_machine.travel(local(LA, 2025, 1, 15), tick=False):
        assert not actions.release_now(
            cohort=la_cohort, thing=thing(la_cohort.programme, 2)
        )
        assert not ThingRelease.objects.exists()
        assert recorded(la_cohort) == [1, 2]


def test_release_now_on_the_default_date_leaves_no_override(la_cohort):
    # 13 January is Thing 2's default date; it is open since midnight already,
    # so releasing Thing 3 on 20 January, its default, stores nothing either.
    with time_machine.travel(local(LA, 2025, 1, 20, 0, 0, 1), tick=False):
        actions.release_now(cohort=la_cohort, thing=thing(la_cohort.programme, 3))
    assert not ThingRelease.objects.exists()


def test_release_now_is_refused_while_paused(la_cohort):
    with time_machine.travel(local(LA, 2025, 1, 15), tick=False):
        actions.pause_cohort(cohort=la_cohort)
        with pytest.raises(actions.ScheduleError):
            actions.release_now(cohort=la_cohort, thing=thing(la_cohort.programme, 3))
        assert not ThingRelease.objects.exists()
        assert not ThingOpening.objects.exists()


def test_release_now_refuses_a_draft(la_cohort):
    with pytest.raises(actions.ScheduleError):
        actions.release_now(cohort=la_cohort, thing=thing(la_cohort.programme, 5))
    assert not ThingRelease.objects.exists()


# record_openings


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("record_openings", *args, stdout=out)
    return out.getvalue()


def test_record_openings_records_each_opening_once(make_cohort):
    la = make_cohort(slug="la", time_zone="America/Los_Angeles", start_date=MONDAY)
    akl = make_cohort(slug="akl", time_zone="Pacific/Auckland", start_date=MONDAY)
    # Midnight of the 13th in Auckland; still the 12th in Los Angeles.
    with time_machine.travel(local(AUCKLAND, 2025, 1, 13), tick=False):
        output = run_command()
        assert "akl: Thing 1: Getting started opened" in output
        assert "akl: Thing 2: Blogging opened" in output
        assert "la: Thing 1: Getting started opened" in output
        assert "Recorded 3 opening(s)." in output
        assert run_command() == "Recorded 0 opening(s).\n"
    assert recorded(akl) == [1, 2]
    assert recorded(la) == [1]
    with time_machine.travel(local(LA, 2025, 1, 13), tick=False):
        assert "Recorded 1 opening(s)." in run_command()
        assert "Recorded 0 opening(s)." in run_command()
    assert recorded(la) == [1, 2]
    assert ThingOpening.objects.count() == 4


def test_record_openings_skips_drafts_and_paused_cohorts(la_cohort, make_cohort):
    ThingRelease.objects.create(
        cohort=la_cohort,
        thing=thing(la_cohort.programme, 5),  # a draft
        opens_on=MONDAY,
    )
    paused = make_cohort(slug="paused", time_zone="UTC", start_date=MONDAY)
    with time_machine.travel(local(LA, 2025, 1, 7), tick=False):
        actions.pause_cohort(cohort=paused)
        run_command()
    assert recorded(la_cohort) == [1]
    assert recorded(paused) == []


def test_record_openings_of_one_cohort(la_cohort, make_cohort):
    make_cohort(slug="other", time_zone="UTC", start_date=MONDAY)
    with time_machine.travel(local(LA, 2025, 1, 7), tick=False):
        assert "Recorded 1 opening(s)." in run_command("--cohort", "la")
    assert ThingOpening.objects.get().cohort == la_cohort


def test_an_opening_is_not_recorded_again_after_its_date_moves(la_cohort):
    feeds = thing(la_cohort.programme, 3)
    with time_machine.travel(local(LA, 2025, 1, 21), tick=False):
        actions.record_openings()
        ThingRelease.objects.create(
            cohort=la_cohort, thing=feeds, opens_on=datetime.date(2025, 1, 22)
        )
    with time_machine.travel(local(LA, 2025, 1, 22), tick=False):
        assert actions.record_openings() == []
    assert la_cohort.openings.filter(thing=feeds).count() == 1


def test_nothing_is_recorded_while_paused_even_what_opened_before(la_cohort):
    """Thing 2 opened at midnight; the pause came before cron saw it."""
    with time_machine.travel(local(LA, 2025, 1, 13, 0, 5), tick=False):
        actions.pause_cohort(cohort=la_cohort)
        assert actions.record_openings(cohorts=[la_cohort]) == []
        assert "Recorded 0 opening(s)." in run_command()
    assert recorded(la_cohort) == []
    with time_machine.travel(local(LA, 2025, 1, 14), tick=False):
        actions.resume_cohort(cohort=la_cohort)
    assert recorded(la_cohort) == [1, 2]
