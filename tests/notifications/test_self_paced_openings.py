"""In a self-paced cohort each participant hears that a Thing opened when it
opens to them: once, on a rerun nothing more, in bounded queries; digests
tell each person of their own."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from notifications import digests
from notifications.models import Kind, Notification
from programmes import actions
from programmes.models import Cohort, Membership, ThingOpening
from tests.self_paced import at, self_paced_cohort


@pytest.fixture
def cohort(programme, make_user) -> Cohort:
    return self_paced_cohort(programme, make_user("lead"))


@pytest.fixture
def ada(cohort, make_user, join) -> User:
    with time_machine.travel(at(6), tick=False):
        return join(make_user("ada"), cohort).user


@pytest.fixture
def ben(cohort, make_user, join) -> User:
    with time_machine.travel(at(9), tick=False):
        return join(make_user("ben"), cohort).user


def record_on(moment: datetime.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        actions.record_openings()


def told() -> set[tuple[str, int]]:
    return set(
        Notification.objects.filter(kind=Kind.THING_OPENED).values_list(
            "recipient__username", "opening__thing__number"
        )
    )


def test_each_participant_is_told_on_their_own_date_once(cohort, ada, ben):
    record_on(at(13, hour=1))
    # Ada's Thing 2 opened today; Thing 1 opened to each on joining (the
    # welcome e-mail told of it), and nothing is told to the facilitator.
    assert told() == {("ada", 2)}

    record_on(at(16, hour=1))
    record_on(at(16, hour=2))
    assert told() == {("ada", 2), ("ben", 2)}
    assert Notification.objects.count() == 2
    # Recorded once per Thing, when it first opened to anyone.
    assert sorted(cohort.openings.values_list("thing__number", flat=True)) == [1, 2]


def test_old_news_is_not_told(cohort, ada, ben):
    # Nobody recorded openings for a while: Ada's Thing 3 opened on the 20th,
    # Ben's on the 23rd.
    record_on(at(24))

    assert told() == {("ben", 3)}


def test_nobody_is_told_while_the_cohort_is_paused(cohort, ada):
    with time_machine.travel(at(12), tick=False):
        actions.pause_cohort(cohort=cohort)
    record_on(at(13, hour=1))

    assert told() == set()


def test_a_digest_tells_each_person_of_their_own_openings(cohort, ada, ben):
    record_on(at(13, hour=1))
    record_on(at(16, hour=1))

    # The weekly digest, on Monday morning.
    made = digests.make_digests(at(20, hour=8))

    by_person = {
        delivery.recipient.username: set(
            delivery.notifications.values_list("opening__thing__number", flat=True)
        )
        for delivery in made
    }
    assert by_person == {"ada": {2}, "ben": {2}}


def _participants(cohort: Cohort, count: int) -> None:
    users = User.objects.bulk_create(
        [User(username=f"p{n:04d}", email=f"p{n}@example.org") for n in range(count)]
    )
    Profile.objects.bulk_create([Profile(user=user) for user in users])
    Membership.objects.bulk_create(
        [Membership(user=user, cohort=cohort) for user in users]
    )
    # Half joined on Monday 6th, half on Tuesday 7th.
    for day in range(2):
        Membership.objects.filter(user__in=users[day::2]).update(joined=at(6 + day))


def _queries_of_recording(cohort: Cohort, count: int) -> tuple[int, int]:
    """(queries, of which the batches of the one bulk insert) of recording."""
    _participants(cohort, count)
    with (
        time_machine.travel(at(14), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        actions.record_openings(cohorts=[cohort])
    assert Notification.objects.count() == count  # each told of Thing 2
    inserts = [
        query
        for query in queries.captured_queries
        if "INSERT" in query["sql"] and "notifications_notification" in query["sql"]
    ]
    return len(queries), len(inserts)


@pytest.mark.parametrize("count", [6, 300])
def test_the_fan_out_runs_a_fixed_number_of_queries(cohort, count):
    # The same Things open for the first time at either size (1 and 2), so
    # only the database's batches of the bulk insert may add queries.
    queries, inserts = _queries_of_recording(cohort, count)
    assert queries - inserts == 19
    assert inserts <= 1 + count // 50
    assert ThingOpening.objects.filter(cohort=cohort).count() == 2

    # A rerun tells nobody again, in fewer queries still.
    with (
        time_machine.travel(at(14, hour=11), tick=False),
        CaptureQueriesContext(connection) as rerun,
    ):
        actions.record_openings(cohorts=[cohort])
    assert Notification.objects.count() == count
    assert len(rerun) < queries - inserts
