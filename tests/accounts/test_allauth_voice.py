"""allauth's pages and e-mails speak in Ponder's voice: sentence case
("Sign up", not "Sign Up"), and e-mails that name Ponder, not a host and port."""

import gettext
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

#: Two or more capitalised words in a row: allauth's title case. Names of
#: people in the test data are not shown on these pages.
TITLE_CASE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")

HOSTS = ["127.0.0.1:8000", "example.com", "testserver"]

SIGNED_OUT_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_reset_password_from_key_done",
    "account_inactive",
]
SIGNED_IN_PAGES = [
    "account_logout",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
    "mfa_index",
]


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(
        r'(?s)<meta\b[^>]*>|<link\b[^>]*>|\b(class|id|name|for|href)="[^"]*"', " ", html
    )
    return re.sub(r"<[^>]+>", " ", html)


def title_case_phrases(html: str) -> list[str]:
    return TITLE_CASE.findall(visible_text(html))


def sign_in(client: Client, user) -> None:
    client.force_login(user)


@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_pages_are_in_sentence_case(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    assert title_case_phrases(response.content.decode()) == []


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_are_in_sentence_case(client, make_user, name):
    client.force_login(make_user("ada", display_name="ada"))

    response = client.get(reverse(name))

    assert response.status_code == HTTPStatus.OK
    assert title_case_phrases(response.content.decode()) == []


def test_the_sign_up_page_says_sign_up(client, db):
    page = client.get(reverse("account_signup")).content.decode()

    assert "Sign up" in page
    assert "Sign Up" not in page
    assert "Sign In" not in page


def test_the_password_reset_page_from_the_emailed_link(client, make_user):
    make_user("ada")
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    [message] = mail.outbox
    path = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body
    )[1]

    response = client.get(path, follow=True)

    assert response.status_code == HTTPStatus.OK
    assert 'name="password1"' in response.content.decode()
    assert title_case_phrases(response.content.decode()) == []


def assert_in_ponders_voice(message) -> None:
    greeting = message.body.strip().splitlines()[0]
    assert greeting == "Hello from Ponder,"
    for text in [message.subject, greeting]:
        assert not any(host in text for host in HOSTS), text
    assert TITLE_CASE.findall(message.subject.removeprefix("[Ponder] ")) == []
    assert not any(host in message.body.split("http")[0] for host in HOSTS)


def test_the_sign_up_verification_email(client, db):
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Zoe Newcomer",
            "email": "zoe@example.org",
            "username": "zoe",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    [message] = mail.outbox
    assert message.subject == "[Ponder] Please confirm your e-mail address"
    assert_in_ponders_voice(message)
    assert "Zoe Newcomer gave this address to create an account on Ponder" in (
        message.body
    )
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)[1]
    confirm_page = client.get(path)
    assert confirm_page.status_code == HTTPStatus.OK
    # The page names the person by their display name, not their username.
    assert title_case_phrases(confirm_page.content.decode()) == ["Zoe Newcomer"]


def test_the_password_reset_email(client, make_user):
    make_user("ada")

    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})

    [message] = mail.outbox
    assert message.subject == "[Ponder] Password reset email"
    assert_in_ponders_voice(message)


def test_the_email_to_an_address_already_in_use(client, make_user):
    make_user("ada")

    client.post(
        reverse("account_signup"),
        {
            "display_name": "Ada Again",
            "email": "ada@example.org",
            "username": "ada2",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    [message] = mail.outbox
    assert_in_ponders_voice(message)


def test_the_compiled_catalogue_matches_its_source():
    """The .mo Django reads is compiled from the .po reviewed in git."""
    source = (CATALOGUE / "django.po").read_text()
    pairs = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, re.MULTILINE))
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    assert pairs
    for msgid, msgstr in pairs.items():
        assert catalogue.gettext(msgid) == msgstr
