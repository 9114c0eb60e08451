"""Daily and weekly digests, made per person in their own time zone.

A daily digest goes once a local day, after DIGEST_HOUR; a weekly one on
Mondays after DIGEST_HOUR. Each tells of the notifications of the kinds the
person wants in it that no e-mail has told of yet, made before that morning's
DIGEST_HOUR: what comes later waits for the next one, so a digest never turns
into an e-mail at once. A digest is unique per person, frequency and period
(the local date), so running the command twice, or on two machines, makes one.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from accounts.models import Profile
from notifications.delivery import attach, enqueue_on_commit
from notifications.models import (
    DEFAULT_FREQUENCY,
    Delivery,
    Frequency,
    Notification,
    Preference,
)

DIGEST_HOUR = 7
#: Older news stays in the app only. Two weeks and a day: a weekly digest
#: that was missed once (the scheduler was down all Monday) still tells.
MAX_AGE = datetime.timedelta(days=15)
DIGESTS = (Frequency.DAILY, Frequency.WEEKLY)


def digest_period(frequency: str, local_now: datetime.datetime) -> datetime.date | None:
    """The local date a digest due now covers, or None when none is due."""
    if local_now.hour < DIGEST_HOUR:
        return None
    if frequency == Frequency.WEEKLY and local_now.weekday() != 0:
        return None
    return local_now.date()


def make_digests(now: datetime.datetime) -> list[Delivery]:
    """Record every digest due at `now` and send each once committed.

    Three queries for everybody, then a few per digest made.
    """
    undelivered = Notification.objects.filter(
        delivery__isnull=True, created__gte=now - MAX_AGE
    ).values_list("pk", "recipient_id", "kind", "created")
    waiting: dict[int, list[tuple[int, str, datetime.datetime]]] = defaultdict(list)
    for pk, recipient_id, kind, created in undelivered:
        waiting[recipient_id].append((pk, kind, created))
    if not waiting:
        return []
    chosen = {
        (user_id, kind): frequency
        for user_id, kind, frequency in Preference.objects.filter(
            user_id__in=waiting
        ).values_list("user_id", "kind", "frequency")
    }
    zones = dict(
        Profile.objects.filter(user_id__in=waiting).values_list("user_id", "time_zone")
    )
    made = []
    for recipient_id, notifications in waiting.items():
        zone = zoneinfo.ZoneInfo(
            zones.get(recipient_id, settings.PONDER_DEFAULT_TIME_ZONE)
        )
        local_now = now.astimezone(zone)
        for frequency in DIGESTS:
            period = digest_period(frequency, local_now)
            if period is None:
                continue
            cutoff = datetime.datetime.combine(
                period, datetime.time(DIGEST_HOUR), tzinfo=zone
            )
            ids = [
                pk
                for pk, kind, created in notifications
                if created < cutoff
                and chosen.get((recipient_id, kind), DEFAULT_FREQUENCY[kind])
                == frequency
            ]
            if ids and (digest := _make_digest(recipient_id, frequency, period, ids)):
                made.append(digest)
    return made


@transaction.atomic
def _make_digest(
    recipient_id: int, frequency: str, period: datetime.date, ids: list[int]
) -> Delivery | None:
    """The new digest for this period, or None if it was made before."""
    delivery, created = Delivery.objects.get_or_create(
        recipient_id=recipient_id, frequency=frequency, period=period
    )
    if not created:
        return None
    if not attach(ids, delivery):
        delivery.delete()
        return None
    enqueue_on_commit(delivery)
    return delivery
