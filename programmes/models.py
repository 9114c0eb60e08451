from __future__ import annotations

import datetime
import re
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import sso
from accounts.models import default_time_zone
from accounts.validators import is_within_domains
from core.fields import TimeZoneField
from core.freshness import kept
from core.markdown import ImageResolver, as_safe_html, images_in, render_markdown
from core.models import KeepsVersions
from programmes import cadence

AnyUser = AbstractBaseUser | AnonymousUser


def new_join_token() -> str:
    return secrets.token_urlsafe(18)


_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_token_shaped(value: str) -> bool:
    """Whether a token from a URL could be one of ours: anything else (a NUL,
    which PostgreSQL refuses with an error) is unknown without a query."""
    return _TOKEN_RE.fullmatch(value) is not None


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def owned_by(self, user: AnyUser) -> ProgrammeQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(owners=user)

    def open(self) -> ProgrammeQuerySet:
        """Programmes with a public page (DESIGN.md, "Who sees what")."""
        return self.filter(is_open=True)


class Programme(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(max_length=2000, blank=True)
    is_open = models.BooleanField(
        _("open"),
        default=False,
        help_text=_("Whether anyone may read its published Things on a public page."),
    )
    offers_reflection_reading = models.BooleanField(
        _("offer reflection readings"),
        default=True,
        help_text=_(
            "Whether participants may ask for a private reading of their own "
            "entry: which stages of Gibbs' reflective cycle it covers and one "
            "question to take it further. Only the entry's author sees it."
        ),
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="owned_programmes"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("studio:programme", kwargs={"slug": self.slug})

    def is_owner(self, user: AnyUser) -> bool:
        return user.is_authenticated and self.owners.filter(pk=user.pk).exists()

    def get_public_url(self) -> str:
        return reverse("journal:open_programme", kwargs={"programme": self.slug})

    def render_introduction(self, text: str) -> tuple[str, ImageResolver | None]:
        """A Thing's introduction as its pages show it, and the images it shows:
        only the programme's owners' images show in its Things."""
        owner_ids = (
            list(self.owners.values_list("pk", flat=True)) if "/images/" in text else []
        )
        images = images_in(text, owner_ids=owner_ids)
        return render_markdown(text, images=images), images


class ThingQuerySet(models.QuerySet["Thing"]):
    def published(self) -> ThingQuerySet:
        return self.filter(status=Thing.Status.PUBLISHED)


class Thing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="things"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    introduction = models.TextField(max_length=20000, blank=True)
    introduction_html = models.TextField(blank=True, editable=False)
    questions = models.JSONField(default=list, blank=True)
    action = models.TextField(max_length=2000, blank=True)
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = ThingQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "slug"], name="thing_unique_slug_in_programme"
            ),
            models.UniqueConstraint(
                fields=["programme", "number"], name="thing_unique_number_in_programme"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Thing %(number)s: %(title)s") % {
            "number": self.number,
            "title": self.title,
        }

    def save(self, *args, **kwargs) -> None:
        #: The images the introduction shows, for the `thing_saved` hook.
        self.introduction_html, self.shown_images = self.programme.render_introduction(
            self.introduction
        )
        super().save(*args, **kwargs)

    @property
    def introduction_safe(self) -> str:
        return as_safe_html(self.introduction_html)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Readable by anyone: published in an open programme."""
        return self.is_published and self.programme.is_open

    def get_public_url(self) -> str:
        return reverse(
            "journal:open_thing",
            kwargs={"programme": self.programme.slug, "thing": self.slug},
        )

    def starter_markdown(self) -> str:
        """The editor starts an entry with the Thing's questions as headings."""
        return "".join(f"## {question}\n\n\n\n" for question in self.questions)


def member_cohort_ids(user: AnyUser | int) -> models.QuerySet:
    """The ids of the cohorts `user` (or a user id) is a member of, as a
    subquery: who is a member, said once (`CohortQuerySet.for_member` joins
    the same rows)."""
    return Membership.objects.filter(user=user).values("cohort_id")


def facilitated_cohort_ids(user: AnyUser) -> models.QuerySet:
    """The ids of the cohorts `user` facilitates, as a subquery."""
    return Membership.objects.filter(
        user=user, role=Membership.Role.FACILITATOR
    ).values("cohort_id")


def who_leads() -> Q:
    """Over users: those who facilitate a cohort or own a programme. Someone
    gave them that role (an owner, or the operator the add_programme
    permission), so they are asked for two-factor sign-in and get raised rate
    limits (core/ratelimit.py)."""
    return Q(
        Exists(
            Membership.objects.filter(
                user=OuterRef("pk"), role=Membership.Role.FACILITATOR
            )
        )
    ) | Q(Exists(Programme.owners.through.objects.filter(user=OuterRef("pk"))))


def leads(user: AnyUser) -> bool:
    """Whether `user` facilitates a cohort or owns a programme (one query)."""
    if not user.is_authenticated:
        return False
    return User.objects.filter(pk=user.pk).filter(who_leads()).exists()


class CohortQuerySet(models.QuerySet["Cohort"]):
    def for_member(self, user: AnyUser) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def facilitated_by(self, user: AnyUser) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.FACILITATOR
        )

    def open_to_join(self) -> CohortQuerySet:
        """Cohorts that anyone may ask to join from their open programme's
        public page (`Cohort.open_joining_refusal` says whether they may now)."""
        return self.filter(open_to_all=True, programme__is_open=True)

    def with_participant_count(self) -> CohortQuerySet:
        participants = Q(memberships__role=Membership.Role.PARTICIPANT)
        return self.annotate(
            participant_count=models.Count("memberships", filter=participants)
        )

    def with_role_of(self, user: AnyUser) -> CohortQuerySet:
        """Each cohort with `viewer_role`: the user's role in it, or None."""
        if not user.is_authenticated:
            return self.annotate(viewer_role=models.Value(None, models.CharField()))
        role = Membership.objects.filter(cohort=models.OuterRef("pk"), user=user)
        return self.annotate(viewer_role=models.Subquery(role.values("role")[:1]))


@dataclass(frozen=True)
class Release:
    thing: Thing
    opens_on: datetime.date
    opens_at: datetime.datetime
    is_open: bool
    is_scheduled_by_hand: bool
    # Its moment has passed but the cohort's pause holds it back.
    is_held_back: bool = False
    # The date it would open on without a facilitator's override.
    default_opens_on: datetime.date | None = None
    # The facilitator's override, if any: the date itself in a cohort that
    # goes together, "not before" in a self-paced one.
    date_set_by_hand: datetime.date | None = None
    # The day it opens on, counted from 1 on the first day of the schedule
    # (the cohort's start, or a self-paced member's own).
    day: int = 1


class HoldPosts(models.TextChoices):
    """Whose posts wait for a facilitator's approval in a cohort. Empty: the
    default, `FIRST` while anyone may join the cohort, else `NONE`."""

    AUTOMATIC = "", _("First posts while anyone may join, else none")
    FIRST = "first", _("First posts of each new member")
    ALL = "all", _("Every post of participants")
    NONE = "none", _("None")


class Cohort(KeepsVersions):
    class Pace(models.TextChoices):
        TOGETHER = "together", _("Together: everyone on the cohort's dates")
        SELF_PACED = (
            "self_paced",
            _("Self-paced: on the cadence below, from the day each person joins"),
        )
        ALL_AT_ONCE = (
            "all_at_once",
            _("Self-paced: every Thing open from the day each person joins"),
        )

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    time_zone = TimeZoneField(default=default_time_zone)
    start_date = models.DateField()
    join_token = models.CharField(max_length=64, unique=True, default=new_join_token)
    joining_open = models.BooleanField(
        default=True, help_text=_("Whether the open join link lets new people in.")
    )
    # While paused nothing new opens; resuming moves the default weekly dates
    # later by the days the pause lasted (dates set by hand stay).
    paused_since = models.DateTimeField(null=True, blank=True)
    pause_days = models.PositiveIntegerField(default=0)
    # The cadence (programmes/cadence.py): weekdays (Monday 0) on which Things
    # open, one each; none means the start date's weekday, one a week.
    weekdays = models.JSONField(default=list, blank=True)
    # Weeks, counted from 1 at the start, in which nothing new opens.
    catch_up_weeks = models.JSONField(default=list, blank=True)
    # Self-paced cohorts date each member's Things from the day they joined
    # (`Cohort.schedule(member=...)`); see programmes/schedule.py.
    pace = models.CharField(
        _("pace"), max_length=12, choices=Pace.choices, default=Pace.TOGETHER
    )
    completion_target = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Things a participant completes to finish; empty means all."),
    )
    open_to_all = models.BooleanField(
        _("anyone may join"),
        default=False,
        help_text=_(
            "Anyone may join from the programme's public page, once the "
            "programme is open; no link needed."
        ),
    )
    member_cap = models.PositiveIntegerField(
        _("most participants"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    join_until = models.DateField(
        _("last day to join"),
        null=True,
        blank=True,
        help_text=_(
            "In the cohort's time zone. Leave empty to let people join any time."
        ),
    )
    hold_posts = models.CharField(
        _("posts held for approval"),
        max_length=5,
        choices=HoldPosts.choices,
        blank=True,
        default="",
        help_text=_(
            "Held posts wait in the moderation queue, seen only by their "
            "author and the facilitators, until a facilitator approves them."
        ),
    )
    link_limit = models.PositiveSmallIntegerField(
        _("most links in a newcomer's post"),
        default=2,
        help_text=_(
            "Until a facilitator approves them, a member's entries and "
            "comments may hold this many links at most."
        ),
    )
    trusted_domains = models.CharField(
        _("organisations whose people join approved"),
        max_length=500,
        blank=True,
        help_text=_(
            "E-mail domains, separated by commas, such as uni.example. People "
            "who sign in through their organisation with an address there "
            "that it has verified join approved: their posts are not held "
            "for a first approval."
        ),
    )
    created = models.DateTimeField(auto_now_add=True)
    #: Goes up with every change its members could see (core/freshness.py);
    #: part of the key of the cohort's cached HTML.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)
    #: Goes up with every such change but comments and likes: part of the key
    #: of HTML listing entries, whose per-reader counts are filled per response.
    entries_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = CohortQuerySet.as_manager()
    version_fields = ("content_version", "entries_version")

    class Meta:
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("journal:cohort", kwargs={"cohort": self.slug})

    def get_join_url(self) -> str:
        return reverse("programmes:join", kwargs={"token": self.join_token})

    def open_joining_refusal(self, participants: int) -> str | None:
        """Why nobody new may join from the public page now ("closed",
        "ended" or "full"), or None; `participants`: how many it has."""
        if not (self.open_to_all and self.programme.is_open):
            return "closed"
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))
        if self.join_until is not None and today > self.join_until:
            return "ended"
        if self.member_cap is not None and participants >= self.member_cap:
            return "full"
        return None

    @property
    def post_hold(self) -> str:
        """The hold in force: `hold_posts`, or its default (`HoldPosts`)."""
        if self.hold_posts:
            return self.hold_posts
        return HoldPosts.FIRST if self.open_to_all else HoldPosts.NONE

    def holds_posts(self) -> bool:
        """Whether anyone's posts may wait for approval here (no query)."""
        return self.post_hold != HoldPosts.NONE

    def holds_posts_of(self, user: AnyUser) -> bool:
        """Whether a post `user` makes in this cohort now waits for approval:
        the one rule every write path asks (`Membership.posts_held`)."""
        if not (user.is_authenticated and self.holds_posts()):
            return False
        membership = self.memberships.filter(user=user).first()
        return membership is not None and membership.posts_held()

    def trusts_organisation_of(self, user: AnyUser) -> bool:
        """Whether `user` joins approved: a provider they sign in through has
        verified their address at one of `trusted_domains` (or under it)."""
        trusted = [d.strip() for d in self.trusted_domains.split(",") if d.strip()]
        if not (trusted and user.is_authenticated):
            return False
        return any(
            is_within_domains(domain, trusted)
            for domain in sso.provider_verified_domains(user)
        )

    def link_limit_for(self, user: AnyUser) -> int | None:
        """How many links a post of `user` here may hold, or None for any
        number (`Membership.links_limited`)."""
        if not (user.is_authenticated and self.holds_posts()):
            return None
        membership = self.memberships.filter(user=user).first()
        if membership is None or not membership.links_limited():
            return None
        return self.link_limit

    def participant_count(self) -> int:
        return self.memberships.filter(role=Membership.Role.PARTICIPANT).count()

    def rotate_join_token(self) -> None:
        self.join_token = new_join_token()
        self.save(update_fields=["join_token"])

    def role_of(self, user: AnyUser) -> str | None:
        """The user's role in this cohort, or None for a non-member (one query)."""
        if not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).values_list("role", flat=True).first()

    def cached_role_of(self, user: AnyUser) -> str | None:
        """`role_of`, kept under the cohort's `entries_state`: a membership
        made, changed or ended moves it on (core/freshness.py), and comments
        and likes, many times more frequent, do not."""
        if not user.is_authenticated:
            return None
        return kept(f"role:{self.entries_state}:{user.pk}", lambda: self.role_of(user))

    @property
    def cadence_weekdays(self) -> list[int]:
        """The weekdays Things open on: those chosen, else the start date's."""
        return sorted(self.weekdays) or [self.start_date.weekday()]

    @property
    def is_self_paced(self) -> bool:
        return self.pace != self.Pace.TOGETHER

    def start_of(self, member: Membership) -> datetime.date:
        """A self-paced member's first day: the local date they joined, or
        the cohort's start date for those who joined before it."""
        zone = zoneinfo.ZoneInfo(self.time_zone)
        return max(self.start_date, timezone.localdate(member.joined, zone))

    def _start_and_shift(self, member: Membership | None) -> tuple[datetime.date, int]:
        """Where a schedule starts and how many days pauses moved it: the
        cohort's, or in a self-paced cohort a participant's own (only the
        pauses since they joined move their dates). Facilitators, who see
        every Thing ahead, have the cohort's."""
        if member is None or not self.is_self_paced or member.is_facilitator:
            return self.start_date, self.pause_days
        return self.start_of(member), max(
            self.pause_days - member.pause_days_at_join, 0
        )

    def default_opening_dates(
        self, count: int, *, member: Membership | None = None
    ) -> list[datetime.date]:
        """The default dates of Things 1 to `count`: the cadence's days from
        the start (a self-paced member's own), later by the days of pauses."""
        start, shift = self._start_and_shift(member)
        if self.pace == self.Pace.ALL_AT_ONCE:
            days = [start] * count
        else:
            days = cadence.opening_days(
                start, self.weekdays, self.catch_up_weeks, count
            )
        moved = datetime.timedelta(days=shift)
        return [day + moved for day in days]

    def default_opening_date(self, thing: Thing) -> datetime.date:
        return self.default_opening_dates(thing.number)[-1]

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def schedule(
        self, *, include_drafts: bool = False, member: Membership | None = None
    ) -> list[Release]:
        """Every Thing of the programme with the moment it opens to this
        cohort, or in a self-paced cohort to `member` (without one, to
        someone who joined on the start date).

        Computed in Python: a programme has a few dozen Things at most, and date
        arithmetic in SQL differs between SQLite and PostgreSQL.

        The one place that decides when a Thing opens (programmes/schedule.py
        explains pauses and self-paced cohorts): a Thing opens at local
        midnight of its date, the facilitator's date if set (in a self-paced
        cohort: not before it), else the cadence's date moved by past pauses
        (programmes/cadence.py); while the cohort is paused nothing opens
        after `paused_since`.
        """
        things, overrides = self._schedule_inputs(include_drafts)
        return self._releases(things, overrides, member)

    def schedules_of(
        self, members: Iterable[Membership], *, include_drafts: bool = False
    ) -> dict[int, list[Release]]:
        """`schedule(member=...)` of many members, by user id: two queries
        whatever their number, and the dates worked out once per first day."""
        things, overrides = self._schedule_inputs(include_drafts)
        by_start: dict[tuple[datetime.date, int], list[Release]] = {}
        schedules = {}
        for member in members:
            start = self._start_and_shift(member)
            if start not in by_start:
                by_start[start] = self._releases(things, overrides, member)
            schedules[member.user_id] = by_start[start]
        return schedules

    def _schedule_inputs(
        self, include_drafts: bool
    ) -> tuple[list[Thing], dict[int, datetime.date]]:
        things = self.programme.things.order_by("number")
        if not include_drafts:
            things = things.published()
        overrides = dict(self.releases.values_list("thing_id", "opens_on"))
        return list(things), overrides

    def _releases(
        self,
        things: list[Thing],
        overrides: dict[int, datetime.date],
        member: Membership | None,
    ) -> list[Release]:
        defaults = self.default_opening_dates(
            max((t.number for t in things), default=0), member=member
        )
        start, _shift = self._start_and_shift(member)
        zone = zoneinfo.ZoneInfo(self.time_zone)
        now = timezone.now()
        cutoff = min(now, self.paused_since) if self.paused_since else now
        releases = []
        for thing in things:
            default_opens_on = defaults[thing.number - 1]
            set_by_hand = overrides.get(thing.pk)
            if set_by_hand is None:
                opens_on = default_opens_on
            elif self.is_self_paced:
                opens_on = max(default_opens_on, set_by_hand)
            else:
                opens_on = set_by_hand
            opens_at = datetime.datetime.combine(opens_on, datetime.time(), zone)
            releases.append(
                Release(
                    thing=thing,
                    opens_on=opens_on,
                    opens_at=opens_at,
                    is_open=thing.is_published and opens_at <= cutoff,
                    is_scheduled_by_hand=set_by_hand is not None,
                    is_held_back=cutoff < opens_at <= now,
                    default_opens_on=default_opens_on,
                    date_set_by_hand=set_by_hand,
                    day=(opens_on - start).days + 1,
                )
            )
        return releases

    @property
    def cache_state(self) -> str:
        """What data or HTML cached for this cohort depends on: its content
        version and its local date (Things open at local midnight)."""
        return f"{self.pk}.{self.content_version}.{self._today()}"

    @property
    def entries_state(self) -> str:
        """`cache_state` for what does not change with comments and likes:
        which entries its pages list and what they say."""
        return f"{self.pk}.e{self.entries_version}.{self._today()}"

    def _today(self) -> datetime.date:
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))

    def visible_things(self, user: AnyUser) -> list[Release]:
        """The Things a user may see in this cohort: DESIGN.md, "Who sees what".

        Members see a Thing once it is published and its release moment has passed
        in the cohort's time zone; the cohort's facilitators see every published
        Thing ahead of time, and the programme's owners drafts as well.

        Kept in the cache for everyone who sees the same Things
        (`_things_audience`): a Thing, a date, a role or an owner changed moves
        the entries version on (core/freshness.py).
        """
        key = f"visible-things:{self.entries_state}:{self.things_audience(user)}"
        return kept(key, lambda: self._visible_things(user))

    def things_audience(self, user: AnyUser) -> str:
        """Who sees the same Things as `user` here: the programme's owners
        (drafts too), the cohort's facilitators (ahead of time) and its
        participants each share one list; a participant of a self-paced
        cohort (whose Things open from the day they joined) and a non-member
        see their own."""
        if user.is_authenticated and user.pk in self._owner_ids():
            return "owners"
        role = self.cached_role_of(user)
        if role is None or (role == Membership.Role.PARTICIPANT and self.is_self_paced):
            return f"reader-{user.pk}"
        return role

    def _owner_ids(self) -> frozenset[int]:
        return kept(
            f"owners:{self.entries_state}",
            lambda: frozenset(self.programme.owners.values_list("pk", flat=True)),
        )

    def _visible_things(self, user: AnyUser) -> list[Release]:
        if user.pk in self._owner_ids():
            return self.schedule(include_drafts=True)
        member = self.membership_of(user)
        if member is None:
            return []
        if member.is_facilitator:
            return self.schedule()
        return [r for r in self.schedule(member=member) if r.is_open]

    def membership_of(self, user: AnyUser) -> Membership | None:
        """The user's membership of this cohort, or None (one query)."""
        if not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).first()

    def visible_thing(self, user: AnyUser, slug: str) -> Release | None:
        """One of `visible_things`, kept on its own: a Thing's page then reads
        one Thing from the cache, not the programme's."""
        if len(slug) > Thing._meta.get_field("slug").max_length:
            return None
        return kept(
            f"visible-thing:{self.entries_state}:{self.things_audience(user)}:{slug}",
            lambda: next(
                (r for r in self.visible_things(user) if r.thing.slug == slug), None
            ),
        )

    def withdrawn_thing(self, slug: str) -> Thing | None:
        """A Thing that opened to this cohort (its members were told) and has
        been unpublished since: its page says so rather than vanish."""
        return (
            self.programme.things.exclude(status=Thing.Status.PUBLISHED)
            .filter(slug=slug, openings__cohort=self)
            .first()
        )

    def neighbours(
        self, user: AnyUser, thing: Thing
    ) -> tuple[Release | None, Release | None]:
        """The Things before and after `thing` in the cohort's order, of
        those the user may see (`visible_things`)."""
        releases = self.visible_things(user)
        index = next(
            (i for i, release in enumerate(releases) if release.thing.pk == thing.pk),
            None,
        )
        if index is None:
            return None, None
        previous = releases[index - 1] if index > 0 else None
        following = releases[index + 1] if index + 1 < len(releases) else None
        return previous, following

    def open_things(self, *, member: Membership | None = None) -> list[Thing]:
        schedule = self.schedule(member=member)
        return [release.thing for release in schedule if release.is_open]

    def next_release(self, *, member: Membership | None = None) -> Release | None:
        return next((r for r in self.schedule(member=member) if not r.is_open), None)


class ThingRelease(models.Model):
    """A facilitator's own opening date for a Thing in one cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="releases"
    )
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="releases")
    opens_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "thing"], name="thing_release_unique_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thing} opens in {self.cohort} on {self.opens_on}"


class Membership(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        FACILITATOR = "facilitator", _("Facilitator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    joined = models.DateTimeField(auto_now_add=True)
    #: The cohort's pause days when they joined (a pause under way counted
    #: to that day): in a self-paced cohort only later pauses move their dates.
    pause_days_at_join = models.PositiveIntegerField(default=0, editable=False)
    #: When a facilitator first approved one of their held posts: from then
    #: on, where the cohort holds first posts, theirs are no longer held.
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["joined"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cohort"], name="membership_unique_user_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def posts_held(self) -> bool:
        """Whether this member's new posts wait for a facilitator's approval
        (the cohort's `post_hold`); facilitators' never do."""
        if self.is_facilitator:
            return False
        hold = self.cohort.post_hold
        if hold == HoldPosts.ALL:
            return True
        return hold == HoldPosts.FIRST and not self.is_approved

    def links_limited(self) -> bool:
        """Until approved, a member's posts may hold `Cohort.link_limit` links
        at most, where the cohort holds posts at all."""
        return (
            not self.is_facilitator
            and not self.is_approved
            and self.cohort.holds_posts()
        )


class ThingOpening(models.Model):
    """The record that a Thing opened to a cohort, for members to be told once."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="openings"
    )
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "thing"], name="thing_opening_once_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.thing} opened in {self.cohort}"


class Invitation(models.Model):
    """A personal invitation: it works even while the open join link is closed."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_join_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    #: The invitation form's submission (core/submissions.py) that made it:
    #: the same form sent again is answered as the first time.
    submission = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.cohort} for {self.email}"


#: How long a join started at sign-up waits for the account to be verified or
#: signed into; after that the person follows the link again.
PENDING_JOIN_LIFETIME = datetime.timedelta(days=7)


class PendingJoin(models.Model):
    """A join started by signing up from a join link or an invitation.

    Kept with the account, not in one browser's session, so that it completes
    wherever the address is verified or the account is first signed into
    (programmes/joining.py). One per account; used once (the row is deleted
    when used); good for PENDING_JOIN_LIFETIME (7 days) from the sign-up.
    """

    class Kind(models.TextChoices):
        JOIN = "join", _("Join link")
        INVITATION = "invitation", _("Invitation")
        OPEN = "open", _("Open cohort")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: The cohort's join token or the invitation's token, as followed (an
    #: open cohort's slug for an open cohort's Join button): checked
    #: again when the join completes, so a replaced link or a used invitation
    #: no longer lets anyone in.
    token = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} joining {self.cohort} ({self.kind})"

    def is_expired(self) -> bool:
        return self.created + PENDING_JOIN_LIFETIME <= timezone.now()


class Nudge(models.Model):
    """A message from a cohort's facilitators to some of its participants."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="nudges")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=10_000)
    created = models.DateTimeField(default=timezone.now)
    #: The form's submission key with what was sent (core/submissions.py):
    #: the same nudge sent twice goes out once.
    submission = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "submission"],
                condition=~Q(submission=""),
                name="nudge_sent_once",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class NudgeDelivery(models.Model):
    """One recipient's copy of a nudge, with the placeholders filled in."""

    nudge = models.ForeignKey(
        Nudge, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    body_html = models.TextField(blank=True, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-nudge__created"]
        constraints = [
            models.UniqueConstraint(
                fields=["nudge", "recipient"], name="nudge_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"

    def save(self, *args, **kwargs) -> None:
        self.rendered()
        super().save(*args, **kwargs)

    def rendered(self) -> NudgeDelivery:
        """With its HTML rendered from the body, as `save()` stores it (for
        `bulk_create`, which calls no `save()`)."""
        self.body_html = render_markdown(self.body)
        return self

    @property
    def body_safe(self) -> str:
        return as_safe_html(self.body_html)


class Certificate(models.Model):
    """Proof that a participant completed a cohort, checkable by anyone."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="certificate"
    )
    token = models.CharField(max_length=64, unique=True, default=new_join_token)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Certificate for {self.membership}"
