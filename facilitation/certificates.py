"""Certificates: proof that a participant finished a cohort (issue 3, Completion).

A participant has finished once they have published an entry, whatever its
visibility, on every published Thing of the programme, or on as many as the
cohort's completion target asks for. The certificate is issued the first time
anything asks (the certificate page, the dashboard) and stays issued: taking a
Thing or an entry back to draft later does not withdraw it. A cohort's
facilitators see every participant's certificate and can issue one again
(facilitation/actions.py), with a new date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum

from facilitation.progress import member_name_order
from journal.cpd import format_minutes
from journal.models import Entry
from programmes.models import Certificate, Cohort, Membership


def _completed_entries(membership: Membership):
    """Published entries of the member on the programme's published Things."""
    return Entry.objects.completing().filter(
        author_id=membership.user_id, cohort_id=membership.cohort_id
    )


def things_to_finish(membership: Membership) -> int:
    """How many Things finish the cohort: its target, or all published Things."""
    cohort = membership.cohort
    return needed_to_finish(cohort, cohort.programme.things.published().count())


def needed_to_finish(cohort: Cohort, total: int) -> int:
    """A target larger than the programme finishes with every Thing, so a
    participant is never asked for more than there is."""
    target = cohort.completion_target
    return min(target, total) if target else total


def has_finished(membership: Membership) -> bool:
    if membership.role != Membership.Role.PARTICIPANT:
        return False
    needed = things_to_finish(membership)
    done = _completed_entries(membership).values("thing_id").distinct().count()
    return needed > 0 and done >= needed


def certificate_for(membership: Membership) -> Certificate | None:
    """The member's certificate, issued now if just earned; None if not earned.

    Safe to call on every page view: an issued certificate is returned as it is
    (no query if the membership was fetched with select_related("certificate")),
    and two requests issuing at once end with one certificate.
    """
    try:
        return membership.certificate
    except Certificate.DoesNotExist:
        pass
    if not has_finished(membership):
        return None
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(membership=membership)
    except IntegrityError:
        certificate = Certificate.objects.get(membership=membership)
    membership.certificate = certificate
    return certificate


@dataclass(frozen=True)
class ThingDone:
    number: int
    title: str


@dataclass(frozen=True)
class CertificateDetails:
    """What the certificate page shows; never an entry's title or text."""

    certificate: Certificate
    things: list[ThingDone]
    #: The programme's published Things: the "of N" of "x of N Things done".
    things_total: int
    first_published: datetime.datetime | None
    last_published: datetime.datetime | None
    minutes: int

    @property
    def thing_count(self) -> int:
        return len(self.things)

    @property
    def hours(self) -> str:
        return format_minutes(self.minutes)


def certificate_details(certificate: Certificate) -> CertificateDetails:
    """The Things done of how many, dates and CPD minutes, in three queries."""
    membership = certificate.membership
    entries = _completed_entries(membership)
    things = [
        ThingDone(number=number, title=title)
        for number, title in entries.order_by("thing__number")
        .values_list("thing__number", "thing__title")
        .distinct()
    ]
    totals = entries.aggregate(
        first=Min("published_at"), last=Max("published_at"), minutes=Sum("minutes")
    )
    return CertificateDetails(
        certificate=certificate,
        things=things,
        things_total=membership.cohort.programme.things.published().count(),
        first_published=totals["first"],
        last_published=totals["last"],
        minutes=totals["minutes"] or 0,
    )


def things_done_count(certificate: Certificate) -> int:
    """For the public verification page: a number, nothing about the entries."""
    return (
        _completed_entries(certificate.membership).values("thing_id").distinct().count()
    )


@dataclass(frozen=True)
class MemberCertificate:
    """One participant's line on the facilitators' list of certificates."""

    membership: Membership
    things_done: int
    things_total: int
    finished: bool

    @property
    def certificate(self) -> Certificate | None:
        return getattr(self.membership, "certificate", None)


def cohort_participants(cohort: Cohort):
    """The cohort's participants by name, with what the list shows of them."""
    return (
        Membership.objects.filter(cohort=cohort, role=Membership.Role.PARTICIPANT)
        .select_related("user__profile", "certificate")
        .order_by(member_name_order(), "user_id")
    )


def member_certificates(
    cohort: Cohort, memberships: list[Membership]
) -> list[MemberCertificate]:
    """How far each of these participants got, and their certificate if
    issued: two queries however many there are."""
    total = cohort.programme.things.published().count()
    needed = needed_to_finish(cohort, total)
    done = Entry.objects.filter(
        cohort=cohort, author_id__in=[m.user_id for m in memberships]
    ).things_done()
    return [
        MemberCertificate(
            membership=membership,
            things_done=len(done[membership.user_id]),
            things_total=total,
            finished=needed > 0 and len(done[membership.user_id]) >= needed,
        )
        for membership in memberships
    ]


class IssueCertificateForm(forms.Form):
    """The confirmation of (re)issuing: carries the issue date shown, so that
    posting it twice issues once (facilitation.actions.issue_certificate)."""

    shown_issued_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
