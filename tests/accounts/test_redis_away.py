"""With Redis away (production's cache settings, a port nothing listens on),
people sign in, read, write and sign out: sessions and the signed-in user
come from the database, and allauth's rate limits count in the process."""

from http import HTTPStatus

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from journal.models import Comment
from tests.conftest import PASSWORD, thing

TOO_MANY_FAILED = "Too many failed login attempts"


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signing_in_and_out_works(redis_away, author, cohort):
    client = Client()

    response = sign_in(client, author.email)

    assert response.status_code == HTTPStatus.FOUND
    assert Session.objects.count() == 1
    page = client.get(reverse("journal:cohort", kwargs={"cohort": cohort.slug}))
    assert page.status_code == HTTPStatus.OK
    assert page.context["user"] == author

    response = client.post(reverse("account_logout"))

    assert response.status_code == HTTPStatus.FOUND
    assert Session.objects.count() == 0
    page = client.get(reverse("home"))
    assert page.status_code == HTTPStatus.OK
    assert not page.context["user"].is_authenticated


def test_a_session_started_before_the_outage_goes_on(
    redis_away, client_for, author, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    client = client_for(author)

    for url in [
        reverse("home"),
        reverse("journal:cohort", kwargs={"cohort": cohort.slug}),
        entry.get_absolute_url(),
        reverse("journal:journal", kwargs={"username": author.username}),
    ]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert response.context["user"] == author


def test_a_comment_written_while_away_is_stored_and_shown(
    redis_away, client_for, author, cohort_mate, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    client = client_for(cohort_mate)
    client.get(entry.get_absolute_url())

    response = client.post(
        reverse(
            "journal:add_comment",
            kwargs={"username": author.username, "slug": entry.slug},
        ),
        {"body": "Written while the cache was away"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Comment.objects.get().body == "Written while the cache was away"
    assert (
        "Written while the cache was away" in client.get(entry.get_absolute_url()).text
    )


def test_failed_sign_ins_are_still_limited(redis_away, make_user, client):
    make_user("ada")
    for _ in range(5):
        response = sign_in(client, "ada@example.org", "not the password")
        assert response.status_code == HTTPStatus.OK
        assert TOO_MANY_FAILED not in response.text

    response = sign_in(client, "ada@example.org")

    assert TOO_MANY_FAILED in response.text
    assert "_auth_user_id" not in client.session
