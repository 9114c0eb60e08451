"""Fixtures for the notification e-mail tests: the outbox, task results, and
actions run with their on-commit callbacks (where e-mail is enqueued)."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django_tasks import TaskResult
from django_tasks.signals import task_finished


@pytest.fixture
def outbox(db) -> list[EmailMessage]:
    """The test e-mail outbox, emptied. After `db`: setting up the test
    database replaces `mail.outbox`."""
    mail.outbox.clear()
    return mail.outbox


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks,
) -> Callable[[], AbstractContextManager]:
    """`with committed():` runs what is enqueued on commit, as production does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def task_results() -> Iterator[list[TaskResult]]:
    """Every task result finished during the test: the ImmediateBackend swallows
    a task's exception, so tests check that no task failed."""
    results: list[TaskResult] = []

    def record(sender, task_result: TaskResult, **kwargs) -> None:
        results.append(task_result)

    task_finished.connect(record, weak=False)
    yield results
    task_finished.disconnect(record)
