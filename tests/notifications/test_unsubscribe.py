"""One-click unsubscribe from notification e-mail, with no sign-in
(notifications:unsubscribe)."""

from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from journal import actions
from notifications.models import Frequency, Kind, Preference
from notifications.unsubscribe import SALT, unsubscribe_token

ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_path(token: str) -> str:
    return reverse("notifications:unsubscribe", args=[token])


def one_click(path: str):
    """What a mail client sends (RFC 8058): no session, no CSRF token."""
    return Client(enforce_csrf_checks=True).post(
        path, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )


def test_get_asks_for_confirmation_and_changes_nothing(author):
    path = unsubscribe_path(unsubscribe_token(author, [Kind.REPLY]))

    response = Client().get(path)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Unsubscribe from these e-mails?" in html
    assert "a reply to my comment" in html
    assert '<form method="post">' in html
    assert not Preference.objects.exists()


def test_posting_the_form_unsubscribes_from_that_kind_only(author):
    path = unsubscribe_path(unsubscribe_token(author, [Kind.REPLY]))

    response = Client().post(path)

    assert response.status_code == HTTPStatus.OK
    assert "You are unsubscribed" in response.content.decode()
    assert reverse("notifications:settings") in response.content.decode()
    chosen = Preference.objects.frequencies_for(author)
    assert chosen[Kind.REPLY] == Frequency.NEVER
    assert chosen[Kind.COMMENT] == Frequency.IMMEDIATELY


def test_one_click_from_a_mail_client_needs_no_csrf_token_nor_sign_in(author):
    path = unsubscribe_path(unsubscribe_token(author, [Kind.MESSAGE]))

    response = one_click(path)

    assert response.status_code == HTTPStatus.OK
    assert Preference.objects.frequency_for(author, Kind.MESSAGE) == Frequency.NEVER


def test_a_digest_link_unsubscribes_from_every_kind_it_told_of(author):
    token = unsubscribe_token(author, [Kind.COMMENT, Kind.MENTION])

    one_click(unsubscribe_path(token))

    chosen = Preference.objects.frequencies_for(author)
    assert (chosen[Kind.COMMENT], chosen[Kind.MENTION]) == ("never", "never")
    assert chosen[Kind.REPLY] == Frequency.IMMEDIATELY


def _token_of_another_key(user) -> str:
    signer = signing.Signer(key="not our secret", salt=SALT)
    return signer.sign_object({"user": user.pk, "kinds": [Kind.REPLY]})


def _ben_payload_with_ada_signature(user) -> str:
    ada = unsubscribe_token(user, [Kind.REPLY])
    ben = unsubscribe_token(user.__class__.objects.get(username="ben"), [Kind.REPLY])
    return ben.rsplit(":", 1)[0] + ":" + ada.rsplit(":", 1)[1]


def _unknown_kind(user) -> str:
    return signing.Signer(salt=SALT).sign_object({"user": user.pk, "kinds": ["all"]})


def _not_a_dict(user) -> str:
    return signing.Signer(salt=SALT).sign_object([user.pk])


def _deleted_user(user) -> str:
    token = unsubscribe_token(user, [Kind.REPLY])
    user.delete()
    return token


@pytest.mark.parametrize(
    "make_token",
    [
        lambda user: "nonsense",
        lambda user: ":",
        _token_of_another_key,
        _ben_payload_with_ada_signature,
        _unknown_kind,
        _not_a_dict,
        _deleted_user,
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_broken_token_is_a_404(make_token, method, author, cohort_mate):
    path = unsubscribe_path(make_token(author))

    response = getattr(Client(), method)(path)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Preference.objects.exists()


def test_the_link_in_an_email_stops_that_kind_of_email(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    entry = make_entry(author, cohort=cohort)
    with committed():
        actions.add_comment(entry=entry, author=cohort_mate, body="One")
    [email] = outbox
    url = email.extra_headers["List-Unsubscribe"].strip("<>")

    assert one_click(urlsplit(url).path).status_code == HTTPStatus.OK

    with committed():
        actions.add_comment(entry=entry, author=cohort_mate, body="Two")
    assert len(outbox) == 1
    assert entry.author.notifications.count() == 2  # still in the app
