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
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import Profile
from notifications import delivery
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

    A batch of people at a time (delivery.BATCH), in a few queries each and
    one transaction each: whoever has news not yet told of, their news,
    preferences and time zones, then the digests in bulk.
    """
    undelivered = Notification.objects.filter(
        delivery__isnull=True, created__gte=now - MAX_AGE
    )
    recipients = list(
        undelivered.order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    made = []
    for start in range(0, len(recipients), delivery.BATCH):
        batch = recipients[start : start + delivery.BATCH]
        made += _make_digests_of(now, undelivered.filter(recipient_id__in=batch))
    return made


def _make_digests_of(
    now: datetime.datetime, undelivered: QuerySet[Notification]
) -> list[Delivery]:
    try:
        with transaction.atomic():
            return delivery.record_deliveries(_digests_due(now, undelivered))
    except IntegrityError:
        # Another run made some of these digests meanwhile: again, without them.
        with transaction.atomic():
            return delivery.record_deliveries(_digests_due(now, undelivered))


def _digests_due(
    now: datetime.datetime, undelivered: QuerySet[Notification]
) -> list[tuple[Delivery, list[int]]]:
    """The digests due at `now` with the notifications each tells of, for the
    recipients of `undelivered`; none made before for its period."""
    waiting: dict[int, list[tuple[int, str, datetime.datetime]]] = defaultdict(list)
    rows = undelivered.values_list("pk", "recipient_id", "kind", "created")
    for pk, recipient_id, kind, created in rows:
        waiting[recipient_id].append((pk, kind, created))
    chosen = {
        (user_id, kind): frequency
        for user_id, kind, frequency in Preference.objects.filter(
            user_id__in=waiting
        ).values_list("user_id", "kind", "frequency")
    }
    zones = dict(
        Profile.objects.filter(user_id__in=waiting).values_list("user_id", "time_zone")
    )
    due = []
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
            if ids:
                due.append((recipient_id, frequency, period, ids))
    return _not_made_before(due)


def _not_made_before(
    due: list[tuple[int, str, datetime.date, list[int]]],
) -> list[tuple[Delivery, list[int]]]:
    """A digest per person, frequency and period: those made before (by an
    earlier run, or another machine now) are left out."""
    if not due:
        return []
    made_before = set(
        Delivery.objects.filter(
            recipient_id__in={recipient_id for recipient_id, *_rest in due},
            period__in={period for _r, _f, period, _i in due},
        ).values_list("recipient_id", "frequency", "period")
    )
    return [
        (Delivery(recipient_id=recipient_id, frequency=frequency, period=period), ids)
        for recipient_id, frequency, period, ids in due
        if (recipient_id, frequency, period) not in made_before
    ]
