from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.markdown import as_safe_html, render_markdown
from programmes.models import AnyUser, Cohort, Membership, Thing

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 100_000
COMMENT_MAX_LENGTH = 10_000
MAX_COMMENT_DEPTH = 3


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


class EntryQuerySet(models.QuerySet["Entry"]):
    def published(self) -> EntryQuerySet:
        return self.filter(status=Entry.Status.PUBLISHED)

    def drafts(self) -> EntryQuerySet:
        return self.filter(status=Entry.Status.DRAFT)

    def visible_to(self, user: AnyUser) -> EntryQuerySet:
        """Entries a user may read: DESIGN.md, "Who sees what".

        Authors read everything of theirs, drafts included; others read published
        public entries, and published cohort entries of the cohorts they belong to.
        """
        public = Q(status=Entry.Status.PUBLISHED, visibility=Entry.Visibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        my_cohorts = Membership.objects.filter(user=user).values("cohort_id")
        cohort = Q(
            status=Entry.Status.PUBLISHED,
            visibility=Entry.Visibility.COHORT,
            cohort_id__in=my_cohorts,
        )
        return self.filter(public | cohort | Q(author=user))

    def for_listing(self) -> EntryQuerySet:
        """What a list of entries shows: author, Thing, cohort, tags, comment count.

        The count is a correlated subquery rather than a join with GROUP BY, so
        the database counts comments only for the page of entries it returns,
        not for every entry of the cohort before paginating.
        """
        visible_comments = (
            Comment.objects.filter(entry=OuterRef("pk"), state=Comment.State.VISIBLE)
            .order_by()
            .values("entry")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            self.select_related("author__profile", "thing", "cohort")
            .prefetch_related("tags")
            .annotate(comment_count=Coalesce(Subquery(visible_comments), 0))
            .order_by("-published_at", "-pk")
        )


class Entry(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        COHORT = "cohort", "My cohort"
        PUBLIC = "public", "Public"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

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
    action = models.TextField("my action for this Thing", max_length=1000, blank=True)
    minutes = models.PositiveIntegerField("minutes spent", null=True, blank=True)
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
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["author", "slug"], name="entry_unique_slug_per_author"
            ),
            models.UniqueConstraint(
                fields=["author", "cohort", "thing"],
                condition=Q(thing__isnull=False),
                name="entry_one_per_thing_per_cohort",
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
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
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
        taken = set(
            Entry.objects.filter(author_id=self.author_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
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

    def accepts_comments_from(self, user: AnyUser, role: str | None) -> bool:
        """Signed-in members of the entry's cohort comment on what they can read."""
        return (
            user.is_authenticated
            and self.is_published
            and self.visibility != self.Visibility.PRIVATE
            and role is not None
        )


class CommentQuerySet(models.QuerySet["Comment"]):
    def thread_of(self, entry: Entry) -> list[Comment]:
        """The entry's comments in reading order: each reply under its parent."""
        comments = list(
            self.filter(entry=entry)
            .select_related("author__profile")
            .order_by("created", "pk")
        )
        children: dict[int | None, list[Comment]] = {}
        for comment in comments:
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
        """Others' comments on my entries, or replying to my comments, newest first.

        Two indexed queries merged here: one query with `entry author OR parent
        author` cannot use an index and scans every comment.
        """
        mine = (
            self.filter(state=Comment.State.VISIBLE)
            .exclude(author=user)
            .select_related("author__profile", "entry__author")
            .order_by("-created")
        )
        on_my_entries = list(mine.filter(entry__author=user)[:limit])
        to_my_comments = list(
            mine.filter(parent__author=user)
            .exclude(entry__author=user)
            .filter(entry__in=Entry.objects.visible_to(user))[:limit]
        )
        newest = sorted(
            on_my_entries + to_my_comments, key=lambda c: c.created, reverse=True
        )
        return newest[:limit]


class Comment(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", "Visible"
        DELETED = "deleted", "Deleted"

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
    depth = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(blank=True, editable=False)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.VISIBLE
    )
    created = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

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
        ]
        indexes = [models.Index(fields=["entry", "created"], name="comment_thread")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.entry}"

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.entry.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def body_safe(self) -> str:
        return as_safe_html(self.body_html)

    @property
    def is_deleted(self) -> bool:
        return self.state == self.State.DELETED


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
