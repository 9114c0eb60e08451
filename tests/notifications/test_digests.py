"""Daily and weekly digests at 07:00 in each person's time zone, once per
period (notifications/digests.py, manage.py send_digests)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Profile
from core import commands
from journal import actions
from journal.models import Comment
from notifications import delivery, digests
from notifications.models import Delivery, Frequency, Kind, Preference
from programmes import actions as programme_actions

UTC = datetime.UTC
#: 10 March 2025 is a Monday; London is on GMT (UTC+0), New York has been on
#: EDT (UTC-4) since the day before.
SUNDAY_EVENING = datetime.datetime(2025, 3, 9, 20, 0, tzinfo=UTC)
MONDAY = datetime.date(2025, 3, 10)


def at(moment: datetime.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def run(committed) -> list[Delivery]:
    with committed():
        return digests.make_digests(timezone.now())


def send_digests(committed) -> str:
    out = io.StringIO()
    with committed():
        call_command("send_digests", stdout=out)
    return out.getvalue()


@pytest.fixture
def ben_in_new_york(cohort_mate):
    Profile.objects.filter(user=cohort_mate).update(time_zone="America/New_York")
    return cohort_mate


def test_daily_digests_go_at_seven_in_each_persons_time_zone(
    author, ben_in_new_york, facilitator, cohort, make_entry, committed, outbox
):
    ben = ben_in_new_york
    for user in (author, ben):
        Preference.objects.choose(user, Kind.COMMENT, Frequency.DAILY)
    with at(SUNDAY_EVENING):
        for writer in (author, ben):
            entry = make_entry(writer, cohort=cohort, title=f"{writer.username}'s")
            actions.add_comment(entry=entry, author=facilitator, body="Well put.")

    with at(datetime.datetime(2025, 3, 10, 6, 59, tzinfo=UTC)):
        assert run(committed) == []
    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        [london] = run(committed)
    with at(datetime.datetime(2025, 3, 10, 10, 59, tzinfo=UTC)):
        assert run(committed) == []  # 06:59 in New York
    with at(datetime.datetime(2025, 3, 10, 11, 0, tzinfo=UTC)):
        [new_york] = run(committed)

    assert (london.recipient, london.frequency, london.period) == (
        author,
        Frequency.DAILY,
        MONDAY,
    )
    assert (new_york.recipient, new_york.period) == (ben, MONDAY)
    assert [email.to for email in outbox] == [[author.email], [ben.email]]
    assert outbox[0].subject == "Your daily Ponder digest: 1 notification"
    assert "Fran Facilitator commented on your entry “ada's”" in outbox[0].body
    assert outbox[0].extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_weekly_digests_go_on_monday_mornings_with_what_came_before(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    with at(datetime.datetime(2025, 3, 5, 12, 0, tzinfo=UTC)):
        make_entry(author, cohort=cohort, title="Wednesday", body="Hi @ben")

    for moment in (
        datetime.datetime(2025, 3, 9, 8, 0, tzinfo=UTC),  # Sunday
        datetime.datetime(2025, 3, 10, 6, 59, tzinfo=UTC),
    ):
        with at(moment):
            assert run(committed) == []
    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        [weekly] = run(committed)
        assert run(committed) == []
    assert (weekly.frequency, weekly.period) == (Frequency.WEEKLY, MONDAY)

    # What comes after the Monday morning waits for the next Monday.
    with at(datetime.datetime(2025, 3, 10, 9, 0, tzinfo=UTC)):
        make_entry(author, cohort=cohort, title="Monday", body="Hi again @ben")
    with at(datetime.datetime(2025, 3, 11, 7, 0, tzinfo=UTC)):
        assert run(committed) == []
    with at(datetime.datetime(2025, 3, 17, 7, 0, tzinfo=UTC)):
        [next_week] = run(committed)
    assert next_week.period == datetime.date(2025, 3, 17)

    assert [email.subject for email in outbox] == [
        "Your weekly Ponder digest: 1 notification"
    ] * 2
    assert "mentioned you in “Wednesday”" in outbox[0].body
    assert "mentioned you in “Monday”" in outbox[1].body


def test_running_send_digests_twice_makes_one_digest(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    with at(SUNDAY_EVENING):
        make_entry(author, cohort=cohort, body="Hi @ben")

    with at(datetime.datetime(2025, 3, 10, 8, 0, tzinfo=UTC)):
        assert "Made 1 digest(s)" in send_digests(committed)
        assert "Made 0 digest(s)" in send_digests(committed)

    assert Delivery.objects.count() == 1
    assert len(outbox) == 1


def test_a_digest_groups_its_notifications_by_kind(
    author, cohort_mate, facilitator, cohort, make_entry, committed, outbox
):
    for kind in Kind:
        Preference.objects.choose(author, kind, Frequency.DAILY)
    with at(SUNDAY_EVENING):
        mine = make_entry(author, cohort=cohort)
        actions.add_comment(entry=mine, author=cohort_mate, body="First!")
        actions.add_comment(entry=mine, author=facilitator, body="Second.")
        make_entry(cohort_mate, cohort=cohort, title="Ben's", body="Thanks @ada")
        programme_actions.release_now(
            cohort=cohort, thing=cohort.programme.things.get(number=4)
        )

    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        run(committed)

    # Ben and Fran get their weekly digests (it is Monday) of the Thing opened.
    [email] = [email for email in outbox if email.to == [author.email]]
    assert email.subject == "Your daily Ponder digest: 4 notifications"
    body = email.body
    headings = [
        "== Comments on your entries ==",
        "== Mentions of you ==",
        "== Things now open ==",
    ]
    assert [body.index(h) for h in headings] == sorted(body.index(h) for h in headings)
    comments = body[body.index(headings[0]) : body.index(headings[1])]
    assert "> First!" in comments and "> Second." in comments
    assert "Thing 4: Networks is open in Spring cohort" in body


def test_a_comment_hidden_before_the_digest_is_left_out(
    author, cohort_mate, facilitator, cohort, make_entry, committed, outbox
):
    Preference.objects.choose(author, Kind.COMMENT, Frequency.DAILY)
    with at(SUNDAY_EVENING):
        entry = make_entry(author, cohort=cohort)
        rude = actions.add_comment(entry=entry, author=cohort_mate, body="Rude words")
        actions.add_comment(entry=entry, author=facilitator, body="Kind words")
    Comment.objects.filter(pk=rude.pk).update(hidden_at=timezone.now())

    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        run(committed)

    [email] = outbox
    assert "Kind words" in email.body
    assert "Rude words" not in email.body
    assert email.subject.endswith(": 1 notification")


def test_comments_on_an_entry_deleted_before_the_digest_are_left_out(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    Preference.objects.choose(author, Kind.COMMENT, Frequency.DAILY)
    with at(SUNDAY_EVENING):
        kept = make_entry(author, cohort=cohort, title="Kept")
        gone = make_entry(author, cohort=cohort, title="Gone")
        actions.add_comment(entry=kept, author=cohort_mate, body="Stays here")
        actions.add_comment(entry=gone, author=cohort_mate, body="Goes with it")
        actions.delete_entry(entry=gone)

    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        run(committed)

    [email] = outbox
    assert "Stays here" in email.body
    assert "Goes with it" not in email.body


def test_a_digest_with_nothing_left_to_tell_is_skipped(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    with at(SUNDAY_EVENING):
        entry = make_entry(cohort_mate, cohort=cohort, body="Thanks @ada")
    entry.visibility = entry.Visibility.PRIVATE
    entry.save()

    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        [digest] = run(committed)

    digest.refresh_from_db()
    assert digest.status == Delivery.Status.SKIPPED
    assert outbox == []


def test_never_is_never_in_a_digest(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    Preference.objects.choose(cohort_mate, Kind.MENTION, Frequency.NEVER)
    with at(SUNDAY_EVENING):
        make_entry(author, cohort=cohort, body="Hi @ben")

    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        assert run(committed) == []
    assert outbox == []


#: Who has undelivered notifications (1); for their batch: the notifications,
#: preferences, time zones and digests made before (4), a savepoint and its
#: release (2), the INSERT of the digests (1), attaching the notifications (1).
MAKE_QUERIES = 9
#: Claim and re-read (2), the readable notifications (1), the comments they
#: reply to (none here: 0), mark it sent (1).
SEND_QUERIES = 4


@pytest.mark.parametrize("comments", [2, 12])
def test_making_and_sending_a_digest_runs_the_same_queries_for_any_number(
    comments,
    author,
    cohort_mate,
    cohort,
    make_entry,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    outbox,
):
    Preference.objects.choose(author, Kind.COMMENT, Frequency.DAILY)
    with at(SUNDAY_EVENING):
        entry = make_entry(author, cohort=cohort)
        for number in range(comments):
            actions.add_comment(entry=entry, author=cohort_mate, body=f"No. {number}")

    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        with (
            django_capture_on_commit_callbacks() as callbacks,
            django_assert_num_queries(MAKE_QUERIES),
        ):
            [digest] = digests.make_digests(timezone.now())
        assert len(callbacks) == 1
        with django_assert_num_queries(SEND_QUERIES):
            assert delivery.deliver(digest.pk) == Delivery.Status.SENT

    [email] = outbox
    assert email.body.count("Ben Cohort-Mate commented on your entry") == comments


# Between runs the loop closes old connections, as a worker must.
@pytest.mark.django_db(transaction=True)
def test_send_digests_loops_for_a_worker(monkeypatch):
    naps = []

    def sleep(seconds: int) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(commands.time, "sleep", sleep)
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("send_digests", "--loop", "300", stdout=out)

    assert naps == [300, 300]
    assert out.getvalue().count("Made 0 digest(s)") == 2


def test_posts_waiting_for_approval_come_in_the_facilitators_daily_digest(
    facilitator, cohort, programme, make_user, join, make_entry, committed, outbox
):
    programme_actions.set_programme_open(programme=programme, is_open=True)
    programme_actions.set_open_joining(
        cohort=cohort, open_to_all=True, member_cap=None, join_until=None
    )
    newcomer = make_user("nina", display_name="Nina Newcomer")
    join(newcomer, cohort)
    with at(SUNDAY_EVENING):
        make_entry(newcomer, cohort=cohort, title="Cheap watches")
    with at(datetime.datetime(2025, 3, 10, 7, 0, tzinfo=UTC)):
        [digest] = run(committed)
    assert digest.recipient == facilitator
    [email] = outbox
    assert "Posts waiting for your approval" in email.body
    assert "“Cheap watches” by Nina Newcomer waits for your approval" in email.body
    assert f"/c/{cohort.slug}/moderation/" in email.body
