"""allauth's sign-in and sign-up rate limits: on, and per client behind a proxy.

allauth 65's defaults: failed logins `10/m/ip,5/300s/key` (refused with a form
error, not a 429), any login POST `30/m/ip` and signup `20/m/ip` (a 429). The
counters live in the cache, which the autouse fixture clears between tests.
"""

import subprocess
import sys
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.test_deploy import PROJECT

TOO_MANY_FAILED = "Too many failed login attempts"


def log_in(client: Client, email: str, password: str = "not the password"):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def sign_up(client: Client, number: int):
    # Invalid on purpose: a signup attempt counts whether or not it succeeds.
    return client.post(reverse("account_signup"), {"email": f"z{number}@example.org"})


def test_the_sixth_failed_login_for_one_address_is_refused(make_user, client):
    make_user("ada")
    for _ in range(5):
        response = log_in(client, "ada@example.org")
        assert response.status_code == HTTPStatus.OK
        assert TOO_MANY_FAILED not in response.content.decode()

    response = log_in(client, "ada@example.org", PASSWORD)

    # Even the right password is refused until the 5-minute window passes.
    assert response.status_code == HTTPStatus.OK
    assert TOO_MANY_FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_eleventh_failed_login_from_one_ip_is_refused(make_user, client):
    make_user("ada")
    for number in range(10):
        response = log_in(client, f"nobody{number}@example.org")
        assert TOO_MANY_FAILED not in response.content.decode()

    response = log_in(client, "ada@example.org", PASSWORD)

    assert TOO_MANY_FAILED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_31st_login_post_from_one_ip_gets_429(db, client):
    for number in range(30):
        assert log_in(client, f"nobody{number}@example.org").status_code == 200

    assert log_in(client, "nobody@example.org").status_code == 429


def test_a_successful_login_does_not_use_up_the_failed_login_allowance(
    make_user, client
):
    make_user("ada")
    for _ in range(4):
        log_in(client, "ada@example.org")
    assert log_in(client, "ada@example.org", PASSWORD).status_code == HTTPStatus.FOUND
    client.logout()

    response = log_in(client, "ada@example.org")

    assert TOO_MANY_FAILED not in response.content.decode()


def test_signup_is_limited_per_ip(db, client):
    for number in range(20):
        assert sign_up(client, number).status_code == HTTPStatus.OK

    assert sign_up(client, 20).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert sign_up(other, 21).status_code == HTTPStatus.OK


def proxied_client(forwarded_for: str) -> Client:
    """A browser behind our proxy: every request arrives from the proxy's address."""
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)


def use_up_signups(client: Client) -> None:
    for number in range(20):
        assert sign_up(client, number).status_code == HTTPStatus.OK
    assert sign_up(client, 20).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    use_up_signups(proxied_client("203.0.113.1"))

    assert sign_up(proxied_client("203.0.113.2"), 0).status_code == HTTPStatus.OK


def test_without_a_trusted_proxy_count_everyone_shares_the_proxy_limit(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    use_up_signups(proxied_client("203.0.113.1"))

    response = sign_up(proxied_client("203.0.113.2"), 0)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_a_forged_forwarded_for_does_not_escape_the_limit(db, settings):
    """Our proxy appends the real address; only that rightmost entry counts."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    use_up_signups(proxied_client("198.51.100.1, 203.0.113.1"))

    response = sign_up(proxied_client("198.51.100.2, 203.0.113.1"), 0)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def proxy_count_in_a_fresh_process(value: str | None) -> subprocess.CompletedProcess:
    env = {"PONDER_TESTING": "true", "PATH": "/usr/bin:/bin"}
    if value is not None:
        env["DJANGO_TRUSTED_PROXY_COUNT"] = value
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings;"
            "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("value", "expected"), [(None, "0"), ("1", "1"), ("2", "2")])
def test_the_proxy_count_comes_from_the_environment(value, expected) -> None:
    result = proxy_count_in_a_fresh_process(value)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_proxy_count_that_is_not_a_number_stops_the_start() -> None:
    result = proxy_count_in_a_fresh_process("one")

    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT" in result.stderr
