"""allauth's e-mails are written in their recipient's language (the profile's,
else the site's), not in that of the request that makes them
(accounts/adapter.py). allauth's own German catalogue shows which one."""

from django.core import mail
from django.urls import reverse

from accounts.models import Profile, language_of_address
from tests.conftest import PASSWORD

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_password_reset_is_in_the_account_s_language(client, make_user):
    ada = make_user("ada")
    Profile.objects.filter(user=ada).update(language="de")
    mail.outbox.clear()

    client.post(reverse("account_reset_password"), {"email": ada.email}, **ENGLISH)

    [message] = mail.outbox
    assert message.subject == "[Ponder] E-Mail zum Zurücksetzen des Passworts"


def test_an_e_mail_naming_no_account_is_in_that_of_the_address(client, make_user):
    """Signing up with a taken address tells its owner, in their language."""
    ada = make_user("ada")
    Profile.objects.filter(user=ada).update(language="de")
    mail.outbox.clear()

    client.post(
        reverse("account_signup"),
        {
            "display_name": "Someone",
            "email": ada.email,
            "username": "someone",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **ENGLISH,
    )

    [message] = mail.outbox
    assert message.to == [ada.email]
    assert message.subject == "[Ponder] Konto existiert bereits"


def test_an_address_s_language_is_its_account_s_else_the_site_s(settings, make_user):
    ada = make_user("ada", email="Ada@Example.org")
    Profile.objects.filter(user=ada).update(language="nl")
    ada.emailaddress_set.create(email="ada@elsewhere.example")

    assert language_of_address("ada@example.org") == "nl"
    assert language_of_address("ada@elsewhere.example") == "nl"
    assert language_of_address("nobody@example.org") == settings.LANGUAGE_CODE
