"""Open cohorts: anyone joins from the open programme's public page, with
no link; a cap on participants and a last day to join are kept."""

import datetime
import re
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programmes import actions
from programmes.joining import (
    PENDING_JOIN_AT_SESSION_KEY,
    PENDING_JOIN_SESSION_KEY,
)
from programmes.models import Cohort, Membership, PendingJoin
from tests.programmes.test_join import page_messages, sign_in, sign_up


@pytest.fixture
def open_cohort(programme, cohort) -> Cohort:
    actions.set_programme_open(programme=programme, is_open=True)
    return actions.set_open_joining(
        cohort=cohort, open_to_all=True, member_cap=None, join_until=None
    )


@pytest.fixture
def newcomer(make_user) -> User:
    return make_user("nina", display_name="Nina Newcomer")


def join_open_url(cohort: Cohort) -> str:
    return reverse("programmes:join_open", kwargs={"cohort": cohort.slug})


def public_page(cohort: Cohort) -> str:
    return cohort.programme.get_public_url()


def members_named(cohort: Cohort, user: User) -> int:
    return Membership.objects.filter(cohort=cohort, user=user).count()


# The public page -----------------------------------------------------------


def test_the_public_page_offers_an_open_cohort_to_join(client, open_cohort):
    page = client.get(public_page(open_cohort)).content.decode()
    assert "Join Spring cohort</button>" in page
    assert f'action="{join_open_url(open_cohort)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_cohort_not_open_to_all_is_not_offered(client, programme, cohort):
    actions.set_programme_open(programme=programme, is_open=True)
    page = client.get(public_page(cohort)).content.decode()
    assert "Spring cohort" not in page
    response = Client().post(join_open_url(cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_an_open_cohort_of_a_closed_programme_is_a_404(
    programme, open_cohort, newcomer, client_for
):
    actions.set_programme_open(programme=programme, is_open=False)
    response = client_for(newcomer).post(join_open_url(open_cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert members_named(open_cohort, newcomer) == 0


def test_a_member_is_shown_the_way_to_the_cohort(open_cohort, author, client_for):
    page = client_for(author).get(public_page(open_cohort)).content.decode()
    assert "You are a member: go to Spring cohort" in page
    assert "Join Spring cohort</button>" not in page


# Joining, signed in ----------------------------------------------------------


def test_a_signed_in_person_joins_at_once_and_lands_on_the_cohort(
    open_cohort, newcomer, client_for
):
    response = client_for(newcomer).post(join_open_url(open_cohort), follow=True)
    assert response.redirect_chain[-1][0] == open_cohort.get_absolute_url()
    assert open_cohort.role_of(newcomer) == Membership.Role.PARTICIPANT
    assert "Welcome to Spring cohort!" in page_messages(response)


def test_a_double_click_makes_one_membership(open_cohort, newcomer, client_for):
    client = client_for(newcomer)
    client.post(join_open_url(open_cohort))
    response = client.post(join_open_url(open_cohort), follow=True)
    assert members_named(open_cohort, newcomer) == 1
    assert "You are already a member of Spring cohort." in page_messages(response)


def test_a_get_joins_nobody(open_cohort, newcomer, client_for):
    response = client_for(newcomer).get(join_open_url(open_cohort))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == public_page(open_cohort)
    assert members_named(open_cohort, newcomer) == 0


def test_the_join_button_is_csrf_protected(open_cohort, newcomer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    response = client.post(join_open_url(open_cohort))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert members_named(open_cohort, newcomer) == 0


def test_a_full_cohort_says_so_and_joins_nobody(
    open_cohort, author, cohort_mate, newcomer, client_for
):
    actions.set_open_joining(
        cohort=open_cohort, open_to_all=True, member_cap=2, join_until=None
    )
    page = client_for(newcomer).get(public_page(open_cohort)).content.decode()
    assert "This cohort is full." in page
    response = client_for(newcomer).post(join_open_url(open_cohort), follow=True)
    assert response.redirect_chain[-1][0] == public_page(open_cohort)
    assert "You have not joined Spring cohort: it is full." in page_messages(response)
    assert members_named(open_cohort, newcomer) == 0


def test_the_cap_counts_participants_not_facilitators(
    open_cohort, author, newcomer, client_for
):
    actions.set_open_joining(
        cohort=open_cohort, open_to_all=True, member_cap=2, join_until=None
    )
    client_for(newcomer).post(join_open_url(open_cohort))
    assert members_named(open_cohort, newcomer) == 1


def test_past_the_last_day_says_so_and_joins_nobody(open_cohort, newcomer, client_for):
    yesterday = timezone.localdate() - datetime.timedelta(days=2)
    actions.set_open_joining(
        cohort=open_cohort, open_to_all=True, member_cap=None, join_until=yesterday
    )
    page = client_for(newcomer).get(public_page(open_cohort)).content.decode()
    assert "The last day to join this cohort has passed." in page
    response = client_for(newcomer).post(join_open_url(open_cohort), follow=True)
    assert (
        "You have not joined Spring cohort: the last day to join it has passed."
        in page_messages(response)
    )
    assert members_named(open_cohort, newcomer) == 0


def test_the_last_day_itself_still_lets_people_in(open_cohort, newcomer, client_for):
    today = timezone.localdate(timezone=datetime.UTC)
    actions.set_open_joining(
        cohort=open_cohort,
        open_to_all=True,
        member_cap=None,
        join_until=today + datetime.timedelta(days=1),
    )
    client_for(newcomer).post(join_open_url(open_cohort))
    assert members_named(open_cohort, newcomer) == 1


# Joining as a visitor --------------------------------------------------------


def test_a_visitor_is_asked_to_sign_up_or_in(open_cohort):
    client = Client()
    response = client.post(join_open_url(open_cohort))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert reverse("account_signup") in page
    assert reverse("account_login") in page
    assert client.session[PENDING_JOIN_SESSION_KEY] == f"open:{open_cohort.slug}"


def test_a_visitor_signs_up_verifies_and_lands_joined(open_cohort):
    client = Client()
    page = client.post(join_open_url(open_cohort)).content.decode()
    signup_href = re.search(r'href="(/accounts/signup/[^"]*)"', page).group(1)
    confirm_path = sign_up(client, "yan", next=join_open_url(open_cohort))
    yan = User.objects.get(username="yan")
    assert PendingJoin.objects.get(user=yan).kind == PendingJoin.Kind.OPEN
    assert open_cohort.role_of(yan) is None

    response = client.post(confirm_path, follow=True)

    assert signup_href.startswith(reverse("account_signup"))
    assert response.redirect_chain[-1][0] == open_cohort.get_absolute_url()
    assert open_cohort.role_of(yan) == Membership.Role.PARTICIPANT
    assert "Welcome to Spring cohort!" in page_messages(response)


def test_a_visitor_who_signs_in_joins_at_once(open_cohort, newcomer):
    client = Client()
    client.post(join_open_url(open_cohort))
    response = sign_in(client, "nina")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == open_cohort.get_absolute_url()
    assert open_cohort.role_of(newcomer) == Membership.Role.PARTICIPANT


def test_a_visitor_who_signs_in_within_the_hour_still_joins(open_cohort, newcomer):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(join_open_url(open_cohort))
        traveller.shift(datetime.timedelta(minutes=59))
        response = sign_in(client, "nina")
    assert response.url == open_cohort.get_absolute_url()
    assert open_cohort.role_of(newcomer) == Membership.Role.PARTICIPANT


@pytest.mark.parametrize("seconds", [3600, 60])
def test_a_visitor_who_signs_in_later_than_the_setting_is_asked_to_join_again(
    open_cohort, newcomer, settings, seconds
):
    settings.PONDER_OPEN_JOIN_SECONDS = seconds
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(join_open_url(open_cohort))
        traveller.shift(datetime.timedelta(seconds=seconds + 1))
        response = sign_in(client, "nina")
        landed = client.get(response.url)

    assert response.url == public_page(open_cohort)
    assert open_cohort.role_of(newcomer) is None
    assert not PendingJoin.objects.filter(user=newcomer).exists()
    assert PENDING_JOIN_SESSION_KEY not in client.session
    assert (
        "You have not joined Spring cohort: you pressed its Join button a while "
        "ago. Press Join again to join." in page_messages(landed)
    )


def test_a_session_without_the_time_of_the_join_button_joins_nobody(
    open_cohort, newcomer
):
    client = Client()
    client.post(join_open_url(open_cohort))
    session = client.session
    del session[PENDING_JOIN_AT_SESSION_KEY]
    session.save()

    response = sign_in(client, "nina")

    assert response.url == public_page(open_cohort)
    assert open_cohort.role_of(newcomer) is None


def test_a_cohort_full_by_verification_time_joins_nobody(open_cohort, author):
    client = Client()
    client.post(join_open_url(open_cohort))
    confirm_path = sign_up(client, "yan")
    actions.set_open_joining(
        cohort=open_cohort, open_to_all=True, member_cap=1, join_until=None
    )
    response = client.post(confirm_path, follow=True)
    assert open_cohort.role_of(User.objects.get(username="yan")) is None
    assert "You have not joined Spring cohort: it is full." in page_messages(response)


def test_signing_in_after_only_following_a_join_link_still_joins_nobody(
    cohort, newcomer
):
    client = Client()
    client.get(reverse("programmes:join", kwargs={"token": cohort.join_token}))
    sign_in(client, "nina")
    assert cohort.role_of(newcomer) is None


# The studio ------------------------------------------------------------------


def studio_url(cohort: Cohort) -> str:
    return reverse("studio:set_open_joining", kwargs={"slug": cohort.slug})


def test_a_facilitator_opens_joining_with_a_cap_and_a_date(
    cohort, facilitator, client_for
):
    response = client_for(facilitator).post(
        studio_url(cohort),
        {"open_to_all": "on", "member_cap": "30", "join_until": "2027-01-31"},
    )
    assert response.status_code == HTTPStatus.FOUND
    cohort.refresh_from_db()
    assert cohort.open_to_all
    assert cohort.member_cap == 30
    assert cohort.join_until == datetime.date(2027, 1, 31)


def test_a_bad_cap_comes_back_with_an_error_and_changes_nothing(
    cohort, facilitator, client_for
):
    response = client_for(facilitator).post(
        studio_url(cohort), {"open_to_all": "on", "member_cap": "0"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = response.content.decode()
    assert "id_member_cap_error" in page
    assert 'value="0"' in page
    cohort.refresh_from_db()
    assert not cohort.open_to_all


@pytest.mark.parametrize("who", ["cohort_mate", "other_facilitator", "owner"])
def test_only_the_cohorts_facilitators_change_it(cohort, client_for, request, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(studio_url(cohort), {"open_to_all": "on"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    cohort.refresh_from_db()
    assert not cohort.open_to_all
