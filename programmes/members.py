"""A cohort's people: invitations by e-mail, removing members, changing roles
and the switch that closes the open join link.

The one rule shared by removing and demoting: a cohort always keeps at least
one facilitator, so nobody can lock everyone out of running it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import display_name
from core import freshness
from core.tasks import send_templated_email_on_commit
from programmes import actions
from programmes.models import AnyUser, Cohort, Invitation, Membership

#: The most addresses one paste may invite.
MAX_INVITATIONS = 200

_ANGLE_ADDRESS_RE = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>$")


class MembershipRuleError(Exception):
    """A change that would break a rule of membership; the message says which."""


class InvitationError(Exception):
    """An invitation that was used already or cannot be used."""


@dataclass(frozen=True)
class ParsedAddresses:
    #: Valid addresses, lower-cased, in the order given, each once.
    valid: list[str] = field(default_factory=list)
    #: What could not be read as an address, as it was typed.
    invalid: list[str] = field(default_factory=list)


def parse_addresses(text: str) -> ParsedAddresses:
    """Addresses separated by commas, semicolons, spaces or new lines, each bare
    or as `Name <address>`. Names are dropped: the invitee gives their own."""
    valid: list[str] = []
    invalid: list[str] = []
    for chunk in re.split(r"[,;\n]+", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if "<" in chunk or ">" in chunk:
            match = _ANGLE_ADDRESS_RE.match(chunk)
            candidates = [match.group("address").strip()] if match else [chunk]
        else:
            candidates = chunk.split()
        for candidate in candidates:
            try:
                validate_email(candidate)
            except ValidationError:
                invalid.append(candidate or chunk)
            else:
                valid.append(candidate.lower())
    return ParsedAddresses(valid=list(dict.fromkeys(valid)), invalid=invalid)


@dataclass(frozen=True)
class InvitationResult:
    invited: list[str]
    already_members: list[str]
    already_invited: list[str]


@transaction.atomic
def invite_by_email(
    *, cohort: Cohort, invited_by: User, addresses: list[str]
) -> InvitationResult:
    """Invite each new address; members and pending invitations are skipped.

    Every e-mail is enqueued on commit, so a failure part-way sends nothing.
    """
    addresses = [address.lower() for address in addresses]
    member_ids = cohort.memberships.values("user_id")
    members = set(
        User.objects.filter(pk__in=member_ids)
        .annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    ) | set(
        EmailAddress.objects.filter(user_id__in=member_ids)
        .annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("address", flat=True)
    )
    pending = set(
        cohort.invitations.filter(
            accepted_at__isnull=True, email__in=addresses
        ).values_list("email", flat=True)
    )
    result = InvitationResult(
        invited=[a for a in addresses if a not in members and a not in pending],
        already_members=[a for a in addresses if a in members],
        already_invited=[a for a in addresses if a in pending and a not in members],
    )
    inviter = display_name(invited_by)
    for address in result.invited:
        invitation = Invitation.objects.create(
            cohort=cohort, email=address, invited_by=invited_by
        )
        send_templated_email_on_commit(
            to=[address],
            template="programmes/email/invitation",
            context={
                "cohort": cohort,
                "inviter": inviter,
                "invitation_path": reverse(
                    "programmes:invitation", kwargs={"token": invitation.token}
                ),
            },
        )
    return result


def pending_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("cohort__programme")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )


def invitation_for(token: str, user: AnyUser) -> Invitation | None:
    """The invitation while it is unused, or once used by this very user (so a
    second click of its Join button is no error)."""
    used_by_user = Q(accepted_by=user) if user.is_authenticated else Q(pk__in=[])
    return (
        Invitation.objects.select_related("cohort__programme")
        .filter(Q(accepted_at__isnull=True) | used_by_user, token=token)
        .first()
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> tuple[Membership, bool]:
    """Use the invitation once: the user joins as a participant, even while the
    cohort's open join link is closed. A member accepting changes no role."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise InvitationError("This invitation has been used already.")
    membership, created = actions.join_cohort(user=user, cohort=locked.cohort)
    locked.accepted_by = user
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_by", "accepted_at"])
    return membership, created


def _lock_facilitators(cohort: Cohort) -> list[int]:
    """Lock the facilitator rows so two changes at once cannot both pass the rule."""
    return list(
        cohort.memberships.select_for_update()
        .filter(role=Membership.Role.FACILITATOR)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    facilitators = _lock_facilitators(membership.cohort)
    if facilitators == [membership.pk]:
        raise MembershipRuleError(
            "A cohort needs at least one facilitator: make someone else a "
            "facilitator first."
        )
    membership.delete()
    freshness.cohorts_changed([membership.cohort_id])


@transaction.atomic
def set_role(*, membership: Membership, role: str) -> None:
    if role not in Membership.Role.values:
        raise MembershipRuleError("Unknown role.")
    facilitators = _lock_facilitators(membership.cohort)
    if role == Membership.Role.PARTICIPANT and facilitators == [membership.pk]:
        raise MembershipRuleError(
            "A cohort needs at least one facilitator: make someone else a "
            "facilitator first."
        )
    membership.role = role
    membership.save(update_fields=["role"])
    freshness.cohorts_changed([membership.cohort_id])


@transaction.atomic
def set_joining_open(*, cohort: Cohort, is_open: bool) -> None:
    cohort.joining_open = is_open
    cohort.save(update_fields=["joining_open"])
    freshness.cohort_changed(cohort)


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        label="E-mail addresses",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Separate them with commas, spaces or new lines; "
            "“Name <name@example.org>” works too."
        ),
    )

    def clean_addresses(self) -> list[str]:
        parsed = parse_addresses(self.cleaned_data["addresses"])
        if parsed.invalid:
            bad = ", ".join(f"“{address}”" for address in parsed.invalid)
            raise forms.ValidationError(
                f"Not e-mail addresses: {bad}. Nobody was invited; correct "
                "these and send again."
            )
        if not parsed.valid:
            raise forms.ValidationError("Enter at least one e-mail address.")
        if len(parsed.valid) > MAX_INVITATIONS:
            raise forms.ValidationError(
                f"At most {MAX_INVITATIONS} addresses at a time."
            )
        return parsed.valid
