"""Sending recorded deliveries: once, with retries and back-off, never about what
the recipient may no longer read (notifications/delivery.py, tasks.py)."""

import datetime
import io
import smtplib
from collections.abc import Iterator

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from journal import actions
from journal.models import Comment, Entry
from notifications import delivery
from notifications.delivery import BACKOFF, MAX_ATTEMPTS
from notifications.models import Delivery, Frequency, Kind, Preference
from notifications.tasks import send_delivery

START = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def held(settings) -> list:
    """Tasks wait in a queue, as they do for a worker, until the test runs them."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    return send_delivery.get_backend().results


@pytest.fixture
def smtp_down(monkeypatch) -> Iterator[None]:
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("451 try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    yield
    monkeypatch.undo()


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def comment(author, cohort_mate, cohort, make_entry, committed) -> Comment:
    """A comment on Ada's entry: Ada is told at once (the default)."""
    entry = make_entry(author, cohort=cohort, title="Feeds, <script>x</script>")
    with committed():
        return actions.add_comment(entry=entry, author=cohort_mate, body="Good one.")


def send_digests() -> str:
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    return out.getvalue()


def run_task(committed, delivery_id: int) -> str:
    with committed():
        return send_delivery.call(delivery_id)


def test_every_email_has_a_one_click_unsubscribe_link_and_both_headers(
    settings, author, cohort_mate, cohort, make_entry, committed, outbox
):
    settings.SITE_URL = "https://ponder.example"
    entry = make_entry(author, cohort=cohort)

    with committed():
        actions.add_comment(entry=entry, author=cohort_mate, body="Hello")

    [email] = outbox
    header = email.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://ponder.example/notifications/unsubscribe/")
    assert header.endswith("/>")
    assert header[1:-1] in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{header[1:-1]}"' in email.alternatives[0][0]
    message = email.message()
    assert message["List-Unsubscribe"] == header


def test_the_html_alternative_escapes_what_members_wrote(outbox, comment):
    [email] = outbox
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "Feeds, &lt;script&gt;x&lt;/script&gt;" in html
    assert "“Feeds, <script>x</script>”" in email.subject  # plain text, as written


def test_a_delivery_is_sent_once_even_if_its_task_runs_twice(
    held, comment, committed, outbox
):
    [queued] = held
    [recorded] = Delivery.objects.all()
    assert queued.args == [recorded.pk]
    assert recorded.status == Delivery.Status.PENDING
    assert outbox == []

    assert run_task(committed, recorded.pk) == Delivery.Status.SENT
    assert run_task(committed, recorded.pk) == "not due"

    assert len(outbox) == 1
    recorded.refresh_from_db()
    assert (recorded.status, recorded.attempts) == (Delivery.Status.SENT, 1)
    assert recorded.sent_at is not None
    assert comment.pk == recorded.notifications.get().comment_id


def test_two_workers_cannot_both_claim_a_delivery(held, comment):
    recorded = Delivery.objects.get()

    assert delivery.claim(recorded.pk) is not None
    assert delivery.claim(recorded.pk) is None


def test_a_failed_send_is_retried_with_back_off_then_marked_failed(
    held, traveller, comment, smtp_down, committed, outbox
):
    recorded = Delivery.objects.get()

    for attempt in range(1, MAX_ATTEMPTS):
        assert run_task(committed, recorded.pk) == "retry"
        recorded.refresh_from_db()
        assert (recorded.status, recorded.attempts) == ("pending", attempt)
        assert "451 try again later" in recorded.last_error
        wait = BACKOFF[attempt - 1]
        assert held[-1].task.run_after == timezone.now() + wait
        # Too early: the back-off holds even if a task comes sooner.
        traveller.shift(wait - datetime.timedelta(seconds=1))
        assert run_task(committed, recorded.pk) == "not due"
        traveller.shift(datetime.timedelta(seconds=1))

    queued = len(held)
    assert run_task(committed, recorded.pk) == Delivery.Status.FAILED
    recorded.refresh_from_db()
    assert (recorded.status, recorded.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(held) == queued  # no retry after the last attempt
    assert outbox == []


def test_a_failed_send_succeeds_on_a_later_attempt(
    held, traveller, comment, smtp_down, monkeypatch, committed, outbox
):
    recorded = Delivery.objects.get()
    assert run_task(committed, recorded.pk) == "retry"

    monkeypatch.undo()  # the mail server is back
    traveller.shift(BACKOFF[0])
    assert run_task(committed, held[-1].args[0]) == Delivery.Status.SENT

    recorded.refresh_from_db()
    assert (recorded.status, recorded.attempts, recorded.last_error) == ("sent", 2, "")
    assert [email.to for email in outbox] == [["ada@example.org"]]


def test_without_a_deferring_backend_send_digests_retries_after_the_back_off(
    traveller,
    author,
    cohort_mate,
    cohort,
    make_entry,
    smtp_down,
    monkeypatch,
    committed,
    outbox,
):
    entry = make_entry(author, cohort=cohort)
    with committed():
        actions.add_comment(entry=entry, author=cohort_mate, body="Hello")
    recorded = Delivery.objects.get()
    assert (recorded.status, recorded.attempts) == ("pending", 1)
    monkeypatch.undo()

    send_digests()
    assert outbox == []

    traveller.shift(BACKOFF[0] + delivery.OVERDUE_AFTER)
    send_digests()
    recorded.refresh_from_db()
    assert recorded.status == Delivery.Status.SENT
    assert len(outbox) == 1


def test_the_sweep_sends_again_what_a_dead_worker_left_in_sending(
    held, traveller, comment, committed, outbox
):
    recorded = Delivery.objects.get()
    assert delivery.claim(recorded.pk)  # ... and the worker dies

    traveller.shift(delivery.STALLED_AFTER - datetime.timedelta(minutes=1))
    send_digests()
    recorded.refresh_from_db()
    assert recorded.status == Delivery.Status.SENDING

    traveller.shift(datetime.timedelta(minutes=1))
    queued = len(held)
    send_digests()
    recorded.refresh_from_db()
    assert recorded.status == Delivery.Status.PENDING
    assert held[queued].args == [recorded.pk]
    assert run_task(committed, recorded.pk) == Delivery.Status.SENT
    assert len(outbox) == 1


def test_a_stalled_delivery_with_no_attempts_left_is_failed(held, traveller, comment):
    recorded = Delivery.objects.get()
    Delivery.objects.filter(pk=recorded.pk).update(
        status=Delivery.Status.SENDING, attempts=MAX_ATTEMPTS, claimed_at=START
    )

    traveller.shift(delivery.STALLED_AFTER)
    send_digests()

    recorded.refresh_from_db()
    assert recorded.status == Delivery.Status.FAILED


def test_a_comment_hidden_before_the_send_is_not_emailed(
    held, comment, committed, outbox
):
    Comment.objects.filter(pk=comment.pk).update(hidden_at=timezone.now())

    assert run_task(committed, Delivery.objects.get().pk) == Delivery.Status.SKIPPED
    assert outbox == []


def test_an_entry_made_private_before_the_send_is_not_emailed(
    held, cohort, author, cohort_mate, make_entry, committed, outbox
):
    Preference.objects.choose(cohort_mate, Kind.MENTION, Frequency.IMMEDIATELY)
    with committed():
        entry = make_entry(author, cohort=cohort, body="Ask @ben.")
    # Ada thinks again before the e-mail leaves.
    Entry.objects.filter(pk=entry.pk).update(visibility=Entry.Visibility.PRIVATE)

    assert run_task(committed, Delivery.objects.get().pk) == Delivery.Status.SKIPPED
    assert outbox == []


@pytest.mark.parametrize(
    "withdraw", [actions.delete_entry, actions.unpublish_entry], ids=["delete", "draft"]
)
def test_a_mention_in_an_entry_withdrawn_before_the_send_is_not_emailed(
    held, cohort, author, cohort_mate, make_entry, committed, outbox, withdraw
):
    Preference.objects.choose(cohort_mate, Kind.MENTION, Frequency.IMMEDIATELY)
    with committed():
        entry = make_entry(author, cohort=cohort, body="Ask @ben.")
    withdraw(entry=entry)

    assert run_task(committed, Delivery.objects.get().pk) == Delivery.Status.SKIPPED
    assert outbox == []


def test_a_comment_on_an_entry_deleted_before_the_send_is_not_emailed(
    held, comment, committed, outbox
):
    actions.delete_entry(entry=comment.entry)

    assert run_task(committed, Delivery.objects.get().pk) == Delivery.Status.SKIPPED
    assert outbox == []
