"""What members are told about: in the app (the bell) and by e-mail."""

from __future__ import annotations

import datetime
import hashlib
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import notifications_version
from core.freshness import kept
from journal.models import Comment, Entry
from programmes.models import AnyUser, Cohort, NudgeDelivery, ThingOpening


class Kind(models.TextChoices):
    COMMENT = "comment", _("A comment on my entry")
    REPLY = "reply", _("A reply to my comment")
    MENTION = "mention", _("A mention of me")
    THING_OPENED = "thing_opened", _("A new Thing opened in my cohort")
    MESSAGE = "message", _("A message from a facilitator")
    REPORT = "report", _("A report in a cohort I facilitate")
    HIDDEN = "hidden", _("My entry or comment hidden by a facilitator")
    HELD = "held", _("A post waiting for approval in a cohort I facilitate")

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence ("e-mail about: a comment on my entry"):
        a message of its own, as lower-casing is wrong for German nouns."""
        return str(KIND_IN_SENTENCE[self])


#: The kinds' labels as a sentence goes on with them.
KIND_IN_SENTENCE = {
    Kind.COMMENT: pgettext_lazy("inside a sentence", "a comment on my entry"),
    Kind.REPLY: pgettext_lazy("inside a sentence", "a reply to my comment"),
    Kind.MENTION: pgettext_lazy("inside a sentence", "a mention of me"),
    Kind.THING_OPENED: pgettext_lazy(
        "inside a sentence", "a new Thing opened in my cohort"
    ),
    Kind.MESSAGE: pgettext_lazy("inside a sentence", "a message from a facilitator"),
    Kind.REPORT: pgettext_lazy(
        "inside a sentence", "a report in a cohort I facilitate"
    ),
    Kind.HIDDEN: pgettext_lazy(
        "inside a sentence", "my entry or comment hidden by a facilitator"
    ),
    Kind.HELD: pgettext_lazy(
        "inside a sentence", "a post waiting for approval in a cohort I facilitate"
    ),
}


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


#: E-mail for each kind until a member chooses otherwise. A facilitator's
#: message is written to be read now, like a reply.
DEFAULT_FREQUENCY: dict[str, str] = {
    Kind.COMMENT: Frequency.IMMEDIATELY,
    Kind.REPLY: Frequency.IMMEDIATELY,
    Kind.MENTION: Frequency.WEEKLY,
    Kind.THING_OPENED: Frequency.WEEKLY,
    Kind.MESSAGE: Frequency.IMMEDIATELY,
    Kind.REPORT: Frequency.IMMEDIATELY,
    Kind.HIDDEN: Frequency.IMMEDIATELY,
    # An open cohort's newcomers may post many at once: a digest, not a flood.
    Kind.HELD: Frequency.DAILY,
}


class Counts(NamedTuple):
    unread: int
    any: bool


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_recipient(self, user: AnyUser) -> NotificationQuerySet:
        """A member's notifications whose subject they may still read: an entry
        made private or hidden, or a comment hidden, since drops out."""
        # Correlated (EXISTS for each notification, by primary key), not `IN`
        # over every entry and comment the user may read: a member has a few
        # dozen notifications, a big cohort hundreds of thousands of comments.
        readable_entry = Entry.objects.visible_to(user).filter(pk=OuterRef("entry_id"))
        readable_comment = Comment.objects.shown_to(user).filter(
            pk=OuterRef("comment_id")
        )
        return self.filter(recipient=user).filter(
            Q(entry__isnull=True) | Exists(readable_entry),
            Q(comment__isnull=True) | Exists(readable_comment),
        )

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def counts(self, user: AnyUser, version: int) -> Counts:
        """How many of a member's notifications are unread, and whether they
        have any, kept under their `notifications_version`: one look-up for
        the bell and the list."""
        return kept(f"notices:{user.pk}:{version}", lambda: self._counts(user))

    def _counts(self, user: AnyUser) -> Counts:
        counts = self.filter(recipient=user).aggregate(
            unread=Count("pk", filter=Q(read_at__isnull=True)), total=Count("pk")
        )
        return Counts(unread=counts["unread"], any=counts["total"] > 0)

    def none_for(self, user: AnyUser) -> bool:
        """Whether a member has never had a notification (or has had all of
        theirs deleted), known from the counts kept under their
        `notifications_version`: most members on most days. False when it
        cannot be known without asking (no profile row yet)."""
        version = notifications_version(user)
        return version is not None and not self.counts(user, version).any

    def list_state(self, user: AnyUser) -> str | None:
        """What the list of a member's notifications depends on, for its key
        (core/freshness.py), or None when it may not be kept: their
        `notifications_version` (a notification made or read), and the
        content versions of the cohorts their notifications are about (what
        they may still read, the names and titles shown)."""
        version = notifications_version(user)
        if version is None:
            return None
        mine = self.filter(recipient=user)
        about = Q(pk__in=mine.values("cohort_id")) | Q(
            pk__in=mine.values("entry__cohort_id")
        )
        versions = Cohort.objects.filter(about).order_by("pk")
        cohorts = ",".join(
            f"{pk}.{content}"
            for pk, content in versions.values_list("pk", "content_version")
        )
        digest = hashlib.md5(cohorts.encode(), usedforsecurity=False).hexdigest()
        return f"n{version}.{digest}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    #: Who did it: the commenter, the mentioner, the facilitator.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    opening = models.ForeignKey(
        ThingOpening, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        NudgeDelivery, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: The e-mail that told of it, at once or in a digest; empty until then.
    delivery = models.ForeignKey(
        "Delivery",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            # One notification per person for each comment, entry mention,
            # opening and message, however often the code that makes it runs.
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment"],
                condition=Q(comment__isnull=False),
                name="notify_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "entry"],
                condition=Q(comment__isnull=True, entry__isnull=False),
                name="notify_once_per_entry",
            ),
            models.UniqueConstraint(
                fields=["recipient", "opening"],
                condition=Q(opening__isnull=False),
                name="notify_once_per_opening",
            ),
            models.UniqueConstraint(
                fields=["recipient", "message"],
                condition=Q(message__isnull=False),
                name="notify_once_per_message",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient", "kind"],
                condition=Q(delivery__isnull=True),
                name="notification_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def target_url(self) -> str:
        """Where the notification leads: the comment, entry, Thing or message;
        for a report or a post waiting for approval, the moderation queue."""
        if self.kind in (Kind.REPORT, Kind.HELD):
            return reverse(
                "facilitation:moderation", kwargs={"cohort": self.cohort.slug}
            )
        if self.comment_id:
            return f"{self.entry.get_absolute_url()}#comment-{self.comment_id}"
        if self.entry_id:
            return self.entry.get_absolute_url()
        if self.opening_id:
            return reverse(
                "journal:thing",
                kwargs={"cohort": self.cohort.slug, "thing": self.opening.thing.slug},
            )
        return reverse("facilitation:nudge", kwargs={"pk": self.message_id})


class PreferenceQuerySet(models.QuerySet["Preference"]):
    def frequencies_for(self, user: AnyUser) -> dict[str, str]:
        """Every kind's e-mail frequency for `user`, defaults filled in."""
        chosen = dict(self.filter(user=user).values_list("kind", "frequency"))
        return {kind: chosen.get(kind, DEFAULT_FREQUENCY[kind]) for kind in Kind}

    def frequency_for(self, user: AnyUser, kind: str) -> str:
        chosen = self.filter(user=user, kind=kind).values_list("frequency", flat=True)
        return next(iter(chosen), DEFAULT_FREQUENCY[kind])

    def choose(self, user: AnyUser, kind: str, frequency: str) -> None:
        self.update_or_create(user=user, kind=kind, defaults={"frequency": frequency})


class Preference(models.Model):
    """How often a member wants e-mail of one kind; no row means the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.frequency}"


class Delivery(models.Model):
    """One e-mail to one person: a notification at once, or a digest.

    Recorded before it is sent; a worker claims it by moving it from pending
    to sending in one conditional UPDATE, so two workers never both send it,
    and a sent delivery is never sent again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")
        SKIPPED = "skipped", _("Nothing left to tell")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    #: For a digest, the local date (daily) or Monday (weekly) it covers, so
    #: running the digest command twice makes one digest.
    period = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "frequency", "period"],
                condition=Q(period__isnull=False),
                name="one_digest_per_period",
            )
        ]
        indexes = [models.Index(fields=["status", "created"], name="delivery_queue")]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} e-mail to {self.recipient}"


class InboundMessageQuerySet(models.QuerySet["InboundMessage"]):
    def forgettable(self, now: datetime.datetime) -> InboundMessageQuerySet:
        """Records no replay needs any more: a month past the last day their
        reply address could be good (`PONDER_REPLY_DAYS`)."""
        kept_days = settings.PONDER_REPLY_DAYS + 30
        return self.filter(received_at__lt=now - datetime.timedelta(days=kept_days))


class InboundMessage(models.Model):
    """One e-mail received at the reply address, and what became of it.

    Its Message-ID (a digest of the whole message when it has none) is unique,
    so a message delivered twice is answered once. The message itself is not
    kept: its text became a comment, or it was refused and its sender told.
    """

    class Outcome(models.TextChoices):
        POSTED = "posted", _("Posted as a reply")
        AUTOMATIC = "automatic", _("Ignored: sent by a program (an auto-reply)")
        BAD_ADDRESS = "bad_address", _("Refused: not a reply address of this site")
        EXPIRED = "expired", _("Refused: the reply address has expired")
        WRONG_SENDER = "wrong_sender", _("Refused: not from the recipient's address")
        EMPTY = "empty", _("Refused: no reply text")
        CANNOT_REPLY = "cannot_reply", _("Refused: may not reply there")
        TOO_LARGE = "too_large", _("Refused: too large")

    key = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    #: Whose reply address it was sent to, when the address was good.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.received_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def key_of(message_id: str, raw: bytes) -> str:
        identity = message_id.strip().encode() if message_id.strip() else raw
        return hashlib.sha256(identity).hexdigest()
