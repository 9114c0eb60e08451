"""Nudges: a facilitator's message to some participants of their cohort.

A nudge is written once, in Markdown, with placeholders that are filled in for
each recipient. Values are substituted into the Markdown *source*, escaped for
Markdown first, and the result goes through the one sanitiser
(`render_markdown`, when the delivery is saved): a display name such as
``<b>Eve</b>`` or ``[click](http://x)`` arrives as text, never as markup.

Sending a nudge and marking it read are actions (facilitation/actions.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import display_name
from core.markdown import escape_markdown
from core.submissions import SubmissionKeyField
from journal.models import Entry
from programmes.models import Cohort, Membership, NudgeDelivery

#: Placeholders a nudge may use, with what they become; shown on the form.
PLACEHOLDERS: dict[str, str] = {
    "name": gettext_lazy("the participant's display name"),
    "next_thing": gettext_lazy(
        "the next Thing they have to write (or the next to open)"
    ),
}

#: The most recipients one nudge goes to: one page of the progress grid and more.
MAX_RECIPIENTS = 500

_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z0-9_]*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """The `{…}` names in `text` that are not placeholders, in order, once each."""
    unknown = [
        f"{{{name}}}"
        for name in _PLACEHOLDER_RE.findall(text)
        if name not in PLACEHOLDERS
    ]
    return list(dict.fromkeys(unknown))


def substitute(text: str, values: dict[str, str], *, markdown: bool) -> str:
    """Fill in the placeholders; Markdown escaping when `text` is Markdown."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return escape_markdown(values[name]) if markdown else values[name]

    return _PLACEHOLDER_RE.sub(replace, text)


def participant_ids(raw: Iterable[str]) -> list[int]:
    """User ids from query or form values; anything not a number is ignored."""
    ids = []
    for value in raw:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) < 12:
            ids.append(int(value))
    return list(dict.fromkeys(ids))[:MAX_RECIPIENTS]


def cohort_participants(cohort: Cohort, ids: Iterable[int]) -> QuerySet[User]:
    """The participants of this cohort among `ids`; anyone else is dropped."""
    return (
        User.objects.filter(
            memberships__cohort=cohort,
            memberships__role=Membership.Role.PARTICIPANT,
            pk__in=list(ids),
        )
        .select_related("profile")
        .order_by("username")
    )


def next_things(cohort: Cohort, users: list[User]) -> dict[int, str]:
    """Per user, the next Thing to write: the first open to them without a
    published entry, else the next to open to them, else nothing (each
    person's own dates in a self-paced cohort). Four queries for any number."""
    members = cohort.memberships.filter(user__in=users)
    schedules = cohort.schedules_of(members)
    done = Entry.objects.filter(cohort=cohort, author__in=users).things_done()
    result = {}
    for user in users:
        schedule = schedules.get(user.pk, [])
        upcoming = next((r for r in schedule if not r.is_open), None)
        release = next(
            (r for r in schedule if r.is_open and r.thing.pk not in done[user.pk]),
            upcoming,
        )
        result[user.pk] = str(release.thing) if release else ""
    return result


@dataclass(frozen=True)
class Personalised:
    recipient: User
    subject: str
    #: Markdown with the placeholders filled in and escaped.
    body: str
    #: The plain-text e-mail: the Markdown source with the values as they are.
    text: str


def personalise(
    *, cohort: Cohort, recipients: list[User], subject: str, body: str
) -> list[Personalised]:
    things = next_things(cohort, recipients)
    messages = []
    for user in recipients:
        values = {"name": display_name(user), "next_thing": things[user.pk]}
        messages.append(
            Personalised(
                recipient=user,
                subject=" ".join(substitute(subject, values, markdown=False).split()),
                body=substitute(body, values, markdown=True),
                text=substitute(body, values, markdown=False),
            )
        )
    return messages


def deliveries_for(user: User) -> QuerySet[NudgeDelivery]:
    return NudgeDelivery.objects.filter(recipient=user).select_related(
        "nudge__cohort", "nudge__sender__profile"
    )


class NudgeForm(forms.Form):
    submission = SubmissionKeyField()
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Body"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Markdown. Placeholders: {name} and {next_thing}."),
    )

    def _check_placeholders(self, field: str) -> str:
        value = self.cleaned_data[field]
        if unknown := unknown_placeholders(value):
            raise forms.ValidationError(
                ngettext(
                    "Unknown placeholder: %(names)s. Use {name} or {next_thing}.",
                    "Unknown placeholders: %(names)s. Use {name} or {next_thing}.",
                    len(unknown),
                )
                % {"names": ", ".join(unknown)}
            )
        return value

    def clean_subject(self) -> str:
        return self._check_placeholders("subject")

    def clean_body(self) -> str:
        return self._check_placeholders("body")
