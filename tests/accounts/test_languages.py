"""Which language a page is in: the profile's, else the switcher's cookie,
else the browser's Accept-Language, else the site's (PONDER_LANGUAGE_CODE)."""

import datetime
import os
import re
import subprocess
import sys
from http import HTTPStatus

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile, language_of
from tests.core.test_cache_settings import run_in_django
from tests.test_deploy import PROJECT


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de"),
        ("nl-BE, fr;q=0.8", "nl"),
        ("en-US,en;q=0.9", "en-gb"),
        ("fr-FR, es;q=0.8", "en-gb"),
        ("", "en-gb"),
    ],
)
def test_a_visitor_gets_the_language_their_browser_asks_for(client, db, asked, served):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=asked)

    assert page_language(response) == served
    assert response["Content-Language"] == served


def test_a_visitor_s_choice_in_the_switcher_outlasts_the_browser(client, db):
    response = client.post(
        reverse("accounts:language"), {"language": "nl", "next": "/accessibility/"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accessibility/"
    page = client.get("/accessibility/", HTTP_ACCEPT_LANGUAGE="de")
    assert page_language(page) == "nl"


def test_the_switcher_goes_nowhere_outside_the_site(client, db):
    response = client.post(
        reverse("accounts:language"),
        {"language": "de", "next": "https://elsewhere.example/"},
    )

    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client, author):
    client.force_login(author)
    response = client.post(reverse("accounts:language"), {"language": "xx"})

    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.get(user=author).language == ""
    assert page_language(client.get(reverse("home"))) == "en-gb"


def test_a_profile_language_wins_over_the_browser_and_follows_to_e_mails(
    client, author
):
    Profile.objects.filter(user=author).update(language="de")
    author.refresh_from_db()
    client.force_login(author)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nl")

    assert page_language(response) == "de"
    assert language_of(author) == "de"


def test_a_signed_in_person_s_switch_is_kept_in_their_profile(client, author):
    Profile.objects.filter(user=author).update(language="de")
    client.force_login(author)

    client.post(reverse("accounts:language"), {"language": "nl", "next": "/"})

    assert Profile.objects.get(user=author).language == "nl"
    assert page_language(client.get(reverse("home"))) == "nl"


def test_the_profile_form_offers_the_browser_s_language(client, author):
    client.force_login(author)
    form = {
        "display_name": "Ada",
        "bio": "",
        "website": "",
        "time_zone": "Europe/London",
        "language": "",
    }

    client.post(reverse("accounts:profile"), {**form, "language": "nl"})
    assert Profile.objects.get(user=author).language == "nl"
    client.post(reverse("accounts:profile"), form)
    assert Profile.objects.get(user=author).language == ""
    assert language_of(author) == settings.LANGUAGE_CODE


def test_the_site_s_language_comes_from_the_environment():
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.LANGUAGE_CODE))"
    )

    assert run_in_django(code, PONDER_LANGUAGE_CODE="nl") == "nl"


def test_a_language_ponder_has_not_is_refused_at_start():
    """(`manage.py` swallows a settings error for its own commands: start as
    the WSGI server does.)"""
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=PROJECT,
        env={**os.environ, "PONDER_LANGUAGE_CODE": "fr"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "PONDER_LANGUAGE_CODE must be one of en-gb, de, nl" in result.stderr


def test_a_german_browser_reads_ponder_in_german(client, db):
    with translation.override("de"):
        accessibility = translation.gettext("Accessibility")

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert accessibility != "Accessibility"
    assert accessibility in page


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en-gb", "3 December 2026"),
        ("de", "3. Dezember 2026"),
        ("nl", "3 december 2026"),
    ],
)
def test_dates_are_written_the_reader_s_way(
    client, author, cohort, make_entry, language, written
):
    with time_machine.travel(datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)):
        entry = make_entry(author, cohort=cohort, title="On feeds")
    client.force_login(author)

    page = client.get(entry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)

    assert written in page.content.decode()


@pytest.mark.parametrize(
    "asked",
    [
        "de;q=abc",
        "*",
        ";;;,,,",
        "x" * 5000,
        "de-" + "a" * 300,
        "nl;q=0.5, de;q=0.9, " * 200,
        "\u00e9\u00e8",
    ],
)
def test_a_strange_accept_language_gets_a_page(client, db, asked):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=asked)

    assert response.status_code == HTTPStatus.OK
    assert page_language(response) in dict(settings.LANGUAGES)


@pytest.mark.parametrize("cookie", ["xx", "", "../../etc", "de" * 500, "nl\x00"])
def test_a_strange_language_cookie_gets_a_page(client, db, cookie):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    response = client.get(reverse("home"))

    assert response.status_code == HTTPStatus.OK
    assert page_language(response) in dict(settings.LANGUAGES)
