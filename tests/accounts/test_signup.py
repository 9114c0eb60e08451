"""Sign-up, e-mail verification and sign-in through django-allauth."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from tests.conftest import PASSWORD


def sign_up(
    client: Client,
    username: str,
    email: str = "zoe@example.org",
    display_name: str = "Zoe Newcomer",
):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "username": username,
            "display_name": display_name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def confirmation_path() -> str:
    [message] = [m for m in mail.outbox if "confirm-email" in m.body]
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)[1]


def test_the_sign_up_page_works(client, db):
    response = client.get(reverse("account_signup"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for name in ["display_name", "email", "username", "password1", "password2"]:
        assert f'name="{name}"' in page
    assert page.index('name="display_name"') < page.index('name="email"')


def test_sign_up_saves_the_display_name_trimmed(client, db):
    response = sign_up(client, "zoe", display_name="  Zoe Newcomer  ")

    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(username="zoe").profile.display_name == "Zoe Newcomer"


@pytest.mark.parametrize("display_name", ["", "   ", "Z" * 81])
def test_sign_up_refuses_a_missing_or_overlong_display_name(client, db, display_name):
    response = sign_up(client, "zoe", display_name=display_name)

    assert response.status_code == HTTPStatus.OK
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()
    page = response.content.decode()
    assert 'value="zoe@example.org"' in page
    assert 'data-limit="80"' in page


def test_sign_up_keeps_the_display_name_when_another_field_is_wrong(client, db):
    response = sign_up(client, "zo", display_name="Zoe Newcomer")

    assert response.status_code == HTTPStatus.OK
    assert 'value="Zoe Newcomer"' in response.content.decode()


def test_sign_up_creates_a_user_with_a_profile(client, db):
    response = sign_up(client, "zoe")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_email_verification_sent")
    zoe = User.objects.get(username="zoe")
    assert zoe.email == "zoe@example.org"
    assert Profile.objects.filter(user=zoe).exists()
    assert zoe.profile.time_zone == "Europe/London"
    assert not EmailAddress.objects.get(user=zoe).verified


@pytest.mark.parametrize(
    "username",
    [
        "zoe@home",
        "zoe.smith",
        "zoe+1",
        "zoe smith",
        " zoe smith ",
        "-zoe",
        "zoe-",
        "zoé",
        "zoe/smith",
        "zo",
    ],
)
def test_sign_up_refuses_usernames_unfit_for_urls(client, db, username):
    response = sign_up(client, username)

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert "username" in form.errors
    assert not User.objects.exists()
    assert mail.outbox == []
    # The rest of what was typed is kept.
    assert 'value="zoe@example.org"' in response.content.decode()


@pytest.mark.parametrize(
    "username", ["admin", "studio", "write", "join", "feeds", "Admin", "STUDIO"]
)
def test_sign_up_refuses_reserved_words(client, db, username):
    response = sign_up(client, username)

    assert response.status_code == HTTPStatus.OK
    assert "username" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.parametrize(("typed", "stored"), [("ZoeS", "zoes"), ("ZOE_2", "zoe_2")])
def test_sign_up_lower_cases_the_username(client, db, typed, stored):
    response = sign_up(client, typed)

    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get().username == stored


def test_sign_up_refuses_a_username_taken_in_another_case(client, make_user):
    make_user("zoe", email="first@example.org")

    response = sign_up(client, "ZOE")

    assert response.status_code == HTTPStatus.OK
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


def test_sign_up_with_an_email_in_use_tells_its_owner_only(client, make_user):
    """allauth prevents enumeration: the form looks accepted, the address's
    owner is told by e-mail, and no second account is made."""
    make_user("zed", email="zoe@example.org")
    mail.outbox.clear()

    response = sign_up(client, "zoe", email="ZOE@example.org")

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_email_verification_sent")
    assert list(User.objects.values_list("username", flat=True)) == ["zed"]
    [message] = mail.outbox
    assert message.to == ["zoe@example.org"]
    assert "confirm-email" not in message.body


def test_sign_in_is_refused_before_verification(client, db):
    sign_up(client, "zoe")
    client = Client()

    response = client.post(
        reverse("account_login"), {"login": "zoe@example.org", "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == HTTPStatus.FOUND


def test_verifying_by_the_emailed_link_allows_sign_in(client, db):
    mail.outbox.clear()
    sign_up(client, "zoe")
    path = confirmation_path()
    other_browser = Client()
    # The link shows a page to confirm with a POST (CONFIRM_EMAIL_ON_GET is off).
    assert other_browser.get(path).status_code == HTTPStatus.OK
    assert not EmailAddress.objects.get(email="zoe@example.org").verified

    other_browser.post(path)

    assert EmailAddress.objects.get(email="zoe@example.org").verified
    response = other_browser.post(
        reverse("account_login"), {"login": "zoe@example.org", "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("home")
    assert other_browser.session["_auth_user_id"] == str(User.objects.get().pk)


def test_verifying_in_the_same_browser_signs_in(client, db):
    mail.outbox.clear()
    sign_up(client, "zoe")

    response = client.post(confirmation_path())

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_the_verification_email_names_the_site(client, db):
    mail.outbox.clear()
    sign_up(client, "zoe")

    [message] = mail.outbox
    assert message.to == ["zoe@example.org"]
    assert message.subject.startswith("[Ponder] ")


def test_a_wrong_password_is_refused(client, make_user):
    make_user("zoe")

    response = client.post(
        reverse("account_login"), {"login": "zoe@example.org", "password": "wrong"}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_sign_in_by_username_is_not_offered(client, make_user):
    make_user("zoe")

    response = client.post(
        reverse("account_login"), {"login": "zoe", "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("browser", "kept"), [("nl", "nl"), ("fr", ""), ("en-gb", "")])
def test_sign_up_keeps_the_language_it_was_made_in(client, db, browser, kept):
    """A language Ponder does not have, or the site's own, leaves the
    profile to follow the site's."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = browser
    sign_up(client, "zoe")

    assert User.objects.get(username="zoe").profile.language == kept


def test_the_address_confirmation_is_in_the_language_signed_up_in(client, db):
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="en-gb"), "ann", email="ann@example.org")
    sign_up(Client(HTTP_ACCEPT_LANGUAGE="nl"), "zoe")
    english, dutch = (message.subject for message in mail.outbox)

    assert dutch != english
    assert "e-mailadres" in dutch
