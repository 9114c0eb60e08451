"""A saved notification moves its recipient's `notifications_version` on.

Bulk creates and queryset updates send no signal: notify.py and views.py call
`notifications_changed` themselves.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from notifications.models import Notification, notifications_changed


@receiver(post_save, sender=Notification)
def notification_saved(sender, instance: Notification, **kwargs) -> None:
    notifications_changed([instance.recipient_id])
