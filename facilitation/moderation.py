"""Moderation, read: the open reports, what waits for approval, what is
hidden and the log, each limited to what the moderator may still read.

Members report, the cohort's facilitators hide, restore and dismiss through
the actions in facilitation/actions.py, each logged as a ModerationAction:
who, what, when, and which report it answered.
"""

from django.contrib.auth.models import User
from django.db.models import Case, Q, QuerySet, Value, When

from journal.models import Comment, Entry, ModerationAction, Report
from programmes.models import Cohort


def _readable_item(moderator: User) -> Q:
    """Reports and actions whose entry or comment `moderator` may still read: an
    entry its author has since made "only me" is nobody else's business."""
    return Q(entry__in=Entry.objects.visible_to(moderator)) | Q(
        comment__in=Comment.objects.visible_to(moderator)
    )


def open_reports(cohort: Cohort, moderator: User) -> QuerySet[Report]:
    """The cohort's unresolved reports on what `moderator` may read, newest first."""
    return Report.objects.filter(
        _readable_item(moderator), cohort=cohort, resolved_at__isnull=True
    )


def waiting_count(cohort: Cohort, moderator: User) -> int:
    """Open reports and held posts together, in one query."""
    parts = [
        open_reports(cohort, moderator),
        held_entries(cohort, moderator),
        held_comments(cohort, moderator),
    ]
    first, *others = [part.order_by().values("pk") for part in parts]
    return first.union(*others, all=True).count()


def queue(cohort: Cohort, moderator: User) -> QuerySet[Report]:
    """The open reports with what the queue shows of each."""
    return open_reports(cohort, moderator).select_related(
        "reporter__profile",
        "entry__author__profile",
        "comment__author__profile",
        "comment__entry__author",
    )


def hidden_entries(cohort: Cohort, moderator: User) -> QuerySet[Entry]:
    return (
        Entry.objects.visible_to(moderator)
        .filter(cohort=cohort, hidden_at__isnull=False)
        .select_related("author__profile")
        .order_by("-hidden_at", "-pk")
    )


def hidden_comments(cohort: Cohort, moderator: User) -> QuerySet[Comment]:
    return (
        Comment.objects.visible_to(moderator)
        .filter(entry__cohort=cohort, hidden_at__isnull=False)
        .select_related("author__profile", "entry__author")
        .order_by("-hidden_at", "-pk")
    )


def held_entries(cohort: Cohort, moderator: User) -> QuerySet[Entry]:
    """Entries waiting for approval, oldest first: the queue is worked through
    in the order people posted."""
    return (
        Entry.objects.visible_to(moderator)
        .held()
        .filter(cohort=cohort)
        .select_related("author__profile")
        .order_by("held_at", "pk")
    )


def held_comments(cohort: Cohort, moderator: User) -> QuerySet[Comment]:
    return (
        Comment.objects.visible_to(moderator)
        .held()
        .filter(entry__cohort=cohort, state=Comment.State.VISIBLE)
        .select_related("author__profile", "entry__author")
        .order_by("held_at", "pk")
    )


def log(cohort: Cohort, moderator: User) -> QuerySet[ModerationAction]:
    """The cohort's actions, newest first; `item_readable` says whether the log
    may still show what each was about."""
    return (
        ModerationAction.objects.filter(cohort=cohort)
        .annotate(
            item_readable=Case(
                When(_readable_item(moderator), then=Value(True)),
                default=Value(False),
            )
        )
        .select_related(
            "actor__profile",
            "member__profile",
            "entry__author__profile",
            "comment__author__profile",
            "comment__entry__author",
            "report",
        )
    )
