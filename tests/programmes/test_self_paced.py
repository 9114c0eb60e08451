"""Self-paced cohorts: each participant's Things dated from the day they joined
(programmes/schedule.py, "Self-paced cohorts")."""

import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse

from programmes import actions
from programmes.models import Cohort, Membership, ThingRelease
from tests.conftest import thing
from tests.self_paced import LONDON, at, self_paced_cohort

TUESDAY, THURSDAY = 1, 3


def dates(cohort: Cohort, member: Membership) -> list[datetime.date]:
    cohort.refresh_from_db()
    return [release.opens_on for release in cohort.schedule(member=member)]


def open_numbers(cohort: Cohort, member: Membership | None = None) -> list[int]:
    cohort.refresh_from_db()
    return [t.number for t in cohort.open_things(member=member)]


@pytest.fixture
def self_paced(programme, make_user):
    """Starts Monday 6 January 2025, one Thing a week from each person's day."""

    def make(pace=Cohort.Pace.SELF_PACED, **fields) -> Cohort:
        return self_paced_cohort(programme, make_user("lead"), pace, **fields)

    return make


@pytest.fixture
def join_on(make_user, join):
    def make(cohort: Cohort, name: str, moment: datetime.datetime) -> Membership:
        with time_machine.travel(moment, tick=False):
            return join(make_user(name), cohort)

    return make


def test_a_new_cohort_goes_together_as_before(cohort):
    assert cohort.pace == Cohort.Pace.TOGETHER
    assert not cohort.is_self_paced


def test_each_member_is_dated_from_the_local_day_they_joined(self_paced, join_on):
    cohort = self_paced()
    ada = join_on(cohort, "ada", at(6))
    # 23:30 UTC on Wednesday is already Thursday in... London is UTC in January,
    # so Ben joins on Thursday at 00:30 local time.
    ben = join_on(cohort, "ben", datetime.datetime(2025, 1, 9, 0, 30, tzinfo=LONDON))

    assert dates(cohort, ada) == [at(d).date() for d in (6, 13, 20, 27)]
    assert dates(cohort, ben) == [at(d).date() for d in (9, 16, 23, 30)]
    with time_machine.travel(at(14), tick=False):
        assert open_numbers(cohort, ada) == [1, 2]
        assert open_numbers(cohort, ben) == [1]


def test_a_join_before_the_start_is_dated_from_the_start(self_paced, join_on):
    cohort = self_paced()
    early = join_on(cohort, "early", at(2))

    assert dates(cohort, early)[:2] == [at(6).date(), at(13).date()]


def test_the_join_date_is_local_to_the_cohorts_time_zone(self_paced, join_on):
    cohort = self_paced()
    cohort.time_zone = "Pacific/Auckland"
    cohort.save(update_fields=["time_zone"])
    # 20:00 in London on Wednesday 8th is Thursday 9th in Auckland.
    kim = join_on(cohort, "kim", at(8, hour=20))

    assert dates(cohort, kim)[0] == datetime.date(2025, 1, 9)


def test_the_cadence_and_catch_up_weeks_count_from_each_persons_day(
    self_paced, join_on
):
    cohort = self_paced(weekdays=[TUESDAY, THURSDAY], catch_up_weeks=[2])
    ben = join_on(cohort, "ben", at(9))  # a Thursday

    # Week 1 is 9-15 January, week 2 (catch-up) 16-22, for Ben.
    assert dates(cohort, ben) == [at(d).date() for d in (9, 14, 23, 28)]


def test_all_at_once_opens_every_thing_on_joining(self_paced, join_on):
    cohort = self_paced(pace=Cohort.Pace.ALL_AT_ONCE)
    ben = join_on(cohort, "ben", at(9))

    assert set(dates(cohort, ben)) == {at(9).date()}
    with time_machine.travel(at(8), tick=False):
        assert open_numbers(cohort, ben) == []
    with time_machine.travel(at(9, hour=0), tick=False):
        assert open_numbers(cohort, ben) == [1, 2, 3, 4]


def test_a_pause_holds_everyone_back_and_moves_only_later_joiners_by_their_part(
    self_paced, join_on
):
    cohort = self_paced()
    ada = join_on(cohort, "ada", at(6))
    with time_machine.travel(at(10, hour=12), tick=False):
        actions.pause_cohort(cohort=cohort)
    eve = join_on(cohort, "eve", at(11))  # during the pause
    with time_machine.travel(at(12), tick=False):
        assert open_numbers(cohort, ada) == [1]
        assert open_numbers(cohort, eve) == []  # her Thing 1 is held back
    with time_machine.travel(at(13, hour=12), tick=False):
        assert actions.resume_cohort(cohort=cohort) == 3
    dan = join_on(cohort, "dan", at(14))  # after it

    assert dates(cohort, ada)[:2] == [at(9).date(), at(16).date()]
    assert dates(cohort, eve)[:2] == [at(13).date(), at(20).date()]
    assert dates(cohort, dan)[:2] == [at(14).date(), at(21).date()]
    with time_machine.travel(at(14, hour=12), tick=False):
        assert open_numbers(cohort, ada) == [1]  # still open through the pause
        assert open_numbers(cohort, eve) == [1]


def test_a_date_set_by_hand_means_not_before(self_paced, join_on):
    cohort = self_paced()
    ada = join_on(cohort, "ada", at(6))
    ben = join_on(cohort, "ben", at(9))
    with time_machine.travel(at(7), tick=False):
        changed = actions.save_schedule(
            cohort=cohort,
            dates={thing(cohort.programme, 2): at(18).date()},
        )

    assert changed
    assert dates(cohort, ada)[1] == at(18).date()  # held back from the 13th
    assert dates(cohort, ben)[1] == at(18).date()  # from the 16th
    # An early date pulls nobody's date earlier, and is kept though it is the
    # start-date schedule's own.
    with time_machine.travel(at(7), tick=False):
        actions.save_schedule(
            cohort=cohort, dates={thing(cohort.programme, 3): at(20).date()}
        )
    assert ThingRelease.objects.filter(cohort=cohort).count() == 2
    assert dates(cohort, ben)[2] == at(23).date()


def test_release_now_and_moving_later_dates_do_not_apply(self_paced):
    cohort = self_paced()

    with pytest.raises(actions.ScheduleError):
        actions.release_now(cohort=cohort, thing=thing(cohort.programme, 4))
    with pytest.raises(actions.ScheduleError):
        actions.move_later_dates(cohort=cohort)


def test_a_participant_sees_the_things_open_to_them_and_the_next_day_more(
    self_paced, join_on
):
    cohort = self_paced()
    ada = join_on(cohort, "ada", at(6))
    ben = join_on(cohort, "ben", at(9))

    def visible(member: Membership) -> list[int]:
        return [r.thing.number for r in cohort.visible_things(member.user)]

    with time_machine.travel(at(15, hour=23), tick=False):
        cohort.refresh_from_db()
        assert visible(ada) == [1, 2]
        assert visible(ben) == [1]
        assert cohort.visible_thing(ben.user, "blogging") is None
    # Nothing changed but the date: the cached lists are keyed by it.
    with time_machine.travel(at(16, hour=0, month=1) + datetime.timedelta(minutes=1)):
        cohort.refresh_from_db()
        assert visible(ben) == [1, 2]
        assert cohort.visible_thing(ben.user, "blogging") is not None


def test_facilitators_see_every_published_thing(self_paced, join_on):
    cohort = self_paced()
    lead = cohort.memberships.get().user
    with time_machine.travel(at(6), tick=False):
        assert [r.thing.number for r in cohort.visible_things(lead)] == [1, 2, 3, 4]


def test_a_facilitators_own_schedule_is_the_cohorts(self_paced, join_on):
    cohort = self_paced()
    cohort.memberships.update(joined=at(9))  # a facilitator made later
    lead = cohort.memberships.get()

    assert dates(cohort, lead) == [at(d).date() for d in (6, 13, 20, 27)]


def test_schedules_of_many_members_takes_two_queries(
    self_paced, join_on, django_assert_num_queries
):
    cohort = self_paced()
    members = [join_on(cohort, f"p{day}", at(day)) for day in range(6, 12)]

    with django_assert_num_queries(2):
        schedules = cohort.schedules_of(members)

    assert [schedules[m.user_id][0].opens_on.day for m in members] == list(range(6, 12))


def test_set_pace_changes_every_members_dates_once(self_paced, join_on):
    cohort = self_paced(pace=Cohort.Pace.TOGETHER)
    ben = join_on(cohort, "ben", at(9))
    version = cohort.content_version

    assert actions.set_pace(cohort=cohort, pace=Cohort.Pace.SELF_PACED)
    assert not actions.set_pace(cohort=cohort, pace=Cohort.Pace.SELF_PACED)
    assert cohort.content_version == version + 1
    assert dates(cohort, ben)[0] == at(9).date()
    with pytest.raises(actions.ScheduleError):
        actions.set_pace(cohort=cohort, pace="sideways")


def test_the_welcome_email_lists_what_is_open_to_the_newcomer(
    self_paced, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = self_paced()
    with (
        time_machine.travel(at(20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.join_cohort(user=make_user("newcomer"), cohort=cohort)

    body = mailoutbox[-1].body
    assert "Open now: Thing 1: Getting started" in body
    assert "Blogging" not in body  # open to those who joined on the 6th


def test_a_newcomer_before_the_first_day_is_told_when_it_opens(
    self_paced, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = self_paced(weekdays=[THURSDAY])
    with (
        time_machine.travel(at(20), tick=False),  # a Monday
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.join_cohort(user=make_user("newcomer"), cohort=cohort)

    assert "opens on Thursday 23 January 2025" in mailoutbox[-1].body


# Pages ----------------------------------------------------------------------


def test_a_new_cohort_is_made_self_paced_from_the_form(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:new_cohort", args=[programme.slug]),
        {
            "name": "At their pace",
            "slug": "their-pace",
            "time_zone": "Europe/London",
            "start_date": "2025-01-06",
            "pace": "all_at_once",
            "weekdays": ["0"],
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Cohort.objects.get(slug="their-pace").pace == Cohort.Pace.ALL_AT_ONCE


def test_the_facilitator_sets_the_pace_on_the_schedule_page(self_paced, client_for):
    cohort = self_paced(pace=Cohort.Pace.TOGETHER)
    lead = cohort.memberships.get().user
    url = reverse("studio:set_pace", args=[cohort.slug])

    response = client_for(lead).post(url, {"pace": "self_paced"})

    assert response.status_code == HTTPStatus.FOUND
    cohort.refresh_from_db()
    assert cohort.pace == Cohort.Pace.SELF_PACED


def test_a_bad_pace_shows_the_page_again_with_the_error(self_paced, client_for):
    cohort = self_paced(pace=Cohort.Pace.TOGETHER)
    lead = cohort.memberships.get().user

    response = client_for(lead).post(
        reverse("studio:set_pace", args=[cohort.slug]), {"pace": "sideways"}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "sideways is not one of the available choices" in response.text
    cohort.refresh_from_db()
    assert cohort.pace == Cohort.Pace.TOGETHER


@pytest.mark.parametrize("persona", ["participant", "outsider", "other_facilitator"])
def test_only_the_cohorts_facilitators_set_its_pace(
    self_paced, join_on, client_as, client_for, persona
):
    cohort = self_paced(pace=Cohort.Pace.TOGETHER)
    if persona == "participant":
        client = client_for(join_on(cohort, "pat", at(6)).user)
    else:
        client = client_as(persona)

    response = client.post(
        reverse("studio:set_pace", args=[cohort.slug]), {"pace": "self_paced"}
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    cohort.refresh_from_db()
    assert cohort.pace == Cohort.Pace.TOGETHER


def test_the_schedule_page_explains_days_from_each_persons_joining(
    self_paced, client_for
):
    cohort = self_paced()
    lead = cohort.memberships.get().user
    with time_machine.travel(at(15), tick=False):
        response = client_for(lead).get(reverse("studio:schedule", args=[cohort.slug]))

    assert response.status_code == HTTPStatus.OK
    assert 'id="self-paced-note"' in response.text
    # Someone joining on Wednesday 15th: Day 1, then Day 8.
    assert "Day 1" in response.text and "Day 8" in response.text
    assert "Wed 22 Jan 2025" in response.text
    assert "Release now" not in response.text
    assert "Move every later date" not in response.text


def test_the_cohorts_studio_page_shows_days_not_the_start_dates_calendar(
    self_paced, client_for
):
    cohort = self_paced()
    lead = cohort.memberships.get().user
    with time_machine.travel(at(15), tick=False):
        response = client_for(lead).get(reverse("studio:cohort", args=[cohort.slug]))

    assert "Day 8" in response.text
    assert "Wed 22 Jan 2025" in response.text
    assert "Mon 13 Jan 2025" not in response.text  # the start date's Thing 2


def test_release_now_on_a_self_paced_cohort_says_why_not(self_paced, client_for):
    cohort = self_paced()
    lead = cohort.memberships.get().user
    url = reverse("studio:release_now", args=[cohort.slug, "podcasts"])
    # A draft is a 404 as before; a published Thing says why not.
    assert client_for(lead).get(url).status_code == HTTPStatus.NOT_FOUND

    response = client_for(lead).post(
        reverse("studio:release_now", args=[cohort.slug, "networks"]),
        {"confirm": "1"},
        follow=True,
    )

    assert "opens on each person&#x27;s own date" in response.text
    assert not ThingRelease.objects.filter(cohort=cohort).exists()
