from functools import cache

from django.http import HttpRequest

from notifications.models import Notification

#: The bell shows "99+" beyond this, so the count stops early.
BELL_LIMIT = 99


def unread_notifications(request: HttpRequest) -> dict:
    """The bell's unread count, queried only by a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        unread = Notification.objects.for_recipient(user).unread()
        return unread.order_by().values("pk")[: BELL_LIMIT + 1].count()

    # Templates call a callable they are given; cached, it queries at most once.
    return {"unread_notifications": cache(count)}
