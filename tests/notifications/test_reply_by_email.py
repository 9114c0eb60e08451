"""Replies by e-mail: the signed Reply-To of comment e-mails, and what a reply
to it becomes (notifications/inbound.py): a reply on the site, or a refusal with
a short e-mail back saying why."""

import datetime
import io
import sys

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from journal import actions
from journal.models import Comment, Entry
from notifications import delivery, inbound
from notifications.models import Delivery, Frequency, InboundMessage, Kind, Notification
from notifications.reply_address import (
    BadReplyAddress,
    ExpiredReplyAddress,
    read_reply_address,
    reply_address,
)
from programmes import actions as programme_actions
from programmes.models import HoldPosts
from tests.notifications import mail_samples
from tests.notifications.mail_samples import shaped

Outcome = InboundMessage.Outcome
REPLY = "Thanks Ben! Not yet, I will try Feedly this week.\n\nIt looks *tidy*."


@pytest.fixture(autouse=True)
def replies_on(settings) -> None:
    settings.PONDER_REPLY_ADDRESS = "reply@ponder.test"
    settings.PONDER_REPLY_DAYS = 30


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(author, cohort=cohort, title="Feeds")


@pytest.fixture
def comment(entry, cohort_mate) -> Comment:
    return actions.add_comment(entry=entry, author=cohort_mate, body="Good one.")


@pytest.fixture
def address(author, comment) -> str:
    return reply_address(author.pk, comment.pk)


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """`inbound.receive`, with what it leaves for after the commit (the
    answer) run, as in production."""

    def run(raw: bytes, envelope_recipients=()):
        with django_capture_on_commit_callbacks(execute=True):
            return inbound.receive(raw, envelope_recipients)

    return run


def message(
    to: str,
    *,
    shape: str = mail_samples.GMAIL,
    sender: str = "ada@example.org",
    message_id: str = "CAJ1x@mail.gmail.com",
    text: str = REPLY,
) -> bytes:
    return shaped(shape, to=to, sender=sender, message_id=message_id, text=text)


def answers(outbox) -> list:
    """The e-mails Ponder answered with (not the notifications a reply sends)."""
    return [m for m in outbox if "Auto-Submitted" in m.extra_headers]


def replies_to(comment: Comment) -> list[Comment]:
    return list(Comment.objects.filter(in_reply_to=comment))


# The address


def test_the_address_names_the_recipient_and_comment(author, comment, address):
    assert address.startswith("reply+") and address.endswith("@ponder.test")
    assert len(address.split("@")[0]) <= 64
    target = read_reply_address(address)
    assert (target.user_id, target.comment_id) == (author.pk, comment.pk)
    assert read_reply_address(address.upper()) == target


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.replace("reply+", "reply+1"),  # another user id
        lambda a: a.replace(a[a.index("@") - 2 : a.index("@")], "zz"),  # signature
        lambda a: a.split(".")[0] + "@ponder.test",  # no signature
        lambda a: "reply@ponder.test",
        lambda a: a.replace("@ponder.test", "@elsewhere.test"),
    ],
)
def test_an_altered_address_is_refused(address, change):
    with pytest.raises(BadReplyAddress):
        read_reply_address(change(address))


def test_an_address_expires(address, settings):
    later = timezone.now() + datetime.timedelta(days=settings.PONDER_REPLY_DAYS + 1)
    with time_machine.travel(later), pytest.raises(ExpiredReplyAddress):
        read_reply_address(address)


def test_an_address_outlives_a_key_rotation(address, settings):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert read_reply_address(address).comment_id
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(BadReplyAddress):
        read_reply_address(address)


# The e-mail that carries it


def notification_email(author, comment, outbox):
    notification = Notification.objects.get(recipient=author, comment=comment)
    sent = Delivery.objects.create(recipient=author, frequency=Frequency.IMMEDIATELY)
    notification.delivery = sent
    notification.save(update_fields=["delivery"])
    return delivery.compose(sent, [notification])


def test_a_comment_email_is_answered_at_its_signed_address(author, comment, outbox):
    email = notification_email(author, comment, outbox)
    assert email.reply_to == [reply_address(author.pk, comment.pk)]
    assert "Or reply to this e-mail" in email.body


def test_without_a_reply_address_the_email_has_no_reply_to(
    author, comment, outbox, settings
):
    settings.PONDER_REPLY_ADDRESS = ""
    email = notification_email(author, comment, outbox)
    assert email.reply_to == []
    assert "reply to this e-mail" not in email.body


def test_a_digest_offers_each_comment_its_own_address(
    author, entry, comment, cohort_mate
):
    second = actions.add_comment(entry=entry, author=cohort_mate, body="And another.")
    sent = Delivery.objects.create(
        recipient=author, frequency=Frequency.DAILY, period=timezone.localdate()
    )
    notifications = list(
        Notification.objects.filter(recipient=author, kind=Kind.COMMENT)
    )
    email = delivery.compose(sent, notifications)
    assert email.reply_to == []
    for each in (comment, second):
        assert reply_address(author.pk, each.pk) in email.body
        assert f"mailto:{reply_address(author.pk, each.pk)}" in email.alternatives[0][0]


# Replies posted


@pytest.mark.parametrize(
    "shape",
    [
        mail_samples.GMAIL,
        mail_samples.OUTLOOK,
        mail_samples.APPLE_MAIL,
        mail_samples.HTML_ONLY,
        mail_samples.GERMAN_GMAIL,
    ],
    ids=["gmail", "outlook", "apple-mail", "html-only", "german-gmail"],
)
def test_a_reply_becomes_a_reply_to_the_comment(
    shape, author, comment, address, outbox, receive
):
    received = receive(message(address, shape=shape))
    assert received.outcome == Outcome.POSTED
    (reply,) = replies_to(comment)
    assert reply.author == author
    assert reply.entry == comment.entry
    assert reply.parent == comment
    assert "Thanks Ben! Not yet, I will try Feedly this week." in reply.body
    assert "It looks *tidy*." in reply.body
    for quoted in ("wrote", "schrieb", "Good one", "Read it and reply", "iPhone"):
        assert quoted not in reply.body
    assert "Outlook" not in reply.body and "From:" not in reply.body
    assert answers(outbox) == []  # nothing to say back


def test_the_reply_tells_whom_it_answers(
    author, comment, address, cohort_mate, receive
):
    receive(message(address))
    assert Notification.objects.filter(
        recipient=cohort_mate, kind=Kind.REPLY, comment__in_reply_to=comment
    ).exists()


def test_a_reply_to_a_private_comment_stays_private(
    author, entry, cohort_mate, outbox, receive
):
    private = actions.add_comment(
        entry=entry, author=cohort_mate, body="Just for you.", private=True
    )
    receive(message(reply_address(author.pk, private.pk)))
    (reply,) = replies_to(private)
    assert reply.private and reply.private_with == cohort_mate


def test_a_reply_from_someone_whose_posts_wait_is_held(
    author, comment, address, cohort, receive
):
    cohort.hold_posts = HoldPosts.ALL
    cohort.save(update_fields=["hold_posts"])
    receive(message(address))
    (reply,) = replies_to(comment)
    assert reply.is_held


def test_the_same_message_twice_posts_once(author, comment, address, outbox, receive):
    first = receive(message(address))
    again = receive(message(address))
    assert first.outcome == Outcome.POSTED and not first.duplicate
    assert again.duplicate and again.outcome == Outcome.POSTED
    assert len(replies_to(comment)) == 1
    assert answers(outbox) == []


def test_a_message_without_message_id_is_known_by_its_bytes(
    author, comment, address, receive
):
    raw = message(address).replace(b"Message-ID: <CAJ1x@mail.gmail.com>\r\n", b"")
    assert b"Message-ID" not in raw
    receive(raw)
    assert receive(raw).duplicate
    assert len(replies_to(comment)) == 1


def test_attachments_are_left_out_and_the_sender_told(
    author, comment, address, outbox, receive
):
    received = receive(message(address, shape=mail_samples.WITH_PICTURE))
    assert received.outcome == Outcome.POSTED
    (reply,) = replies_to(comment)
    assert "whiteboard" not in reply.body and "iVBOR" not in reply.body
    (answer,) = answers(outbox)
    assert answer.to == ["ada@example.org"]
    assert "posted" in answer.subject
    assert "whiteboard.png" in answer.body
    assert reply.get_absolute_url() in answer.body


# Refused, and the sender told why


def refused(received, outbox, outcome, words: str):
    assert received.outcome == outcome
    (answer,) = answers(outbox)
    assert answer.subject.startswith("Your reply was not posted")
    assert words in answer.body
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    assert answer.extra_headers["In-Reply-To"] == "<CAJ1x@mail.gmail.com>"
    return answer


def test_a_forged_sender_is_refused(author, comment, address, outbox, receive):
    received = receive(message(address, sender="mallory@evil.test"))
    answer = refused(received, outbox, Outcome.WRONG_SENDER, "verified e-mail address")
    assert answer.to == ["mallory@evil.test"]
    assert "ada@example.org" not in answer.body
    assert replies_to(comment) == []


def test_an_unverified_address_of_the_recipient_is_refused(
    author, comment, address, outbox, receive
):
    EmailAddress.objects.create(user=author, email="ada@home.test", verified=False)
    received = receive(message(address, sender="ada@home.test"))
    refused(received, outbox, Outcome.WRONG_SENDER, "verified")
    assert replies_to(comment) == []


def test_another_verified_address_of_the_recipient_is_taken(
    author, comment, address, receive
):
    EmailAddress.objects.create(user=author, email="ada@home.test", verified=True)
    assert receive(message(address, sender="Ada@Home.test")).outcome == Outcome.POSTED


def test_someone_elses_address_is_refused_even_from_their_own_inbox(
    comment, cohort_mate, author, outbox, receive
):
    """Ben writes to the address made for Ada."""
    address = reply_address(author.pk, comment.pk)
    received = receive(message(address, sender="ben@example.org"))
    refused(received, outbox, Outcome.WRONG_SENDER, "verified")


def test_a_tampered_address_is_refused(author, comment, address, outbox, receive):
    tampered = address.replace("reply+", "reply+1")
    received = receive(message(tampered))
    refused(received, outbox, Outcome.BAD_ADDRESS, "not one Ponder made")
    assert replies_to(comment) == []


def test_an_expired_address_is_refused(
    author, comment, address, outbox, settings, receive
):
    later = timezone.now() + datetime.timedelta(days=settings.PONDER_REPLY_DAYS + 1)
    with time_machine.travel(later):
        received = receive(message(address))
    refused(received, outbox, Outcome.EXPIRED, "expired")
    assert replies_to(comment) == []


def test_an_empty_reply_is_refused(author, comment, address, outbox, receive):
    received = receive(message(address, text=""))
    refused(received, outbox, Outcome.EMPTY, "no reply above the quoted message")
    assert replies_to(comment) == []


def test_a_reply_after_leaving_the_cohort_is_refused(
    author, comment, address, cohort, outbox, receive
):
    programme_actions.remove_member(membership=cohort.memberships.get(user=author))
    received = receive(message(address))
    refused(received, outbox, Outcome.CANNOT_REPLY, "may no longer")
    assert replies_to(comment) == []


def test_a_reply_to_a_deleted_comment_is_refused(
    author, comment, address, outbox, receive
):
    comment_id = comment.pk
    actions.delete_comment(comment=comment)
    received = receive(message(address))
    refused(received, outbox, Outcome.CANNOT_REPLY, "gone")
    assert not Comment.objects.filter(in_reply_to_id=comment_id).exists()


def test_a_reply_on_an_entry_made_private_is_refused(
    cohort_mate, author, entry, outbox, receive
):
    """Ben was told of Ada's reply; Ada then made the entry private."""
    ada_said = actions.add_comment(entry=entry, author=author, body="Thanks!")
    entry.visibility = Entry.Visibility.PRIVATE
    actions.save_entry(entry=entry, publish=True)
    address = reply_address(cohort_mate.pk, ada_said.pk)
    received = receive(message(address, sender="ben@example.org"))
    refused(received, outbox, Outcome.CANNOT_REPLY, "")
    assert replies_to(ada_said) == []


def test_a_closed_account_is_refused(author, comment, address, outbox, receive):
    author.is_active = False
    author.save()
    received = receive(message(address))
    refused(received, outbox, Outcome.BAD_ADDRESS, "closed")


def test_a_reply_over_the_rate_limit_is_refused(
    author, comment, address, outbox, settings, receive
):
    settings.PONDER_RATE_LIMITS = {**settings.PONDER_RATE_LIMITS, "comments": (1, 0)}
    assert receive(message(address, message_id="one@x")).outcome == Outcome.POSTED
    outbox.clear()
    received = receive(message(address, message_id="two@x"))
    assert received.outcome == Outcome.CANNOT_REPLY
    assert len(replies_to(comment)) == 1
    (answer,) = answers(outbox)
    assert comment.get_absolute_url() in answer.body


def test_an_auto_reply_is_dropped_unanswered(author, comment, address, outbox, receive):
    raw = message(address, text="I am out of the office until Monday.")
    raw = b"Auto-Submitted: auto-replied\r\n" + raw
    assert receive(raw).outcome == Outcome.AUTOMATIC
    assert replies_to(comment) == [] and answers(outbox) == []


def test_a_bounce_is_dropped_unanswered(author, comment, address, outbox, receive):
    raw = b"Return-Path: <>\r\n" + message(address)
    assert receive(raw).outcome == Outcome.AUTOMATIC
    assert answers(outbox) == []


def test_a_message_too_large_is_refused_unread(
    author, comment, address, outbox, settings, receive
):
    settings.PONDER_INBOUND_MAX_BYTES = 500
    received = receive(message(address))
    refused(received, outbox, Outcome.TOO_LARGE, "too large")
    assert replies_to(comment) == []


def test_the_answer_is_in_the_recipients_language(
    author, comment, address, outbox, receive, run_command
):
    author.profile.language = "de"
    author.profile.save()
    receive(message(address, text=""))
    (answer,) = answers(outbox)
    assert "Your reply" not in answer.subject


# The command, for an MTA's pipe


@pytest.fixture
def run_command(django_capture_on_commit_callbacks):
    def run(raw: bytes, *args) -> str:
        out = io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
        try:
            with django_capture_on_commit_callbacks(execute=True):
                call_command("receive_email", *args, stdout=out)
        finally:
            sys.stdin = stdin
        return out.getvalue()

    return run


def test_the_command_posts_a_reply_read_on_standard_input(
    author, comment, address, run_command
):
    assert run_command(message(address)).startswith("posted (comment ")
    assert len(replies_to(comment)) == 1
    assert run_command(message(address)).startswith("seen before: posted")


def test_the_command_takes_the_envelope_recipient(
    author, comment, address, run_command
):
    raw = message("someone@example.org")
    assert run_command(raw, "--recipient", address).startswith("posted")


def test_the_command_answers_a_refusal(author, comment, address, outbox, run_command):
    said = run_command(message(address, sender="mallory@evil.test"))
    assert said == "wrong_sender; answered mallory@evil.test\n"
    assert len(answers(outbox)) == 1


def test_the_command_asks_for_a_retry_while_replies_are_off(
    settings, address, run_command
):
    settings.PONDER_REPLY_ADDRESS = ""
    with pytest.raises(CommandError) as refused_now:
        run_command(message(address))
    assert refused_now.value.returncode == 75


def test_the_digest_loop_forgets_records_no_replay_needs(db, settings):
    now = timezone.now()
    kept_days = settings.PONDER_REPLY_DAYS + 30
    old = InboundMessage.objects.create(
        key="old",
        outcome=Outcome.POSTED,
        received_at=now - datetime.timedelta(days=kept_days + 1),
    )
    recent = InboundMessage.objects.create(
        key="recent",
        outcome=Outcome.POSTED,
        received_at=now - datetime.timedelta(days=kept_days - 1),
    )
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert "1 old reply record(s) forgotten" in out.getvalue()
    assert not InboundMessage.objects.filter(pk=old.pk).exists()
    assert InboundMessage.objects.filter(pk=recent.pk).exists()


# DMARC, when the site's MTA checks it (PONDER_REPLY_AUTHSERV_ID)


@pytest.mark.parametrize(
    ("results", "outcome"),
    [
        (["mx.ponder.test; spf=pass; dkim=pass; dmarc=pass header.from=example.org"],
         Outcome.POSTED),
        (["mx.ponder.test 1; dmarc=pass (p=reject) header.from=example.org"],
         Outcome.POSTED),
        (["mx.ponder.test; spf=fail; dmarc=fail header.from=example.org"],
         Outcome.WRONG_SENDER),
        ([], Outcome.WRONG_SENDER),
        (["mx.evil.test; dmarc=pass header.from=example.org"], Outcome.WRONG_SENDER),
        # The MTA's own header is on top; the one below came with the message.
        (["mx.ponder.test; dmarc=fail", "mx.ponder.test; dmarc=pass"],
         Outcome.WRONG_SENDER),
        (["mx.ponder.test; dkim=pass; x-note=dmarc=pass"], Outcome.WRONG_SENDER),
    ],
    ids=["pass", "with-version", "fail", "none", "other-server", "forged-below",
         "not-dmarc"],
)  # fmt: skip
def test_with_an_authserv_id_only_a_dmarc_pass_is_posted(
    author, comment, address, outbox, settings, receive, results, outcome
):
    settings.PONDER_REPLY_AUTHSERV_ID = "mx.ponder.test"
    headers = b"".join(f"Authentication-Results: {r}\r\n".encode() for r in results)
    received = receive(headers + message(address))
    assert received.outcome == outcome
    assert len(replies_to(comment)) == (outcome == Outcome.POSTED)
    if outcome != Outcome.POSTED:
        (answer,) = answers(outbox)
        assert "DMARC" in answer.body
