from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import writing_version
from core.fetch import message as fetch_message
from core.images import image_markdown
from core.markdown import as_safe_html, render_markdown
from core.models import KeepsVersions
from journal import images as image_files
from journal import mentions
from programmes.models import (
    AnyUser,
    Cohort,
    Membership,
    Thing,
    facilitated_cohort_ids,
    member_cohort_ids,
)

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 100_000
COMMENT_MAX_LENGTH = 10_000
MAX_COMMENT_DEPTH = 3
HIDDEN_REASON_MAX_LENGTH = 500
#: Paths under a journal (/@<username>/…) that are not entries.
RESERVED_ENTRY_SLUGS = frozenset({"feed"})
#: `LinkedBlog.last_outcome` when the address answered with something that
#: is not a feed; otherwise a core.fetch.Outcome value.
NOT_A_FEED = "not_a_feed"
#: How long a deleted entry can be restored by its author before
#: `purge_deleted_entries` removes it for good.
DELETED_ENTRIES_KEPT = datetime.timedelta(days=30)


class Tag(models.Model):
    """A label an author puts on their own entries, to find them again later."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "slug"], name="tag_unique_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name


def entry_date() -> Coalesce:
    """The date an entry shows: when it was published, or written if a draft."""
    return Coalesce("published_at", "created")


class EntryQuerySet(models.QuerySet["Entry"]):
    def published(self) -> EntryQuerySet:
        return self.filter(status=Entry.Status.PUBLISHED)

    def drafts(self) -> EntryQuerySet:
        return self.filter(status=Entry.Status.DRAFT)

    def deleted(self) -> EntryQuerySet:
        """Entries in the bin: only `Entry.with_deleted` holds them."""
        return self.filter(deleted_at__isnull=False)

    def restorable(self) -> EntryQuerySet:
        """Deleted entries their author can still bring back."""
        return self.deleted().filter(
            deleted_at__gt=timezone.now() - DELETED_ENTRIES_KEPT
        )

    def purgeable(self) -> EntryQuerySet:
        """Deleted entries past restoring, for `purge_deleted_entries`."""
        return self.deleted().filter(
            deleted_at__lte=timezone.now() - DELETED_ENTRIES_KEPT
        )

    def completing(self) -> EntryQuerySet:
        """Entries that complete their Thing (DESIGN.md, Completion): published,
        whatever their visibility, on a Thing while it is published, and not
        waiting for approval. The one definition: the progress grid, the
        people page, the dashboard, nudges and certificates all ask it."""
        return self.published().not_held().filter(thing__status=Thing.Status.PUBLISHED)

    def shown(self) -> EntryQuerySet:
        """Neither hidden nor held: as every reader allowed to read them sees
        them (`shown_to_all`)."""
        return self.filter(shown_to_all())

    def held(self) -> EntryQuerySet:
        return self.filter(held_at__isnull=False)

    def not_held(self) -> EntryQuerySet:
        """What counts as posted: nothing waiting for approval."""
        return self.filter(held_at__isnull=True)

    def things_done(self) -> dict[int, set[int]]:
        """{author id: the ids of the Things their entries here complete}."""
        done: dict[int, set[int]] = defaultdict(set)
        for author_id, thing_id in self.completing().values_list(
            "author_id", "thing_id"
        ):
            done[author_id].add(thing_id)
        return done

    def written_here(self) -> EntryQuerySet:
        """Entries written in Ponder's editor, not copied from a linked blog
        (those are edited on the blog)."""
        return self.filter(original_url="")

    def public(self) -> EntryQuerySet:
        """What anyone reads, a visitor included: `public_and_shown`."""
        return self.filter(public_and_shown())

    def visible_to(
        self, user: AnyUser, cohorts: CohortIds | None = None
    ) -> EntryQuerySet:
        """Entries a user may read: DESIGN.md, "Who sees what", written once
        in `readable_entries`."""
        return self.filter(readable_entries(user, cohorts=cohorts))

    def for_listing(self, viewer: AnyUser) -> EntryQuerySet:
        """What a list of entries shows: author, Thing, cohort, tags, and the
        count of comments the viewer may read.

        The count is a correlated subquery rather than a join with GROUP BY, so
        the database counts comments only for the page of entries it returns,
        not for every entry of the cohort before paginating.
        """
        visible_comments = (
            Comment.objects.filter(entry=OuterRef("pk"), state=Comment.State.VISIBLE)
            .filter(Comment.readable_by(viewer))
            .order_by()
            .values("entry")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.listed().annotate(
            comment_count=Coalesce(Subquery(visible_comments), 0)
        )

    def listed(self) -> EntryQuerySet:
        """`for_listing` without the count, for HTML shared by many readers,
        whose counts are holes (`Comment.objects.counts_for`)."""
        return (
            self.select_related("author__profile", "thing", "cohort")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")
        )


class EntryManager(models.Manager.from_queryset(EntryQuerySet)):
    """The one place deleted entries leave: every list, count, feed, search,
    read-next, progress grid, certificate and notification asks for entries
    through `Entry.objects` (or a relation such as `user.entries`), which never
    holds them. Only the author's bin, restoring and purging use
    `Entry.with_deleted`."""

    def get_queryset(self) -> EntryQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Entry(KeepsVersions):
    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only me")
        COHORT = "cohort", _("My cohort")
        PUBLIC = "public", _("Public")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entries",
    )
    thing = models.ForeignKey(
        Thing, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(max_length=90)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    action = models.TextField(
        _("my action for this Thing"), max_length=1000, blank=True
    )
    minutes = models.PositiveIntegerField(_("minutes spent"), null=True, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.COHORT
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every save from the editor, so a save based on an older version
    # is detected as a conflict instead of overwriting newer text.
    version = models.PositiveIntegerField(default=1)
    #: Goes up with every comment and like on it (core/freshness.py,
    #: `conversation_changed`): part of the key of its cached thread.
    thread_version = models.PositiveBigIntegerField(default=0, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    #: Set when a facilitator hides the entry; see `ModerationAction`.
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Why, in the facilitator's words, for its author to read.
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    #: Set when it is published while its author's posts wait for approval
    #: (`Cohort.holds_posts_of`); cleared when a facilitator approves it.
    held_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: The editor_key of the new-entry page that created it: that page's
    #: retried or simultaneous first saves find this entry, not make another.
    editor_key = models.CharField(max_length=64, blank=True, editable=False)
    #: Set when the author deletes the entry: it leaves every page at once, and
    #: can be restored for DELETED_ENTRIES_KEPT (journal/actions.py).
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: A post copied from the author's linked blog: where the original is,
    #: and its id in the feed. Its body is a plain-text excerpt and body_html
    #: the sanitised excerpt (journal/blogs.py), not Markdown.
    linked_blog = models.ForeignKey(
        "LinkedBlog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        editable=False,
    )
    original_url = models.URLField(max_length=2000, blank=True, editable=False)
    original_guid = models.CharField(max_length=500, blank=True, editable=False)
    #: Set when the post is no longer on the blog: it stays here, marked.
    gone_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EntryManager()
    with_deleted = EntryQuerySet.as_manager()
    version_fields = ("thread_version",)

    class Meta:
        ordering = ["-published_at", "-created"]
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "slug"], name="entry_unique_slug_per_author"
            ),
            # A deleted entry frees its Thing for a new one (restore_entry).
            models.UniqueConstraint(
                fields=["author", "cohort", "thing"],
                condition=Q(thing__isnull=False, deleted_at__isnull=True),
                name="entry_one_per_thing_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["author", "editor_key"],
                condition=~Q(editor_key=""),
                name="entry_one_per_new_entry_page",
            ),
            models.CheckConstraint(
                condition=Q(thing__isnull=True) | Q(cohort__isnull=False),
                name="entry_thing_needs_cohort",
            ),
            models.CheckConstraint(
                condition=Q(cohort__isnull=False) | ~Q(visibility="cohort"),
                name="entry_cohort_visibility_needs_cohort",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="entry_published_has_date",
            ),
            # A post read twice, or by two workers at once, is copied once.
            models.UniqueConstraint(
                fields=["linked_blog", "original_guid"],
                condition=Q(linked_blog__isnull=False),
                name="entry_one_per_linked_post",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cohort", "status", "-published_at"],
                name="entry_cohort_newest",
            ),
            models.Index(
                fields=["author", "status", "-published_at"],
                name="entry_author_newest",
            ),
            # Search ranks only the newest matches (journal/search.py).
            models.Index(
                entry_date().desc(), F("id").desc(), name="entry_newest_dated"
            ),
            # The few posts waiting for approval, found without reading the
            # cohort's others (facilitation/moderation.py).
            models.Index(
                fields=["cohort", "held_at"],
                condition=Q(held_at__isnull=False),
                name="entry_held",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        #: The images the body shows, for the action to record (ImageUse).
        self.shown_images = Image.objects.shown_in(
            self.body, owner_ids=[self.author_id]
        )
        if not self.is_linked:
            self.body_html = render_markdown(
                self.body,
                mentions.mention_links(self.body, self.cohort),
                images=self.shown_images,
            )
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "journal:entry",
            kwargs={"username": self.author.username, "slug": self.slug},
        )

    def get_edit_url(self) -> str:
        return reverse(
            "journal:edit_entry",
            kwargs={"username": self.author.username, "slug": self.slug},
        )

    def unique_slug(self) -> str:
        base = slugify(self.title)[:80] or "entry"
        # A deleted entry keeps its address, to have it back when restored.
        taken = (
            set(
                Entry.with_deleted.filter(
                    author_id=self.author_id, slug__startswith=base
                )
                .exclude(pk=self.pk)
                .values_list("slug", flat=True)
            )
            | RESERVED_ENTRY_SLUGS
        )
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    @property
    def body_safe(self) -> str:
        return as_safe_html(self.body_html)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_linked(self) -> bool:
        """Copied from the author's blog: edited there, not here."""
        return bool(self.original_url)

    @property
    def offers_reflection_reading(self) -> bool:
        """Whether its author may ask for a reflection reading of it
        (journal/reflection.py): its programme's owners may turn readings off;
        a free reflection outside any cohort always has them. Only an entry
        written here: a post from a blog is read on the blog."""
        if self.is_linked:
            return False
        return self.cohort is None or self.cohort.programme.offers_reflection_reading

    def get_reflection_url(self) -> str:
        return reverse(
            "journal:reflection",
            kwargs={"username": self.author.username, "slug": self.slug},
        )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_withheld(self) -> bool:
        """Read by its author and the cohort's facilitators alone: hidden, or
        waiting for approval."""
        return self.is_hidden or self.is_held

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def restorable_until(self) -> datetime.datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + DELETED_ENTRIES_KEPT

    def is_readable_by(self, user: AnyUser, role: str | None) -> bool:
        """`EntryQuerySet.visible_to` for this one entry, given the reader's
        role in its cohort (`Cohort.cached_role_of`): it saves building that filter's
        subqueries on every entry page. Tests hold the two to the same matrix."""
        if user.is_authenticated and self.author_id == user.pk:
            return True
        if not self.is_published:
            return False
        if self.is_withheld and role != Membership.Role.FACILITATOR:
            return False
        if self.visibility == self.Visibility.PUBLIC:
            return True
        return self.visibility == self.Visibility.COHORT and role is not None

    def accepts_comments_from(self, user: AnyUser, role: str | None) -> bool:
        """Signed-in members of the entry's cohort comment on what they can read."""
        return (
            user.is_authenticated
            and self.is_published
            and self.visibility != self.Visibility.PRIVATE
            and role is not None
        )


class LinkedBlogQuerySet(models.QuerySet["LinkedBlog"]):
    def due(self, now: datetime.datetime | None = None) -> LinkedBlogQuerySet:
        """Blogs whose next read has come, the longest waiting first."""
        return self.filter(next_read_at__lte=now or timezone.now()).order_by(
            "next_read_at", "pk"
        )


class LinkedBlog(models.Model):
    """A participant's own blog, followed by its feed into one cohort: each
    new post becomes a linked entry (`Entry.linked_blog`), read by the
    `read_linked_blogs` worker (journal/blogs.py)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linked_blogs"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="linked_blogs"
    )
    #: The address as the participant gave it: the blog's page or its feed.
    address = models.URLField(_("blog or feed address"), max_length=1000)
    feed_url = models.URLField(max_length=1000)
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    #: Who reads its posts in Ponder; on the blog itself they are public.
    visibility = models.CharField(
        _("who sees its posts here"),
        max_length=10,
        choices=[
            (Entry.Visibility.COHORT.value, _("My cohort")),
            (Entry.Visibility.PUBLIC.value, _("Public")),
        ],
        default=Entry.Visibility.COHORT,
    )
    created = models.DateTimeField(default=timezone.now)
    #: The last read that worked, and the last attempt with what it came to
    #: (core.fetch.Outcome's value).
    last_read_at = models.DateTimeField(null=True, blank=True)
    last_tried_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=30, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    #: Failed reads in a row: each one waits twice as long before the next.
    failures = models.PositiveIntegerField(default=0)
    next_read_at = models.DateTimeField(default=timezone.now, db_index=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    objects = LinkedBlogQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "cohort"], name="linked_blog_one_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.address

    def get_absolute_url(self) -> str:
        return reverse("journal:linked_blog", kwargs={"cohort": self.cohort.slug})

    @property
    def has_problem(self) -> bool:
        return self.failures > 0

    @property
    def problem(self) -> str:
        """The last read's trouble in plain words, or ""."""
        if not self.failures:
            return ""
        if self.last_outcome == NOT_A_FEED:
            return str(_("The address no longer gives an RSS or Atom feed."))
        return fetch_message(self.last_outcome, self.last_status)


def writing_state(user: User) -> str:
    """What my progress, minutes, streak, drafts and my entry on a Thing depend
    on besides my cohorts: my entries, drafts and free reflections included
    (saving them moves no cohort on). The profile's `writing_version`, loaded
    with the user; for a user with no profile yet, my entries' newest save and
    their count."""
    version = writing_version(user)
    if version is not None:
        return f"v{version}"
    mine = Entry.objects.filter(author=user).aggregate(Max("updated"), Count("pk"))
    return f"{mine['updated__max']}.{mine['pk__count']}"


def shown_to_all(via: str = "") -> Q:
    """Entries or comments neither hidden by a facilitator nor waiting for
    approval: the rest are read by their author and the cohort's
    facilitators alone (DESIGN.md, "Who sees what"). `via`: the path to them
    from the rows filtered ("entry__"), if not themselves."""
    return Q(**{f"{via}hidden_at__isnull": True, f"{via}held_at__isnull": True})


def public_and_shown(via: str = "") -> Q:
    """What a visitor reads: published public entries no facilitator hid and
    none waits for approval."""
    return Q(
        **{
            f"{via}status": Entry.Status.PUBLISHED,
            f"{via}visibility": Entry.Visibility.PUBLIC,
        }
    ) & shown_to_all(via)


@dataclass(frozen=True)
class CohortIds:
    """The ids of the cohorts a reader belongs to and of those they
    facilitate, read once. Given to the rule of who reads what, they stand in
    it as values rather than subqueries, so that PostgreSQL can estimate how
    many rows it keeps: search's plan depends on it (journal/search.py)."""

    member: tuple[int, ...]
    facilitated: tuple[int, ...]

    @classmethod
    def of(cls, user: AnyUser) -> CohortIds:
        if not user.is_authenticated:
            return cls(member=(), facilitated=())
        roles = Membership.objects.filter(user=user).values_list("cohort_id", "role")
        return cls(
            member=tuple(cohort for cohort, _role in roles),
            facilitated=tuple(
                cohort for cohort, role in roles if role == Membership.Role.FACILITATOR
            ),
        )


def _cohort_ids(user: AnyUser, cohorts: CohortIds | None) -> tuple:
    """(member, facilitated) cohort ids: `cohorts`' values, or subqueries."""
    if cohorts is None:
        return member_cohort_ids(user), facilitated_cohort_ids(user)
    return cohorts.member, cohorts.facilitated


def readable_entries(
    user: AnyUser, via: str = "", cohorts: CohortIds | None = None
) -> Q:
    """The entries `user` may read (`EntryQuerySet.visible_to`), as a filter
    on entries or, through `via` ("entry__"), on the rows pointing at one: a
    query of comments then joins the entry it reads anyway, rather than
    matching its entry against every readable entry.

    Not deleted (what `Entry.objects` leaves out, which a join does not).
    Authors read everything of theirs, drafts and hidden entries included;
    others read published public entries, and published cohort entries of
    the cohorts they belong to. An entry a facilitator hid, or one waiting
    for approval, is read only by its author and the facilitators of its
    cohort.
    """
    not_deleted = Q(**{f"{via}deleted_at__isnull": True})
    if not user.is_authenticated:
        return not_deleted & public_and_shown(via)
    member_of, facilitates = _cohort_ids(user, cohorts)
    published = Q(**{f"{via}status": Entry.Status.PUBLISHED})
    public = Q(**{f"{via}visibility": Entry.Visibility.PUBLIC})
    cohort = Q(
        **{
            f"{via}visibility": Entry.Visibility.COHORT,
            f"{via}cohort_id__in": member_of,
        }
    )
    shown = shown_to_all(via) | Q(**{f"{via}cohort_id__in": facilitates})
    mine = Q(**{f"{via}author": user})
    return not_deleted & ((published & (public | cohort) & shown) | mine)


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(
        self, user: AnyUser, cohorts: CohortIds | None = None
    ) -> CommentQuerySet:
        """Comments a user may read, on any entry: on entries they may read,
        minus private comments not meant for them and hidden ones.
        Deleted placeholders are included; filter on `state` to drop them."""
        return self.filter(
            Comment.readable_by(user, cohorts),
            readable_entries(user, via="entry__", cohorts=cohorts),
        )

    def shown_to(
        self, user: AnyUser, cohorts: CohortIds | None = None
    ) -> CommentQuerySet:
        """Comments whose words `user` may read: `visible_to` without the
        "comment deleted" placeholders. Notifications, e-mails and feeds ask
        this before they quote or count a comment."""
        return self.visible_to(user, cohorts).filter(state=Comment.State.VISIBLE)

    def shown(self) -> CommentQuerySet:
        """Neither hidden nor held (`shown_to_all`)."""
        return self.filter(shown_to_all())

    def held(self) -> CommentQuerySet:
        return self.filter(held_at__isnull=False)

    def counts_for(self, entry_ids: list[int], viewer: AnyUser) -> dict[int, int]:
        """{entry id: how many of its comments `viewer` may read}, as
        `EntryQuerySet.for_listing` counts them, for entries they may read."""
        return dict(
            self.filter(entry_id__in=entry_ids, state=Comment.State.VISIBLE)
            .filter(Comment.readable_by(viewer))
            .order_by()
            .values("entry_id")
            .annotate(count=Count("pk"))
            .values_list("entry_id", "count")
        )

    def not_held(self) -> CommentQuerySet:
        return self.filter(held_at__isnull=True)

    def thread_of(
        self, entry: Entry, viewer: AnyUser, *, moderator: bool
    ) -> list[Comment]:
        """The entry's comments `viewer` may read, in reading order: each reply
        under its parent.

        Private comments not meant for the viewer are left out with their
        replies (which are private too). A hidden comment the viewer may not
        read stays as a placeholder when it has replies, as a deleted one does,
        and is left out when it has none. `moderator`: the viewer facilitates
        the entry's cohort (the caller knows the viewer's role already).

        A reply filed beside the comment it answers (at the deepest level) gets
        `answered`: that comment, if the viewer may read it here, else None.
        """
        comments = list(
            self.filter(entry=entry)
            .filter(Comment.private_readable_by(viewer))
            .select_related("author__profile")
            .order_by("created", "pk")
        )
        kept_parents: set[int] = set()
        kept: list[Comment] = []
        for comment in reversed(comments):
            comment.concealed = comment.is_withheld and not (
                moderator
                or (viewer.is_authenticated and comment.author_id == viewer.pk)
            )
            if comment.concealed and comment.pk not in kept_parents:
                continue
            kept.append(comment)
            if comment.parent_id:
                kept_parents.add(comment.parent_id)
        readable = {
            comment.pk: comment
            for comment in kept
            if not (comment.is_deleted or comment.concealed)
        }
        children: dict[int | None, list[Comment]] = {}
        for comment in reversed(kept):
            comment.answered = (
                readable.get(comment.in_reply_to_id)
                if comment.in_reply_to_id != comment.parent_id
                else None
            )
            children.setdefault(comment.parent_id, []).append(comment)
        ordered: list[Comment] = []

        def walk(parent_id: int | None) -> None:
            for comment in children.get(parent_id, []):
                comment.has_replies = comment.pk in children
                ordered.append(comment)
                walk(comment.pk)

        walk(None)
        return ordered

    def replies_to(self, user: AnyUser, limit: int) -> list[Comment]:
        """Others' comments on my entries, or answering my comments, newest first.

        Two indexed queries merged here: one query with `entry author OR answered
        author` cannot use an index and scans every comment.
        """
        mine = (
            self.filter(state=Comment.State.VISIBLE)
            .exclude(author=user)
            .select_related("author__profile", "entry__author")
            .order_by("-created")
        )
        on_my_entries = list(
            mine.filter(entry__in=Entry.objects.filter(author=user)).filter(
                Comment.readable_by(user)
            )[:limit]
        )
        to_my_comments = list(
            mine.filter(in_reply_to__author=user)
            .exclude(entry__author=user)
            .visible_to(user)[:limit]
        )
        newest = sorted(
            on_my_entries + to_my_comments, key=lambda c: c.created, reverse=True
        )
        return newest[:limit]


class Comment(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        DELETED = "deleted", _("Deleted")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    # Empty once the author's account is deleted; the comment is then deleted too.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    #: The comment this reply answers. Usually its `parent`; a reply to a
    #: comment at the deepest level sits beside it, under the same parent.
    #: Empty for a comment on the entry, and once the answered one is removed.
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    depth = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(blank=True, editable=False)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.VISIBLE
    )
    #: "Only for the author": read by the entry's author, the cohort's
    #: facilitators and `private_with`. Replies to a private comment are private.
    private = models.BooleanField(_("only for the author"), default=False)
    #: Who started the private conversation, so they read the replies to it.
    private_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    #: Set when a facilitator hides the comment; see `ModerationAction`.
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Why, in the facilitator's words, for its author to read.
    hidden_reason = models.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    #: Set when posted while its writer's posts wait for approval
    #: (`Cohort.holds_posts_of`); cleared when a facilitator approves it.
    held_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: The form's submission key with what was posted (core/submissions.py):
    #: the same post sent twice stores one comment.
    submission = models.CharField(max_length=64, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__gte=1) & Q(depth__lte=MAX_COMMENT_DEPTH),
                name="comment_depth_in_range",
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False) | Q(state="deleted"),
                name="comment_without_author_is_deleted",
            ),
            models.UniqueConstraint(
                fields=["author", "submission"],
                condition=~Q(submission=""),
                name="comment_posted_once",
            ),
        ]
        indexes = [
            models.Index(fields=["entry", "created"], name="comment_thread"),
            # Search ranks only the newest matches (journal/search.py).
            models.Index(F("created").desc(), F("id").desc(), name="comment_newest"),
            models.Index(
                fields=["held_at"],
                condition=Q(held_at__isnull=False),
                name="comment_held",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.entry}"

    def save(self, *args, **kwargs) -> None:
        self.shown_images = Image.objects.shown_in(
            self.body, owner_ids=[self.author_id]
        )
        self.body_html = render_markdown(
            self.body,
            mentions.mention_links(self.body, self.entry.cohort),
            images=self.shown_images,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.entry.get_absolute_url()}#{self.anchor}"

    @staticmethod
    def private_readable_by(user: AnyUser, cohorts: CohortIds | None = None) -> Q:
        """Comments not private, or private and meant for `user`."""
        if not user.is_authenticated:
            return Q(private=False)
        _member_of, facilitates = _cohort_ids(user, cohorts)
        return (
            Q(private=False)
            | Q(private_with=user)
            | Q(author=user)
            | Q(entry__author=user)
            | Q(entry__cohort_id__in=facilitates)
        )

    @staticmethod
    def readable_by(user: AnyUser, cohorts: CohortIds | None = None) -> Q:
        """Of the comments on entries `user` may read, those they may read:
        private ones meant for them, hidden or held ones if theirs or they
        moderate."""
        if not user.is_authenticated:
            return Q(private=False) & shown_to_all()
        _member_of, facilitates = _cohort_ids(user, cohorts)
        shown = shown_to_all() | Q(author=user) | Q(entry__cohort_id__in=facilitates)
        return Comment.private_readable_by(user, cohorts) & shown

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def body_safe(self) -> str:
        return as_safe_html(self.body_html)

    @property
    def is_deleted(self) -> bool:
        return self.state == self.State.DELETED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_withheld(self) -> bool:
        return self.is_hidden or self.is_held


class Revision(models.Model):
    """A saved state of an entry. Saves close together update one revision."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    action = models.TextField(max_length=1000, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated", "-pk"]
        indexes = [models.Index(fields=["entry", "-updated"], name="revision_history")]

    def __str__(self) -> str:
        return f"{self.entry} at version {self.version}"


class Like(models.Model):
    """A member's appreciation of an entry: once per member and entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="like_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} likes {self.entry}"


class Reading(models.Model):
    """That a member has opened an entry: "read next" prefers people not read yet."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    #: The entry's author, kept here so "have I read this person" needs no join.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    first_read = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "entry"], name="read_once")
        ]
        indexes = [models.Index(fields=["reader", "author"], name="reading_authors")]

    def __str__(self) -> str:
        return f"{self.reader} read {self.entry}"


class Report(models.Model):
    """A member's report of an entry or a comment, for the cohort's facilitators."""

    class Reason(models.TextChoices):
        UNKIND = "unkind", _("Unkind or harassing")
        PRIVATE = "private", _("Shares someone's private information")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports_made",
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(max_length=2000, blank=True)
    created = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=True) ^ Q(comment__isnull=True),
                name="report_one_target",
            ),
            # One open report per reporter and item, even when sent twice at once.
            models.UniqueConstraint(
                fields=["reporter", "entry"],
                condition=Q(resolved_at__isnull=True, entry__isnull=False),
                name="report_entry_open_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(resolved_at__isnull=True, comment__isnull=False),
                name="report_comment_open_once",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "resolved_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"Report by {self.reporter} on {self.entry or self.comment}"


class ModerationAction(models.Model):
    """The log of what facilitators hid, restored, approved and removed as
    spam: who, what and when."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Report dismissed")
        APPROVE = "approve", _("Approved")
        REMOVE_SPAMMER = "spammer", _("Removed as a spammer")
        UNDO_SPAMMER = "unspammer", _("Removal as a spammer undone")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="moderation_actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: The person acted on as a whole (removed as a spammer, or back).
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    #: When a removal as a spammer was undone.
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["cohort", "-created"], name="moderation_log")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor}"


class FeedToken(models.Model):
    """The secret in a member's private feed URLs. Revoking replaces it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    key = models.CharField(max_length=43, unique=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Feed token of {self.user}"


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class ImageQuerySet(models.QuerySet["Image"]):
    def shown_in(
        self, text: str, *, owner_ids: list[int | None]
    ) -> image_files.ImagesShown:
        """How to show the images that `text` points at, of those `owner_ids`
        uploaded: one query, none when the text points at no image of ours."""
        public_ids = set(image_files.IMAGE_PATH_RE.findall(text or ""))
        found = (
            self.filter(public_id__in=public_ids, owner_id__in=owner_ids)
            if public_ids
            else []
        )
        return image_files.ImagesShown(images={i.public_id: i for i in found})

    def readable_through_writing(self, user: AnyUser) -> ImageQuerySet:
        """Images `user` may see because an entry or comment they may read
        shows them, or because they uploaded them. (Things: Image.is_readable_by.)"""
        in_entries = Entry.objects.visible_to(user).filter(images=OuterRef("pk"))
        in_comments = Comment.objects.shown_to(user).filter(images=OuterRef("pk"))
        readable = Exists(in_entries) | Exists(in_comments)
        if user.is_authenticated:
            readable |= Q(owner=user)
        return self.filter(readable)

    def bytes_used_by(self, user: User) -> int:
        return self.filter(owner=user).aggregate(total=Sum("bytes"))["total"] or 0


class Image(models.Model):
    """An uploaded image: only its pixels, re-encoded at a few widths
    (journal/images.py). Readable by whoever may read an entry, comment or
    Thing that shows it, and by its owner: its address alone grants nothing."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="images"
    )
    #: In the image's address instead of the pk, which would be guessable.
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    #: The largest width kept; `renditions` lists every width with its file.
    file = models.FileField(max_length=255)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    #: [{"width": …, "height": …, "name": …}], narrowest first, for srcset.
    renditions = models.JSONField(default=list)
    bytes = models.PositiveBigIntegerField()
    alt = models.CharField(_("alt text"), max_length=1000, blank=True)
    decorative = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    #: The upload's key with a digest of its content (core/submissions.py): a
    #: retried upload from the same page stores one image.
    submission = models.CharField(max_length=64, blank=True, editable=False)
    #: What shows the image, recorded by the actions that save them.
    entries = models.ManyToManyField(Entry, blank=True, related_name="images")
    comments = models.ManyToManyField(Comment, blank=True, related_name="images")
    things = models.ManyToManyField(Thing, blank=True, related_name="images")

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "submission"],
                condition=~Q(submission=""),
                name="image_uploaded_once",
            )
        ]

    def __str__(self) -> str:
        return self.alt or self.public_id

    def get_absolute_url(self) -> str:
        return image_files.image_url(self.public_id)

    def markdown(self) -> str:
        """What the editor puts in the text to show this image."""
        return image_markdown(self.get_absolute_url(), self.alt)

    def srcset(self) -> str:
        return ", ".join(
            f"{self.url_for_width(r['width'])} {r['width']}w" for r in self.renditions
        )

    @property
    def thumbnail_url(self) -> str:
        return self.url_for_width(self.renditions[0]["width"])

    def url_for_width(self, width: int) -> str:
        if width == self.width:
            return self.get_absolute_url()
        return image_files.image_url(self.public_id, width)

    def file_name(self, width: int | None = None) -> str | None:
        """The stored file of one width (None: the largest); None if not kept."""
        if width is None:
            return self.file.name
        return next((r["name"] for r in self.renditions if r["width"] == width), None)

    def file_names(self) -> list[str]:
        return [rendition["name"] for rendition in self.renditions]

    @property
    def needs_alt(self) -> bool:
        return not self.alt and not self.decorative

    def is_readable_by(self, user: AnyUser) -> bool:
        readable = Image.objects.readable_through_writing(user).filter(pk=self.pk)
        return readable.exists() or self._shown_in_thing_visible_to(user)

    def _shown_in_thing_visible_to(self, user: AnyUser) -> bool:
        """A Thing's images: for anyone when the Thing is public (published
        in an open programme), else for whoever may see the Thing in one of
        their cohorts (Cohort.visible_thing), and the programme's owners."""
        things = list(self.things.select_related("programme"))
        if any(thing.is_public for thing in things):
            return True
        if not user.is_authenticated:
            return False
        for thing in things:
            if thing.programme.is_owner(user):
                return True
            cohorts = Cohort.objects.for_member(user).filter(programme=thing.programme)
            if any(cohort.visible_thing(user, thing.slug) for cohort in cohorts):
                return True
        return False
