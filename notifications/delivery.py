"""E-mail about notifications: recorded first, sent by a background task.

Every e-mail is a `Delivery` row, written in the same transaction as the
notifications it tells of, which point to it. The task `send_delivery` sends
it (`deliver`):

1. Claim: one conditional UPDATE moves it from pending to sending. Two
   workers given the same delivery cannot both win, and a sent one is never
   claimed again. A failed attempt is claimed again only once its back-off
   has passed.
2. Re-check: only the notifications whose subject the recipient may still
   read go in (an entry made private, a comment hidden since, drop out); with
   none left the delivery is skipped.
3. Send, then mark it sent. A send error puts it back to pending and enqueues
   a retry after a back-off; after MAX_ATTEMPTS it is failed.

SMTP cannot be exactly-once. If the worker dies after the claim and before
marking it sent (after the message left, or not), the delivery stays in
"sending"; `sweep` (run by the digest command) puts it back to pending after
STALLED_AFTER and it is sent again: at least once, a duplicate only in that
window.
"""

from __future__ import annotations

import datetime
import smtplib
from collections.abc import Iterable, Iterator
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import language_of
from core.markdown import plain_text
from journal.models import Comment
from notifications.models import (
    DEFAULT_FREQUENCY,
    Delivery,
    Frequency,
    Kind,
    Notification,
    Preference,
)
from notifications.reply_address import enabled as replies_enabled
from notifications.reply_address import reply_address
from notifications.unsubscribe import unsubscribe_url

#: Attempts at sending one delivery before it is marked failed.
MAX_ATTEMPTS = 5
#: The wait after each failed attempt (after the first, the second, ...).
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
#: A delivery in "sending" this long belongs to a worker that died.
STALLED_AFTER = datetime.timedelta(minutes=15)
#: Rows handled per query by the bulk paths (inserts, reading back).
BATCH = 500
#: Notifications pointed to their deliveries by one UPDATE (a CASE of them):
#: three parameters each, under the 999 of an old SQLite.
ATTACH_IDS = 300
#: Deliveries sent by one task, one after the other.
SEND_BATCH = 50
#: A pending delivery no task has claimed this long after it was due lost its
#: task (a crash between commit and enqueue, or a backend that cannot defer).
OVERDUE_AFTER = datetime.timedelta(minutes=5)


def send_at_once(notifications: Iterable[Notification]) -> list[Delivery]:
    """Record an e-mail for each notification its recipient wants at once and
    send it once the transaction commits. Digests and "never" are left alone.

    A fixed number of queries for any number of notifications: one for the
    preferences, one insert, one update (a few for thousands, in batches)."""
    fresh = [n for n in notifications if n.delivery_id is None]
    chosen = _chosen_frequencies(fresh)
    wanted = [
        n
        for n in fresh
        if chosen.get((n.recipient_id, n.kind), DEFAULT_FREQUENCY[n.kind])
        == Frequency.IMMEDIATELY
    ]
    pairs = [
        (Delivery(recipient_id=n.recipient_id, frequency=Frequency.IMMEDIATELY), [n.pk])
        for n in wanted
    ]
    deliveries = record_deliveries(pairs)
    kept = {delivery.pk for delivery in deliveries}
    for notification, (delivery, _ids) in zip(wanted, pairs, strict=True):
        if delivery.pk in kept:
            notification.delivery = delivery
    return deliveries


def send_at_once_in_batches(notifications: QuerySet[Notification]) -> int:
    """`send_at_once` for a queryset of any size, a batch at a time, so only
    one batch of notifications is in memory. Returns how many e-mails."""
    sent = 0
    for batch in in_batches(notifications.filter(delivery__isnull=True), BATCH):
        sent += len(send_at_once(batch))
    return sent


def in_batches(queryset: QuerySet, size: int) -> Iterator[list]:
    """The rows of `queryset` in lists of `size`, each list a query of its own
    (by primary key, so rows changed while going through are never skipped)."""
    batch = list(queryset.order_by("pk")[:size])
    while batch:
        yield batch
        if len(batch) < size:
            return
        batch = list(queryset.filter(pk__gt=batch[-1].pk).order_by("pk")[:size])


def record_deliveries(wanted: list[tuple[Delivery, list[int]]]) -> list[Delivery]:
    """Insert each new delivery, attach its notifications to it and send it
    once committed; a delivery left with nothing to tell (its notifications
    went in another e-mail meanwhile) is deleted. In batches: a few queries
    for thousands."""
    if not wanted:
        return []
    deliveries = Delivery.objects.bulk_create(
        [delivery for delivery, _ids in wanted], batch_size=BATCH
    )
    ids = {delivery.pk: notification_ids for delivery, notification_ids in wanted}
    return _keep_attached(deliveries, ids)


def _keep_attached(
    deliveries: list[Delivery], ids: dict[int, list[int]]
) -> list[Delivery]:
    attached = attach_each(ids)
    if attached < sum(len(notification_ids) for notification_ids in ids.values()):
        empty = Delivery.objects.filter(pk__in=ids, notifications__isnull=True)
        dropped = set(empty.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=dropped).delete()
        deliveries = [d for d in deliveries if d.pk not in dropped]
    enqueue_on_commit(deliveries)
    return deliveries


def _chosen_frequencies(
    notifications: list[Notification],
) -> dict[tuple[int, str], str]:
    if not notifications:
        return {}
    rows = Preference.objects.filter(
        user_id__in={n.recipient_id for n in notifications},
        kind__in={n.kind for n in notifications},
    ).values_list("user_id", "kind", "frequency")
    return {(user_id, kind): frequency for user_id, kind, frequency in rows}


def attach_each(ids: dict[int, list[int]]) -> int:
    """Point the notifications not yet told of to their delivery (`ids`: the
    notifications of each delivery); returns how many. Conditional, so a
    notification is never in two e-mails. One UPDATE per ATTACH_IDS."""
    attached = 0
    pairs = [(delivery_id, pk) for delivery_id, pks in ids.items() for pk in pks]
    for start in range(0, len(pairs), ATTACH_IDS):
        batch = pairs[start : start + ATTACH_IDS]
        which = Case(
            *(When(pk=pk, then=Value(delivery_id)) for delivery_id, pk in batch),
            output_field=BigIntegerField(),
        )
        attached += Notification.objects.filter(
            pk__in=[pk for _delivery, pk in batch], delivery__isnull=True
        ).update(delivery_id=which)
    return attached


def enqueue_on_commit(deliveries: list[Delivery]) -> None:
    """Send the deliveries once committed: one task for one e-mail, one task
    per SEND_BATCH for many (a queue insert each, not one per person)."""
    ids = [delivery.pk for delivery in deliveries]
    for start in range(0, len(ids), SEND_BATCH):
        transaction.on_commit(partial(_enqueue_batch, ids[start : start + SEND_BATCH]))


def _enqueue_batch(delivery_ids: list[int]) -> None:
    # Imported here: the task module imports this one.
    from notifications.tasks import send_deliveries

    if len(delivery_ids) == 1:
        _enqueue(delivery_ids[0])
    else:
        send_deliveries.enqueue(delivery_ids)


def _enqueue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    # Imported here: the task module imports this one.
    from notifications.tasks import send_delivery

    if run_after is None:
        send_delivery.enqueue(delivery_id)
    elif send_delivery.get_backend().supports_defer:
        send_delivery.using(run_after=run_after).enqueue(delivery_id)
    # Otherwise (the immediate backend of development) `sweep` retries it.


def _due(now: datetime.datetime) -> Q:
    """Pending deliveries whose back-off, if any, has passed."""
    due = Q(attempts=0)
    for attempts, wait in enumerate(BACKOFF, start=1):
        due |= Q(attempts=attempts, claimed_at__lte=now - wait)
    return Q(status=Delivery.Status.PENDING) & due


def claim(delivery_id: int) -> Delivery | None:
    """The delivery, now "sending", if this caller won it; else None."""
    now = timezone.now()
    claimed = Delivery.objects.filter(_due(now), pk=delivery_id).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("recipient__profile").get(pk=delivery_id)


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is still to be sent; returns what became of it."""
    delivery = claim(delivery_id)
    if delivery is None:
        return "not due"
    notifications = readable_notifications(delivery)
    recipient = delivery.recipient
    if not notifications or not (recipient.is_active and recipient.email):
        _finish(delivery, Delivery.Status.SKIPPED)
        return Delivery.Status.SKIPPED
    message = compose(delivery, notifications)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed(delivery, error)
    _finish(delivery, Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return Delivery.Status.SENT


def _finish(delivery: Delivery, status: str, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, **fields)


def _failed(delivery: Delivery, error: Exception) -> str:
    last_error = f"{type(error).__name__}: {error}"[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        _finish(delivery, Delivery.Status.FAILED, last_error=last_error)
        return Delivery.Status.FAILED
    _finish(delivery, Delivery.Status.PENDING, last_error=last_error)
    wait = BACKOFF[delivery.attempts - 1]
    transaction.on_commit(
        partial(_enqueue, delivery.pk, run_after=timezone.now() + wait)
    )
    return "retry"


def sweep(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Put deliveries of dead workers back to pending (or failed, with no
    attempts left), and enqueue pending ones whose task was lost or whose
    retry is due. Returns (stalled, enqueued)."""
    now = now or timezone.now()
    stalled = Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lte=now - STALLED_AFTER
    )
    gave_up = stalled.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Delivery.Status.FAILED, last_error="The worker stopped while sending."
    )
    returned = stalled.update(status=Delivery.Status.PENDING)
    overdue = Delivery.objects.filter(_due(now - OVERDUE_AFTER)).filter(
        Q(attempts__gt=0) | Q(created__lte=now - OVERDUE_AFTER)
    )
    ids = list(overdue.values_list("pk", flat=True))
    # A task still waiting in a long queue makes this one a duplicate: only
    # one of them wins the claim.
    for delivery_id in ids:
        _enqueue(delivery_id)
    return gave_up + returned, len(ids)


# The e-mail


def readable_notifications(delivery: Delivery) -> list[Notification]:
    """What the delivery may tell its recipient now, newest first."""
    return list(
        Notification.objects.for_recipient(delivery.recipient)
        .filter(delivery=delivery)
        .select_related(
            "actor__profile",
            "cohort",
            "entry__author",
            "comment__entry__author",
            "comment__in_reply_to__author__profile",
            "opening__thing",
            "message__nudge__sender__profile",
            "message__nudge__cohort",
        )
    )


def _readable_answered(recipient: User, notifications: list[Notification]) -> set[int]:
    """Of the comments replied to, those the recipient may read: one query."""
    answered_ids = {
        n.comment.in_reply_to_id
        for n in notifications
        if n.comment and n.comment.in_reply_to_id
    }
    if not answered_ids:
        return set()
    readable = Comment.objects.shown_to(recipient).filter(pk__in=answered_ids)
    return set(readable.values_list("pk", flat=True))


def link_to(notification: Notification) -> str:
    """The absolute address of what the notification is about."""
    if notification.kind in (Kind.REPORT, Kind.HELD):
        path = notification.target_url()
    elif notification.comment_id:
        path = notification.comment.get_absolute_url()
    elif notification.entry_id:
        path = notification.entry.get_absolute_url()
    elif notification.opening_id:
        path = reverse(
            "journal:thing",
            kwargs={
                "cohort": notification.cohort.slug,
                "thing": notification.opening.thing.slug,
            },
        )
    else:
        path = reverse("facilitation:nudge", args=[notification.message_id])
    return settings.SITE_URL + path


def _items(recipient: User, notifications: list[Notification]) -> list[dict]:
    readable_answered = _readable_answered(recipient, notifications)
    items = []
    for notification in notifications:
        comment = notification.comment
        answered = comment.in_reply_to if comment else None
        items.append(
            {
                "notification": notification,
                "link": link_to(notification),
                "answered": answered
                if answered and answered.pk in readable_answered
                else None,
                "text": plain_text(notification.message.body)
                if notification.message_id
                else "",
                "reply_address": _reply_address(recipient, notification),
            }
        )
    return items


#: The kinds whose e-mail may be answered by e-mail (notifications/inbound.py).
REPLIED_BY_EMAIL = {Kind.COMMENT, Kind.REPLY, Kind.MENTION}


def _reply_address(recipient: User, notification: Notification) -> str:
    if not (
        replies_enabled()
        and notification.kind in REPLIED_BY_EMAIL
        and notification.comment_id
    ):
        return ""
    return reply_address(recipient.pk, notification.comment_id)


def compose(
    delivery: Delivery, notifications: list[Notification]
) -> EmailMultiAlternatives:
    """The e-mail in its recipient's language, whichever request or worker
    happens to send it."""
    with translation.override(language_of(delivery.recipient)):
        return _compose(delivery, notifications)


def _compose(
    delivery: Delivery, notifications: list[Notification]
) -> EmailMultiAlternatives:
    recipient = delivery.recipient
    kinds = [kind for kind in Kind if any(n.kind == kind for n in notifications)]
    items = _items(recipient, notifications)
    unsubscribe = unsubscribe_url(recipient, kinds)
    context = {
        "site_url": settings.SITE_URL,
        "recipient": recipient,
        "delivery": delivery,
        "item": items[0],
        "groups": [
            {
                "kind": kind,
                "items": [i for i in items if i["notification"].kind == kind],
                "unsubscribe_url": unsubscribe_url(recipient, [kind]),
            }
            for kind in kinds
        ],
        "count": len(items),
        "kind_labels": [Kind(kind).in_sentence for kind in kinds],
        "unsubscribe_url": unsubscribe,
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
    }
    template = (
        "notifications/email/notification"
        if delivery.frequency == Frequency.IMMEDIATELY
        else "notifications/email/digest"
    )
    subject = render_to_string(f"{template}_subject.txt", context)
    reply_to = items[0]["reply_address"] if len(items) == 1 else ""
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"{template}.txt", context),
        to=[recipient.email],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    return message
