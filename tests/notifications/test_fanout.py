"""Fan-out to a whole cohort in bulk: a Thing opening, a nudge to everyone and
a digest run each take the same queries for a few people as for many (within
a batch), and across many batches each person is told once, in one e-mail
each (bench/fanout.py measures them at 5,000)."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilitation import actions as facilitation_actions
from notifications import delivery, digests
from notifications.models import Delivery, Frequency, Kind, Notification, Preference
from programmes import actions as programme_actions
from tests.conftest import thing

SIZES = [3, 24]


def next_monday_noon() -> datetime.datetime:
    today = datetime.datetime.now(datetime.UTC).date()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    return datetime.datetime.combine(monday, datetime.time(12), tzinfo=datetime.UTC)


@pytest.fixture
def people(cohort, facilitator, make_members, request):
    """The cohort's participants, who joined after Things 1-3 opened (and were
    recorded); every other one wants openings told at once."""
    programme_actions.record_openings(cohorts=[cohort])
    users = make_members(cohort, request.param)
    for user in users[::2]:
        Preference.objects.choose(user, Kind.THING_OPENED, Frequency.IMMEDIATELY)
    return users


def counted(django_capture_on_commit_callbacks, action) -> tuple[int, int]:
    """(queries, callbacks on commit) of running `action`; nothing is sent."""
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        action()
    return len(queries), len(callbacks)


def open_thing_4(cohort) -> None:
    programme_actions.release_now(cohort=cohort, thing=thing(cohort.programme, 4))


def nudge_everyone(cohort, facilitator, people) -> None:
    facilitation_actions.send_nudge(
        cohort=cohort,
        sender=facilitator,
        recipients=people,
        subject="Hello {name}",
        body="Your next Thing: {next_thing}.",
    )


#: A savepoint and its release (2); locking the cohort, its schedule, storing
#: the date and moving its version on (9); the openings recorded, the schedule
#: and recording this one (7); who is a member, the insert, the bell versions
#: (3); reading back the batch, preferences, the deliveries' insert and
#: attaching (4).
OPENING_QUERIES = 25
#: A savepoint, the nudge and the release (3); the batch's next Things (4),
#: its copies of the nudge (1); the notifications told before, the nudges,
#: the insert, the bell versions and reading back (5); preferences, the
#: deliveries' insert and attaching (3).
NUDGE_QUERIES = 16
#: Who has news (1); for their batch: a savepoint and its release (2), the
#: news, preferences, time zones, digests made before (4), the insert and
#: attaching (2).
DIGEST_QUERIES = 9


@pytest.mark.parametrize("people", SIZES, indirect=True)
def test_a_thing_opening_takes_the_same_queries_for_any_number(
    cohort, people, django_capture_on_commit_callbacks
):
    four = thing(cohort.programme, 4)
    queries, enqueued = counted(
        django_capture_on_commit_callbacks,
        lambda: programme_actions.release_now(cohort=cohort, thing=four),
    )

    assert queries == OPENING_QUERIES
    told = Notification.objects.filter(opening__thing=four)
    assert told.count() == len(people) + 1  # and the facilitator
    assert Delivery.objects.count() == len(people[::2])
    assert enqueued <= 2  # one task for all their e-mails, and the users' copies


@pytest.mark.parametrize("people", SIZES, indirect=True)
def test_a_nudge_to_everyone_takes_the_same_queries_for_any_number(
    cohort, facilitator, people, django_capture_on_commit_callbacks
):
    queries, enqueued = counted(
        django_capture_on_commit_callbacks,
        lambda: nudge_everyone(cohort, facilitator, people),
    )

    assert queries == NUDGE_QUERIES
    assert Notification.objects.filter(kind=Kind.MESSAGE).count() == len(people)
    assert Delivery.objects.count() == len(people)
    assert enqueued <= 2


@pytest.mark.parametrize("people", SIZES, indirect=True)
def test_a_digest_run_takes_the_same_queries_for_any_number(
    cohort, people, django_capture_on_commit_callbacks
):
    Preference.objects.filter(kind=Kind.THING_OPENED).delete()  # all weekly
    open_thing_4(cohort)

    queries, enqueued = counted(
        django_capture_on_commit_callbacks,
        lambda: digests.make_digests(next_monday_noon()),
    )

    assert queries == DIGEST_QUERIES
    assert Delivery.objects.filter(frequency=Frequency.WEEKLY).count() == (
        len(people) + 1
    )
    assert enqueued == 1


@pytest.mark.parametrize("people", [11], indirect=True)
def test_across_many_batches_each_person_gets_one_email_of_each(
    cohort, facilitator, people, monkeypatch, committed, outbox, task_results
):
    monkeypatch.setattr(delivery, "BATCH", 4)
    monkeypatch.setattr(delivery, "ATTACH_IDS", 3)
    monkeypatch.setattr(delivery, "SEND_BATCH", 2)
    monkeypatch.setattr(facilitation_actions, "NUDGE_BATCH", 4)

    with committed():
        open_thing_4(cohort)
        nudge_everyone(cohort, facilitator, people)
    with committed():
        made = digests.make_digests(next_monday_noon())

    # Every other one heard of the opening at once, the rest (and the
    # facilitator) in their weekly digest; everyone had the nudge at once.
    assert len(made) == len(people[1::2]) + 1
    subjects = Counter((email.to[0], email.subject) for email in outbox)
    assert set(subjects.values()) == {1}
    per_person = Counter(address for address, _subject in subjects)
    assert per_person == {user.email: 2 for user in people} | {facilitator.email: 1}
    assert not Notification.objects.filter(delivery__isnull=True).exists()
    assert not Delivery.objects.filter(notifications__isnull=True).exists()
    assert {result.status for result in task_results} == {"SUCCESSFUL"}


@pytest.mark.parametrize("people", [3], indirect=True)
def test_a_digest_another_run_made_meanwhile_is_left_to_it(
    cohort, people, monkeypatch, django_capture_on_commit_callbacks
):
    Preference.objects.filter(kind=Kind.THING_OPENED).delete()  # all weekly
    open_thing_4(cohort)
    now = next_monday_noon()
    theirs = Delivery.objects.create(
        recipient=people[0], frequency=Frequency.WEEKLY, period=now.date()
    )
    not_made_before = digests._not_made_before
    calls = []

    def blind_at_first(due):
        # The other run's digest is made just after this run looked.
        calls.append(due)
        if len(calls) == 1:
            return [
                (Delivery(recipient_id=r, frequency=f, period=p), ids)
                for r, f, p, ids in due
            ]
        return not_made_before(due)

    monkeypatch.setattr(digests, "_not_made_before", blind_at_first)
    with django_capture_on_commit_callbacks() as callbacks:
        made = digests.make_digests(now)

    assert len(calls) == 2
    assert {digest.recipient_id for digest in made} == {
        user.pk for user in people[1:]
    } | {cohort.memberships.get(role="facilitator").user_id}
    assert len(callbacks) == 1
    assert not theirs.notifications.exists()  # this run tells nothing twice
