"""Notification e-mail and digests are written in their recipient's language
(the profile's, else the site's), not in that of the request or worker that
happens to send them (notifications/delivery.py `compose`)."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from accounts.models import Profile
from journal import actions
from notifications import delivery, digests
from notifications.models import Frequency, Kind, Preference
from tests.languages import record_rendering_languages

SUNDAY_EVENING = datetime.datetime(2025, 3, 9, 20, 0, tzinfo=datetime.UTC)
MONDAY_MORNING = datetime.datetime(2025, 3, 10, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def rendered_in(monkeypatch) -> dict[str, str]:
    return record_rendering_languages(monkeypatch, delivery)


@pytest.fixture
def german_author(author):
    Profile.objects.filter(user=author).update(language="de")
    return author


def comment_from_an_english_request(entry, author, committed) -> None:
    """What a request in English does: the e-mail is sent once committed."""
    with translation.override("en"), committed():
        actions.add_comment(entry=entry, author=author, body="Good one.")


def test_a_notification_email_is_in_its_recipient_s_language(
    german_author, cohort_mate, cohort, make_entry, committed, outbox, rendered_in
):
    entry = make_entry(german_author, cohort=cohort)

    comment_from_an_english_request(entry, cohort_mate, committed)

    [email] = outbox
    assert set(rendered_in.values()) == {"de"}
    assert set(rendered_in) == {
        "notifications/email/notification_subject.txt",
        "notifications/email/notification.txt",
        "notifications/email/notification.html",
    }
    html, _type = email.alternatives[0]
    assert '<html lang="de">' in html
    assert translation.get_language() == "en-gb"


def test_with_no_language_chosen_an_email_is_in_the_site_s_language(
    settings, author, cohort_mate, cohort, make_entry, committed, outbox, rendered_in
):
    settings.LANGUAGE_CODE = "nl"
    entry = make_entry(author, cohort=cohort)

    comment_from_an_english_request(entry, cohort_mate, committed)

    assert len(outbox) == 1
    assert set(rendered_in.values()) == {"nl"}


def test_a_digest_is_in_its_recipient_s_language(
    german_author, cohort_mate, cohort, make_entry, committed, outbox, rendered_in
):
    Preference.objects.choose(german_author, Kind.COMMENT, Frequency.DAILY)
    entry = make_entry(german_author, cohort=cohort)
    with time_machine.travel(SUNDAY_EVENING, tick=False):
        comment_from_an_english_request(entry, cohort_mate, committed)
    assert outbox == []

    monday = time_machine.travel(MONDAY_MORNING, tick=False)
    with monday, translation.override("en"), committed():
        digests.make_digests(timezone.now())

    [email] = outbox
    assert email.to == [german_author.email]
    assert set(rendered_in) == {
        "notifications/email/digest_subject.txt",
        "notifications/email/digest.txt",
        "notifications/email/digest.html",
    }
    assert set(rendered_in.values()) == {"de"}
    html, _type = email.alternatives[0]
    assert '<html lang="de">' in html


def test_the_kinds_an_email_names_read_on_inside_its_sentence(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    entry = make_entry(author, cohort=cohort)

    comment_from_an_english_request(entry, cohort_mate, committed)

    [email] = outbox
    assert "your setting for “a comment on my entry”." in email.body
