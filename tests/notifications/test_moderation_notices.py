"""Facilitators hear of reports; an author hears that their writing was
hidden, and why. Bell and e-mail, through the notifications' own machinery."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import display_name
from facilitation import actions as facilitation_actions
from journal.models import Comment, Entry, Report
from notifications.models import Frequency, Kind, Notification, Preference
from tests.conftest import thing

REASON = "Please keep patients' names out of entries."


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(
        author, cohort=cohort, thing=thing(cohort.programme, 1), title="Ward rounds"
    )


@pytest.fixture
def comment(entry, cohort_mate, make_comment) -> Comment:
    return make_comment(entry, cohort_mate, "Named and shamed")


def report(item: Entry | Comment, reporter) -> Report:
    made, _ = facilitation_actions.report_item(
        reporter=reporter, item=item, reason=Report.Reason.PRIVATE
    )
    return made


def notices(kind: str) -> set[str]:
    found = Notification.objects.filter(kind=kind)
    return set(found.values_list("recipient__username", flat=True))


def hide_url(name: str, item: Entry | Comment) -> str:
    entry = item if isinstance(item, Entry) else item.entry
    return reverse(
        f"facilitation:{name}", kwargs={"cohort": entry.cohort.slug, "pk": item.pk}
    )


# Reports ---------------------------------------------------------------------


def test_a_report_tells_the_cohort_s_facilitators_by_bell_and_e_mail(
    entry, cohort_mate, facilitator, other_facilitator, committed, outbox, task_results
):
    with committed():
        report(entry, cohort_mate)

    assert notices(Kind.REPORT) == {"fran"}
    [email] = outbox
    assert email.to == ["fran@example.org"]
    assert email.subject == "The entry “Ward rounds” was reported in Spring cohort"
    queue = reverse("facilitation:moderation", kwargs={"cohort": "spring"})
    assert settings.SITE_URL + queue in email.body
    # Who reported is for the queue alone.
    assert display_name(cohort_mate) not in email.body
    assert f"@{cohort_mate.username}" not in email.body
    assert [result.status for result in task_results] == ["SUCCESSFUL"]


def test_the_bell_leads_to_the_moderation_queue(
    client_for, entry, comment, cohort_mate, author, facilitator
):
    report(comment, author)
    client = client_for(facilitator)
    notification = Notification.objects.get(kind=Kind.REPORT)

    listed = client.get(reverse("notifications:list")).text
    opened = client.get(reverse("notifications:open", args=[notification.pk]))

    assert "A comment on “Ward rounds” was reported in Spring cohort" in listed
    assert opened["Location"] == reverse(
        "facilitation:moderation", kwargs={"cohort": "spring"}
    )


def test_a_second_report_of_the_same_item_tells_nobody_again(
    entry, cohort_mate, make_user, join, cohort, facilitator
):
    cal = make_user("cal")
    join(cal, cohort)
    report(entry, cohort_mate)
    report(entry, cal)

    assert Notification.objects.filter(kind=Kind.REPORT).count() == 1


def test_a_facilitator_s_preference_is_followed(
    entry, cohort_mate, facilitator, committed, outbox
):
    Preference.objects.choose(facilitator, Kind.REPORT, Frequency.NEVER)

    with committed():
        report(entry, cohort_mate)

    assert notices(Kind.REPORT) == {"fran"}
    assert outbox == []


def test_a_facilitator_who_reports_is_not_told_of_their_own_report(
    cohort, entry, comment, facilitator, make_user, join
):
    report(comment, facilitator)

    assert notices(Kind.REPORT) == set()


# Hiding, with a reason ---------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_hiding_asks_for_a_reason_first(client_for, facilitator, entry, method):
    """The Hide button posts no reason: the page asks for one, hiding nothing."""
    response = getattr(client_for(facilitator), method)(hide_url("hide_entry", entry))

    assert response.status_code == HTTPStatus.OK
    assert "Why are you hiding it?" in response.text
    entry.refresh_from_db()
    assert not entry.is_hidden


def test_an_empty_reason_is_refused(client_for, facilitator, entry):
    response = client_for(facilitator).post(
        hide_url("hide_entry", entry), {"reason": "  "}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in response.text
    entry.refresh_from_db()
    assert not entry.is_hidden


def test_hiding_an_entry_tells_its_author_why(
    client_for, facilitator, author, entry, committed, outbox, task_results
):
    with committed():
        client_for(facilitator).post(hide_url("hide_entry", entry), {"reason": REASON})

    entry.refresh_from_db()
    assert entry.is_hidden
    assert entry.hidden_reason == REASON
    assert notices(Kind.HIDDEN) == {"ada"}
    [email] = outbox
    assert email.to == ["ada@example.org"]
    assert email.subject == "A facilitator hid your entry “Ward rounds”"
    assert f"Their reason: {REASON}" in email.body
    assert [result.status for result in task_results] == ["SUCCESSFUL"]
    ada = client_for(author)
    listed = ada.get(reverse("notifications:list")).text
    assert "A facilitator hid your entry “Ward rounds”" in listed
    assert "Their reason: Please keep patients&#x27; names out of entries." in listed
    page = ada.get(entry.get_absolute_url()).text
    assert "The facilitator's reason: Please keep patients&#x27; names out" in page


def test_hiding_a_comment_tells_its_writer_why_beside_it(
    client_for, facilitator, cohort_mate, author, entry, comment
):
    client_for(facilitator).post(hide_url("hide_comment", comment), {"reason": REASON})

    assert notices(Kind.HIDDEN) == {"ben"}
    reason = "The facilitator's reason: Please keep patients&#x27; names"
    assert reason in client_for(cohort_mate).get(entry.get_absolute_url()).text
    # Readers other than its writer and the facilitators see no trace of it.
    assert reason not in client_for(author).get(entry.get_absolute_url()).text


def test_restoring_clears_the_reason(client_for, facilitator, author, entry):
    facilitation_actions.hide_item(actor=facilitator, item=entry, reason=REASON)

    facilitation_actions.restore_item(actor=facilitator, item=entry)

    entry.refresh_from_db()
    assert entry.hidden_reason == ""
    assert "reason" not in client_for(author).get(entry.get_absolute_url()).text


def test_the_log_keeps_the_reason(client_for, facilitator, entry):
    facilitation_actions.hide_item(actor=facilitator, item=entry, reason=REASON)

    page = client_for(facilitator).get(
        reverse("facilitation:moderation_log", kwargs={"cohort": "spring"})
    )

    assert "Please keep patients&#x27; names out of entries." in page.text


def test_a_visitor_is_sent_to_sign_in(entry):
    response = Client().get(hide_url("hide_entry", entry))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
