"""Workflows of notifications that pages show: reading them, and the bells
that change when an entry they are about is deleted, restored or unpublished."""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import freshness
from journal.models import Entry
from notifications.models import Notification, NotificationQuerySet


@transaction.atomic
def mark_read(*, reader: User, notifications: NotificationQuerySet) -> int:
    """Mark the reader's unread ones among `notifications` read; how many were.

    The bell's count moves on only when something was unread.
    """
    marked = (
        notifications.filter(recipient=reader).unread().update(read_at=timezone.now())
    )
    if marked:
        freshness.notifications_changed([reader.pk])
    return marked


def entry_readers_changed(entry: Entry) -> None:
    """The notifications about an entry and its comments are read through
    `for_recipient`, which asks who may read the entry now: their recipients'
    bells change. (Mail still pending asks the same when it is sent.)"""
    recipients = (
        Notification.objects.filter(Q(entry=entry) | Q(comment__entry=entry))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    freshness.notifications_changed(recipients)
