import hashlib
from functools import cache

from django.core.cache import cache as shared_cache
from django.db.models import Count, Max
from django.http import HttpRequest

from core.fragments import VERSIONED_SECONDS
from notifications.models import Notification
from programmes.models import Cohort

#: The bell shows "99+" beyond this, so the count stops early.
BELL_LIMIT = 99


def bell_count(user) -> int:
    """Unread notifications whose subject the user may still read.

    That filter is costly, so its result is kept under a key that changes with
    the unread notifications (their number and the newest) and with the
    content versions of the user's cohorts, which move whenever an entry or
    comment is hidden or made private (journal/signals.py).
    """
    # A signed-in user comes with the raw state as the request began
    # (accounts/backends.py); a page that marks notifications read redirects.
    if hasattr(user, "unread_count"):
        raw = {"count": user.unread_count, "newest": user.newest_unread}
    else:
        unread = Notification.objects.filter(recipient=user).unread()
        raw = unread.aggregate(count=Count("pk"), newest=Max("pk"))
    if not raw["count"]:
        return 0
    versions = Cohort.objects.filter(memberships__user=user).values_list(
        "pk", "content_version"
    )
    state = f"{user.pk}:{raw['count']}:{raw['newest']}:{sorted(versions)}"
    key = "bell:" + hashlib.md5(state.encode(), usedforsecurity=False).hexdigest()

    def readable_count() -> int:
        readable = Notification.objects.for_recipient(user).unread()
        return readable.order_by().values("pk")[: BELL_LIMIT + 1].count()

    return shared_cache.get_or_set(key, readable_count, VERSIONED_SECONDS)


def unread_notifications(request: HttpRequest) -> dict:
    """The bell's unread count, queried only by a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Templates call a callable they are given; cached, it queries at most once.
    return {"unread_notifications": cache(lambda: bell_count(user))}
