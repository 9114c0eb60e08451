"""Joining a cohort through its open join link or a personal invitation.

A GET of a join page never joins (a link scanner or a prefetching browser
follows links too): a signed-in person joins by the POST of the page's Join
button (programmes/views/joining.py).

A signed-out visitor who opens a join page is asked to sign up or sign in, and
the link they followed waits in their session (PENDING_JOIN_SESSION_KEY). A
session is one browser's, though, and the verification e-mail is often opened
on another device: signing up turns the waiting link into a PendingJoin kept
with the new account, and the join completes when the address is verified or
the account is first signed into, in any browser (programmes/adapter.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes import actions
from programmes import members as cohort_members
from programmes.models import PENDING_JOIN_LIFETIME, Cohort, PendingJoin

PENDING_JOIN_SESSION_KEY = "pending_join_token"
#: A pending personal invitation is kept under the same key, with this prefix.
INVITATION_PREFIX = "invite:"
#: So is the Join button of an open cohort pressed while signed out (its slug
#: follows). Pressing it was the choice to join, so, unlike a link followed,
#: signing in completes it (programmes/adapter.py).
OPEN_PREFIX = "open:"
#: When the link was kept (a POSIX timestamp): a Join button pressed long
#: before signing in no longer joins (settings.PONDER_OPEN_JOIN_SECONDS).
PENDING_JOIN_AT_SESSION_KEY = "pending_join_at"


def keep_pending_join(session: SessionBase, followed: str) -> None:
    session[PENDING_JOIN_SESSION_KEY] = followed
    session[PENDING_JOIN_AT_SESSION_KEY] = timezone.now().timestamp()


def open_join_pressed_recently(session: SessionBase) -> bool:
    """Whether the Join button kept in the session was pressed recently
    enough for signing in to complete it; a session without the time is not."""
    pressed_at = session.get(PENDING_JOIN_AT_SESSION_KEY)
    if not isinstance(pressed_at, int | float):
        return False
    age = timezone.now().timestamp() - pressed_at
    return 0 <= age <= settings.PONDER_OPEN_JOIN_SECONDS


def ask_to_press_join_again(request: HttpRequest, followed: str) -> str | None:
    """Say the stale Join button joined nobody; the public page of the
    programme to press it again on, if it is still open."""
    slug = followed.removeprefix(OPEN_PREFIX)
    cohort = Cohort.objects.open_to_join().select_related("programme")
    cohort = cohort.filter(slug=slug).first()
    if cohort is None:
        return None
    messages.warning(
        request,
        _(
            "You have not joined %(name)s: you pressed its Join button a while "
            "ago. Press Join again to join."
        )
        % {"name": cohort.name},
    )
    return cohort.programme.get_public_url()


def pending_join_url(followed: str) -> str:
    """The join page of a link kept under PENDING_JOIN_SESSION_KEY."""
    if followed.startswith(INVITATION_PREFIX):
        token = followed.removeprefix(INVITATION_PREFIX)
        return reverse("programmes:invitation", kwargs={"token": token})
    if followed.startswith(OPEN_PREFIX):
        slug = followed.removeprefix(OPEN_PREFIX)
        return reverse("programmes:join_open", kwargs={"cohort": slug})
    return reverse("programmes:join", kwargs={"token": followed})


@transaction.atomic
def record_pending_join(*, user: User, followed: str) -> PendingJoin | None:
    """Keep the link followed (a session's PENDING_JOIN_SESSION_KEY) with the
    account, replacing any earlier one; a link that no longer works is dropped."""
    if followed.startswith(INVITATION_PREFIX):
        kind = PendingJoin.Kind.INVITATION
        token = followed.removeprefix(INVITATION_PREFIX)
        invitation = cohort_members.pending_invitation(token)
        cohort = invitation.cohort if invitation else None
    elif followed.startswith(OPEN_PREFIX):
        kind = PendingJoin.Kind.OPEN
        token = followed.removeprefix(OPEN_PREFIX)
        cohort = Cohort.objects.open_to_join().filter(slug=token).first()
    else:
        kind = PendingJoin.Kind.JOIN
        token = followed
        cohort = Cohort.objects.filter(join_token=token).first()
    if cohort is None:
        return None
    pending, _created = PendingJoin.objects.update_or_create(
        user=user, defaults={"cohort": cohort, "kind": kind, "token": token}
    )
    return pending


def _pending_join_of(user: User) -> PendingJoin | None:
    return (
        PendingJoin.objects.select_related("cohort__programme")
        .filter(user=user)
        .first()
    )


def pending_cohort(user: User) -> Cohort | None:
    """The cohort the account is waiting to join, if its pending join is fresh."""
    pending = _pending_join_of(user)
    if pending is None or pending.is_expired():
        return None
    return pending.cohort


class Outcome(enum.Enum):
    JOINED = "joined"
    ALREADY_MEMBER = "already member"
    EXPIRED = "expired"
    CLOSED = "closed"
    LINK_REPLACED = "link replaced"
    INVITATION_USED = "invitation used"
    NOT_OPEN = "not open"
    JOINING_ENDED = "joining ended"
    FULL = "full"


@dataclass(frozen=True)
class JoinResult:
    cohort: Cohort
    outcome: Outcome

    @property
    def is_member(self) -> bool:
        return self.outcome in {Outcome.JOINED, Outcome.ALREADY_MEMBER}

    def tell(self, request: HttpRequest) -> None:
        """Say what happened, kindly, as a message on the next page shown."""
        name = self.cohort.name
        days = PENDING_JOIN_LIFETIME.days
        level, text = {
            Outcome.JOINED: (messages.SUCCESS, _("Welcome to %(name)s!")),
            Outcome.ALREADY_MEMBER: (
                messages.INFO,
                _("You are already a member of %(name)s."),
            ),
            Outcome.EXPIRED: (
                messages.WARNING,
                ngettext(
                    "You have not joined %(name)s: you followed its link more "
                    "than %(days)d day ago. Follow the link again to join.",
                    "You have not joined %(name)s: you followed its link more "
                    "than %(days)d days ago. Follow the link again to join.",
                    days,
                ),
            ),
            Outcome.CLOSED: (
                messages.WARNING,
                _(
                    "You have not joined %(name)s: its facilitators have closed "
                    "its join link for now. Ask them for a personal invitation."
                ),
            ),
            Outcome.LINK_REPLACED: (
                messages.WARNING,
                _(
                    "You have not joined %(name)s: its facilitators have replaced "
                    "the join link you followed. Ask them for the new one."
                ),
            ),
            Outcome.INVITATION_USED: (
                messages.WARNING,
                _(
                    "You have not joined %(name)s: your invitation has been used "
                    "already. Ask its facilitators for a new one."
                ),
            ),
            Outcome.NOT_OPEN: (
                messages.WARNING,
                _(
                    "You have not joined %(name)s: it no longer lets anyone "
                    "join without an invitation."
                ),
            ),
            Outcome.JOINING_ENDED: (
                messages.WARNING,
                _("You have not joined %(name)s: the last day to join it has passed."),
            ),
            Outcome.FULL: (
                messages.WARNING,
                _("You have not joined %(name)s: it is full."),
            ),
        }[self.outcome]
        messages.add_message(request, level, text % {"name": name, "days": days})


@transaction.atomic
def complete_pending_join(*, user: User) -> JoinResult | None:
    """Use the account's pending join, once: join if the link still lets one in.

    The link is checked as it is now, not as it was at sign-up: a join link
    since closed or replaced, or an invitation used meanwhile, joins nobody.
    None when there is no pending join (or another request has just used it).
    """
    pending = _pending_join_of(user)
    if pending is None:
        return None
    # Whoever deletes the row uses it: two requests at once join once.
    deleted, _rows = PendingJoin.objects.filter(pk=pending.pk).delete()
    if not deleted:
        return None
    cohort = pending.cohort
    if pending.is_expired():
        return JoinResult(cohort, Outcome.EXPIRED)
    if pending.kind == PendingJoin.Kind.INVITATION:
        return _accept_invitation(user=user, cohort=cohort, token=pending.token)
    if pending.kind == PendingJoin.Kind.OPEN:
        return join_open_cohort(user=user, cohort=cohort)
    if cohort.join_token != pending.token:
        return JoinResult(cohort, Outcome.LINK_REPLACED)
    return join_by_link(user=user, cohort=cohort)


def join_by_link(*, user: User, cohort: Cohort) -> JoinResult:
    """Join through the open link: while it is closed, only members get through."""
    if not cohort.joining_open and cohort.role_of(user) is None:
        return JoinResult(cohort, Outcome.CLOSED)
    _membership, created = actions.join_cohort(user=user, cohort=cohort)
    return JoinResult(cohort, Outcome.JOINED if created else Outcome.ALREADY_MEMBER)


_REFUSALS = {
    "closed": Outcome.NOT_OPEN,
    "ended": Outcome.JOINING_ENDED,
    "full": Outcome.FULL,
}


@transaction.atomic
def join_open_cohort(*, user: User, cohort: Cohort) -> JoinResult:
    """Join an open cohort from its programme's public page, while it lets
    people in (Cohort.open_joining_refusal). The cohort's row is locked, so
    two people taking the last place at once cannot both have it."""
    locked = Cohort.objects.select_for_update().select_related("programme")
    locked = locked.get(pk=cohort.pk)
    if locked.role_of(user) is not None:
        return JoinResult(cohort, Outcome.ALREADY_MEMBER)
    refusal = locked.open_joining_refusal(participants=locked.participant_count())
    if refusal is not None:
        return JoinResult(cohort, _REFUSALS[refusal])
    _membership, created = actions.join_cohort(user=user, cohort=locked)
    return JoinResult(cohort, Outcome.JOINED if created else Outcome.ALREADY_MEMBER)


def _accept_invitation(*, user: User, cohort: Cohort, token: str) -> JoinResult:
    invitation = cohort_members.pending_invitation(token)
    if invitation is None or invitation.cohort_id != cohort.pk:
        return JoinResult(cohort, Outcome.INVITATION_USED)
    try:
        _membership, created = actions.accept_invitation(
            invitation=invitation, user=user
        )
    except actions.InvitationError:
        return JoinResult(cohort, Outcome.INVITATION_USED)
    return JoinResult(cohort, Outcome.JOINED if created else Outcome.ALREADY_MEMBER)
