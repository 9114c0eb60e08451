"""Password reset by e-mail (django-allauth)."""

import re
from http import HTTPStatus

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

NEW_PASSWORD = "another quite long passphrase"


def test_password_reset_sends_an_email(client, make_user):
    make_user("ada")
    mail.outbox.clear()

    response = client.post(
        reverse("account_reset_password"), {"email": "ada@example.org"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject.startswith("[Ponder] ")
    assert "/accounts/password/reset/key/" in message.body


def test_the_emailed_link_sets_a_new_password(client, make_user):
    make_user("ada")
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    path = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body
    )[1]

    response = client.get(path, follow=True)
    assert response.status_code == HTTPStatus.OK
    set_path = response.redirect_chain[-1][0]
    response = client.post(
        set_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    fresh = Client()
    refused = fresh.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}
    )
    assert refused.status_code == HTTPStatus.OK
    accepted = fresh.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": NEW_PASSWORD},
    )
    assert accepted.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in fresh.session


def test_an_unknown_address_gets_no_reset_link(client, db):
    mail.outbox.clear()

    response = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )

    # The same answer as for a known address: no enumeration.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_reset_password_done")
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)
