"""A report or a nudge sent twice (a double click, a retry, a resent form),
in turn or at the same moment, is stored once and answered alike."""

import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from facilitation import actions as facilitation_actions
from journal.models import Entry, Report
from programmes.models import Nudge, NudgeDelivery
from tests.concurrency import at_once, posted_at_once, same_browser
from tests.conftest import thing


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))


def report_url(entry: Entry) -> str:
    return reverse(
        "facilitation:report_entry",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def compose_url(cohort) -> str:
    return reverse("facilitation:compose_nudge", args=[cohort.slug])


def submission_key(page: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page)[1]


def answer(response) -> tuple:
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location"), messages


def shown(response) -> tuple:
    """Where a form's answer led (the client followed it) and what it said."""
    messages = [str(message) for message in response.context["messages"]]
    return response.redirect_chain, messages


# Reports -------------------------------------------------------------------------


@posted_at_once
def test_a_report_sent_four_times_at_once_is_stored_once(
    client_for, cohort_mate, entry
):
    browser = same_browser(client_for(cohort_mate))

    answers = at_once(4, lambda: browser().post(report_url(entry), {"reason": "spam"}))

    report = Report.objects.get()
    assert (report.reporter, report.entry) == (cohort_mate, entry)
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (HTTPStatus.FOUND, entry.get_absolute_url())
    }


def test_once_dealt_with_the_item_can_be_reported_again(
    client_for, cohort_mate, facilitator, entry
):
    client = client_for(cohort_mate)
    client.post(report_url(entry), {"reason": "spam"})
    facilitation_actions.dismiss_report(actor=facilitator, report=Report.objects.get())

    client.post(report_url(entry), {"reason": "unkind"})

    assert sorted(Report.objects.values_list("reason", flat=True)) == [
        "spam",
        "unkind",
    ]


# Nudges --------------------------------------------------------------------------


def nudge(key: str, *recipients, body: str = "Hello {name}.") -> dict:
    return {
        "participant": [str(user.pk) for user in recipients],
        "subject": "Keep going",
        "body": body,
        "submission": key,
        "send": "1",
        "confirmed": "1",
    }


def test_a_nudge_sent_twice_goes_out_once_and_is_answered_alike(
    client_for, facilitator, cohort, author, cohort_mate
):
    client = client_for(facilitator)
    key = submission_key(client.get(compose_url(cohort)).text)
    posted = nudge(key, author, cohort_mate)

    first = client.post(compose_url(cohort), posted, follow=True)
    second = client.post(compose_url(cohort), posted, follow=True)

    assert Nudge.objects.count() == 1
    assert NudgeDelivery.objects.count() == 2
    assert shown(first) == shown(second)
    assert shown(first) == (
        [(reverse("facilitation:nudges", args=[cohort.slug]), HTTPStatus.FOUND)],
        ["Message sent to 2 participants."],
    )


def test_a_previewed_nudge_keeps_its_key_to_send(
    client_for, facilitator, cohort, author
):
    client = client_for(facilitator)
    key = submission_key(client.get(compose_url(cohort)).text)
    preview = {**nudge(key, author), "preview": "1"}
    del preview["send"]

    page = client.post(compose_url(cohort), preview)

    assert submission_key(page.text) == key


def test_two_nudges_written_on_one_page_are_both_sent(
    client_for, facilitator, cohort, author
):
    client = client_for(facilitator)
    key = submission_key(client.get(compose_url(cohort)).text)

    client.post(compose_url(cohort), nudge(key, author, body="First."))
    client.post(compose_url(cohort), nudge(key, author, body="Second."))

    assert sorted(Nudge.objects.values_list("body", flat=True)) == [
        "First.",
        "Second.",
    ]


@posted_at_once
def test_a_nudge_sent_four_times_at_once_goes_out_once(
    client_for, facilitator, cohort, author, cohort_mate
):
    browser = same_browser(client_for(facilitator))
    key = submission_key(browser().get(compose_url(cohort)).text)
    posted = nudge(key, author, cohort_mate)

    answers = at_once(4, lambda: answer(browser().post(compose_url(cohort), posted)))

    assert Nudge.objects.count() == 1
    assert NudgeDelivery.objects.count() == 2
    assert (
        answers
        == [
            (
                HTTPStatus.FOUND,
                reverse("facilitation:nudges", args=[cohort.slug]),
                ["Message sent to 2 participants."],
            )
        ]
        * 4
    )
