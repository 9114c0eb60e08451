"""Workflows of the programmes app: each one function, in one transaction.

Membership keeps one rule, shared by removing and demoting: a cohort always
keeps at least one facilitator, so nobody can lock everyone out of running it.

The schedule's actions change the inputs of `Cohort.schedule()` and record
each opening once; programmes/schedule.py explains the pause rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import display_name, language_of, language_of_address
from core import freshness
from core.images import PortableImage, image_keeper, image_markdown
from core.submissions import submission_digest
from core.tasks import send_templated_email_on_commit
from programmes import hooks
from programmes.hooks import MembersTold
from programmes.models import (
    Cohort,
    Invitation,
    Membership,
    Programme,
    Release,
    Thing,
    ThingOpening,
    ThingRelease,
)
from programmes.schedule import local_today, midnights_between, pause_days_so_far


@transaction.atomic
def create_programme(
    *,
    owner: User,
    title: str,
    slug: str,
    summary: str,
    offers_reflection_reading: bool = True,
) -> Programme:
    programme = Programme.objects.create(
        title=title,
        slug=slug,
        summary=summary,
        offers_reflection_reading=offers_reflection_reading,
    )
    programme.owners.add(owner)
    return programme


@transaction.atomic
def update_programme(*, programme: Programme, **fields) -> Programme:
    """Change a programme's title, address, summary or whether its entries'
    authors may ask for a reflection reading, which its cohorts' pages show
    (the author's own entry page links to the reading)."""
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.save(update_fields=list(fields))
    _programme_changed(programme)
    return programme


@transaction.atomic
def set_programme_open(*, programme: Programme, is_open: bool) -> Programme:
    """Open the programme's public page to anyone, or close it."""
    programme.is_open = is_open
    programme.save(update_fields=["is_open"])
    _programme_changed(programme)
    return programme


def _with_image(introduction: str, image: NewImage | None) -> str:
    """The introduction with `image` kept and shown at its end (the studio
    without JavaScript); ImageRefused says why it was not kept."""
    if image is None:
        return introduction
    kept = image_keeper().keep(owner=image.owner, images=[image.image])
    shown = image_markdown(kept[image.image.name], image.image.alt)
    return f"{introduction.rstrip()}\n\n{shown}\n"


@dataclass(frozen=True)
class NewImage:
    """An image uploaded with a Thing's form, by one of the programme's owners."""

    owner: User
    image: PortableImage


@transaction.atomic
def add_thing(
    *, programme: Programme, image: NewImage | None = None, **fields
) -> Thing:
    """A new Thing goes to the end of the programme."""
    last = programme.things.aggregate(last=Max("number"))["last"] or 0
    fields["introduction"] = _with_image(fields.get("introduction", ""), image)
    thing = Thing.objects.create(programme=programme, number=last + 1, **fields)
    hooks.thing_saved(thing=thing)
    _programme_changed(programme)
    return thing


@transaction.atomic
def update_thing(*, thing: Thing, image: NewImage | None = None, **fields) -> Thing:
    for name, value in fields.items():
        setattr(thing, name, value)
    thing.introduction = _with_image(thing.introduction, image)
    # save() renders the introduction again.
    thing.save()
    hooks.thing_saved(thing=thing)
    _programme_changed(thing.programme)
    return thing


@transaction.atomic
def set_thing_published(*, thing: Thing, published: bool) -> Thing:
    thing.status = Thing.Status.PUBLISHED if published else Thing.Status.DRAFT
    thing.save(update_fields=["status"])
    _programme_changed(thing.programme)
    return thing


def _programme_changed(programme: Programme) -> None:
    """Every cohort of the programme shows its title and its Things."""
    freshness.cohorts_changed(programme.cohorts.all())


@transaction.atomic
def move_thing(*, thing: Thing, offset: int) -> None:
    """Swap a Thing with its neighbour; numbers stay 1..n, slugs never change."""
    things = list(
        Thing.objects.select_for_update()
        .filter(programme_id=thing.programme_id)
        .order_by("number")
    )
    index = next(i for i, other in enumerate(things) if other.pk == thing.pk)
    target = index + offset
    if not 0 <= target < len(things):
        return
    things[index], things[target] = things[target], things[index]
    # Two passes keep the unique (programme, number) constraint true throughout.
    Thing.objects.filter(programme_id=thing.programme_id).update(
        number=F("number") + 10_000
    )
    for number, other in enumerate(things, start=1):
        Thing.objects.filter(pk=other.pk).update(number=number)
    _programme_changed(thing.programme)


@transaction.atomic
def create_cohort(
    *,
    programme: Programme,
    facilitator: User,
    open_joining: dict | None = None,
    **fields,
) -> Cohort:
    """A new cohort with its first facilitator; `open_joining` holds the
    arguments of set_open_joining, the one way to set them."""
    cohort = Cohort.objects.create(programme=programme, **fields)
    Membership.objects.create(
        user=facilitator, cohort=cohort, role=Membership.Role.FACILITATOR
    )
    if open_joining is not None:
        set_open_joining(cohort=cohort, **open_joining)
    return cohort


@transaction.atomic
def join_cohort(*, user: User, cohort: Cohort) -> tuple[Membership, bool]:
    """Make the user a participant; a member joining again changes nothing."""
    membership, created = Membership.objects.get_or_create(
        user=user,
        cohort=cohort,
        defaults={
            "role": Membership.Role.PARTICIPANT,
            "pause_days_at_join": pause_days_so_far(cohort),
            # Their organisation vouches for them: nothing of theirs is held
            # for a first approval (Membership.posts_held).
            "approved_at": (
                timezone.now() if cohort.trusts_organisation_of(user) else None
            ),
        },
    )
    if created:
        freshness.cohort_changed(cohort)
        send_templated_email_on_commit(
            to=[user.email],
            template="programmes/email/welcome",
            context={
                "user": user,
                "cohort": cohort,
                "open_things": cohort.open_things(member=membership),
                "next_release": cohort.next_release(member=membership),
            },
            language=language_of(user),
        )
    return membership, created


@transaction.atomic
def rotate_join_link(*, cohort: Cohort) -> Cohort:
    """A new join link: the old one no longer works."""
    cohort.rotate_join_token()
    freshness.cohort_changed(cohort)
    return cohort


# Members and invitations ------------------------------------------------------


class MembershipRuleError(Exception):
    """A change that would break a rule of membership; the message says which."""


class InvitationError(Exception):
    """An invitation that was used already or cannot be used."""


@dataclass(frozen=True)
class InvitationResult:
    invited: list[str]
    already_members: list[str]
    already_invited: list[str]


@transaction.atomic
def invite_by_email(
    *, cohort: Cohort, invited_by: User, addresses: list[str], submission_key: str = ""
) -> InvitationResult:
    """Invite each new address; members and pending invitations are skipped.

    Every e-mail is enqueued on commit, so a failure part-way sends nothing.
    The same form sent again (its `submission_key` and the same addresses) is
    answered as the first time, and sends nothing more.
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
    submission = submission_digest(submission_key, cohort.pk, sorted(addresses))
    inviter = display_name(invited_by)
    invited, already_invited = [], []
    for address in addresses:
        if address in members:
            continue
        # One pending invitation per address, whichever post gets there first.
        invitation, created = Invitation.objects.get_or_create(
            cohort=cohort,
            email=address,
            accepted_at__isnull=True,
            defaults={"invited_by": invited_by, "submission": submission},
        )
        if created:
            _send_invitation(invitation, inviter)
        if created or (submission and invitation.submission == submission):
            invited.append(address)
        else:
            already_invited.append(address)
    return InvitationResult(
        invited=invited,
        already_members=[address for address in addresses if address in members],
        already_invited=already_invited,
    )


def _send_invitation(invitation: Invitation, inviter: str) -> None:
    send_templated_email_on_commit(
        to=[invitation.email],
        template="programmes/email/invitation",
        context={
            "cohort": invitation.cohort,
            "inviter": inviter,
            "invitation_path": reverse(
                "programmes:invitation", kwargs={"token": invitation.token}
            ),
        },
        language=language_of_address(invitation.email),
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> tuple[Membership, bool]:
    """Use the invitation once: the user joins as a participant, even while the
    cohort's open join link is closed. A member accepting changes no role."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise InvitationError("This invitation has been used already.")
    membership, created = join_cohort(user=user, cohort=locked.cohort)
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


def _last_facilitator_error() -> MembershipRuleError:
    return MembershipRuleError(
        _(
            "A cohort needs at least one facilitator: make someone else a "
            "facilitator first."
        )
    )


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    facilitators = _lock_facilitators(membership.cohort)
    if facilitators == [membership.pk]:
        raise _last_facilitator_error()
    membership.delete()
    freshness.cohorts_changed([membership.cohort_id])


@transaction.atomic
def set_role(*, membership: Membership, role: str) -> None:
    if role not in Membership.Role.values:
        raise MembershipRuleError(_("Unknown role."))
    facilitators = _lock_facilitators(membership.cohort)
    if role == Membership.Role.PARTICIPANT and facilitators == [membership.pk]:
        raise _last_facilitator_error()
    membership.role = role
    membership.save(update_fields=["role"])
    freshness.cohorts_changed([membership.cohort_id])


@transaction.atomic
def set_joining_open(*, cohort: Cohort, is_open: bool) -> None:
    cohort.joining_open = is_open
    cohort.save(update_fields=["joining_open"])
    freshness.cohort_changed(cohort)


@transaction.atomic
def set_open_joining(
    *,
    cohort: Cohort,
    open_to_all: bool,
    member_cap: int | None,
    join_until: datetime.date | None,
    hold_posts: str | None = None,
    link_limit: int | None = None,
    trusted_domains: str | None = None,
) -> Cohort:
    """Whether anyone may join from the open programme's public page, and
    until when or how many; whose posts wait for approval and how many links
    a newcomer's post may hold, and whose organisations' people join approved
    (None: as they are)."""
    cohort.open_to_all = open_to_all
    cohort.member_cap = member_cap
    cohort.join_until = join_until
    if hold_posts is not None:
        cohort.hold_posts = hold_posts
    if link_limit is not None:
        cohort.link_limit = link_limit
    if trusted_domains is not None:
        cohort.trusted_domains = trusted_domains
    cohort.save(
        update_fields=[
            "open_to_all",
            "member_cap",
            "join_until",
            "hold_posts",
            "link_limit",
            "trusted_domains",
        ]
    )
    freshness.cohort_changed(cohort)
    return cohort


# The schedule -----------------------------------------------------------------


class ScheduleError(Exception):
    """A schedule change that cannot be made now; the message says why."""


#: Why "release now" and "move every later date" do not apply to a self-paced
#: cohort (programmes/schedule.py).
SELF_PACED_DATES = gettext_lazy(
    "In a self-paced cohort each Thing opens on each person's own date."
)


def _lock(cohort: Cohort) -> Cohort:
    locked = Cohort.objects.select_for_update().select_related("programme")
    return locked.get(pk=cohort.pk)


def _set_date(cohort: Cohort, thing: Thing, opens_on: datetime.date | None) -> bool:
    """Store a date by hand, or none when it is empty or the default one
    (in a self-paced cohort, a "not before" date is kept even then).
    Returns whether anything changed."""
    if opens_on is None or (
        not cohort.is_self_paced and opens_on == cohort.default_opening_date(thing)
    ):
        deleted, _rows = ThingRelease.objects.filter(
            cohort=cohort, thing=thing
        ).delete()
        return bool(deleted)
    release, created = ThingRelease.objects.get_or_create(
        cohort=cohort, thing=thing, defaults={"opens_on": opens_on}
    )
    if created or release.opens_on == opens_on:
        return created
    release.opens_on = opens_on
    release.save(update_fields=["opens_on"])
    return True


def _record_openings_of(cohort: Cohort) -> list[ThingOpening]:
    """Record the Things newly open and tell the members (not of old ones)."""
    if cohort.is_paused:
        return []
    if cohort.is_self_paced:
        return _record_openings_to_members(cohort)
    recorded = set(cohort.openings.values_list("thing_id", flat=True))
    today = local_today(cohort)
    openings = []
    for release in cohort.schedule():
        if release.is_open and release.thing.pk not in recorded:
            # get_or_create: two workers racing still record it once.
            opening, created = ThingOpening.objects.get_or_create(
                cohort=cohort, thing=release.thing
            )
            if created:
                hooks.thing_opened(opening=opening, release=release, today=today)
                openings.append(opening)
    return openings


def _record_openings_to_members(cohort: Cohort) -> list[ThingOpening]:
    """In a self-paced cohort: record each Thing once, when it first opens to
    anyone, and tell each participant when it opens to them (not of Things
    open on the day they joined: the welcome e-mail lists those).

    A fixed number of queries whatever the number of participants, plus one
    per Thing opening for the first time; telling each person once is the
    notifications' unique constraint.
    """
    members = list(cohort.memberships.filter(role=Membership.Role.PARTICIPANT))
    openings = {opening.thing_id: opening for opening in cohort.openings.all()}
    recorded = []
    news: dict[tuple[int, datetime.date], MembersTold] = {}
    schedules = cohort.schedules_of(members)
    for member in members:
        first_day = cohort.start_of(member)
        for release in schedules[member.user_id]:
            if not release.is_open:
                continue
            if release.thing.pk not in openings:
                opening, created = ThingOpening.objects.get_or_create(
                    cohort=cohort, thing=release.thing
                )
                openings[release.thing.pk] = opening
                if created:
                    recorded.append(opening)
            if release.opens_on > first_day:
                key = (release.thing.pk, release.opens_on)
                told = news.setdefault(
                    key, MembersTold(openings[release.thing.pk], release, [])
                )
                told.user_ids.append(member.user_id)
    if news:
        hooks.thing_opened_to_members(
            news=list(news.values()), today=local_today(cohort)
        )
    return recorded


@transaction.atomic
def save_schedule(
    *, cohort: Cohort, dates: dict[Thing, datetime.date | None]
) -> list[Thing]:
    """Apply every date of the schedule form at once; returns the Things changed."""
    locked = _lock(cohort)
    changed = [thing for thing, day in dates.items() if _set_date(locked, thing, day)]
    if changed:
        freshness.cohort_changed(cohort)
    _record_openings_of(locked)
    return changed


@transaction.atomic
def release_now(*, cohort: Cohort, thing: Thing) -> bool:
    """Open a published Thing at once: its date becomes today, local time.

    Returns False when it was already open (its date is left alone).
    """
    locked = _lock(cohort)
    if locked.is_paused:
        raise ScheduleError(_("The cohort is paused: resume it to release a Thing."))
    if locked.is_self_paced:
        raise ScheduleError(SELF_PACED_DATES)
    if not thing.is_published or thing.programme_id != locked.programme_id:
        raise ScheduleError(_("Only a published Thing of the programme can open."))
    release = next(r for r in locked.schedule() if r.thing.pk == thing.pk)
    if not release.is_open:
        _set_date(locked, thing, local_today(locked))
        freshness.cohort_changed(cohort)
    _record_openings_of(locked)
    return not release.is_open


@transaction.atomic
def pause_cohort(*, cohort: Cohort) -> bool:
    """Hold back every Thing still to come. Returns False if already paused."""
    locked = _lock(cohort)
    if locked.is_paused:
        cohort.paused_since = locked.paused_since
        return False
    locked.paused_since = timezone.now()
    locked.save(update_fields=["paused_since"])
    freshness.cohort_changed(cohort)
    cohort.paused_since = locked.paused_since
    return True


@transaction.atomic
def resume_cohort(*, cohort: Cohort) -> int | None:
    """Resume; default dates move later by the days paused (returned), or
    None if the cohort was not paused."""
    locked = _lock(cohort)
    if not locked.is_paused:
        return None
    days = midnights_between(locked.paused_since, timezone.now(), locked.time_zone)
    locked.pause_days += days
    locked.paused_since = None
    locked.save(update_fields=["pause_days", "paused_since"])
    freshness.cohort_changed(cohort)
    cohort.pause_days, cohort.paused_since = locked.pause_days, None
    _record_openings_of(locked)
    return days


@transaction.atomic
def set_cadence(
    *, cohort: Cohort, weekdays: list[int], catch_up_weeks: list[int]
) -> bool:
    """Change the days Things open on by default (programmes/cadence.py);
    dates set by hand stay, and so does every Thing already open. Returns
    whether anything changed."""
    locked = _lock(cohort)
    weekdays, catch_up_weeks = sorted(set(weekdays)), sorted(set(catch_up_weeks))
    if (locked.cadence_weekdays, locked.catch_up_weeks) == (weekdays, catch_up_weeks):
        return False
    releases = locked.schedule(include_drafts=True)
    locked.weekdays, locked.catch_up_weeks = weekdays, catch_up_weeks
    locked.save(update_fields=["weekdays", "catch_up_weeks"])
    _keep_open(locked, releases)
    freshness.cohort_changed(cohort)
    cohort.weekdays, cohort.catch_up_weeks = weekdays, catch_up_weeks
    _record_openings_of(locked)
    return True


def _keep_open(cohort: Cohort, releases: list[Release]) -> None:
    """After the default dates moved, pin each Thing that was open to the
    date it opened on, where its new default would differ: what has opened
    stays open, as with a pause. (A self-paced cohort's dates are each
    person's own: a pin would only hold Things back.)"""
    if cohort.is_self_paced:
        return
    for release in releases:
        if release.is_open:
            _set_date(cohort, release.thing, release.opens_on)


@transaction.atomic
def move_later_dates(*, cohort: Cohort, seen_pause_days: int | None = None) -> int:
    """Move every Thing not yet open a week later, dates set by hand
    included, for a late or paused cohort; returns how many moved.

    The default dates move with `pause_days`; a Thing already open keeps its
    date (pinned by hand where the default would move it), so it stays open.
    `seen_pause_days`, from the confirmation page, makes a repeated post
    (a double click, a resent form) move the dates once.
    """
    locked = _lock(cohort)
    if locked.is_self_paced:
        raise ScheduleError(SELF_PACED_DATES)
    if seen_pause_days is not None and seen_pause_days != locked.pause_days:
        return 0
    releases = locked.schedule(include_drafts=True)
    locked.pause_days += 7
    locked.save(update_fields=["pause_days"])
    _keep_open(locked, releases)
    week = datetime.timedelta(weeks=1)
    for release in releases:
        if not release.is_open and release.is_scheduled_by_hand:
            _set_date(locked, release.thing, release.opens_on + week)
    freshness.cohort_changed(cohort)
    cohort.pause_days = locked.pause_days
    return sum(not release.is_open for release in releases)


@transaction.atomic
def set_pace(*, cohort: Cohort, pace: str) -> bool:
    """Make the cohort go together or self-paced (programmes/schedule.py);
    every member's dates follow at once. Returns whether it changed."""
    if pace not in Cohort.Pace.values:
        raise ScheduleError(_("Unknown pace."))
    locked = _lock(cohort)
    if locked.pace == pace:
        return False
    locked.pace = pace
    locked.save(update_fields=["pace"])
    freshness.cohort_changed(cohort)
    cohort.pace = pace
    _record_openings_of(locked)
    return True


def record_openings(*, cohorts: Iterable[Cohort] | None = None) -> list[ThingOpening]:
    """Record each Thing that has opened to a cohort, once (for cron or a worker).

    Idempotent: a Thing already recorded for a cohort is skipped, even if its
    date was moved and it opened again.
    """
    if cohorts is None:
        cohorts = Cohort.objects.filter(paused_since__isnull=True)
    openings = []
    for cohort in cohorts:
        # A transaction per cohort, not one for all: each lock is held briefly.
        with transaction.atomic():
            openings += _record_openings_of(_lock(cohort))
    return openings
