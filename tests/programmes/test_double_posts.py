"""Invitations sent twice (a double click, a retry, a resent form), in turn or
at the same moment: one invitation and one e-mail per address, and the same
answer."""

import re
from http import HTTPStatus

from django.contrib.messages import get_messages
from django.urls import reverse

from programmes.models import Invitation
from tests.concurrency import at_once, posted_at_once, same_browser

ADDRESSES = "new@example.org, Other <other@example.org>"


def invite_url(cohort) -> str:
    return reverse("studio:invite", args=[cohort.slug])


def members_url(cohort) -> str:
    return reverse("studio:members", args=[cohort.slug])


def submission_key(page: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page)[1]


def shown(response) -> tuple:
    """Where a form's answer led (the client followed it) and what it said."""
    messages = [str(message) for message in response.context["messages"]]
    return response.redirect_chain, messages


def test_invitations_sent_twice_go_out_once_and_are_answered_alike(
    client_for, facilitator, cohort, django_capture_on_commit_callbacks
):
    client = client_for(facilitator)
    key = submission_key(client.get(members_url(cohort)).text)
    posted = {"addresses": ADDRESSES, "submission": key}

    with django_capture_on_commit_callbacks() as sent_first:
        first = client.post(invite_url(cohort), posted, follow=True)
    with django_capture_on_commit_callbacks() as sent_again:
        second = client.post(invite_url(cohort), posted, follow=True)

    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "new@example.org",
        "other@example.org",
    ]
    assert len(sent_first) == 2
    assert sent_again == []
    assert shown(first) == shown(second)
    assert shown(first) == (
        [(members_url(cohort), HTTPStatus.FOUND)],
        ["Invited 2."],
    )


def test_another_form_with_the_same_address_is_told_it_is_pending(
    client_for, facilitator, cohort
):
    client = client_for(facilitator)
    page = members_url(cohort)
    client.post(
        invite_url(cohort),
        {"addresses": ADDRESSES, "submission": submission_key(client.get(page).text)},
    )

    again = client.post(
        invite_url(cohort),
        {"addresses": ADDRESSES, "submission": submission_key(client.get(page).text)},
        follow=True,
    )

    assert Invitation.objects.count() == 2
    assert shown(again)[1] == [
        "Invited 0; skipped 2 already invited (new@example.org, other@example.org)."
    ]


@posted_at_once
def test_invitations_sent_four_times_at_once_go_out_once(
    client_for, facilitator, cohort
):
    browser = same_browser(client_for(facilitator))
    key = submission_key(browser().get(members_url(cohort)).text)
    posted = {"addresses": ADDRESSES, "submission": key}

    def invite() -> tuple:
        response = browser().post(invite_url(cohort), posted)
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        return response.status_code, response["Location"], messages

    answers = at_once(4, invite)

    assert Invitation.objects.count() == 2
    assert answers == [(HTTPStatus.FOUND, members_url(cohort), ["Invited 2."])] * 4
