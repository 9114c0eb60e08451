"""No untranslated text in e-mail: what Ponder sends to a person whose language
is the pseudo-locale (tests/pseudo_locale.py) shows nothing but catalogue
strings, people's writing, addresses and links."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from journal import actions
from notifications import digests, inbound
from notifications.models import Frequency, Kind, Preference
from notifications.reply_address import reply_address
from programmes import actions as programme_actions
from tests import pseudo_locale
from tests.notifications import mail_samples

SUNDAY_EVENING = datetime.datetime(2025, 3, 9, 20, 0, tzinfo=datetime.UTC)
MONDAY_MORNING = datetime.datetime(2025, 3, 10, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def pseudo(tmp_path, db):
    with pseudo_locale.served(tmp_path):
        yield


@pytest.fixture
def reader(author, pseudo):
    """Ada, who reads Ponder in the pseudo-locale."""
    Profile.objects.filter(user=author).update(language=pseudo_locale.CODE)
    return author


def assert_translated(email: mail.EmailMultiAlternatives) -> None:
    written = pseudo_locale.people_s_writing()
    alternatives = getattr(email, "alternatives", [])  # plain-text-only e-mail
    html, _type = alternatives[0] if alternatives else ("", None)
    found = {
        "subject": pseudo_locale.untranslated(email.subject, written),
        "text": pseudo_locale.untranslated(email.body, written),
        "html": pseudo_locale.read(html, written),
    }

    assert pseudo_locale.OPEN in email.subject
    assert found == {"subject": [], "text": [], "html": []}


@pytest.fixture(params=[False, True], ids=["no-reply-address", "reply-address"])
def replies(request, settings) -> bool:
    """Replies by e-mail off, and on (notifications/inbound.py)."""
    settings.PONDER_REPLY_ADDRESS = "reply@ponder.test" if request.param else ""
    return request.param


def test_a_notification_email_is_translated(
    reader, cohort_mate, cohort, make_entry, committed, outbox, replies
):
    entry = make_entry(reader, cohort=cohort)
    with committed():
        actions.add_comment(entry=entry, author=cohort_mate, body="Good one.")

    [email] = outbox
    assert_translated(email)


def test_a_digest_of_every_kind_is_translated(
    reader, cohort_mate, facilitator, cohort, make_entry, committed, outbox, replies
):
    for kind in Kind:
        Preference.objects.choose(reader, kind, Frequency.DAILY)
    with time_machine.travel(SUNDAY_EVENING, tick=False), committed():
        mine = make_entry(reader, cohort=cohort)
        comment = actions.add_comment(entry=mine, author=cohort_mate, body="First!")
        actions.add_comment(entry=mine, author=reader, body="Thanks.", parent=comment)
        actions.add_comment(
            entry=mine, author=cohort_mate, body="Agreed.", parent=comment
        )
        make_entry(cohort_mate, cohort=cohort, title="Ben's", body="Thanks @ada")
        programme_actions.release_now(
            cohort=cohort, thing=cohort.programme.things.get(number=4)
        )

    with time_machine.travel(MONDAY_MORNING, tick=False), committed():
        digests.make_digests(timezone.now())

    [email] = [email for email in outbox if email.to == [reader.email]]
    assert_translated(email)


def test_a_password_reset_email_is_translated(reader, outbox):
    Client().post(reverse("account_reset_password"), {"email": reader.email})

    [email] = outbox
    assert_translated(email)


@pytest.mark.parametrize(
    ("shape", "sender", "text"),
    [
        (mail_samples.WITH_PICTURE, "ada@example.org", "Thanks!"),  # posted
        (mail_samples.GMAIL, "ada@example.org", ""),  # empty
        (mail_samples.GMAIL, "mallory@evil.test", "Hi"),  # wrong sender
    ],
    ids=["attachments", "empty", "wrong-sender"],
)
def test_the_answer_to_a_reply_by_email_is_translated(
    reader, cohort_mate, cohort, make_entry, committed, outbox, settings, shape,
    sender, text,
):  # fmt: skip
    settings.PONDER_REPLY_ADDRESS = "reply@ponder.test"
    entry = make_entry(reader, cohort=cohort)
    comment = actions.add_comment(entry=entry, author=cohort_mate, body="Good one.")
    address = reply_address(reader.pk, comment.pk)
    raw = mail_samples.shaped(
        shape, to=address, sender=sender, message_id="m@x", text=text
    )
    outbox.clear()
    with committed():
        inbound.receive(raw)

    [email] = [email for email in outbox if email.to == [sender]]
    assert_translated(email)
