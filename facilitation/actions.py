"""Workflows of the facilitators' tools and of what spans every app: deleting
an account, moderation and nudges. Each is one function, in one transaction.

Deleting an account: everything of the person goes, other people's threads stay.

Certificates: the cohort's facilitators issue a finished participant's
certificate, or issue it again with a new date.

Moderation: members report, the cohort's facilitators hide, restore, dismiss.
Every facilitator's action is logged as a ModerationAction: who, what, when,
and which report it answered (facilitation/moderation.py reads them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from core import freshness
from core.submissions import create_once, submission_digest
from facilitation.certificates import certificate_for
from facilitation.nudges import personalise
from journal import actions as journal_actions
from journal.models import Comment, Entry, ModerationAction, Report
from notifications import notify
from programmes.models import (
    Certificate,
    Cohort,
    HoldPosts,
    Membership,
    Nudge,
    NudgeDelivery,
    Programme,
    facilitated_cohort_ids,
    member_cohort_ids,
)

#: Session engines whose sessions live in the database table we can search.
_DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


class AccountDeletionRefused(Exception):
    """Deleting the account would leave something others use without a keeper."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting a user's account removes or changes, to show before asking."""

    published: int
    drafts: int
    tags: int
    comments_elsewhere: int
    memberships: int
    email_addresses: int
    programmes_removed: list[Programme]
    cohorts_removed: list[Cohort]
    blockers: list[str]


def _others_in_cohort(user: User) -> Exists:
    return Exists(
        Membership.objects.filter(cohort=OuterRef("pk")).exclude(user=user)
    ) | Exists(Entry.objects.filter(cohort=OuterRef("pk")).exclude(author=user))


def _programmes_owned_alone(user: User) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(pk__in=user.owned_programmes.values("pk"))
        .annotate(owner_count=Count("owners"))
        .filter(owner_count=1)
    )


def _programmes_in_use_by_others(user: User) -> Exists:
    cohorts = Cohort.objects.filter(programme=OuterRef("pk")).filter(
        _others_in_cohort(user)
    )
    return Exists(cohorts)


def programmes_blocking(user: User) -> QuerySet[Programme]:
    """Programmes the user alone owns that other people take part in.

    Deleting the account would leave them with nobody to edit their Things or
    start the next cohort, so another owner must be added first.
    """
    return _programmes_owned_alone(user).filter(_programmes_in_use_by_others(user))


def programmes_to_remove(user: User) -> QuerySet[Programme]:
    """Programmes the user alone owns and nobody else uses: they go too."""
    return _programmes_owned_alone(user).exclude(_programmes_in_use_by_others(user))


def _facilitated_alone(user: User) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(pk__in=facilitated_cohort_ids(user))
        .annotate(
            facilitators=Count(
                "memberships",
                filter=Q(memberships__role=Membership.Role.FACILITATOR),
            )
        )
        .filter(facilitators=1)
    )


def cohorts_blocking(user: User) -> QuerySet[Cohort]:
    """Cohorts the user alone facilitates that have other members."""
    return _facilitated_alone(user).filter(_others_in_cohort(user))


def cohorts_to_remove(user: User) -> QuerySet[Cohort]:
    """Cohorts of which the user is the only member: nobody else would see them.

    Also the cohorts of programmes that go with the account (all theirs alone).
    """
    mine = member_cohort_ids(user)
    alone = Cohort.objects.filter(pk__in=mine).exclude(_others_in_cohort(user))
    of_programmes = Cohort.objects.filter(programme__in=programmes_to_remove(user))
    return (alone | of_programmes).distinct()


def deletion_blockers(user: User) -> list[str]:
    """Why the account cannot be deleted yet; empty when it can."""
    reasons = [
        gettext(
            "You are the only owner of the programme “%(title)s”, which "
            "other people take part in. Add another owner first (the site's "
            "administrators can do it for you), so it is not left without one."
        )
        % {"title": programme.title}
        for programme in programmes_blocking(user).order_by("title")
    ]
    reasons += [
        gettext(
            "You are the only facilitator of the cohort “%(name)s”, which has "
            "other members. Make another member a facilitator first (the site's "
            "administrators can do it for you)."
        )
        % {"name": cohort.name}
        for cohort in cohorts_blocking(user).order_by("name")
    ]
    return reasons


def deletion_plan(user: User) -> DeletionPlan:
    entries = Entry.objects.filter(author=user).aggregate(
        published=Count("pk", filter=Q(status=Entry.Status.PUBLISHED)),
        drafts=Count("pk", filter=Q(status=Entry.Status.DRAFT)),
    )
    return DeletionPlan(
        published=entries["published"],
        drafts=entries["drafts"],
        tags=user.tags.count(),
        comments_elsewhere=_comments_elsewhere(user)
        .filter(state=Comment.State.VISIBLE)
        .count(),
        memberships=user.memberships.count(),
        email_addresses=user.emailaddress_set.count(),
        programmes_removed=list(programmes_to_remove(user).order_by("title")),
        cohorts_removed=list(cohorts_to_remove(user).order_by("name")),
        blockers=deletion_blockers(user),
    )


def _comments_elsewhere(user: User) -> QuerySet[Comment]:
    return Comment.objects.filter(author=user).exclude(entry__author=user)


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the user and everything of theirs, in one transaction.

    Their entries go with every comment and revision on them; their comments on
    other people's entries go the way a deleted comment goes (a "comment
    deleted" placeholder where replies hang from it, else nothing), and the
    placeholders lose their author; programmes and cohorts nobody else uses go
    too. Refused while they alone keep a programme or cohort others use.
    """
    reasons = deletion_blockers(user)
    if reasons:
        raise AccountDeletionRefused(reasons)

    # Deepest first: a reply of theirs under a comment of theirs goes before
    # its parent is looked at, so the parent can go entirely if nothing is left.
    for comment in (
        _comments_elsewhere(user)
        .select_related("parent")
        .order_by("-depth", "-created", "-pk")
    ):
        # An earlier deletion in this loop may have removed it with its parent.
        if Comment.objects.filter(pk=comment.pk).exists():
            journal_actions.delete_comment(comment=comment)
    # Every cohort showing them, their name or their writing changes.
    freshness.person_changed(user.pk)
    Comment.objects.filter(author=user).exclude(entry__author=user).update(
        author=None,
        state=Comment.State.DELETED,
        body="",
        body_html="",
        edited_at=None,
    )

    # Those in their bin, waiting to be purged, go too.
    Entry.with_deleted.filter(author=user).delete()
    journal_actions.delete_images_of(user=user)
    cohorts = list(cohorts_to_remove(user).values_list("pk", flat=True))
    programmes = list(programmes_to_remove(user).values_list("pk", flat=True))
    Cohort.objects.filter(pk__in=cohorts).delete()
    Programme.objects.filter(pk__in=programmes).delete()

    _end_sessions(user)
    _forget_queued_email(user)
    # Profile, tags, memberships, e-mail addresses and ownerships cascade.
    user.delete()


def _end_sessions(user: User) -> None:
    """Sign the user out everywhere and leave nothing of theirs in a session.

    Sessions are not indexed by user, so each stored one is decoded; a rare
    action, worth a scan. Cache-only sessions cannot be listed: they expire,
    and the deleted user can no longer be loaded from them.
    """
    if settings.SESSION_ENGINE not in _DATABASE_SESSION_ENGINES:
        return
    store = import_module(settings.SESSION_ENGINE).SessionStore
    user_id = str(user.pk)
    for session in Session.objects.iterator(chunk_size=1000):
        if str(session.get_decoded().get(SESSION_KEY)) == user_id:
            store(session_key=session.session_key).delete()


def _forget_queued_email(user: User) -> None:
    """Drop e-mail tasks addressed to the user, queued or sent.

    The database task backend keeps each e-mail's recipients and text until its
    results are pruned; they name the person, so they go with the account.
    """
    emails = {
        email.lower()
        for email in [
            user.email,
            *user.emailaddress_set.values_list("email", flat=True),
        ]
        if email
    }
    if not emails:
        return
    candidates = DBTaskResult.objects.filter(
        Q.create([("args_kwargs__icontains", email) for email in emails], Q.OR)
    ).only("pk", "args_kwargs")
    stale = [
        task.pk
        for task in candidates.iterator()
        if emails.intersection(_recipients(task.args_kwargs))
    ]
    DBTaskResult.objects.filter(pk__in=stale).delete()


def _recipients(args_kwargs: object) -> set[str]:
    kwargs = args_kwargs.get("kwargs") if isinstance(args_kwargs, dict) else None
    to = kwargs.get("to") if isinstance(kwargs, dict) else None
    if not isinstance(to, list):
        return set()
    return {address.lower() for address in to if isinstance(address, str)}


# Moderation -------------------------------------------------------------------


def _cohort_of(item: Entry | Comment) -> Cohort:
    return item.cohort if isinstance(item, Entry) else item.entry.cohort


def _set_hidden(
    item: Entry | Comment, moment: datetime.datetime | None, reason: str
) -> None:
    """Hide or show again; hiding a held item is rejecting it, which settles
    its wait: restored later, it is shown."""
    # An update rather than save(): nothing of the text changes, so nothing is
    # rendered again and the entry's "updated" stays.
    type(item).objects.filter(pk=item.pk).update(
        hidden_at=moment, hidden_reason=reason, held_at=None
    )
    item.hidden_at, item.hidden_reason, item.held_at = moment, reason, None
    freshness.cohorts_changed([_cohort_of(item).pk])
    if item.author_id is not None:
        freshness.writing_changed(item.author_id)


def _target(item: Entry | Comment) -> dict:
    if isinstance(item, Entry):
        return {"entry": item}
    return {"comment": item}


class CertificateNotEarned(Exception):
    """The participant has not finished: there is nothing to issue."""


@transaction.atomic
def issue_certificate(
    *, membership: Membership, shown_issued_at: datetime.datetime | None
) -> Certificate:
    """Issue a participant's certificate, or issue it again dated now (a
    facilitator's reissue: a copy lost, a name corrected).

    `shown_issued_at` is the issue date the facilitator saw when asking (None:
    none issued yet). A repeated post (a double click, a resent form) finds
    the certificate already (re)issued since and changes nothing. The date
    shows only on the certificate and its verification page, neither cached.
    """
    certificate = (
        Certificate.objects.select_for_update().filter(membership=membership).first()
    )
    if certificate is None:
        issued = certificate_for(membership)
        if issued is None:
            raise CertificateNotEarned
        return issued
    if shown_issued_at is not None and certificate.issued_at == shown_issued_at:
        certificate.issued_at = timezone.now()
        certificate.save(update_fields=["issued_at"])
    return certificate


@transaction.atomic
def report_item(
    *, reporter: User, item: Entry | Comment, reason: str, details: str = ""
) -> tuple[Report, bool]:
    """Report an entry or a comment; True when this is a new report.

    One open report per reporter and item is enough: a second one returns the
    first unchanged.
    """
    report, created = Report.objects.get_or_create(
        reporter=reporter,
        resolved_at__isnull=True,
        **_target(item),
        defaults={"cohort": _cohort_of(item), "reason": reason, "details": details},
    )
    if created:
        # Facilitators' pages count the open reports.
        freshness.cohorts_changed([report.cohort_id])
        notify.item_reported(report)
    return report, created


@transaction.atomic
def hide_item(
    *,
    actor: User,
    item: Entry | Comment,
    reason: str = "",
    report: Report | None = None,
) -> ModerationAction:
    """Hide an entry or a comment from all but its author and the facilitators,
    and tell its author why (`reason`, shown on the item and in their
    notifications).

    The item's open reports are resolved: hiding is the answer to them.
    """
    now = timezone.now()
    _set_hidden(item, now, reason)
    Report.objects.filter(resolved_at__isnull=True, **_target(item)).update(
        resolved_at=now, resolved_by=actor
    )
    action = ModerationAction.objects.create(
        cohort=_cohort_of(item),
        actor=actor,
        action=ModerationAction.Action.HIDE,
        report=report,
        note=reason,
        created=now,
        **_target(item),
    )
    notify.item_hidden(item, actor=actor)
    return action


@transaction.atomic
def approve_item(*, actor: User, item: Entry | Comment) -> ModerationAction | None:
    """Show a held entry or comment to everyone who may read it, and approve
    its writer in the cohort (`Membership.approved_at`): where the cohort
    holds first posts, their other held posts there are shown with it and
    their next ones wait for nobody. Whoever its words concern (mentions,
    replies, the entry's author) is told now, once. None when it was not
    held (approved already, or hidden meanwhile): nothing changes."""
    cohort = _cohort_of(item)
    now = timezone.now()
    if not type(item).objects.filter(pk=item.pk, held_at__isnull=False).exists():
        return None
    Membership.objects.filter(
        cohort=cohort, user_id=item.author_id, approved_at__isnull=True
    ).update(approved_at=now)
    released = _release_held(item, cohort)
    freshness.cohorts_changed([cohort.pk])
    freshness.writing_changed(item.author_id)
    for post in released:
        if isinstance(post, Entry):
            notify.entry_saved(post)
        else:
            notify.comment_posted(post)
    return ModerationAction.objects.create(
        cohort=cohort,
        actor=actor,
        action=ModerationAction.Action.APPROVE,
        created=now,
        **_target(item),
    )


def _release_held(item: Entry | Comment, cohort: Cohort) -> list[Entry | Comment]:
    """Clear the wait of `item` and, unless the cohort holds every post, of
    the writer's other held posts in the cohort; those released, oldest first."""
    if cohort.post_hold == HoldPosts.ALL:
        entries = Entry.objects.filter(pk=item.pk) if isinstance(item, Entry) else None
        comments = (
            Comment.objects.filter(pk=item.pk) if isinstance(item, Comment) else None
        )
    else:
        entries = Entry.objects.filter(author_id=item.author_id, cohort=cohort)
        comments = Comment.objects.filter(
            author_id=item.author_id, entry__cohort=cohort
        )
    released: list[Entry | Comment] = []
    if entries is not None:
        held = list(entries.held().select_related("author", "cohort"))
        entries.held().update(held_at=None)
        released += held
    if comments is not None:
        held = list(comments.held().select_related("author", "entry__author"))
        comments.held().update(held_at=None)
        released += held
    for post in released:
        post.held_at = None
    return sorted(released, key=lambda post: post.created)


@transaction.atomic
def restore_item(*, actor: User, item: Entry | Comment) -> ModerationAction:
    _set_hidden(item, None, "")
    return ModerationAction.objects.create(
        cohort=_cohort_of(item),
        actor=actor,
        action=ModerationAction.Action.RESTORE,
        **_target(item),
    )


@transaction.atomic
def dismiss_report(*, actor: User, report: Report) -> ModerationAction:
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


# Removing a spammer --------------------------------------------------------------

#: How long a removal as a spammer can be undone.
SPAMMER_UNDO_WINDOW = datetime.timedelta(days=1)


class RemovalRefused(Exception):
    """Only a participant who keeps nothing for others can be removed."""


class NotUndoable(Exception):
    """Not a removal as a spammer, undone already, or past SPAMMER_UNDO_WINDOW."""


def removal_refusal(membership: Membership) -> str | None:
    """Why this member cannot be removed as a spammer, or None: facilitators,
    programme owners and staff keep what others rely on, and are dealt with
    by the site's administrators."""
    user = membership.user
    if (
        membership.is_facilitator
        or user.is_staff
        or user.memberships.filter(role=Membership.Role.FACILITATOR).exists()
        or user.owned_programmes.exists()
    ):
        return gettext(
            "Only participants can be removed as spammers: ask the site's "
            "administrators about a facilitator or a programme's owner."
        )
    return None


def spammer_posts(membership: Membership) -> tuple[QuerySet[Entry], QuerySet[Comment]]:
    """The member's entries and comments in the cohort that others may see now."""
    entries = Entry.objects.filter(
        author_id=membership.user_id, cohort_id=membership.cohort_id
    ).filter(hidden_at__isnull=True)
    comments = Comment.objects.filter(
        author_id=membership.user_id, entry__cohort_id=membership.cohort_id
    ).filter(hidden_at__isnull=True)
    return entries, comments


@transaction.atomic
def remove_spammer(*, actor: User, membership: Membership) -> ModerationAction:
    """In one step: hide all the member's entries and comments in the cohort
    (from every page at once, as hiding does; their author cannot sign in to
    see them), suspend their account (`is_active` off: allauth refuses to sign
    them in, and every session of theirs ends now), resolve the open reports
    on their posts, and log it. `undo_spammer_removal` puts all of it back
    within SPAMMER_UNDO_WINDOW.

    The posts are hidden at the moment the action is logged, which is how
    undoing finds exactly these and not what a facilitator hid before."""
    refusal = removal_refusal(membership)
    if refusal:
        raise RemovalRefused(refusal)
    user, cohort = membership.user, membership.cohort
    now = timezone.now()
    reason = gettext("Removed as spam.")
    entries, comments = spammer_posts(membership)
    entries.update(hidden_at=now, hidden_reason=reason)
    comments.update(hidden_at=now, hidden_reason=reason)
    Report.objects.filter(cohort=cohort, resolved_at__isnull=True).filter(
        Q(entry__author=user) | Q(comment__author=user)
    ).update(resolved_at=now, resolved_by=actor)
    User.objects.filter(pk=user.pk).update(is_active=False)
    _end_sessions(user)
    freshness.person_changed(user.pk)
    freshness.writing_changed(user.pk)
    return ModerationAction.objects.create(
        cohort=cohort,
        actor=actor,
        action=ModerationAction.Action.REMOVE_SPAMMER,
        member=user,
        note=reason,
        created=now,
    )


def is_undoable(action: ModerationAction) -> bool:
    return (
        action.action == ModerationAction.Action.REMOVE_SPAMMER
        and action.undone_at is None
        and action.created > timezone.now() - SPAMMER_UNDO_WINDOW
    )


@transaction.atomic
def undo_spammer_removal(*, actor: User, action: ModerationAction) -> ModerationAction:
    """Bring back what `remove_spammer` hid and the account it suspended, and
    log it; refused (NotUndoable) once undone or after SPAMMER_UNDO_WINDOW."""
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    if not is_undoable(action) or action.member is None:
        raise NotUndoable
    now = timezone.now()
    user = action.member
    shown_again = {"hidden_at": None, "hidden_reason": ""}
    Entry.with_deleted.filter(
        author=user, cohort=action.cohort, hidden_at=action.created
    ).update(**shown_again)
    Comment.objects.filter(
        author=user, entry__cohort=action.cohort, hidden_at=action.created
    ).update(**shown_again)
    User.objects.filter(pk=user.pk).update(is_active=True)
    freshness.person_changed(user.pk)
    freshness.writing_changed(user.pk)
    action.undone_at = now
    action.save(update_fields=["undone_at"])
    return ModerationAction.objects.create(
        cohort=action.cohort,
        actor=actor,
        action=ModerationAction.Action.UNDO_SPAMMER,
        member=user,
        created=now,
    )


# Nudges -----------------------------------------------------------------------

#: Recipients of a nudge personalised, stored and notified together.
NUDGE_BATCH = 500


@transaction.atomic
def send_nudge(
    *,
    cohort: Cohort,
    sender: User,
    recipients: list[User],
    subject: str,
    body: str,
    submission_key: str = "",
) -> Nudge:
    """Record the nudge and one delivery per recipient, each a notification
    that is e-mailed as the recipient chose: all of it or none of it. A
    batch of recipients at a time, in a fixed number of queries each.

    The same form sent again (its `submission_key`, the same recipients and
    words) returns the nudge the first post sent, and sends nothing more.
    """
    submission = submission_digest(
        submission_key, cohort.pk, sorted(r.pk for r in recipients), subject, body
    )
    nudge, created = create_once(
        Nudge.objects,
        sender=sender,
        submission=submission,
        defaults={"cohort": cohort, "subject": subject, "body": body},
    )
    if not created:
        return nudge
    for start in range(0, len(recipients), NUDGE_BATCH):
        batch = recipients[start : start + NUDGE_BATCH]
        deliveries = NudgeDelivery.objects.bulk_create(
            NudgeDelivery(
                nudge=nudge,
                recipient=message.recipient,
                subject=message.subject,
                body=message.body,
            ).rendered()
            for message in personalise(
                cohort=cohort, recipients=batch, subject=subject, body=body
            )
        )
        notify.message_sent(deliveries)
    return nudge


@transaction.atomic
def mark_nudge_read(*, delivery: NudgeDelivery) -> None:
    """An update, not `save()`: the stored HTML needs no new render. The
    dashboard's cached list of messages is keyed on the reader's
    notifications version, so this moves it on too."""
    if delivery.read_at is None:
        delivery.read_at = timezone.now()
        NudgeDelivery.objects.filter(pk=delivery.pk).update(read_at=delivery.read_at)
        freshness.notifications_changed([delivery.recipient_id])
