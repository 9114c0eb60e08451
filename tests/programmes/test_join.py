"""Joining a cohort from its invitation link: /join/<token>/."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from accounts.adapter import PENDING_JOIN_SESSION_KEY
from programmes.models import Membership
from tests.conftest import PASSWORD


@pytest.fixture
def newcomer(make_user) -> User:
    return make_user("nina", display_name="Nina Newcomer")


def join_url(cohort) -> str:
    return reverse("programmes:join", kwargs={"token": cohort.join_token})


def test_a_signed_in_non_member_joins_as_participant(
    cohort, newcomer, client_for, django_capture_on_commit_callbacks, task_results
):
    client = client_for(newcomer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(join_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("journal:cohort", kwargs={"cohort": "spring"})
    assert cohort.role_of(newcomer) == Membership.Role.PARTICIPANT
    assert [result.status for result in task_results] == [TaskResultStatus.SUCCESSFUL]
    [email] = mail.outbox
    assert email.to == ["nina@example.org"]
    assert "Spring cohort" in email.subject
    assert f"{settings.SITE_URL}/c/spring/" in email.body
    assert "Thing 3: Feeds" in email.body
    assert f"{settings.SITE_URL}/c/spring/things/feeds/" in email.body
    # Things not yet open are not announced.
    assert "Networks" not in email.body


def test_the_welcome_email_names_the_first_thing_when_none_is_open(
    programme, make_cohort, newcomer, client_for, django_capture_on_commit_callbacks
):
    future = make_cohort(
        slug="summer",
        time_zone="Europe/London",
        start_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(newcomer).get(join_url(future))

    [email] = mail.outbox
    assert "Thing 1: Getting started" in email.body
    assert "opens on" in email.body


def test_the_welcome_message_is_shown_after_joining(cohort, newcomer, client_for):
    response = client_for(newcomer).get(join_url(cohort), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert "Welcome to Spring cohort" in response.content.decode()


def test_a_member_joining_again_changes_nothing(
    cohort, author, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(author).get(join_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == cohort.get_absolute_url()
    assert Membership.objects.filter(user=author, cohort=cohort).count() == 1
    assert callbacks == []
    assert mail.outbox == []


def test_a_facilitator_following_the_link_stays_facilitator(
    cohort, facilitator, client_for
):
    response = client_for(facilitator).get(join_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert cohort.role_of(facilitator) == Membership.Role.FACILITATOR


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_bad_token_is_a_404_with_a_plain_message(
    cohort, newcomer, client_for, signed_in
):
    client = client_for(newcomer) if signed_in else Client()

    response = client.get(reverse("programmes:join", kwargs={"token": "nope"}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "This join link does not work" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    assert PENDING_JOIN_SESSION_KEY not in client.session


def test_an_old_token_stops_working_once_rotated(cohort, newcomer, client_for):
    old_url = join_url(cohort)
    cohort.rotate_join_token()

    response = client_for(newcomer).get(old_url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert cohort.role_of(newcomer) is None


def test_joining_takes_get_only(cohort, newcomer, client_for):
    response = client_for(newcomer).post(join_url(cohort))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert cohort.role_of(newcomer) is None


def test_a_visitor_is_offered_sign_up_and_sign_in(cohort):
    client = Client()

    response = client.get(join_url(cohort))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Join Spring cohort" in page
    assert reverse("account_signup") in page
    assert reverse("account_login") in page
    assert client.session[PENDING_JOIN_SESSION_KEY] == cohort.join_token
    assert not Membership.objects.exclude(user__username="fran").exists()


def test_a_visitor_who_signs_in_lands_on_the_join_link_and_joins(
    cohort, newcomer, django_capture_on_commit_callbacks
):
    client = Client()
    client.get(join_url(cohort))
    mail.outbox.clear()

    response = client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == join_url(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(response.url)
    assert response.url == cohort.get_absolute_url()
    assert cohort.role_of(newcomer) == Membership.Role.PARTICIPANT
    assert PENDING_JOIN_SESSION_KEY not in client.session
    assert [email.to for email in mail.outbox] == [[newcomer.email]]


def test_a_pending_token_is_used_once(cohort, newcomer, client_for):
    """After joining, the next sign-in goes to the usual place."""
    client = Client()
    client.get(join_url(cohort))
    client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}
    )
    client.get(join_url(cohort))
    client.post(reverse("account_logout"))

    response = client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}
    )

    assert response.url == reverse("home")


def sign_up(client: Client, username: str, **extra) -> str:
    """Sign up and return the path of the confirmation link e-mailed."""
    mail.outbox.clear()
    response = client.post(
        reverse("account_signup"),
        {
            "email": f"{username}@example.org",
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    [confirmation] = mail.outbox
    mail.outbox.clear()
    return re.search(r"https?://[^/\s]+(/\S+)", confirmation.body).group(1)


def test_the_sign_up_link_on_the_join_page_brings_the_newcomer_back(cohort):
    client = Client()
    page = client.get(join_url(cohort)).content.decode()
    signup_href = re.search(r'href="(/accounts/signup/[^"]*)"', page).group(1)
    assert client.get(signup_href).status_code == HTTPStatus.OK

    confirm_path = sign_up(client, "yan", next=join_url(cohort))
    response = client.post(confirm_path, follow=True)

    assert response.status_code == HTTPStatus.OK
    assert response.redirect_chain[-1][0] == cohort.get_absolute_url()
    assert cohort.role_of(User.objects.get(username="yan")) == "participant"


def test_verifying_in_another_browser_then_signing_in_here_joins(cohort):
    client = Client()
    client.get(join_url(cohort))
    confirm_path = sign_up(client, "xia")

    response = Client().post(confirm_path)  # the link opened on a phone
    assert response.status_code == HTTPStatus.FOUND
    response = client.post(
        reverse("account_login"), {"login": "xia@example.org", "password": PASSWORD}
    )

    assert response.url == join_url(cohort)
    client.get(response.url)
    assert cohort.role_of(User.objects.get(username="xia")) == "participant"


def test_a_visitor_signs_up_verifies_and_becomes_a_member(
    cohort, django_capture_on_commit_callbacks, task_results
):
    client = Client()
    client.get(join_url(cohort))
    mail.outbox.clear()

    response = client.post(
        reverse("account_signup"),
        {
            "email": "zoe@example.org",
            "username": "zoe",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_email_verification_sent")
    zoe = User.objects.get(username="zoe")
    assert cohort.role_of(zoe) is None
    [confirmation] = mail.outbox
    assert confirmation.to == ["zoe@example.org"]
    confirm_url = re.search(r"https?://[^/\s]+(/\S+)", confirmation.body).group(1)
    mail.outbox.clear()

    response = client.post(confirm_url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == join_url(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(response.url, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert response.redirect_chain[0][0] == cohort.get_absolute_url()
    assert cohort.role_of(zoe) == Membership.Role.PARTICIPANT
    assert [email.to for email in mail.outbox] == [["zoe@example.org"]]
    assert "Spring cohort" in mail.outbox[0].subject
    assert [result.status for result in task_results] == [TaskResultStatus.SUCCESSFUL]
