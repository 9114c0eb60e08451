"""Replies by e-mail: a message to a signed reply address becomes a comment.

Each e-mail about a comment is sent with Reply-To: a signed address for its
recipient and that comment (notifications/reply_address.py). A reply arrives
here by `manage.py receive_email` (an MTA's pipe) or `manage.py smtp_listener`
and is posted by `journal.replies.reply_to_comment`, the site's own rules.

Refused, with a short e-mail back saying why: an address this site did not
make or one altered, an expired one, a sender that is not a verified address of
the person it was made for, a reply with no text, and one its writer may not
post there any more. Attachments are ignored and the sender told. Messages a
program sent (auto-replies, bounces) are dropped unanswered, and answers carry
Auto-Submitted, so two programs never answer each other. A message seen before
(its Message-ID) is neither posted nor answered again.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage as OutgoingMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import language_of
from core.mailtext import reply_text
from journal.models import Comment
from journal.replies import CannotReply, reply_to_comment
from notifications.models import InboundMessage
from notifications.reply_address import (
    BadReplyAddress,
    ExpiredReplyAddress,
    ReplyTarget,
    is_reply_address,
    read_reply_address,
)

Outcome = InboundMessage.Outcome

#: Headers that name the address a message was delivered to, most exact first.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
DMARC_PASS = re.compile(r"(?:^|;)\s*dmarc\s*=\s*pass\b", re.IGNORECASE)

#: What the sender is told, in their language when the address names them.
REASONS = {
    Outcome.TOO_LARGE: gettext_lazy("Your reply was too large to read."),
    Outcome.EXPIRED: gettext_lazy(
        "The address you replied to has expired. Reply on the site instead."
    ),
    Outcome.BAD_ADDRESS: gettext_lazy(
        "The address you wrote to is not one Ponder made for a reply, "
        "or it was changed."
    ),
    Outcome.WRONG_SENDER: gettext_lazy(
        "Replies are taken only from the verified e-mail address of the "
        "person the notification was sent to."
    ),
    Outcome.EMPTY: gettext_lazy(
        "We found no reply above the quoted message. Write your reply at "
        "the top of the e-mail."
    ),
}
NOT_AUTHENTICATED = gettext_lazy(
    "We could not confirm that the message came from your address: its "
    "sender's domain did not vouch for it (DMARC)."
)
CLOSED_ACCOUNT = gettext_lazy("The account this reply address was made for is closed.")


@dataclass
class Received:
    outcome: str
    comment: Comment | None = None
    #: Why, for the sender.
    reason: str | Promise = ""
    attachments: tuple[str, ...] = ()
    #: Whose reply address it was, when the address was good.
    user: User | None = None
    #: Where to reply on the site instead, when its writer may still read it.
    link: str = ""
    duplicate: bool = False
    answered_to: str = ""


def receive(raw: bytes, envelope_recipients: Sequence[str] = ()) -> Received:
    """Post or refuse one message; `envelope_recipients`: the addresses the
    MTA or SMTP conversation delivered it to, when known."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    key = InboundMessage.key_of(str(message.get("Message-ID", "")), raw)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMessage.objects.create(key=key, outcome=Outcome.EMPTY)
        except IntegrityError:
            return Received(
                outcome=InboundMessage.objects.get(key=key).outcome, duplicate=True
            )
        received = _handle(message, raw, key, envelope_recipients)
        record.outcome = received.outcome
        record.comment = received.comment
        record.user = received.user
        record.save(update_fields=["outcome", "comment", "user"])
        _answer_on_commit(message, received)
    return received


def _handle(
    message: EmailMessage, raw: bytes, key: str, envelope_recipients: Sequence[str]
) -> Received:
    if is_automatic(message):
        return Received(Outcome.AUTOMATIC)
    if len(raw) > settings.PONDER_INBOUND_MAX_BYTES:
        return Received(Outcome.TOO_LARGE, reason=REASONS[Outcome.TOO_LARGE])
    try:
        target, expired = _target(message, envelope_recipients), False
    except ExpiredReplyAddress as too_old:
        target, expired = too_old.target, True
    except BadReplyAddress:
        return Received(Outcome.BAD_ADDRESS, reason=REASONS[Outcome.BAD_ADDRESS])
    user = User.objects.filter(pk=target.user_id, is_active=True).first()
    if user is None:
        return Received(Outcome.BAD_ADDRESS, reason=CLOSED_ACCOUNT)
    if expired:
        received = Received(Outcome.EXPIRED, reason=REASONS[Outcome.EXPIRED])
    else:
        # The site's own refusals (journal.replies) are worded as it posts.
        with translation.override(language_of(user)):
            received = _post(message, key, target, user)
    received.user = user
    return received


def _post(message: EmailMessage, key: str, target: ReplyTarget, user: User) -> Received:
    if not is_verified_sender(message, user):
        return Received(Outcome.WRONG_SENDER, reason=REASONS[Outcome.WRONG_SENDER])
    if not is_authenticated_sender(message):
        return Received(Outcome.WRONG_SENDER, reason=NOT_AUTHENTICATED)
    text = reply_text(message)
    if not text.text:
        return Received(
            Outcome.EMPTY, reason=REASONS[Outcome.EMPTY], attachments=text.attachments
        )
    try:
        comment = reply_to_comment(
            author=user,
            comment_id=target.comment_id,
            body=text.text,
            submission_key=key,
        )
    except CannotReply as refused:
        return Received(
            Outcome.CANNOT_REPLY,
            reason=refused.reason,
            attachments=text.attachments,
            link=_link(refused.comment),
        )
    return Received(
        Outcome.POSTED,
        comment=comment,
        attachments=text.attachments,
        link=_link(comment),
    )


def _link(comment: Comment | None) -> str:
    return settings.SITE_URL + comment.get_absolute_url() if comment else ""


def _target(message: EmailMessage, envelope_recipients: Sequence[str]) -> ReplyTarget:
    """The first reply address the message went to: the envelope's when given."""
    addresses = list(envelope_recipients) or [
        address
        for header in RECIPIENT_HEADERS
        for _name, address in getaddresses(message.get_all(header, []))
    ]
    replies = [address for address in addresses if is_reply_address(address)]
    if not replies:
        raise BadReplyAddress("no reply address")
    return read_reply_address(replies[0])


def sender_of(message: EmailMessage) -> str:
    """The From address, when there is exactly one."""
    senders = [a for _n, a in getaddresses(message.get_all("From", [])) if "@" in a]
    return senders[0] if len(senders) == 1 else ""


def is_verified_sender(message: EmailMessage, user: User) -> bool:
    sender = sender_of(message)
    return bool(sender) and (
        EmailAddress.objects.filter(
            user=user, email__iexact=sender, verified=True
        ).exists()
    )


def is_authenticated_sender(message: EmailMessage) -> bool:
    """Whether the site's own MTA found the From domain's DMARC check passed,
    when PONDER_REPLY_AUTHSERV_ID names that MTA (RFC 8601). Only the topmost
    Authentication-Results with that name counts: the MTA adds its own on
    top, and any other was written by whoever sent the message."""
    server = settings.PONDER_REPLY_AUTHSERV_ID.lower()
    if not server:
        return True
    for header in message.get_all("Authentication-Results", []):
        authserv_id, _, results = str(header).partition(";")
        if authserv_id.split()[:1] == [server]:
            return DMARC_PASS.search(results) is not None
    return False


def is_automatic(message: EmailMessage) -> bool:
    """Sent by a program: an auto-reply, a bounce or a list (RFC 3834)."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto_submitted != "no"
        or precedence in AUTOMATIC_PRECEDENCE
        or "X-Autoreply" in message
        or "X-Autorespond" in message
        or str(message.get("Return-Path", "")).strip() == "<>"
    )


# The answer


def _answer_on_commit(message: EmailMessage, received: Received) -> None:
    answer = _answer(message, received)
    if answer is not None:
        received.answered_to = answer.to[0]
        transaction.on_commit(answer.send, robust=True)


def _answer(message: EmailMessage, received: Received) -> OutgoingMessage | None:
    """A short e-mail to the sender: why it was refused, or that its
    attachments were left out. None when nobody should be answered."""
    sender = sender_of(message)
    refused = received.outcome not in (Outcome.POSTED, Outcome.AUTOMATIC)
    if not sender or is_reply_address(sender) or not (refused or received.attachments):
        return None
    user = received.user
    language = language_of(user) if user else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "refused": refused,
            "reason": received.reason,
            "attachments": received.attachments,
            "link": received.link,
            "original_subject": str(message.get("Subject", "")),
        }
        subject = render_to_string(
            "notifications/email/reply_answer_subject.txt", context
        )
        body = render_to_string("notifications/email/reply_answer.txt", context)
    headers = {"Auto-Submitted": "auto-replied"}
    message_id = str(message.get("Message-ID", "")).strip()
    if message_id:
        headers |= {"In-Reply-To": message_id, "References": message_id}
    return OutgoingMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[sender],
        headers=headers,
    )
