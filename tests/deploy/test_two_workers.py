"""Two `manage.py db_worker` processes on one queue send every notification
e-mail once, to a real SMTP server (aiosmtpd in this process)."""

import email
import threading
import uuid
from collections import Counter
from email import policy
from functools import partial

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from journal import actions
from notifications.models import Delivery, Notification
from notifications.tasks import send_delivery
from tests.deploy.conftest import (
    BIN,
    free_port,
    needs_postgresql,
    production_env,
    wait_until,
)

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]

COMMENTS = 40
WORKERS = ("worker-1", "worker-2")


class Inbox:
    """An aiosmtpd handler that keeps (recipient, plain-text body) of each
    message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(("plain",)).get_content()
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient, message["Subject"], text))
        return "250 Message accepted"


@pytest.fixture
def smtp_sink():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def database_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def start_workers(processes, smtp_port: int) -> list:
    """Production settings (the database task backend), e-mail over SMTP."""
    env = production_env(
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port), EMAIL_USE_TLS="false"
    )
    return [processes(name, worker_command(name), env) for name in WORKERS]


def worker_command(worker_id: str) -> list[str]:
    return [str(BIN / "python"), "manage.py", "db_worker", "--worker-id", worker_id,
            "--interval", "0.1", "--no-startup-delay", "--verbosity", "1"]  # fmt: skip


def wait_for_both_polling(workers) -> None:
    for worker in workers:
        wait_until(
            lambda worker=worker: (
                worker.assert_running() or "Starting worker" in worker.log()
            ),
            seconds=20,
            what=f"{worker.name} to start",
        )


def comment_in_one_batch(pairs) -> dict[str, str]:
    """Each member comments on the next one's entry, all in one transaction so
    that the workers find every task at once. Each delivery is enqueued twice,
    as `sweep` does for a task it takes for lost, side by side in the queue:
    the two workers can race for the same delivery.

    Returns {token in the comment: e-mail address of the entry's author}."""
    expected = {}
    with transaction.atomic():
        for commenter, entry in pairs:
            token = f"token-{uuid.uuid4().hex}"
            comment = actions.add_comment(
                entry=entry, author=commenter, body=f"Reply with {token} inside."
            )
            delivery_id = Notification.objects.get(comment=comment).delivery_id
            transaction.on_commit(partial(send_delivery.enqueue, delivery_id))
            expected[token] = entry.author.email
    return expected


def test_two_workers_send_every_notification_email_once(
    database_tasks, smtp_sink, processes, cohort, make_user, join, make_entry
):
    inbox, smtp_port = smtp_sink
    # They start while the cohort is built, and send its welcome e-mails.
    workers = start_workers(processes, smtp_port)
    members = [make_user(f"member{n:02}") for n in range(COMMENTS)]
    for member in members:
        join(member, cohort)
    entries = [make_entry(member, cohort=cohort) for member in members]
    welcome_emails = DBTaskResult.objects.filter(task_path="core.tasks.send_email")
    assert welcome_emails.count() >= COMMENTS

    wait_for_both_polling(workers)
    pairs = [(members[n], entries[(n + 1) % COMMENTS]) for n in range(COMMENTS)]
    expected = comment_in_one_batch(pairs)

    unfinished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    wait_until(lambda: not unfinished.exists(), seconds=30, what="an empty queue")
    for worker in workers:
        worker.assert_running()
        worker.stop()

    deliveries = Delivery.objects.all()
    assert deliveries.count() == COMMENTS
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert set(deliveries.values_list("attempts", flat=True)) == {1}

    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
    sends = DBTaskResult.objects.filter(task_path="notifications.tasks.send_delivery")
    outcomes = Counter(sends.values_list("return_value", flat=True))
    assert outcomes == {"sent": COMMENTS, "not due": COMMENTS}
    worker_ids = sends.values_list("worker_ids", flat=True)
    took_part = {worker for ids in worker_ids for worker in ids}
    assert took_part == set(WORKERS), "one worker did all the work: no race"

    arrived = {
        token: [to for to, _, text in inbox.messages if token in text]
        for token in expected
    }
    assert arrived == {token: [to] for token, to in expected.items()}
    # The welcome e-mails of joining went through the same workers: no
    # message of any kind arrived twice.
    assert len(inbox.messages) == COMMENTS + welcome_emails.count()
    assert max(Counter(inbox.messages).values()) == 1
