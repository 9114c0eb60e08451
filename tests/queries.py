"""Counting a page's SQL queries with every cached fragment rendered afresh
(core/freshness.py): the work a page does after a change, which must not grow
with the data."""

from http import HTTPStatus

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.cache import clear_caches


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm up per-process caches, so both counts compare alike
    clear_caches()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(context.captured_queries)


def assert_same_queries(assert_num_queries, client: Client, url: str, count: int):
    clear_caches()
    with assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response
