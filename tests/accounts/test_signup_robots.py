"""Sign-up turns robots away: a field only a program fills in, a minimum time
from showing the form to sending it, and (when the operator asks) addresses
at listed domains only. Each refusal is the form again, with a plain message
and what was typed."""

import re
import subprocess
import sys
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.forms import HONEYPOT
from tests.conftest import PASSWORD
from tests.test_deploy import PROJECT

SIGNUP = reverse("account_signup")
TOO_SOON = "sooner than anyone can fill in the form"


@pytest.fixture
def real_minimum(settings) -> None:
    """The minimum time as an operator gets it (tests/conftest.py sets 0)."""
    settings.PONDER_SIGNUP_MIN_SECONDS = 3


def shown_form(client: Client) -> dict[str, str]:
    """The hidden fields of the sign-up page as a browser gets it."""
    page = client.get(SIGNUP).text
    started = re.search(r'name="started" value="([^"]+)"', page)[1]
    return {"started": started}


def details(**overrides) -> dict[str, str]:
    return {
        "display_name": "Zoe Newcomer",
        "email": "zoe@example.org",
        "username": "zoe",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_the_honeypot_is_hidden_from_people_and_screen_readers(db, client):
    page = client.get(SIGNUP).text

    field = re.search(r'<div class="honeypot" aria-hidden="true">.*?</div>', page, re.S)
    assert field, "no hidden honeypot"
    assert f'name="{HONEYPOT}"' in field[0]
    assert 'tabindex="-1"' in field[0]
    assert 'autocomplete="off"' in field[0]
    assert "required" not in field[0]


def test_a_filled_in_honeypot_is_refused_with_a_message(db, client):
    response = client.post(SIGNUP, details(**{HONEYPOT: "https://spam.example"}))

    assert response.status_code == HTTPStatus.OK
    assert "filled in a field meant to stay empty" in response.text
    assert 'value="zoe@example.org"' in response.text
    assert "https://spam.example" not in response.text
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_too_soon_comes_back_and_goes_through_later(
    db, client, real_minimum
):
    with time_machine.travel("2026-03-02 12:00:00", tick=False) as clock:
        shown = shown_form(client)
        clock.shift(2.9)
        response = client.post(SIGNUP, details(**shown))

        assert response.status_code == HTTPStatus.OK
        assert TOO_SOON in response.text
        assert 'value="Zoe Newcomer"' in response.text
        assert not User.objects.exists()

        clock.shift(0.1)
        response = client.post(SIGNUP, details(**shown))

    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.filter(username="zoe").exists()


@pytest.mark.parametrize("started", [None, "", "1700000000", "forged:stamp"])
def test_a_missing_or_forged_time_is_refused_and_the_page_starts_the_clock(
    db, client, real_minimum, started
):
    sent = details() if started is None else details(started=started)
    with time_machine.travel("2026-03-02 12:00:00", tick=False) as clock:
        response = client.post(SIGNUP, sent)

        assert response.status_code == HTTPStatus.OK
        assert TOO_SOON in response.text
        again = re.search(r'name="started" value="([^"]+)"', response.text)[1]
        clock.shift(3)
        response = client.post(SIGNUP, details(started=again))

    assert response.status_code == HTTPStatus.FOUND


def test_a_page_left_open_for_a_day_starts_again(db, client, real_minimum):
    with time_machine.travel("2026-03-02 12:00:00", tick=False) as clock:
        shown = shown_form(client)
        clock.shift(24 * 60 * 60 + 1)
        response = client.post(SIGNUP, details(**shown))

    assert TOO_SOON in response.text
    assert not User.objects.exists()


def test_the_minimum_is_three_seconds_unless_set():
    code = "from config import settings as s; print(s.PONDER_SIGNUP_MIN_SECONDS)"
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert run.stdout.strip() == "3", run.stderr


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("zoe@library.example.org", True),
        ("zoe@LIBRARY.example.org", True),
        ("zoe@branch.library.example.org", True),
        ("zoe@trust.nhs.uk", True),
        ("zoe@example.org", False),
        ("zoe@notlibrary.example.org", False),
        ("zoe@library.example.org.evil.test", False),
        ("zoe@gmail.com", False),
    ],
)
def test_the_operator_may_allow_only_listed_domains(
    db, client, settings, email, allowed
):
    settings.PONDER_SIGNUP_EMAIL_DOMAINS = ["library.example.org", "trust.nhs.uk"]

    response = client.post(SIGNUP, details(email=email))

    assert User.objects.exists() is allowed
    if not allowed:
        errors = response.context["form"].errors
        assert errors["email"] == [
            "Sign-ups here are open to addresses at library.example.org, "
            "trust.nhs.uk only."
        ]
        assert 'id="id_email_errors"' in response.text
        assert 'value="Zoe Newcomer"' in response.text


def test_any_domain_without_the_setting(db, client, settings):
    settings.PONDER_SIGNUP_EMAIL_DOMAINS = []

    assert client.post(SIGNUP, details(email="zoe@gmail.com")).status_code == 302


@pytest.mark.parametrize(
    "started",
    ["🙂" * 1000, "a" * 100_000, "x:y:z", "eyJ0IjoxfQ:1tXyZ:abc", "<script>"],
)
def test_hostile_times_are_refused_like_a_missing_one(
    db, client, real_minimum, started
):
    response = client.post(SIGNUP, details(started=started))

    assert response.status_code == HTTPStatus.OK
    assert TOO_SOON in response.text
    assert not User.objects.exists()
