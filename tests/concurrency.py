"""Sending the same request from several threads at the same moment.

Only PostgreSQL lets threads share the test database (pytest-django's SQLite
one is in memory, one per connection): tests using `at_once` are decorated
with `posted_at_once`, which skips them elsewhere and commits for real."""

import copy
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

T = TypeVar("T")


def posted_at_once(test: Callable) -> Callable:
    """Runs on PostgreSQL only, each write committed for the others to see."""
    on_postgresql = pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="threads share the test database only on PostgreSQL",
    )
    return on_postgresql(pytest.mark.django_db(transaction=True)(test))


def at_once(count: int, send: Callable[[], T]) -> list[T]:
    """`send()` in `count` threads released together; their results (an
    exception in one is raised here)."""
    start = threading.Barrier(count)

    def run() -> T:
        try:
            start.wait()
            return send()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(run) for _ in range(count)]
    return [future.result() for future in futures]


def same_browser(client: Client) -> Callable[[], Client]:
    """Clients with this one's cookies: the tabs, or the clicks, of one browser."""

    def another() -> Client:
        twin = Client()
        twin.cookies = copy.deepcopy(client.cookies)
        return twin

    return another
