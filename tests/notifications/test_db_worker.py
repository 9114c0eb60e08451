"""Notification e-mail through the database queue and a real `db_worker`, as
in production: recorded on commit, sent by the worker, retried later."""

import datetime
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from journal import actions
from notifications.delivery import BACKOFF
from notifications.models import Delivery


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def database_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# The worker closes database connections between tasks, as in production, so
# the data must be committed rather than wrapped in a test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_comment_email_and_retries_after_an_smtp_error(
    database_tasks, author, cohort_mate, cohort, make_entry, monkeypatch
):
    entry = make_entry(author, cohort=cohort)
    run_worker()  # the welcome e-mails of joining the cohort
    mail.outbox.clear()
    actions.add_comment(entry=entry, author=cohort_mate, body="First.")
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    run_worker()

    assert [email.to for email in mail.outbox] == [["ada@example.org"]]
    assert "> First." in mail.outbox[0].body
    assert Delivery.objects.get().status == Delivery.Status.SENT

    def refuse(self, messages):
        raise smtplib.SMTPDataError(451, "try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    actions.add_comment(entry=entry, author=cohort_mate, body="Second.")
    second = Delivery.objects.get(status=Delivery.Status.PENDING)
    run_worker()  # fails, and queues a retry for after the back-off
    second.refresh_from_db()
    assert (second.status, second.attempts) == (Delivery.Status.PENDING, 1)

    monkeypatch.undo()
    run_worker()  # too early: the retry waits in the queue
    assert len(mail.outbox) == 1
    later = timezone.now() + BACKOFF[0] + datetime.timedelta(seconds=5)
    with time_machine.travel(later):
        run_worker()

    second.refresh_from_db()
    assert (second.status, second.attempts) == (Delivery.Status.SENT, 2)
    assert "> Second." in mail.outbox[1].body
