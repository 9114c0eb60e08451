"""A cohort's people, read and typed: invitation addresses parsed, the
invitation form, and invitations looked up by their token.

Inviting, accepting, removing, changing roles and the switch that closes the
open join link are actions (programmes/actions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from core.submissions import SubmissionKeyField
from programmes.models import AnyUser, Invitation

#: The most addresses one paste may invite.
MAX_INVITATIONS = 200

_ANGLE_ADDRESS_RE = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>$")


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


class InvitationForm(forms.Form):
    submission = SubmissionKeyField()
    addresses = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Separate them with commas, spaces or new lines; "
            "“Name <name@example.org>” works too."
        ),
    )

    def clean_addresses(self) -> list[str]:
        parsed = parse_addresses(self.cleaned_data["addresses"])
        if parsed.invalid:
            bad = ", ".join(f"“{address}”" for address in parsed.invalid)
            raise forms.ValidationError(
                gettext(
                    "Not e-mail addresses: %(addresses)s. Nobody was invited; "
                    "correct these and send again."
                )
                % {"addresses": bad}
            )
        if not parsed.valid:
            raise forms.ValidationError(gettext("Enter at least one e-mail address."))
        if len(parsed.valid) > MAX_INVITATIONS:
            raise forms.ValidationError(
                gettext("At most %(count)s addresses at a time.")
                % {"count": MAX_INVITATIONS}
            )
        return parsed.valid
