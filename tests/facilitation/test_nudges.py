"""Nudges: compose, preview and send a message to chosen participants of a
cohort; the recipient's dashboard; the log (facilitation:compose_nudge,
facilitation:nudges)."""

from html import unescape
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus

from accounts.models import Profile
from core.markdown import render_markdown
from facilitation import actions as facilitation_actions
from facilitation import nudges
from programmes.models import Nudge, NudgeDelivery
from tests.conftest import thing
from tests.queries import count_queries


def compose_url(cohort, *ids) -> str:
    url = reverse("facilitation:compose_nudge", args=[cohort.slug])
    return url + ("?" + "&".join(f"participant={pk}" for pk in ids) if ids else "")


def message(ids, **overrides) -> dict:
    data = {
        "participant": [str(pk) for pk in ids],
        "subject": "How are you getting on, {name}?",
        "body": "Hello {name}, **{next_thing}** is waiting for you.",
    }
    return {**data, **overrides}


# Placeholders and escaping


def test_placeholders_are_filled_in_for_each_recipient(cohort, author, cohort_mate):
    [first, second] = nudges.personalise(
        cohort=cohort,
        recipients=[author, cohort_mate],
        subject="Hi {name}",
        body="Next: {next_thing}",
    )

    assert first.subject == "Hi Ada Author"
    assert second.subject == "Hi Ben Cohort-Mate"
    # Things 1 to 3 are open and nothing is written: Thing 1 comes first.
    assert first.text == "Next: Thing 1: Getting started"


def test_next_thing_skips_things_already_written(cohort, author, make_entry):
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))

    [only] = nudges.personalise(
        cohort=cohort, recipients=[author], subject="s", body="{next_thing}"
    )

    assert only.text == "Thing 2: Blogging"


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "<b>Eve</b>",
        "[click](https://evil.example/)",
        "**Eve** _x_ `y`",
        "# Eve",
        "www.evil.example",
        "![img](https://evil.example/x.png)",
    ],
)
def test_a_display_name_cannot_inject_markup(cohort, author, name):
    Profile.objects.filter(user=author).update(display_name=name)
    recipient = User.objects.select_related("profile").get(pk=author.pk)

    [only] = nudges.personalise(
        cohort=cohort, recipients=[recipient], subject="s", body="Hello {name}!"
    )
    html = render_markdown(only.body)  # as NudgeDelivery.save() stores it

    assert html.startswith("<p>Hello ") and html.endswith("!</p>")
    for tag in ("<script", "<b>", "<a ", "<strong", "<em", "<code", "<h", "<img"):
        assert tag not in html
    assert only.text == f"Hello {name}!"  # the plain-text e-mail as it is


def test_unknown_placeholders_are_an_error_beside_the_field(
    client_for, facilitator, author
):
    cohort = facilitator.memberships.get().cohort
    response = client_for(facilitator).post(
        compose_url(cohort),
        message([author.pk], body="Hi {nmae} and {first_name}", subject="For {name}"),
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = response.content.decode()
    assert 'id="id_body_errors"' in page
    assert "Unknown placeholders: {nmae}, {first_name}" in page
    assert 'id="id_subject_errors"' not in page
    assert "Hi {nmae} and {first_name}" in page  # the text is kept
    assert not Nudge.objects.exists()


# Compose and preview


def test_the_form_lists_the_chosen_participants_of_this_cohort_only(
    client_for, facilitator, cohort, author, cohort_mate, outsider
):
    response = client_for(facilitator).get(
        compose_url(cohort, author.pk, outsider.pk, facilitator.pk, "x")
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Ada Author" in page
    assert "Ben Cohort-Mate" not in page
    assert "Oscar Outsider" not in page
    assert "To 1 participant" in page
    assert "2 chosen people are not a participant of this cohort" in page
    assert "{next_thing}" in page  # the placeholders are documented


def test_preview_shows_the_first_recipients_message_and_sends_nothing(
    client_for,
    facilitator,
    cohort,
    author,
    cohort_mate,
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(facilitator).post(
            compose_url(cohort),
            {**message([author.pk, cohort_mate.pk]), "preview": "1"},
        )

    assert response.status_code == HTTPStatus.OK
    page = unescape(response.content.decode())
    assert "Preview for Ada Author" in page
    assert "How are you getting on, Ada Author?" in page
    assert "Hello Ada Author, <strong>Thing 1: Getting started</strong>" in page
    assert "Nothing has been sent yet" in page
    assert callbacks == []
    assert mail.outbox == []
    assert not Nudge.objects.exists()
    assert not NudgeDelivery.objects.exists()


# Send


def test_send_creates_one_nudge_a_delivery_each_and_emails_each(
    client_for,
    facilitator,
    cohort,
    author,
    cohort_mate,
    outsider,
    django_capture_on_commit_callbacks,
    task_results,
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(facilitator).post(
            compose_url(cohort),
            {
                **message([author.pk, cohort_mate.pk, outsider.pk]),
                "send": "1",
                "confirmed": "1",
            },
        )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("facilitation:nudges", args=["spring"])
    nudge = Nudge.objects.get()
    assert nudge.cohort == cohort
    assert nudge.sender == facilitator
    assert nudge.body == "Hello {name}, **{next_thing}** is waiting for you."
    deliveries = {d.recipient: d for d in nudge.deliveries.all()}
    assert set(deliveries) == {author, cohort_mate}
    assert deliveries[author].subject == "How are you getting on, Ada Author?"
    # Values are escaped for Markdown (":" as an entity), and read as text.
    assert "<strong>Thing 1: Getting started</strong>" in unescape(
        deliveries[author].body_html
    )
    assert deliveries[author].read_at is None
    # One task sends both (a batch), and it did not fail.
    assert [result.status for result in task_results] == [TaskResultStatus.SUCCESSFUL]
    assert task_results[0].return_value == ["sent", "sent"]
    by_address = {email.to[0]: email for email in mail.outbox}
    assert set(by_address) == {"ada@example.org", "ben@example.org"}
    ada = by_address["ada@example.org"]
    assert ada.subject == "How are you getting on, Ada Author?"
    assert "Hello Ada Author, **Thing 1: Getting started**" in ada.body
    delivery_url = reverse("facilitation:nudge", args=[deliveries[author].pk])
    assert delivery_url in ada.body


def test_sending_to_many_asks_first_beside_the_preview(
    client_for,
    facilitator,
    cohort,
    author,
    cohort_mate,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(facilitator).post(
            compose_url(cohort),
            {**message([author.pk, cohort_mate.pk]), "send": "1"},
        )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Send this message to 2 participants?" in page
    assert "Preview for Ada Author" in page
    assert 'name="confirmed" value="1"' in page
    assert "Send to 2 participants</button>" in page
    assert "How are you getting on, {name}?" in page  # the text is kept
    assert not Nudge.objects.exists()
    assert callbacks == []


def test_a_nudge_to_one_goes_at_once(client_for, facilitator, cohort, author):
    response = client_for(facilitator).post(
        compose_url(cohort), {**message([author.pk]), "send": "1"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Nudge.objects.get().deliveries.count() == 1


def test_send_with_no_participants_of_this_cohort_is_refused(
    client_for, facilitator, cohort, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(facilitator).post(
            compose_url(cohort), {**message([outsider.pk]), "send": "1"}
        )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Choose at least one participant" in response.content.decode()
    assert not Nudge.objects.exists()
    assert callbacks == []


def send(cohort, sender, recipients, subject="Keep going", body="Hi {name}"):
    return facilitation_actions.send_nudge(
        cohort=cohort, sender=sender, recipients=recipients, subject=subject, body=body
    )


# The recipient


def test_the_recipient_sees_it_on_the_dashboard_and_opening_marks_it_read(
    client_for, facilitator, cohort, author, cohort_mate
):
    send(cohort, facilitator, [author], subject="Your next Thing")
    client = client_for(author)

    page = client.get(reverse("home")).content.decode()
    assert "Messages from your facilitators" in page
    assert "Your next Thing" in page
    assert "nudge-summary--unread" in page

    delivery = NudgeDelivery.objects.get()
    response = client.get(reverse("facilitation:nudge", args=[delivery.pk]))
    assert response.status_code == HTTPStatus.OK
    assert "Hi Ada Author" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    page = client.get(reverse("home")).content.decode()
    assert "Your next Thing" in page
    assert "nudge-summary--unread" not in page


def test_others_do_not_see_someone_elses_message(
    client_for, facilitator, cohort, author, cohort_mate
):
    send(cohort, facilitator, [author], subject="Only for Ada")
    delivery = NudgeDelivery.objects.get()

    for user in (cohort_mate, facilitator):
        client = client_for(user)
        assert "Only for Ada" not in client.get(reverse("home")).content.decode()
        response = client.get(reverse("facilitation:nudge", args=[delivery.pk]))
        assert response.status_code == HTTPStatus.NOT_FOUND
    response = Client().get(reverse("facilitation:nudge", args=[delivery.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    delivery.refresh_from_db()
    assert delivery.read_at is None


def test_the_dashboard_runs_the_same_queries_with_more_messages(
    client_for, facilitator, cohort, author, django_assert_max_num_queries
):
    send(cohort, facilitator, [author])
    client = client_for(author)
    small = count_queries(client, reverse("home"))
    for index in range(8):
        send(cohort, facilitator, [author], subject=f"Message {index}")

    cache.clear()
    with django_assert_max_num_queries(small):
        page = client.get(reverse("home")).content.decode()
    assert page.count("nudge-summary--unread") == 5


# The log


def test_the_log_lists_what_was_sent_to_whom_when_and_by_whom(
    client_for, facilitator, cohort, author, cohort_mate
):
    send(cohort, facilitator, [author, cohort_mate], subject="First nudge")
    send(cohort, facilitator, [cohort_mate], subject="Second nudge")

    response = client_for(facilitator).get(
        reverse("facilitation:nudges", args=["spring"])
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert page.index("Second nudge") < page.index("First nudge")
    assert "Sent by Fran Facilitator" in page
    assert "to 2 participants" in page
    assert "Ada Author" in page and "Ben Cohort-Mate" in page
    assert "<time datetime=" in page


def test_the_log_runs_a_fixed_number_of_queries(
    client_for, facilitator, cohort, author, cohort_mate, django_assert_num_queries
):
    send(cohort, facilitator, [author])
    client = client_for(facilitator)
    url = reverse("facilitation:nudges", args=["spring"])
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    for _ in range(6):
        send(cohort, facilitator, [author, cohort_mate])

    with django_assert_num_queries(len(context.captured_queries)):
        client.get(url)


def test_the_log_shows_only_this_cohorts_nudges(
    client_for, facilitator, cohort, other_cohort, other_facilitator, outsider
):
    send(other_cohort, other_facilitator, [outsider], subject="Autumn only")

    page = client_for(facilitator).get(reverse("facilitation:nudges", args=["spring"]))

    assert "Autumn only" not in page.content.decode()
