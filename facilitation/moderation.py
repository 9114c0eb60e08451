"""Moderation: members report, the cohort's facilitators hide, restore, dismiss.

Every facilitator's action is logged as a ModerationAction: who, what, when,
and which report it answered.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from core import freshness
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
            "entry__author__profile",
            "comment__author__profile",
            "comment__entry__author",
            "report",
        )
    )


def _cohort_of(item: Entry | Comment) -> Cohort:
    return item.cohort if isinstance(item, Entry) else item.entry.cohort


def _set_hidden_at(item: Entry | Comment, moment: datetime.datetime | None) -> None:
    # An update rather than save(): nothing of the text changes, so nothing is
    # rendered again and the entry's "updated" stays.
    type(item).objects.filter(pk=item.pk).update(hidden_at=moment)
    item.hidden_at = moment
    freshness.cohorts_changed([_cohort_of(item).pk])


def _target(item: Entry | Comment) -> dict:
    if isinstance(item, Entry):
        return {"entry": item}
    return {"comment": item}


@transaction.atomic
def report(
    *, reporter: User, item: Entry | Comment, reason: str, details: str = ""
) -> tuple[Report, bool]:
    """Report an entry or a comment; True when this is a new report.

    One open report per reporter and item is enough: a second one returns the
    first unchanged.
    """
    target = _target(item)
    existing = Report.objects.filter(
        reporter=reporter, resolved_at__isnull=True, **target
    ).first()
    if existing is not None:
        return existing, False
    created = Report.objects.create(
        cohort=_cohort_of(item),
        reporter=reporter,
        reason=reason,
        details=details,
        **target,
    )
    # Facilitators' pages count the open reports.
    freshness.cohorts_changed([created.cohort_id])
    return created, True


@transaction.atomic
def hide(
    *, actor: User, item: Entry | Comment, report: Report | None = None
) -> ModerationAction:
    """Hide an entry or a comment from all but its author and the facilitators.

    The item's open reports are resolved: hiding is the answer to them.
    """
    now = timezone.now()
    _set_hidden_at(item, now)
    Report.objects.filter(resolved_at__isnull=True, **_target(item)).update(
        resolved_at=now, resolved_by=actor
    )
    return ModerationAction.objects.create(
        cohort=_cohort_of(item),
        actor=actor,
        action=ModerationAction.Action.HIDE,
        report=report,
        created=now,
        **_target(item),
    )


@transaction.atomic
def restore(*, actor: User, item: Entry | Comment) -> ModerationAction:
    _set_hidden_at(item, None)
    return ModerationAction.objects.create(
        cohort=_cohort_of(item),
        actor=actor,
        action=ModerationAction.Action.RESTORE,
        **_target(item),
    )


@transaction.atomic
def dismiss(*, actor: User, report: Report) -> ModerationAction:
    """Close a report without hiding anything."""
    now = timezone.now()
    report.resolved_at, report.resolved_by = now, actor
    report.save(update_fields=["resolved_at", "resolved_by"])
    freshness.cohorts_changed([report.cohort_id])
    return ModerationAction.objects.create(
        cohort=report.cohort,
        actor=actor,
        action=ModerationAction.Action.DISMISS,
        entry=report.entry,
        comment=report.comment,
        report=report,
        created=now,
    )
