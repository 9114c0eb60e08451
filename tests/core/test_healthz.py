"""/healthz: a quick answer for a load balancer, 503 naming what failed."""

import json
from http import HTTPStatus
from unittest import mock

from django.urls import reverse

URL = "/healthz"


def test_it_reports_database_and_cache_ok(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}


def test_it_lives_at_a_fixed_address(db):
    assert reverse("healthz") == URL


def test_it_needs_no_sign_in_and_sets_no_cookie(client, db):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert not response.cookies


def test_it_is_never_cached(client, db):
    response = client.get(URL)

    assert "no-cache" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


def test_it_answers_head_and_refuses_post(client, db):
    assert client.head(URL).status_code == HTTPStatus.OK
    assert client.post(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_it_is_exempt_from_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(URL).status_code == HTTPStatus.OK
    assert client.get(reverse("account_login")).status_code == (
        HTTPStatus.MOVED_PERMANENTLY
    )


def test_a_failing_database_gives_503(client, db):
    with mock.patch(
        "core.health.connection.cursor", side_effect=OSError("connection refused")
    ):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content) == {"database": "failed", "cache": "ok"}


def test_a_failing_cache_gives_503(client, db):
    with mock.patch("core.health.cache.set", side_effect=ConnectionError("down")):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content) == {"database": "ok", "cache": "failed"}


def test_a_cache_that_loses_values_gives_503(client, db):
    with mock.patch("core.health.cache.get", return_value=None):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content)["cache"] == "failed"


def test_it_does_not_say_why_a_check_failed(client, db):
    with mock.patch(
        "core.health.connection.cursor", side_effect=OSError("secret host 10.1.2.3")
    ):
        response = client.get(URL)

    assert b"10.1.2.3" not in response.content
