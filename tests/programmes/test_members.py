"""The members page: remove, change roles, close joining; and who may use it."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from programmes import actions
from programmes.models import Invitation, Membership, Nudge
from tests.queries import count_queries

#: What the confirmation page's button sends.
CONFIRMED = {"confirmed": "1"}


def membership(cohort, user) -> Membership:
    return cohort.memberships.get(user=user)


def test_the_members_page_lists_members_with_role_and_joined_date(
    client_for, facilitator, cohort, author, cohort_mate
):
    response = client_for(facilitator).get(reverse("studio:members", args=["spring"]))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for name in ("Fran Facilitator", "Ada Author", "Ben Cohort-Mate"):
        assert name in page
    assert "Facilitator" in page and "Participant" in page
    assert "<time datetime=" in page
    # Participants can be picked for a message; the facilitator cannot.
    assert f'name="participant" value="{author.pk}"' in page
    assert f'name="participant" value="{facilitator.pk}"' not in page
    assert reverse("facilitation:compose_nudge", args=["spring"]) in page


def test_the_members_page_runs_a_fixed_number_of_queries(
    client_for, facilitator, cohort, make_user, join
):
    client = client_for(facilitator)
    url = reverse("studio:members", args=["spring"])
    join(make_user("p0"), cohort)
    with_one = count_queries(client, url)
    for index in range(1, 12):
        join(make_user(f"p{index}"), cohort)

    assert count_queries(client, url) == with_one


# Remove


def test_removing_asks_first_then_removes(client_for, facilitator, cohort, author):
    client = client_for(facilitator)
    url = reverse(
        "studio:remove_member", args=["spring", membership(cohort, author).pk]
    )

    confirm = client.get(url)
    assert confirm.status_code == HTTPStatus.OK
    assert "Remove Ada Author from Spring cohort?" in confirm.content.decode()
    assert cohort.role_of(author) == Membership.Role.PARTICIPANT

    unconfirmed = client.post(url)
    assert unconfirmed.status_code == HTTPStatus.OK
    assert "Remove Ada Author from Spring cohort?" in unconfirmed.content.decode()
    assert cohort.role_of(author) == Membership.Role.PARTICIPANT

    response = client.post(url, CONFIRMED)
    assert response.url == reverse("studio:members", args=["spring"])
    assert cohort.role_of(author) is None


def test_the_last_facilitator_cannot_remove_themselves(client_for, facilitator, cohort):
    url = reverse(
        "studio:remove_member", args=["spring", membership(cohort, facilitator).pk]
    )

    response = client_for(facilitator).post(url, CONFIRMED, follow=True)

    assert "needs at least one facilitator" in response.content.decode()
    assert cohort.role_of(facilitator) == Membership.Role.FACILITATOR


def test_a_facilitator_may_leave_when_another_remains(
    client_for, facilitator, cohort, author
):
    actions.set_role(membership=membership(cohort, author), role="facilitator")
    url = reverse(
        "studio:remove_member", args=["spring", membership(cohort, facilitator).pk]
    )

    response = client_for(facilitator).post(url, CONFIRMED)

    assert response.url == reverse("studio:index")
    assert cohort.role_of(facilitator) is None


# Roles


def test_a_participant_is_made_facilitator_and_back(
    client_for, facilitator, cohort, author
):
    client = client_for(facilitator)
    url = reverse("studio:member_role", args=["spring", membership(cohort, author).pk])

    client.post(url, {"role": "facilitator"})
    assert cohort.role_of(author) == Membership.Role.FACILITATOR
    client.post(url, {"role": "participant"})
    assert cohort.role_of(author) == Membership.Role.PARTICIPANT


def test_pages_follow_a_role_change_and_a_removal_at_once(
    client_for, facilitator, cohort, author
):
    """The role a page reads is kept in the cache: every change must reach it."""
    actions.set_role(membership=membership(cohort, author), role="facilitator")
    author_client = client_for(author)
    progress = reverse("facilitation:progress", args=["spring"])
    cohort_page = reverse("journal:cohort", args=["spring"])
    assert author_client.get(progress).status_code == HTTPStatus.OK

    client_for(facilitator).post(
        reverse("studio:member_role", args=["spring", membership(cohort, author).pk]),
        {"role": "participant"},
    )
    assert author_client.get(progress).status_code == HTTPStatus.NOT_FOUND
    assert author_client.get(cohort_page).status_code == HTTPStatus.OK

    client_for(facilitator).post(
        reverse("studio:remove_member", args=["spring", membership(cohort, author).pk]),
        CONFIRMED,
    )
    assert author_client.get(cohort_page).status_code == HTTPStatus.NOT_FOUND


def test_the_last_facilitator_cannot_become_a_participant(
    client_for, facilitator, cohort
):
    url = reverse(
        "studio:member_role", args=["spring", membership(cohort, facilitator).pk]
    )

    response = client_for(facilitator).post(url, {"role": "participant"}, follow=True)

    assert "needs at least one facilitator" in response.content.decode()
    assert cohort.role_of(facilitator) == Membership.Role.FACILITATOR


def test_an_unknown_role_is_refused(client_for, facilitator, cohort, author):
    url = reverse("studio:member_role", args=["spring", membership(cohort, author).pk])

    client_for(facilitator).post(url, {"role": "owner"})

    assert cohort.role_of(author) == Membership.Role.PARTICIPANT


# Joining switch and the closed join link


def test_joining_is_closed_and_reopened(client_for, facilitator, cohort):
    client = client_for(facilitator)
    url = reverse("studio:set_joining", args=["spring"])

    client.post(url, {"open": "0"})
    cohort.refresh_from_db()
    assert not cohort.joining_open
    client.post(url, {"open": "1"})
    cohort.refresh_from_db()
    assert cohort.joining_open


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("signed_in", [True, False])
def test_a_closed_join_link_says_so_plainly(
    cohort, make_user, client_for, signed_in, method
):
    actions.set_joining_open(cohort=cohort, is_open=False)
    newcomer = make_user("nina")
    client = client_for(newcomer) if signed_in else Client()

    response = getattr(client, method)(cohort.get_join_url())

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Joining Spring cohort is closed" in response.content.decode()
    assert cohort.role_of(newcomer) is None
    assert "pending_join_token" not in client.session


def test_a_member_following_a_closed_link_still_reaches_the_cohort(
    cohort, author, client_for
):
    actions.set_joining_open(cohort=cohort, is_open=False)
    client = client_for(author)

    page = client.get(cohort.get_join_url())
    response = client.post(cohort.get_join_url())

    assert page.status_code == HTTPStatus.OK
    assert f'href="{cohort.get_absolute_url()}"' in page.content.decode()
    assert response.url == cohort.get_absolute_url()


# Who may do what


STUDIO_PAGES = [
    ("studio:members", {}),
    ("facilitation:nudges", {}),
    ("facilitation:compose_nudge", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), STUDIO_PAGES)
@pytest.mark.parametrize(
    "persona", ["author", "cohort_mate", "outsider", "other_facilitator"]
)
def test_pages_are_a_404_to_all_but_the_cohorts_facilitators(
    client_as, cohort, other_cohort, author, persona, name, kwargs
):
    response = client_as(persona).get(reverse(name, args=["spring"]))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("name", "kwargs"), STUDIO_PAGES)
def test_a_visitor_is_sent_to_sign_in(cohort, name, kwargs):
    response = Client().get(reverse(name, args=["spring"]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_a_facilitator_of_another_cohort_can_change_nothing_here(
    client_for,
    cohort,
    facilitator,
    author,
    other_facilitator,
    other_cohort,
    django_capture_on_commit_callbacks,
):
    client = client_for(other_facilitator)
    author_membership = membership(cohort, author)
    fran_membership = membership(cohort, facilitator)
    attempts = [
        (
            reverse("studio:remove_member", args=["spring", author_membership.pk]),
            CONFIRMED,
        ),
        (
            reverse("studio:member_role", args=["spring", author_membership.pk]),
            {"role": "facilitator"},
        ),
        (
            reverse("studio:member_role", args=["spring", fran_membership.pk]),
            {"role": "participant"},
        ),
        (reverse("studio:set_joining", args=["spring"]), {"open": "0"}),
        (reverse("studio:invite", args=["spring"]), {"addresses": "x@example.org"}),
        (
            reverse("facilitation:compose_nudge", args=["spring"]),
            {"participant": [author.pk], "subject": "Hi", "body": "Hi", "send": "1"},
        ),
    ]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for url, data in attempts:
            assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND

    cohort.refresh_from_db()
    assert cohort.joining_open
    assert cohort.role_of(author) == Membership.Role.PARTICIPANT
    assert cohort.role_of(facilitator) == Membership.Role.FACILITATOR
    assert not Invitation.objects.exists()
    assert not Nudge.objects.exists()
    assert callbacks == [] and mail.outbox == []


def test_a_membership_of_another_cohort_cannot_be_reached_through_mine(
    client_for, cohort, facilitator, other_cohort, outsider
):
    """Fran facilitates spring; Oscar's membership is in autumn."""
    other = membership(other_cohort, outsider)
    client = client_for(facilitator)

    remove = client.post(
        reverse("studio:remove_member", args=["spring", other.pk]), CONFIRMED
    )
    role = client.post(
        reverse("studio:member_role", args=["spring", other.pk]),
        {"role": "facilitator"},
    )

    assert remove.status_code == role.status_code == HTTPStatus.NOT_FOUND
    assert other_cohort.role_of(outsider) == Membership.Role.PARTICIPANT


def test_participants_of_another_cohort_are_never_nudged(
    client_for, cohort, facilitator, author, other_cohort, outsider
):
    client_for(facilitator).post(
        reverse("facilitation:compose_nudge", args=["spring"]),
        {
            "participant": [author.pk, outsider.pk],
            "subject": "Hi",
            "body": "Hi {name}",
            "send": "1",
        },
    )

    nudge = Nudge.objects.get()
    assert [d.recipient for d in nudge.deliveries.all()] == [author]


def test_the_cached_role_follows_a_removal_and_a_role_change(
    facilitator, cohort, author, cohort_mate
):
    assert cohort.cached_role_of(cohort_mate) == Membership.Role.PARTICIPANT

    actions.remove_member(membership=membership(cohort, cohort_mate))
    cohort.refresh_from_db()
    assert cohort.cached_role_of(cohort_mate) is None

    assert cohort.cached_role_of(author) == Membership.Role.PARTICIPANT
    actions.set_role(
        membership=membership(cohort, author), role=Membership.Role.FACILITATOR
    )
    cohort.refresh_from_db()
    assert cohort.cached_role_of(author) == Membership.Role.FACILITATOR
