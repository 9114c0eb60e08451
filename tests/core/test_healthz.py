"""/healthz: a quick answer for a load balancer, 503 when the database fails;
the cache reported as "degraded", and strictly with `?strict=1`."""

import json
from http import HTTPStatus
from unittest import mock

import pytest
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


def test_a_failing_cache_is_degraded_not_unhealthy(client, db):
    with mock.patch("core.health.cache.set", side_effect=ConnectionError("down")):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content) == {"database": "ok", "cache": "degraded"}


def test_a_cache_that_loses_values_is_degraded(client, db):
    with mock.patch("core.health.cache.get", return_value=None):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content)["cache"] == "degraded"


def test_redis_away_leaves_the_server_healthy_and_says_the_cache_is_degraded(
    client, db, redis_away
):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content) == {"database": "ok", "cache": "degraded"}


@pytest.mark.parametrize("strict", ["1", "yes"])
def test_strict_gives_503_when_the_cache_is_degraded(client, db, redis_away, strict):
    response = client.get(URL, {"strict": strict})

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content) == {"database": "ok", "cache": "degraded"}


@pytest.mark.parametrize("strict", ["0", ""])
def test_strict_off_is_the_plain_check(client, db, redis_away, strict):
    assert client.get(URL, {"strict": strict}).status_code == HTTPStatus.OK


def test_strict_gives_200_when_all_is_well(client, db):
    response = client.get(URL, {"strict": "1"})

    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}


def test_a_failing_database_gives_503_even_when_not_strict_about_the_cache(
    client, db, redis_away
):
    with mock.patch(
        "core.health.connection.cursor", side_effect=OSError("connection refused")
    ):
        response = client.get(URL)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content) == {"database": "failed", "cache": "degraded"}


def test_it_does_not_say_why_a_check_failed(client, db):
    with mock.patch(
        "core.health.connection.cursor", side_effect=OSError("secret host 10.1.2.3")
    ):
        response = client.get(URL)

    assert b"10.1.2.3" not in response.content
