"""The signed address a notification e-mail's reply goes to.

One per recipient and comment: reply+<user>.<comment>.<day>.<signature>@host,
from settings.PONDER_REPLY_ADDRESS ("reply@host"). The numbers are in base 36
and the signature in lower-case base 32, because mail systems may change the
case of an address's local part; the whole stays under the 64 characters
RFC 5321 allows a local part. The day it was made is signed with it: an address
is good for settings.PONDER_REPLY_DAYS days, and a secret in
SECRET_KEY_FALLBACKS still reads the addresses made before a key rotation.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

SALT = "notifications.reply_address"
SIGNATURE_BYTES = 10


class BadReplyAddress(Exception):
    """Not an address this site made, or one altered since."""


class ExpiredReplyAddress(Exception):
    """Made by this site, but longer ago than PONDER_REPLY_DAYS."""

    def __init__(self, target: ReplyTarget) -> None:
        super().__init__("reply address expired")
        self.target = target


@dataclass(frozen=True)
class ReplyTarget:
    user_id: int
    comment_id: int
    made_on: datetime.date


def enabled() -> bool:
    return bool(settings.PONDER_REPLY_ADDRESS)


def reply_address(user_id: int, comment_id: int) -> str:
    """The address whose mail becomes `user_id`'s reply to `comment_id`."""
    mailbox, host = settings.PONDER_REPLY_ADDRESS.rsplit("@", 1)
    day = (timezone.now().date() - datetime.date(1970, 1, 1)).days
    token = ".".join(int_to_base36(n) for n in (user_id, comment_id, day))
    return f"{mailbox}+{token}.{_signature(token, settings.SECRET_KEY)}@{host}"


def is_reply_address(address: str) -> bool:
    """Whether `address` is at the reply mailbox (signed or not)."""
    if not enabled():
        return False
    mailbox, host = settings.PONDER_REPLY_ADDRESS.lower().rsplit("@", 1)
    local, _, domain = address.strip().lower().rpartition("@")
    return domain == host and (local == mailbox or local.startswith(mailbox + "+"))


def read_reply_address(address: str) -> ReplyTarget:
    """The recipient and comment `address` names; BadReplyAddress for one this
    site did not make, ExpiredReplyAddress for one too old."""
    if not is_reply_address(address):
        raise BadReplyAddress(address)
    local = address.strip().lower().rpartition("@")[0]
    token, _, signature = local.partition("+")[2].rpartition(".")
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not token or not any(
        constant_time_compare(signature, _signature(token, secret))
        for secret in secrets
    ):
        raise BadReplyAddress(address)
    try:
        user_id, comment_id, day = (base36_to_int(part) for part in token.split("."))
        made_on = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
    except (ValueError, OverflowError) as error:
        raise BadReplyAddress(address) from error
    target = ReplyTarget(user_id=user_id, comment_id=comment_id, made_on=made_on)
    age = timezone.now().date() - made_on
    if age > datetime.timedelta(days=settings.PONDER_REPLY_DAYS):
        raise ExpiredReplyAddress(target)
    return target


def _signature(token: str, secret: str) -> str:
    digest = salted_hmac(SALT, token, secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest[:SIGNATURE_BYTES]).decode().lower()
