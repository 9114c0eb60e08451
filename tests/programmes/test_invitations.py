"""Invite by e-mail (studio:invite) and the personal link (programmes:invitation)."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from programmes import actions, members
from programmes.joining import PENDING_JOIN_SESSION_KEY
from programmes.models import Invitation, Membership
from tests.conftest import PASSWORD


def invite_url(cohort) -> str:
    return reverse("studio:invite", args=[cohort.slug])


def invitation_url(invitation: Invitation) -> str:
    return reverse("programmes:invitation", kwargs={"token": invitation.token})


@pytest.fixture
def newcomer(make_user) -> User:
    return make_user("nina", display_name="Nina Newcomer")


def test_addresses_are_read_in_every_usual_form():
    parsed = members.parse_addresses(
        "a@example.org, b@example.org\nC@Example.org  d@example.org;"
        "Ed Smith <ed@example.org>\n\n a@example.org"
    )

    assert parsed.invalid == []
    assert parsed.valid == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "d@example.org",
        "ed@example.org",
    ]


def test_a_list_with_bad_addresses_invites_nobody_and_lists_them(
    client_for, facilitator, cohort, django_capture_on_commit_callbacks
):
    text = "good@example.org, not-an-address\nAl <al@@example.org>, x@y"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(facilitator).post(invite_url(cohort), {"addresses": text})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = response.content.decode()
    assert 'id="id_addresses_errors"' in page
    assert "“not-an-address”" in page
    assert "“al@@example.org”" in page
    assert "“x@y”" in page
    assert "“good@example.org”" not in page
    assert "good@example.org, not-an-address" in page  # the text is kept
    assert not Invitation.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_new_addresses_are_invited_and_members_and_pending_skipped(
    client_for,
    facilitator,
    cohort,
    author,
    django_capture_on_commit_callbacks,
    task_results,
):
    client = client_for(facilitator)
    client.post(invite_url(cohort), {"addresses": "pending@example.org"})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(cohort),
            {
                "addresses": "New Person <new@example.org>, ADA@example.org\n"
                "pending@example.org"
            },
            follow=True,
        )

    page = response.content.decode()
    assert "Invited 1" in page
    assert "skipped 1 already a member (ada@example.org)" in page
    assert "skipped 1 already invited (pending@example.org)" in page
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "new@example.org",
        "pending@example.org",
    ]
    [email] = mail.outbox
    assert email.to == ["new@example.org"]
    assert "Spring cohort" in email.subject
    invitation = Invitation.objects.get(email="new@example.org")
    assert invitation.invited_by == facilitator
    assert f"{settings.SITE_URL}{invitation_url(invitation)}" in email.body
    assert all(result.status.name == "SUCCESSFUL" for result in task_results)


def test_a_get_shows_the_invitation_and_uses_nothing(
    cohort, facilitator, newcomer, client_for
):
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)

    response = client_for(newcomer).get(invitation_url(invitation))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<h1>Join Spring cohort</h1>" in page
    assert "A programme." in page
    assert "Fran Facilitator" in page
    assert "Join Spring cohort</button>" in page
    assert cohort.role_of(newcomer) is None
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_works_while_joining_is_closed(
    facilitator, cohort, newcomer, client_for, django_capture_on_commit_callbacks
):
    actions.set_joining_open(cohort=cohort, is_open=False)
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)
    client = client_for(newcomer)
    assert client.get(invitation_url(invitation)).status_code == HTTPStatus.OK
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invitation_url(invitation))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == cohort.get_absolute_url()
    assert cohort.role_of(newcomer) == Membership.Role.PARTICIPANT
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert invitation.accepted_at is not None
    assert [email.to for email in mail.outbox] == [[newcomer.email]]  # welcome


def test_the_accept_button_is_csrf_protected(cohort, newcomer):
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)

    response = client.post(invitation_url(invitation))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert cohort.role_of(newcomer) is None


def test_an_invitation_is_single_use(cohort, newcomer, make_user, client_for):
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)
    client_for(newcomer).post(invitation_url(invitation))
    other = client_for(make_user("olga"))

    for response in (
        other.get(invitation_url(invitation)),
        other.post(invitation_url(invitation)),
    ):
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert "This invitation does not work" in response.content.decode()
    assert cohort.role_of(User.objects.get(username="olga")) is None
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer


def test_a_double_post_makes_one_membership(
    cohort, newcomer, client_for, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)
    client = client_for(newcomer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(invitation_url(invitation))
        response = client.post(invitation_url(invitation), follow=True)

    assert response.redirect_chain == [(cohort.get_absolute_url(), HTTPStatus.FOUND)]
    assert Membership.objects.filter(user=newcomer, cohort=cohort).count() == 1
    assert len(mail.outbox) == 1
    assert "You are already a member of Spring cohort." in response.content.decode()


def test_a_used_invitation_does_not_let_a_removed_member_back(
    cohort, facilitator, newcomer, client_for
):
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)
    client = client_for(newcomer)
    client.post(invitation_url(invitation))
    actions.remove_member(membership=Membership.objects.get(user=newcomer))

    for response in (
        client.get(invitation_url(invitation)),
        client.post(invitation_url(invitation)),
    ):
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert cohort.role_of(newcomer) is None


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("signed_in", [True, False])
def test_an_unknown_token_is_a_404_with_a_plain_message(
    cohort, newcomer, client_for, signed_in, method
):
    client = client_for(newcomer) if signed_in else Client()

    url = reverse("programmes:invitation", kwargs={"token": "nope"})
    response = getattr(client, method)(url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "This invitation does not work" in response.content.decode()


def test_a_visitor_posting_is_sent_to_sign_in(cohort):
    invitation = Invitation.objects.create(cohort=cohort, email="zoe@example.org")

    response = Client().post(invitation_url(invitation))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_visitor_signs_in_and_lands_back_on_the_invitation(
    cohort, newcomer, django_capture_on_commit_callbacks
):
    actions.set_joining_open(cohort=cohort, is_open=False)
    invitation = Invitation.objects.create(cohort=cohort, email=newcomer.email)
    client = Client()

    page = client.get(invitation_url(invitation))
    assert page.status_code == HTTPStatus.OK
    assert "Join Spring cohort" in page.content.decode()
    response = client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}
    )

    assert response.url == invitation_url(invitation)
    assert client.get(response.url).status_code == HTTPStatus.OK
    assert cohort.role_of(newcomer) is None
    response = client.post(invitation_url(invitation))
    assert response.url == cohort.get_absolute_url()
    assert cohort.role_of(newcomer) == Membership.Role.PARTICIPANT
    assert PENDING_JOIN_SESSION_KEY not in client.session


def sign_up_from_invitation(invitation: Invitation, username: str) -> str:
    """Sign up in one browser from the invitation; the confirmation link's path."""
    client = Client()
    client.get(invitation_url(invitation))
    mail.outbox.clear()
    client.post(
        reverse("account_signup"),
        {
            "email": f"{username}@example.org",
            "username": username,
            "display_name": "Zoe Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    [confirmation] = mail.outbox
    assert "you will join Spring cohort" in confirmation.body
    return re.search(r"https?://[^/\s]+(/\S+)", confirmation.body).group(1)


def test_a_visitor_signs_up_and_joins_by_invitation_when_verifying_on_another_device(
    cohort,
):
    actions.set_joining_open(cohort=cohort, is_open=False)
    invitation = Invitation.objects.create(cohort=cohort, email="zoe@example.org")
    confirm_path = sign_up_from_invitation(invitation, "zoe")

    phone = Client()
    phone.post(confirm_path)

    zoe = User.objects.get(username="zoe")
    assert cohort.role_of(zoe) == "participant"
    invitation.refresh_from_db()
    assert invitation.accepted_by == zoe
    response = phone.post(
        reverse("account_login"), {"login": "zoe@example.org", "password": PASSWORD}
    )
    assert response.url == cohort.get_absolute_url()


def test_an_invitation_used_before_verification_does_not_join(
    cohort, newcomer, client_for
):
    invitation = Invitation.objects.create(cohort=cohort, email="zoe@example.org")
    confirm_path = sign_up_from_invitation(invitation, "zoe")
    client_for(newcomer).post(invitation_url(invitation))

    response = Client().post(confirm_path, follow=True)

    assert cohort.role_of(User.objects.get(username="zoe")) is None
    assert (
        "You have not joined Spring cohort: your invitation has been used already. "
        "Ask its facilitators for a new one."
    ) in response.content.decode().replace("&#x27;", "'")


def test_a_member_following_an_invitation_keeps_their_role(
    cohort, facilitator, client_for
):
    invitation = Invitation.objects.create(cohort=cohort, email=facilitator.email)
    client = client_for(facilitator)

    page = client.get(invitation_url(invitation)).content.decode()
    response = client.post(invitation_url(invitation))

    assert "You are a member of Spring cohort" in page
    assert response.status_code == HTTPStatus.FOUND
    assert cohort.role_of(facilitator) == Membership.Role.FACILITATOR
