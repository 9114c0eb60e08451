"""Joining a cohort from its join link: /join/<token>/.

A GET shows what one would join; only the POST of its Join button joins. A
visitor who signs up from the page joins once the address is verified, or the
account first signed into, in whatever browser.
"""

import datetime
import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import TaskResultStatus

from programmes import actions, joining
from programmes.joining import PENDING_JOIN_SESSION_KEY
from programmes.models import Membership, PendingJoin
from tests.conftest import PASSWORD


@pytest.fixture
def newcomer(make_user) -> User:
    return make_user("nina", display_name="Nina Newcomer")


def join_url(cohort) -> str:
    return reverse("programmes:join", kwargs={"token": cohort.join_token})


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# The page a GET shows, and the POST that joins


def test_a_get_shows_what_the_link_joins_and_joins_nobody(
    cohort, newcomer, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(newcomer).get(join_url(cohort))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<h1>Join Spring cohort</h1>" in page
    assert "23 Things" in page
    assert "A programme." in page  # the programme's summary
    assert "Fran Facilitator" in page
    start = cohort.start_date
    assert f'<time datetime="{start:%Y-%m-%d}">{date_format(start)}</time>' in page
    assert "Join Spring cohort</button>" in page
    assert cohort.role_of(newcomer) is None
    assert callbacks == []
    assert mail.outbox == []


def test_the_page_names_every_facilitator(cohort, newcomer, make_user, client_for):
    actions.set_role(
        membership=Membership.objects.create(
            user=make_user("flo", display_name="Flo Second"), cohort=cohort
        ),
        role=Membership.Role.FACILITATOR,
    )

    page = client_for(newcomer).get(join_url(cohort)).content.decode()

    assert "Facilitators" in page
    assert "Fran Facilitator, Flo Second" in page


def test_the_page_runs_a_fixed_number_of_queries(
    cohort, newcomer, make_user, client_for, django_assert_max_num_queries
):
    for number in range(3):
        actions.set_role(
            membership=Membership.objects.create(
                user=make_user(f"f{number}"), cohort=cohort
            ),
            role=Membership.Role.FACILITATOR,
        )
    client = client_for(newcomer)
    client.get(join_url(cohort))

    with django_assert_max_num_queries(8):
        response = client.get(join_url(cohort))

    assert response.status_code == HTTPStatus.OK


def test_a_post_joins_as_participant(
    cohort, newcomer, client_for, django_capture_on_commit_callbacks, task_results
):
    client = client_for(newcomer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(cohort))

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


def test_the_join_button_is_csrf_protected(cohort, newcomer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)

    response = client.post(join_url(cohort))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert cohort.role_of(newcomer) is None


def test_the_join_button_of_the_page_joins(cohort, newcomer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    page = client.get(join_url(cohort)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(join_url(cohort), {"csrfmiddlewaretoken": token})

    assert response.status_code == HTTPStatus.FOUND
    assert cohort.role_of(newcomer) == Membership.Role.PARTICIPANT


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
        client_for(newcomer).post(join_url(future))

    [email] = mail.outbox
    assert "Thing 1: Getting started" in email.body
    assert "opens on" in email.body


def test_the_welcome_message_is_shown_after_joining(cohort, newcomer, client_for):
    response = client_for(newcomer).post(join_url(cohort), follow=True)

    assert response.status_code == HTTPStatus.OK
    assert "Welcome to Spring cohort" in response.content.decode()


def test_a_double_post_makes_one_membership(
    cohort, newcomer, client_for, django_capture_on_commit_callbacks
):
    client = client_for(newcomer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url(cohort))
        response = client.post(join_url(cohort), follow=True)

    assert Membership.objects.filter(user=newcomer, cohort=cohort).count() == 1
    assert len(mail.outbox) == 1
    assert "You are already a member of Spring cohort." in page_messages(response)


def test_a_member_is_told_so_with_a_link_to_the_cohort(cohort, author, client_for):
    response = client_for(author).get(join_url(cohort))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "You are a member of Spring cohort" in page
    assert f'href="{cohort.get_absolute_url()}"' in page
    assert "Join Spring cohort</button>" not in page


def test_a_member_posting_changes_nothing(
    cohort, author, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(author).post(join_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == cohort.get_absolute_url()
    assert Membership.objects.filter(user=author, cohort=cohort).count() == 1
    assert callbacks == []
    assert mail.outbox == []


def test_a_facilitator_posting_stays_facilitator(cohort, facilitator, client_for):
    response = client_for(facilitator).post(join_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert cohort.role_of(facilitator) == Membership.Role.FACILITATOR


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("signed_in", [True, False])
def test_a_bad_token_is_a_404_with_a_plain_message(
    cohort, newcomer, client_for, signed_in, method
):
    client = client_for(newcomer) if signed_in else Client()

    url = reverse("programmes:join", kwargs={"token": "nope"})
    response = getattr(client, method)(url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "This join link does not work" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()
    assert PENDING_JOIN_SESSION_KEY not in client.session


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_old_token_stops_working_once_rotated(cohort, newcomer, client_for, method):
    old_url = join_url(cohort)
    cohort.rotate_join_token()

    response = getattr(client_for(newcomer), method)(old_url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert cohort.role_of(newcomer) is None


def test_joining_takes_get_and_post_only(cohort, newcomer, client_for):
    response = client_for(newcomer).put(join_url(cohort))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert cohort.role_of(newcomer) is None


HOSTILE_TOKENS = ["x" * 300, "%00", "%C0%80", "\u202e", "a b", "'; DROP TABLE x"]


@pytest.mark.parametrize("prefix", ["/join/", "/join/invite/"])
@pytest.mark.parametrize("token", HOSTILE_TOKENS)
@pytest.mark.parametrize("signed_in", [True, False])
def test_hostile_tokens_are_a_plain_404(
    cohort, newcomer, client_for, token, prefix, signed_in
):
    client = client_for(newcomer) if signed_in else Client()
    url = f"{prefix}{token}/"

    for response in (client.get(url), client.post(url)):
        assert response.status_code == HTTPStatus.NOT_FOUND
        # A NUL byte never reaches the view (core.middleware.UnstorableTextMiddleware):
        # the site's own 404 page answers it.
        if token != "%00":
            assert "does not work" in response.content.decode()
    assert cohort.role_of(newcomer) is None
    assert PENDING_JOIN_SESSION_KEY not in client.session


# A visitor


def test_a_visitor_sees_the_same_description_and_is_offered_sign_up_and_sign_in(
    cohort,
):
    client = Client()

    response = client.get(join_url(cohort))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Join Spring cohort" in page
    assert "A programme." in page
    assert "Fran Facilitator" in page
    assert reverse("account_signup") in page
    assert reverse("account_login") in page
    assert "Join Spring cohort</button>" not in page
    assert client.session[PENDING_JOIN_SESSION_KEY] == cohort.join_token
    assert not Membership.objects.exclude(user__username="fran").exists()


def test_a_visitor_posting_is_sent_to_sign_in(cohort):
    response = Client().post(join_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url
    assert not Membership.objects.exclude(user__username="fran").exists()


def test_a_visitor_who_signs_in_lands_on_the_join_page_and_joins_with_its_button(
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
    assert client.get(response.url).status_code == HTTPStatus.OK
    assert cohort.role_of(newcomer) is None
    assert PENDING_JOIN_SESSION_KEY not in client.session
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(cohort))
    assert response.url == cohort.get_absolute_url()
    assert cohort.role_of(newcomer) == Membership.Role.PARTICIPANT
    assert [email.to for email in mail.outbox] == [[newcomer.email]]


def test_a_pending_token_is_used_once(cohort, newcomer, client_for):
    """After joining, the next sign-in goes to the usual place."""
    client = Client()
    client.get(join_url(cohort))
    client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}
    )
    client.get(join_url(cohort))
    client.post(join_url(cohort))
    client.post(reverse("account_logout"))

    response = client.post(
        reverse("account_login"), {"login": newcomer.email, "password": PASSWORD}
    )

    assert response.url == reverse("home")


# Signing up from the join page


CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+)")


def sign_up(client: Client, username: str, **extra) -> str:
    """Sign up and return the path of the confirmation link e-mailed."""
    mail.outbox.clear()
    response = client.post(
        reverse("account_signup"),
        {
            "email": f"{username}@example.org",
            "username": username,
            "display_name": "Zoe Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    [confirmation] = mail.outbox
    mail.outbox.clear()
    return CONFIRM_LINK.search(confirmation.body).group(1)


def sign_in(client: Client, username: str):
    return client.post(
        reverse("account_login"),
        {"login": f"{username}@example.org", "password": PASSWORD},
    )


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
    assert "Welcome to Spring cohort!" in page_messages(response)


def test_a_visitor_signs_up_verifies_here_and_becomes_a_member(
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
            "display_name": "Zoe Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account_email_verification_sent")
    zoe = User.objects.get(username="zoe")
    assert cohort.role_of(zoe) is None
    assert PENDING_JOIN_SESSION_KEY not in client.session
    [confirmation] = mail.outbox
    assert confirmation.to == ["zoe@example.org"]
    confirm_path = CONFIRM_LINK.search(confirmation.body).group(1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_path)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == cohort.get_absolute_url()
    assert client.session["_auth_user_id"] == str(zoe.pk)
    assert cohort.role_of(zoe) == Membership.Role.PARTICIPANT
    assert [email.to for email in mail.outbox] == [["zoe@example.org"]]
    assert "Spring cohort" in mail.outbox[0].subject
    assert [result.status for result in task_results] == [TaskResultStatus.SUCCESSFUL]
    assert not PendingJoin.objects.exists()


def test_the_verification_email_names_the_cohort(cohort):
    client = Client()
    client.get(join_url(cohort))
    mail.outbox.clear()

    client.post(
        reverse("account_signup"),
        {
            "email": "zoe@example.org",
            "username": "zoe",
            "display_name": "Zoe Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    [confirmation] = mail.outbox
    assert confirmation.subject == "[Ponder] Confirm your address to join Spring cohort"
    assert "you will join Spring cohort, a cohort of 23 Things" in confirmation.body
    assert CONFIRM_LINK.search(confirmation.body)


def test_a_sign_up_from_nowhere_names_no_cohort_and_keeps_no_pending_join(cohort):
    sign_up_client = Client()
    mail.outbox.clear()
    sign_up_client.post(
        reverse("account_signup"),
        {
            "email": "zoe@example.org",
            "username": "zoe",
            "display_name": "Zoe Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    [confirmation] = mail.outbox
    assert confirmation.subject == "[Ponder] Please confirm your e-mail address"
    assert "Spring cohort" not in confirmation.body
    assert not PendingJoin.objects.exists()


def test_verifying_on_another_device_joins(cohort):
    """Signed up on the laptop; the e-mail is opened on the phone, which has
    never seen the join link."""
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    xia = User.objects.get(username="xia")

    phone = Client()
    response = phone.post(confirm_path, follow=True)

    assert cohort.role_of(xia) == Membership.Role.PARTICIPANT
    assert "Welcome to Spring cohort!" in page_messages(response)
    # The phone is not signed in by the link; signing in there leads to the cohort.
    response = sign_in(phone, "xia")
    assert response.url == cohort.get_absolute_url()
    # Back on the laptop, signing in just signs in.
    response = sign_in(laptop, "xia")
    assert response.status_code == HTTPStatus.FOUND
    assert Membership.objects.filter(user=xia).count() == 1


def test_signing_in_first_on_another_device_joins(cohort):
    """Signed up on the laptop; the first sign-in is on the phone, which asks
    for the address to be verified, and the e-mail's link then signs in there."""
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    xia = User.objects.get(username="xia")

    phone = Client()
    response = sign_in(phone, "xia")
    assert response.url == reverse("account_email_verification_sent")
    assert cohort.role_of(xia) is None
    response = phone.post(confirm_path)

    assert response.url == cohort.get_absolute_url()
    assert phone.session["_auth_user_id"] == str(xia.pk)
    assert cohort.role_of(xia) == Membership.Role.PARTICIPANT


def test_an_address_verified_another_way_joins_at_the_first_sign_in(cohort):
    laptop = Client()
    laptop.get(join_url(cohort))
    sign_up(laptop, "xia")
    xia = User.objects.get(username="xia")
    EmailAddress.objects.filter(user=xia).update(verified=True)  # by an admin

    response = sign_in(Client(), "xia")

    assert response.url == cohort.get_absolute_url()
    assert cohort.role_of(xia) == Membership.Role.PARTICIPANT
    assert not PendingJoin.objects.exists()


def test_a_sign_in_asked_to_lead_elsewhere_still_does_after_a_join(cohort):
    laptop = Client()
    laptop.get(join_url(cohort))
    sign_up(laptop, "xia")
    xia = User.objects.get(username="xia")
    EmailAddress.objects.filter(user=xia).update(verified=True)
    profile = reverse("accounts:profile")

    response = Client().post(
        f"{reverse('account_login')}?next={profile}",
        {"login": "xia@example.org", "password": PASSWORD},
    )

    assert response.url == profile
    assert cohort.role_of(xia) == Membership.Role.PARTICIPANT


def test_an_expired_pending_join_does_not_join(cohort):
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    xia = User.objects.get(username="xia")
    PendingJoin.objects.filter(user=xia).update(
        created=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )

    response = Client().post(confirm_path, follow=True)

    assert EmailAddress.objects.get(user=xia).verified
    assert cohort.role_of(xia) is None
    assert not PendingJoin.objects.exists()
    [message] = [m for m in page_messages(response) if "Spring cohort" in m]
    assert "more than 7 days ago" in message
    assert "Follow the link again" in message


def test_a_pending_join_six_days_old_still_joins(cohort):
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    PendingJoin.objects.update(created=timezone.now() - datetime.timedelta(days=6))

    Client().post(confirm_path)

    assert cohort.role_of(User.objects.get(username="xia")) == "participant"


def test_a_used_pending_join_does_not_join_twice(cohort, facilitator):
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    xia = User.objects.get(username="xia")
    Client().post(confirm_path)
    assert cohort.role_of(xia) == Membership.Role.PARTICIPANT
    # The facilitators remove them; no later sign-in lets them back in.
    actions.remove_member(membership=Membership.objects.get(user=xia))

    response = sign_in(Client(), "xia")

    assert response.url == reverse("home")
    assert cohort.role_of(xia) is None
    assert joining.complete_pending_join(user=xia) is None


def test_a_join_link_closed_at_verification_does_not_join_and_says_so(cohort):
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    actions.set_joining_open(cohort=cohort, is_open=False)

    response = laptop.post(confirm_path, follow=True)

    xia = User.objects.get(username="xia")
    assert cohort.role_of(xia) is None
    assert response.status_code == HTTPStatus.OK
    assert response.redirect_chain[-1][0] == reverse("home")
    assert (
        "You have not joined Spring cohort: its facilitators have closed its join "
        "link for now. Ask them for a personal invitation."
    ) in page_messages(response)
    assert not PendingJoin.objects.exists()


def test_a_join_link_replaced_before_verification_does_not_join(cohort):
    laptop = Client()
    laptop.get(join_url(cohort))
    confirm_path = sign_up(laptop, "xia")
    cohort.rotate_join_token()

    response = Client().post(confirm_path, follow=True)

    assert cohort.role_of(User.objects.get(username="xia")) is None
    assert any("replaced the join link" in m for m in page_messages(response))


def test_a_closed_link_records_no_pending_join(cohort):
    client = Client()
    actions.set_joining_open(cohort=cohort, is_open=False)
    assert client.get(join_url(cohort)).status_code == HTTPStatus.FORBIDDEN

    sign_up(client, "xia")

    assert not PendingJoin.objects.exists()
