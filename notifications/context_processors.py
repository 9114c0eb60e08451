import hashlib
from functools import cache

from django.http import HttpRequest

from accounts.models import notifications_version
from core.freshness import kept
from notifications.models import Notification
from programmes.models import Cohort

#: The bell shows "99+" beyond this, so the count stops early.
BELL_LIMIT = 99


def bell_count(user) -> int:
    """Unread notifications whose subject the user may still read.

    Both counts are cached. The unread count is keyed on the user's
    `notifications_version`, which moves on whenever one of their
    notifications is made or read (notifications/notify.py and actions.py). The readable
    count, a costly filter, is keyed on that and on the content versions of
    the user's cohorts, which move whenever an entry or comment is hidden,
    made private or deleted (the actions of journal/ and facilitation/).
    """
    version = notifications_version(user)
    if version is None:
        return readable_count(user)
    if not Notification.objects.counts(user, version).unread:
        return 0
    versions = Cohort.objects.filter(memberships__user=user).values_list(
        "pk", "content_version"
    )
    state = f"{user.pk}:{version}:{sorted(versions)}"
    key = "bell:" + hashlib.md5(state.encode(), usedforsecurity=False).hexdigest()
    return kept(key, lambda: readable_count(user))


def readable_count(user) -> int:
    readable = Notification.objects.for_recipient(user).unread()
    return readable.order_by().values("pk")[: BELL_LIMIT + 1].count()


def unread_notifications(request: HttpRequest) -> dict:
    """The bell's unread count, queried only by a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Templates call a callable they are given; cached, it queries at most once.
    return {"unread_notifications": cache(lambda: bell_count(user))}
