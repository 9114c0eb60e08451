"""Workflows of notifications that pages show: reading them."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core import freshness
from notifications.models import NotificationQuerySet


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
