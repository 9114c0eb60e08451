"""Fixtures for the facilitation tests, on top of the personas in tests/conftest.py."""

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tasks import TaskResult
from django_tasks.signals import task_finished

from programmes.models import Cohort


@pytest.fixture
def client_as(request, client_for) -> Callable[[str], Client]:
    """A client signed in as the named persona fixture; "visitor" is signed out."""

    def make(persona: str) -> Client:
        if persona == "visitor":
            return Client()
        user: User = request.getfixturevalue(persona)
        return client_for(user)

    return make


@pytest.fixture
def make_members(make_user, join) -> Callable[[Cohort, int], list[User]]:
    """Many participants at once, for lists and query counts."""

    def make(cohort: Cohort, count: int, prefix: str = "member") -> list[User]:
        users = []
        for number in range(count):
            user = make_user(f"{prefix}{number:03d}", display_name=f"Member {number}")
            join(user, cohort)
            users.append(user)
        return users

    return make


@pytest.fixture
def task_results() -> Iterator[list[TaskResult]]:
    """Every task result finished during the test, so tests can check status.

    The ImmediateBackend swallows a task's exception and only marks the result
    FAILED, so a test that looks at mail.outbox alone can miss a crash.
    """
    results: list[TaskResult] = []

    def record(sender, task_result: TaskResult, **kwargs) -> None:
        results.append(task_result)

    task_finished.connect(record, weak=False)
    yield results
    task_finished.disconnect(record)
