"""A cohort's cadence: Things on chosen weekdays, catch-up weeks, and moving
every later date by a week (programmes/cadence.py)."""

import datetime
import zoneinfo
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from notifications.actions import mark_read
from notifications.models import Notification
from programmes import actions
from programmes.models import Cohort, Thing, ThingRelease
from tests.conftest import thing
from tests.facilitation.test_progress_queries import PAGE_QUERIES, _bulk_cohort

LONDON = zoneinfo.ZoneInfo("Europe/London")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")
TUESDAY, THURSDAY = 1, 3


def cadence_cohort(programme, facilitator_user, **fields) -> Cohort:
    return actions.create_cohort(
        programme=programme,
        facilitator=facilitator_user,
        name="Cadence cohort",
        slug="cadence",
        **{"time_zone": "Europe/London", **fields},
    )


def dates_of(cohort: Cohort) -> list[datetime.date]:
    return [release.opens_on for release in cohort.schedule(include_drafts=True)]


# The dates


def test_two_a_week_skip_a_catch_up_week(programme, facilitator_user):
    cohort = cadence_cohort(
        programme,
        facilitator_user,
        start_date=datetime.date(2026, 3, 3),  # a Tuesday
        weekdays=[TUESDAY, THURSDAY],
        catch_up_weeks=[2],
    )

    assert dates_of(cohort) == [
        datetime.date(2026, 3, 3),
        datetime.date(2026, 3, 5),
        # Week 2 (10 to 16 March) opens nothing.
        datetime.date(2026, 3, 17),
        datetime.date(2026, 3, 19),
        datetime.date(2026, 3, 24),
    ]


def test_a_start_off_the_cadence_opens_on_the_next_chosen_day(
    programme, facilitator_user
):
    cohort = cadence_cohort(
        programme,
        facilitator_user,
        start_date=datetime.date(2026, 3, 4),  # a Wednesday
        weekdays=[TUESDAY, THURSDAY],
        catch_up_weeks=[2],  # 11 to 17 March
    )

    assert dates_of(cohort)[:3] == [
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 19),
    ]


def test_a_cohort_without_a_cadence_keeps_one_a_week_from_its_start(
    programme, facilitator_user
):
    """Cohorts made before cadences (the migration leaves them empty) keep
    their dates exactly."""
    start = datetime.date(2026, 3, 4)
    cohort = cadence_cohort(programme, facilitator_user, start_date=start)

    assert cohort.weekdays == [] and cohort.catch_up_weeks == []
    assert dates_of(cohort) == [start + datetime.timedelta(weeks=n) for n in range(5)]


def test_things_open_at_local_midnight_across_the_london_clock_change(
    programme, facilitator_user
):
    # The clocks go forward on Sunday 29 March 2026.
    cohort = cadence_cohort(
        programme,
        facilitator_user,
        start_date=datetime.date(2026, 3, 24),
        weekdays=[TUESDAY, THURSDAY],
    )
    opens = [r.opens_at for r in cohort.schedule()]

    assert [at.astimezone(datetime.UTC).isoformat() for at in opens] == [
        "2026-03-24T00:00:00+00:00",
        "2026-03-26T00:00:00+00:00",
        "2026-03-30T23:00:00+00:00",  # Tuesday 31 March, midnight BST
        "2026-04-01T23:00:00+00:00",
    ]
    with time_machine.travel(datetime.datetime(2026, 3, 30, 22, 59), tick=False):
        assert [r.is_open for r in cohort.schedule()] == [True, True, False, False]
    with time_machine.travel(datetime.datetime(2026, 3, 30, 23, 0), tick=False):
        assert [r.is_open for r in cohort.schedule()] == [True, True, True, False]


def test_things_open_at_local_midnight_in_auckland(programme, facilitator_user):
    # New Zealand's summer time ends on Sunday 5 April 2026 (13 to 12 hours).
    cohort = cadence_cohort(
        programme,
        facilitator_user,
        time_zone="Pacific/Auckland",
        start_date=datetime.date(2026, 3, 31),
        weekdays=[THURSDAY, TUESDAY],
    )
    opens = [r.opens_at for r in cohort.schedule()]

    assert [at.astimezone(datetime.UTC).isoformat() for at in opens] == [
        "2026-03-30T11:00:00+00:00",
        "2026-04-01T11:00:00+00:00",
        "2026-04-06T12:00:00+00:00",
        "2026-04-08T12:00:00+00:00",
    ]
    with time_machine.travel(datetime.datetime(2026, 4, 6, 11, 59), tick=False):
        assert sum(r.is_open for r in cohort.schedule()) == 2
    with time_machine.travel(datetime.datetime(2026, 4, 6, 12, 0), tick=False):
        assert sum(r.is_open for r in cohort.schedule()) == 3


@time_machine.travel(datetime.datetime(2026, 3, 1), tick=False)
def test_a_date_set_by_hand_wins_over_the_cadence(programme, facilitator_user):
    cohort = cadence_cohort(
        programme,
        facilitator_user,
        start_date=datetime.date(2026, 3, 3),
        weekdays=[TUESDAY, THURSDAY],
    )
    ThingRelease.objects.create(
        cohort=cohort, thing=thing(programme, 2), opens_on=datetime.date(2026, 3, 9)
    )
    actions.set_cadence(cohort=cohort, weekdays=[THURSDAY], catch_up_weeks=[])

    assert dates_of(cohort)[:3] == [
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 19),
    ]


# Moving later dates


def test_moving_later_dates_leaves_open_things_alone(cohort):
    """The fixture's cohort has Things 1 to 3 open and Thing 4 to come."""
    ThingRelease.objects.create(
        cohort=cohort,
        thing=thing(cohort.programme, 4),
        opens_on=cohort.start_date + datetime.timedelta(days=20),
    )
    before = {r.thing.number: r for r in cohort.schedule(include_drafts=True)}

    moved = actions.move_later_dates(cohort=cohort, seen_pause_days=0)

    after = {r.thing.number: r for r in cohort.schedule(include_drafts=True)}
    assert moved == 2  # Thing 4 and the draft Thing 5
    for number in (1, 2, 3):
        assert after[number].opens_on == before[number].opens_on
        assert after[number].is_open
    for number in (4, 5):
        assert after[number].opens_on == before[number].opens_on + datetime.timedelta(
            weeks=1
        )
        assert not after[number].is_open


def test_moving_later_dates_asks_first_and_moves_once(client_for, cohort, facilitator):
    url = reverse("studio:move_later_dates", args=[cohort.slug])
    client = client_for(facilitator)
    before = thing_4_date(cohort)

    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert "Networks" in page.content.decode()
    assert thing_4_date(cohort) == before

    data = {"confirmed": "1", "pause_days": "0"}
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert client.post(url, data).status_code == HTTPStatus.FOUND  # resent
    assert thing_4_date(cohort) == before + datetime.timedelta(weeks=1)


def thing_4_date(cohort: Cohort) -> datetime.date:
    cohort = Cohort.objects.get(pk=cohort.pk)
    return next(r.opens_on for r in cohort.schedule() if r.thing.number == 4)


def test_moving_later_dates_is_for_the_cohorts_facilitators(client_as, cohort):
    url = reverse("studio:move_later_dates", args=[cohort.slug])
    for persona in ("author", "other_facilitator"):
        response = client_as(persona).post(url, {"confirmed": "1"})
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert Cohort.objects.get(pk=cohort.pk).pause_days == 0


# The forms


def test_the_schedule_page_changes_the_cadence(client_for, cohort, facilitator):
    url = reverse("studio:set_cadence", args=[cohort.slug])

    response = client_for(facilitator).post(
        url, {"weekdays": [str(TUESDAY), str(THURSDAY)], "catch_up_weeks": "3"}
    )

    assert response.status_code == HTTPStatus.FOUND
    cohort.refresh_from_db()
    assert cohort.weekdays == [TUESDAY, THURSDAY]
    assert cohort.catch_up_weeks == [3]


def test_the_cadence_form_shows_the_current_cadence(client_for, cohort, facilitator):
    actions.set_cadence(cohort=cohort, weekdays=[TUESDAY], catch_up_weeks=[2, 4])
    page = client_for(facilitator).get(reverse("studio:schedule", args=[cohort.slug]))

    html = page.content.decode()
    assert 'value="2, 4"' in html
    assert 'value="1" id="id_weekdays_1" checked' in html


BAD_CADENCES = [
    ({"weekdays": []}, "weekdays", "Tick at least one day."),
    ({"catch_up_weeks": "0"}, "catch_up_weeks", "Weeks count from 1"),
    ({"catch_up_weeks": "-2"}, "catch_up_weeks", "Weeks count from 1"),
    ({"catch_up_weeks": "3, x"}, "catch_up_weeks", "Give week numbers"),
    ({"catch_up_weeks": "9"}, "catch_up_weeks", "after the last Thing opens"),
    ({"catch_up_weeks": "99999999"}, "catch_up_weeks", "within five years"),
]


@pytest.mark.parametrize(("change", "field", "error"), BAD_CADENCES)
def test_the_cadence_form_refuses_bad_input(
    client_for, cohort, facilitator, change, field, error
):
    data = {"weekdays": [str(TUESDAY)], "catch_up_weeks": "2", **change}

    response = client_for(facilitator).post(
        reverse("studio:set_cadence", args=[cohort.slug]), data
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert error in str(response.context["cadence_form"].errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html
    if change.get("catch_up_weeks"):
        assert f'value="{change["catch_up_weeks"]}"' in html
    cohort.refresh_from_db()
    assert cohort.weekdays == []


@pytest.mark.parametrize(("change", "field", "error"), BAD_CADENCES)
def test_the_new_cohort_form_refuses_bad_cadences(
    client_for, owner, programme, change, field, error
):
    data = {
        "name": "Next year",
        "slug": "next-year",
        "time_zone": "Europe/London",
        "start_date": "2027-01-12",
        "weekdays": [str(TUESDAY), str(THURSDAY)],
        **change,
    }
    url = reverse("studio:new_cohort", args=[programme.slug])

    response = client_for(owner).post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert error in str(response.context["form"].errors[field])
    assert 'value="Next year"' in response.content.decode()
    assert not Cohort.objects.filter(slug="next-year").exists()


def test_a_new_cohort_gets_its_cadence(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:new_cohort", args=[programme.slug]),
        {
            "name": "Next year",
            "slug": "next-year",
            "time_zone": "Europe/London",
            "start_date": "2027-01-12",
            "weekdays": [str(THURSDAY), str(TUESDAY)],
            "catch_up_weeks": "2",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    cohort = Cohort.objects.get(slug="next-year")
    assert dates_of(cohort)[:3] == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 1, 14),
        datetime.date(2027, 1, 26),
    ]


# Query counts: a cadence costs no query


def set_a_cadence_that_opens_nothing_new(cohort: Cohort) -> None:
    """A catch-up week 3 in the fixture's cohort: Thing 3 stays open (pinned)
    and Thing 4 moves a week later. Saving records the openings the fixture
    never recorded; they are read, so the bell costs what it did before."""
    actions.set_cadence(
        cohort=cohort, weekdays=[cohort.start_date.weekday()], catch_up_weeks=[3]
    )
    assert ThingRelease.objects.filter(cohort=cohort).count() == 1
    for user in User.objects.all():
        mark_read(reader=user, notifications=Notification.objects.all())


@pytest.mark.parametrize("extra_things", [0, 20])
def test_the_schedule_page_runs_the_same_queries_with_a_cadence(
    client_for, cohort, facilitator, extra_things, django_assert_num_queries
):
    for number in range(extra_things):
        actions.add_thing(
            programme=cohort.programme,
            title=f"Extra {number}",
            slug=f"extra-{number}",
            status=Thing.Status.PUBLISHED,
        )
    set_a_cadence_that_opens_nothing_new(cohort)
    client = client_for(facilitator)

    # As without a cadence (test_schedule_page): session, user, cohort, role,
    # Things, overrides and the bell.
    with django_assert_num_queries(7):
        response = client.get(reverse("studio:schedule", args=[cohort.slug]))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("size", [5, 500])
def test_the_progress_grid_runs_the_same_queries_with_a_cadence(
    client_for, facilitator, cohort, programme, django_assert_num_queries, size
):
    _bulk_cohort(cohort, programme, facilitator, size)
    set_a_cadence_that_opens_nothing_new(cohort)
    client = client_for(facilitator)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(
            reverse("facilitation:progress", kwargs={"cohort": cohort.slug})
        )
    assert response.status_code == HTTPStatus.OK


def test_a_new_cadence_leaves_open_things_open(cohort):
    """The fixture's cohort has Things 1 to 3 open, one a week from 15 days
    ago; a catch-up first week would move them all a week later."""
    before = {r.thing.number: r for r in cohort.schedule(include_drafts=True)}

    actions.set_cadence(
        cohort=cohort, weekdays=[cohort.start_date.weekday()], catch_up_weeks=[1]
    )

    after = {r.thing.number: r for r in cohort.schedule(include_drafts=True)}
    for number in (1, 2, 3):
        assert after[number].opens_on == before[number].opens_on
        assert after[number].is_open
    assert after[4].opens_on == before[4].opens_on + datetime.timedelta(weeks=1)
