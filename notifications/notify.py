"""Making notifications: who is told what, never about what they may not read.

This module is the notifications app's actions for making notifications (its
other actions, such as marking them read, are in notifications/actions.py):
each function writes notifications and tells core/freshness.py whose bell
changed.

Each function here is called by the action that caused it (a comment posted, an
entry published, a Thing opened, a facilitator's message sent), inside its
transaction: directly from the apps above, through a hook from the journal and
the programmes below (registered in `NotificationsConfig.ready()`; see
core/hooks.py). Unique constraints on `Notification` make every call
idempotent. What is e-mailed at once is handed to `delivery.send_at_once`;
digests pick up the rest later.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from itertools import islice

from django.contrib.auth.models import User
from django.db.models import QuerySet

from core import freshness
from journal.mentions import mentioned_members
from journal.models import Comment, Entry, Report
from notifications import delivery
from notifications.models import Kind, Notification
from programmes.hooks import MembersTold
from programmes.models import (
    Membership,
    Nudge,
    NudgeDelivery,
    Release,
    ThingOpening,
)

#: The most people one comment or entry notifies by mentioning them.
MAX_MENTIONS = 20

#: A Thing recorded as open later than this after its date opened while
#: nobody recorded openings (the first run on an old cohort): no notification.
OPENING_NEWS_DAYS = 2


def _may_read_comment(user: User, comment: Comment) -> bool:
    return Comment.objects.shown_to(user).filter(pk=comment.pk).exists()


def _may_read_entry(user: User, entry: Entry) -> bool:
    return Entry.objects.visible_to(user).filter(pk=entry.pk).exists()


def _create(recipient: User, kind: str, **targets) -> Notification | None:
    """The notification, or None when this recipient already has it."""
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, kind=kind, **targets
    )
    if not created:
        return None
    freshness.notifications_changed([recipient.pk])
    return notification


def _tell(recipients: Iterable[tuple[User, str]], **targets) -> list[Notification]:
    """Notify each (recipient, kind) of `targets` once, and hand those to be
    e-mailed at once to delivery."""
    made = [
        notification
        for user, kind in recipients
        if (notification := _create(user, kind, **targets))
    ]
    delivery.send_at_once(made)
    return made


def _facilitators(cohort_id: int, *, besides: Iterable[int | None]) -> QuerySet[User]:
    return User.objects.filter(
        memberships__cohort_id=cohort_id,
        memberships__role=Membership.Role.FACILITATOR,
    ).exclude(pk__in=[pk for pk in besides if pk is not None])


def _insert(notifications: Iterable[Notification]) -> None:
    """Insert the notifications, a batch at a time (only one batch of them is
    made in memory at once); one a recipient has already is skipped."""
    notifications = iter(notifications)
    while batch := list(islice(notifications, delivery.BATCH)):
        Notification.objects.bulk_create(batch, ignore_conflicts=True)


def comment_posted(comment: Comment) -> list[Notification]:
    """Tell the entry's author, the author of the comment replied to, and the
    members mentioned: each once, only if they may read the comment.

    The comment replied to is `in_reply_to`, not the `parent` a reply at the
    deepest level is filed under. A held comment tells only the cohort's
    facilitators, that it waits for them; the others hear of it once it is
    approved (facilitation.actions.approve_item calls this again then)."""
    if comment.is_held:
        return held_for_approval(comment)
    entry = comment.entry
    wanted: dict[int, tuple[User, str]] = {}
    answered = comment.in_reply_to
    if answered is not None and answered.author_id:
        wanted[answered.author_id] = (answered.author, Kind.REPLY)
    wanted.setdefault(entry.author_id, (entry.author, Kind.COMMENT))
    for user in comment_mentions(comment):
        wanted.setdefault(user.pk, (user, Kind.MENTION))
    wanted.pop(comment.author_id, None)
    return _tell(
        (
            (user, kind)
            for user, kind in wanted.values()
            if _may_read_comment(user, comment)
        ),
        actor=comment.author,
        cohort=entry.cohort,
        entry=entry,
        comment=comment,
    )


def comment_mentions(comment: Comment) -> list[User]:
    return list(mentioned_members(comment.body, comment.entry.cohort)[:MAX_MENTIONS])


def comment_edited(comment: Comment) -> list[Notification]:
    """Members newly mentioned by an edit are told; nobody twice."""
    if comment.is_held:
        return []
    return _tell(
        (
            (user, Kind.MENTION)
            for user in comment_mentions(comment)
            if user.pk != comment.author_id
            and _may_read_comment(user, comment)
            and not Notification.objects.filter(
                recipient=user, comment=comment
            ).exists()
        ),
        actor=comment.author,
        cohort=comment.entry.cohort,
        entry=comment.entry,
        comment=comment,
    )


def entry_saved(entry: Entry) -> list[Notification]:
    """Members a published entry mentions are told once, if they may read it;
    while it waits for approval only the facilitators hear of it, that it
    waits (approving it calls this again)."""
    if not entry.is_published:
        return []
    if entry.is_held:
        return held_for_approval(entry)
    members = mentioned_members(entry.body, entry.cohort)[:MAX_MENTIONS]
    return _tell(
        (
            (user, Kind.MENTION)
            for user in members
            if user.pk != entry.author_id and _may_read_entry(user, entry)
        ),
        actor=entry.author,
        cohort=entry.cohort,
        entry=entry,
    )


def thing_opened(opening: ThingOpening, release: Release, today: datetime.date) -> int:
    """Every member of the cohort hears that a Thing opened, unless it opened
    long before anybody recorded it (then it is old news). Returns how many
    were told. A few queries for any number of members, in batches."""
    if (today - release.opens_on).days > OPENING_NEWS_DAYS:
        return 0
    told = Notification.objects.filter(opening=opening).values("recipient_id")
    members = list(
        Membership.objects.filter(cohort=opening.cohort)
        .exclude(user_id__in=told)
        .values_list("user_id", flat=True)
    )
    _insert(
        Notification(
            recipient_id=user_id,
            kind=Kind.THING_OPENED,
            cohort=opening.cohort,
            opening=opening,
        )
        for user_id in members
    )
    freshness.notifications_changed(members)
    # Read back: bulk_create with ignore_conflicts sets no primary keys.
    delivery.send_at_once_in_batches(Notification.objects.filter(opening=opening))
    return len(members)


def thing_opened_to_members(news: list[MembersTold], today: datetime.date) -> int:
    """Participants of a self-paced cohort hear that a Thing opened to them,
    on their own date, once each; old news (the same rule as `thing_opened`)
    is not told. Returns how many were told. A fixed number of queries for any
    number of them, in batches."""
    wanted = {
        (user_id, told.opening.pk): told.opening
        for told in news
        if (today - told.release.opens_on).days <= OPENING_NEWS_DAYS
        for user_id in told.user_ids
    }
    if not wanted:
        return 0
    already = set(
        Notification.objects.filter(
            opening__in={opening_id for _user, opening_id in wanted},
            recipient_id__in={user_id for user_id, _opening in wanted},
        ).values_list("recipient_id", "opening_id")
    )
    fresh = {key for key in wanted if key not in already}
    if not fresh:
        return 0
    _insert(
        Notification(
            recipient_id=user_id,
            kind=Kind.THING_OPENED,
            cohort_id=wanted[user_id, opening_id].cohort_id,
            opening_id=opening_id,
        )
        for user_id, opening_id in fresh
    )
    recipients = {user_id for user_id, _opening in fresh}
    freshness.notifications_changed(recipients)
    # Read back, a batch at a time: bulk_create with ignore_conflicts sets no
    # primary keys. Older news of these openings to these people is read too:
    # what still waits for a digest is left to it.
    delivery.send_at_once_in_batches(
        Notification.objects.filter(
            opening__in={opening_id for _user, opening_id in fresh},
            recipient_id__in=recipients,
        )
    )
    return len(fresh)


def message_sent(messages: Iterable[NudgeDelivery]) -> list[Notification]:
    """A facilitator's message, in each recipient's notifications: a fixed
    number of queries for a batch of messages of one nudge or several."""
    messages = list(messages)
    already = set(
        Notification.objects.filter(message__in=messages).values_list(
            "message_id", flat=True
        )
    )
    fresh = [message for message in messages if message.pk not in already]
    if not fresh:
        return []
    nudges = Nudge.objects.in_bulk({message.nudge_id for message in fresh})
    _insert(
        Notification(
            recipient_id=message.recipient_id,
            kind=Kind.MESSAGE,
            actor_id=nudges[message.nudge_id].sender_id,
            cohort_id=nudges[message.nudge_id].cohort_id,
            message=message,
        )
        for message in fresh
    )
    freshness.notifications_changed({message.recipient_id for message in fresh})
    # Read back: bulk_create with ignore_conflicts sets no primary keys.
    made = list(Notification.objects.filter(message__in=fresh, delivery__isnull=True))
    delivery.send_at_once(made)
    return made


def item_reported(report: Report) -> list[Notification]:
    """The cohort's facilitators hear of a report, once for each item: all but
    the reporter and the item's author (who is not told who reported it)."""
    comment = report.comment
    entry = report.entry or comment.entry
    author_id = (comment or entry).author_id
    facilitators = _facilitators(
        report.cohort_id, besides=[report.reporter_id, author_id]
    )
    return _tell(
        ((user, Kind.REPORT) for user in facilitators),
        cohort=report.cohort,
        entry=entry,
        comment=comment,
    )


def held_for_approval(item: Entry | Comment) -> list[Notification]:
    """The cohort's facilitators hear, once for each item, that a post waits
    for their approval in the moderation queue."""
    entry = item if isinstance(item, Entry) else item.entry
    comment = item if isinstance(item, Comment) else None
    facilitators = _facilitators(entry.cohort_id, besides=[item.author_id])
    return _tell(
        ((user, Kind.HELD) for user in facilitators),
        actor=item.author,
        cohort=entry.cohort,
        entry=entry,
        comment=comment,
    )


def item_hidden(item: Entry | Comment, *, actor: User) -> list[Notification]:
    """The author hears that a facilitator hid their entry or comment; the
    notification shows the reason the item carries."""
    if item.author is None:
        return []
    entry = item if isinstance(item, Entry) else item.entry
    comment = item if isinstance(item, Comment) else None
    return _tell(
        [(item.author, Kind.HIDDEN)],
        actor=actor,
        cohort=entry.cohort,
        entry=entry,
        comment=comment,
    )
