"""Workflows of the journal: writing entries and taking part in threads."""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from core import freshness
from core.images import CleanImage, ImageRefused, PortableImage, check_size, clean_image
from core.submissions import create_once, submission_digest
from journal import hooks
from journal import images as image_files
from journal.models import (
    MAX_COMMENT_DEPTH,
    Comment,
    Entry,
    Image,
    Revision,
    Tag,
    new_public_id,
)
from journal.revisions import (
    COALESCE_WINDOW,
    EditingSession,
    EntryText,
    SavedState,
    pending_revisions,
    saved_state,
)
from journal.tags import TagSpec
from programmes.models import Thing


class EditConflict(Exception):
    """A save based on an older version than the server's: nothing was applied."""

    def __init__(self, state: SavedState) -> None:
        super().__init__(f"The entry is at version {state.version}")
        self.state = state


class CreatedMeanwhile(Exception):
    """A new entry's first save lost the race to a save that created the entry
    it would have made (from the same new-entry page, or on the same Thing):
    nothing was applied, and that entry can be found now."""


@dataclass(frozen=True)
class Autosaved:
    entry: Entry
    version: int
    saved_at: datetime.datetime
    #: Kept aside for a published entry until the writer presses Update.
    pending: bool
    created: bool


def _settings(entry: Entry) -> tuple:
    return (entry.minutes, entry.visibility, entry.cohort_id)


def _claim_next_version(entry: Entry, base_version: int | None) -> None:
    """Move the entry from the version the writer started from to the next one.

    A compare-and-set in one UPDATE, so two saves racing from the same version
    cannot both win. A save from an older version raises EditConflict, unless it
    carries exactly what the server holds now: then no one's words can be lost,
    and it moves on from the current version with the row locked, so however
    many identical saves race (the retries of one page), each gets a version.
    """
    base = entry.version if base_version is None else base_version
    claimed = Entry.objects.filter(pk=entry.pk, version=base).update(version=base + 1)
    if not claimed:
        current = Entry.objects.select_for_update().get(pk=entry.pk)
        same = EntryText.of(entry) == saved_state(current).text and _settings(
            entry
        ) == _settings(current)
        if not same:
            raise EditConflict(saved_state(current))
        base = current.version
        Entry.objects.filter(pk=entry.pk).update(version=base + 1)
    entry.version = base + 1


def _record_revision(
    *,
    entry: Entry,
    text: EntryText,
    at: datetime.datetime,
    pending: bool,
    new: bool,
    entry_updated_before: datetime.datetime | None,
    session: EditingSession | None,
) -> Revision:
    """Keep the save as a revision, or fold it into this session's last one.

    Folding needs the same editing session, the same kind (applied or kept aside
    for a published entry) and less than COALESCE_WINDOW since that revision.
    """
    last = entry.revisions.order_by("-updated", "-pk").first()
    last_pending = (
        last is not None
        and entry_updated_before is not None
        and entry.is_published
        and last.updated > entry_updated_before
    )
    if (
        not new
        and last is not None
        and session is not None
        and session.last_revision(entry.pk) == last.pk
        and at - last.updated < COALESCE_WINDOW
        and last_pending == pending
    ):
        last.version = entry.version
        last.title, last.body, last.action = text.title, text.body, text.action
        last.updated = at
        last.save(update_fields=["version", "title", "body", "action", "updated"])
        revision = last
    else:
        revision = Revision.objects.create(
            entry=entry,
            version=entry.version,
            title=text.title,
            body=text.body,
            action=text.action,
            created=at,
            updated=at,
        )
    if session is not None:
        if new:
            # What follows a publication or a restore starts a revision of its own.
            session.forget_revision(entry.pk)
        else:
            session.remember_revision(entry.pk, revision.pk)
    return revision


def _apply(
    *,
    entry: Entry,
    base_version: int | None,
    session: EditingSession | None,
    new_revision: bool,
) -> Entry:
    updated_before = entry.updated if entry.pk is not None else None
    shown_in = _cohort_showing(entry)
    if entry.pk is None:
        entry.version = 1
        _insert(entry)
    else:
        _claim_next_version(entry, base_version)
        entry.save()
    entry.images.set(entry.shown_images.shown.values())
    _entry_changed(entry, shown_before_in=shown_in)
    # The revision's time is the entry's own: the revision that holds the words
    # the entry shows has the same `updated`, and later ones are kept aside.
    _record_revision(
        entry=entry,
        text=EntryText.of(entry),
        at=entry.updated,
        pending=False,
        new=new_revision,
        entry_updated_before=updated_before,
        session=session,
    )
    return entry


def _insert(entry: Entry) -> None:
    """The unique constraints, not a look beforehand, decide which of two
    simultaneous first saves creates the entry."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        same = Q(slug=entry.slug)
        if entry.editor_key:
            same |= Q(editor_key=entry.editor_key)
        if entry.thing_id:
            same |= Q(cohort_id=entry.cohort_id, thing_id=entry.thing_id)
        if Entry.objects.filter(same, author_id=entry.author_id).exists():
            raise CreatedMeanwhile from error
        raise


def _cohort_showing(entry: Entry) -> int | None:
    """The cohort whose pages show the entry as stored (None for a draft).

    Saving never unpublishes (`unpublish_entry` does, and says so itself), so
    a draft now was a draft before: its autosaves, the most frequent write,
    ask nothing."""
    if entry.pk is None or not entry.is_published:
        return None
    stored = Entry.objects.filter(pk=entry.pk, status=Entry.Status.PUBLISHED)
    return stored.values_list("cohort_id", flat=True).first()


def _entry_changed(entry: Entry, *, shown_before_in: int | None = None) -> None:
    """Drafts are the author's alone: saving one changes no cohort's pages.
    A published entry moved to another cohort leaves the first one too."""
    cohorts = {shown_before_in}
    if entry.is_published:
        cohorts.add(entry.cohort_id)
    cohorts.discard(None)
    if cohorts:
        freshness.cohorts_changed(cohorts)
    freshness.writing_changed(entry.author_id)


def _cohort_of_entry_changed(entry: Entry) -> None:
    if entry.cohort_id is not None:
        freshness.cohorts_changed([entry.cohort_id])


def _conversation_changed(entry: Entry) -> None:
    """A comment or a like: the entry's thread and its cohort's counts."""
    freshness.conversation_changed(entry.pk, entry.cohort_id)


def _may_be_held(entry: Entry, publish: bool) -> bool:
    """Whether this save could hold the entry: only then is it asked whether
    it was shared before (one query)."""
    return (
        (publish or entry.is_published)
        and entry.visibility != Entry.Visibility.PRIVATE
        and entry.cohort is not None
        and entry.cohort.holds_posts()
    )


def _shared(entry: Entry) -> bool:
    """Whether the entry as stored reaches readers other than its author."""
    if entry.pk is None:
        return False
    stored = Entry.objects.filter(pk=entry.pk, status=Entry.Status.PUBLISHED)
    return stored.exclude(visibility=Entry.Visibility.PRIVATE).exists()


def _hold_if_newly_shared(entry: Entry, *, shared_before: bool) -> None:
    """An entry waits for approval when it first reaches other readers
    (published, not "only me") while its author's posts are held in its
    cohort (`Cohort.holds_posts_of`). "Only me" entries are nobody else's
    business, so they wait for nothing until shared."""
    shared_now = entry.is_published and entry.visibility != Entry.Visibility.PRIVATE
    if (
        shared_now
        and not shared_before
        and entry.cohort is not None
        and entry.cohort.holds_posts_of(entry.author)
    ):
        entry.held_at = timezone.now()


@transaction.atomic
def save_entry(
    *,
    entry: Entry,
    publish: bool,
    base_version: int | None = None,
    session: EditingSession | None = None,
) -> Entry:
    """Save an entry the author has edited; the first publication dates it.

    ``base_version`` is the version the writer's text started from: a save from
    an older version raises EditConflict and changes nothing (None: the version
    the entry was loaded at). Each save is kept as a revision, coalesced within
    one editing ``session``; publishing always starts a new revision.

    Publishing dates the entry (`published_at`, the date its Thing counts as
    done from); publishing again after `unpublish_entry` dates it anew. Only the
    first publication makes its address: an entry published before keeps the
    one readers may have.

    An entry first shared while its author's posts wait for approval is held
    (`held_at`): only its author and the cohort's facilitators read it, and
    nobody is told of it, until a facilitator approves it.
    """
    shared_before = _shared(entry) if _may_be_held(entry, publish) else True
    if publish and not entry.is_published:
        first_publication = entry.published_at is None
        entry.status = Entry.Status.PUBLISHED
        entry.published_at = timezone.now()
        if entry.pk is not None and first_publication:
            # A draft's address was made from its first words, perhaps half a
            # title typed before an autosave; nobody else has it yet.
            entry.slug = entry.unique_slug()
    _hold_if_newly_shared(entry, shared_before=shared_before)
    entry = _apply(
        entry=entry, base_version=base_version, session=session, new_revision=publish
    )
    hooks.entry_saved(entry=entry)
    return entry


@transaction.atomic
def autosave_entry(
    *, entry: Entry, base_version: int | None, session: EditingSession | None
) -> Autosaved:
    """Keep what the writer has typed so far.

    A draft (or a new entry) takes the text. A published entry does not, or
    half-edited words would go live: the text is kept as a revision newer than
    the entry until the writer presses Update. Either way the version moves on,
    so another tab still on the older version gets a conflict.
    """
    created = entry.pk is None
    if created or not entry.is_published:
        entry = _apply(
            entry=entry, base_version=base_version, session=session, new_revision=False
        )
        return Autosaved(
            entry=entry,
            version=entry.version,
            saved_at=entry.updated,
            pending=False,
            created=created,
        )
    text = EntryText.of(entry)
    _claim_next_version(entry, base_version)
    at = timezone.now()
    _record_revision(
        entry=entry,
        text=text,
        at=at,
        pending=True,
        new=False,
        entry_updated_before=entry.updated,
        session=session,
    )
    return Autosaved(
        entry=entry, version=entry.version, saved_at=at, pending=True, created=False
    )


@transaction.atomic
def restore_revision(
    *, entry: Entry, revision: Revision, session: EditingSession | None = None
) -> Entry:
    """Bring back an earlier revision's words as a new version and revision.

    Minutes, visibility and tags stay as they are: revisions keep words only.
    A published entry shows the restored words at once; the author chose them
    from the history, where every version stays available.
    """
    entry.title, entry.body, entry.action = (
        revision.title,
        revision.body,
        revision.action,
    )
    entry = _apply(entry=entry, base_version=None, session=session, new_revision=True)
    hooks.entry_saved(entry=entry)
    return entry


@transaction.atomic
def discard_autosaved(*, entry: Entry) -> int:
    """Drop the autosaved changes of a published entry that were never applied."""
    deleted, _ = pending_revisions(entry).delete()
    return deleted


def _readers_changed(entry: Entry) -> None:
    """Deleting, restoring or unpublishing changes who reads the entry: its
    cohort's pages (comments, counts and replies on them, a draft's
    included), the author's own pages, and the bells of whoever was told
    about it."""
    _cohort_of_entry_changed(entry)
    freshness.writing_changed(entry.author_id)
    hooks.entry_readers_changed(entry=entry)


@dataclass(frozen=True)
class GoesWith:
    """What leaves with an entry when it is deleted (and comes back with it)."""

    comments: int
    likes: int


def goes_with(entry: Entry) -> GoesWith:
    return GoesWith(
        comments=entry.comments.filter(state=Comment.State.VISIBLE).count(),
        likes=entry.likes.count(),
    )


@transaction.atomic
def delete_entry(*, entry: Entry) -> Entry:
    """Put the entry in its author's bin: it leaves every page, list, count,
    feed, search and notification at once (`Entry.objects` no longer holds
    it), with its comments and likes, which stay with it to be restored for
    DELETED_ENTRIES_KEPT. Its Thing is free for a new entry meanwhile.

    Deleting twice changes nothing more. The new-entry page that made it
    forgets it (its `editor_key` goes), so that page's retries make a new one.
    """
    deleted = Entry.objects.filter(pk=entry.pk).update(
        deleted_at=timezone.now(), editor_key=""
    )
    entry.refresh_from_db(fields=["deleted_at", "editor_key"])
    if deleted:
        _readers_changed(entry)
    return entry


class NotRestorable(Exception):
    """The entry was purged, or is past restoring."""


@dataclass(frozen=True)
class Restored:
    entry: Entry
    #: The Thing had another entry by then: this one came back as a draft
    #: free reflection, in the same cohort, so neither entry's words are lost.
    as_free_reflection: bool


@transaction.atomic
def restore_entry(*, entry: Entry) -> Restored:
    """Bring a deleted entry back, at its old address, with its comments and
    likes, as it was (published or draft), within DELETED_ENTRIES_KEPT.

    The Thing allows one entry each: if the author has written another on it
    since, this one comes back as a draft free reflection (`thing` cleared),
    which they can publish, merge or delete again.
    """
    try:
        stored = Entry.with_deleted.restorable().select_for_update().get(pk=entry.pk)
    except Entry.DoesNotExist:
        raise NotRestorable from None
    thing_taken = (
        stored.thing_id is not None
        and Entry.objects.filter(
            author_id=stored.author_id,
            cohort_id=stored.cohort_id,
            thing=stored.thing_id,
        ).exists()
    )
    changes: dict = {"deleted_at": None}
    if thing_taken:
        changes |= {"thing": None, "status": Entry.Status.DRAFT}
    Entry.with_deleted.filter(pk=stored.pk).update(**changes)
    stored.refresh_from_db()
    _readers_changed(stored)
    return Restored(entry=stored, as_free_reflection=thing_taken)


@transaction.atomic
def unpublish_entry(*, entry: Entry) -> Entry:
    """Move a published entry back to draft: only its author sees it, in their
    drafts, and its Thing is no longer done (completion is "has a published
    entry", `EntryQuerySet.completing`). Comments and likes stay with it.

    `published_at` is kept while it is a draft (nothing shows a draft's date)
    so that it keeps its address; publishing it again dates it anew, and its
    Thing counts as done from then. Unpublishing a draft changes nothing.
    """
    moved = Entry.objects.filter(pk=entry.pk, status=Entry.Status.PUBLISHED).update(
        status=Entry.Status.DRAFT, updated=timezone.now()
    )
    entry.refresh_from_db(fields=["status", "updated"])
    if moved:
        _readers_changed(entry)
    return entry


@transaction.atomic
def purge_deleted_entries() -> dict[str, int]:
    """Remove for good the entries deleted more than DELETED_ENTRIES_KEPT ago,
    with all that hangs from them (comments, likes, revisions, readings,
    reports, notifications) and the tags nothing carries any more. No page
    shows them already, so no cache changes. How many rows of each model went,
    by label; running it again removes nothing more."""
    purged = Entry.with_deleted.purgeable()
    authors = set(purged.values_list("author_id", flat=True))
    _total, removed = purged.delete()
    _tags, tags_removed = Tag.objects.filter(
        owner_id__in=authors, entries__isnull=True
    ).delete()
    return {**removed, **tags_removed}


@transaction.atomic
def add_comment(
    *,
    entry: Entry,
    author: User,
    body: str,
    parent: Comment | None = None,
    private: bool = False,
    submission_key: str = "",
) -> Comment:
    """A reply to a comment at the deepest level joins that level, as a sibling,
    and still answers that comment (`in_reply_to`).

    A private comment ("only for the author") starts a conversation between
    its writer and the entry's author; replies to it are private to the same
    people, whatever the replier chose.

    The same form sent again (its `submission_key` and the same words) returns
    the comment the first post stored, even when both arrive at once.

    A comment posted while its writer's posts wait for approval is held, as
    entries are (`save_entry`).
    """
    in_reply_to = parent
    if parent is not None and parent.depth >= MAX_COMMENT_DEPTH:
        parent = parent.parent
    if parent is not None and parent.private:
        private, private_with = True, parent.private_with
    else:
        private_with = author if private else None
    fields = {
        "entry": entry,
        "parent": parent,
        "in_reply_to": in_reply_to,
        "depth": parent.depth + 1 if parent else 1,
        "body": body,
        "private": private,
        "private_with": private_with,
        "held_at": timezone.now()
        if entry.cohort is not None and entry.cohort.holds_posts_of(author)
        else None,
    }
    submission = submission_digest(
        submission_key, entry.pk, in_reply_to and in_reply_to.pk, private, body
    )
    comment, created = create_once(
        Comment.objects, author=author, submission=submission, defaults=fields
    )
    if not created:
        return comment
    comment.images.set(comment.shown_images.shown.values())
    if comment.is_held:
        # The facilitators' count of what waits for them, kept under
        # `entries_state` (facilitation/templatetags/moderation.py).
        _cohort_of_entry_changed(entry)
    _conversation_changed(entry)
    hooks.comment_posted(comment=comment)
    return comment


@transaction.atomic
def edit_comment(*, comment: Comment, body: str) -> Comment:
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    comment.images.set(comment.shown_images.shown.values())
    _conversation_changed(comment.entry)
    hooks.comment_edited(comment=comment)
    return comment


@transaction.atomic
def delete_comment(*, comment: Comment) -> None:
    """Remove a comment; one with replies leaves "comment deleted" in its place.

    A placeholder whose last reply goes is removed too, so no empty shells stay.
    """
    parent = comment.parent
    if comment.replies.exists():
        comment.state = Comment.State.DELETED
        comment.body = ""
        comment.save(update_fields=["state", "body", "body_html"])
        comment.images.clear()
        _comment_removed(comment.entry)
        return
    comment.delete()
    while parent is not None and parent.is_deleted and not parent.replies.exists():
        grandparent = parent.parent
        parent.delete()
        parent = grandparent
    _comment_removed(comment.entry)


def _comment_removed(entry: Entry) -> None:
    """A comment gone changes a past day's count of the cohort's comments,
    which the progress charts keep under `entries_state`: unlike a new comment
    (made today), it moves that too."""
    _conversation_changed(entry)
    _cohort_of_entry_changed(entry)


@transaction.atomic
def like_entry(*, entry: Entry, user: User) -> bool:
    """Once per member and entry: True when this like is new."""
    _like, created = entry.likes.get_or_create(user=user)
    if created:
        _conversation_changed(entry)
    return created


@transaction.atomic
def unlike_entry(*, entry: Entry, user: User) -> None:
    deleted, _ = entry.likes.filter(user=user).delete()
    if deleted:
        _conversation_changed(entry)


@transaction.atomic
def apply_tags(*, entry: Entry, tags: Sequence[TagSpec]) -> list[Tag]:
    """Put exactly these tags on a saved entry, as its author's own Tag rows.

    Tags are found by slug among the author's, or created; never another user's.
    A tag this entry was the last to carry is removed with it.
    """
    owner_id = entry.author_id
    slugs = [spec.slug for spec in tags]
    if tags:
        Tag.objects.bulk_create(
            [Tag(owner_id=owner_id, name=spec.name, slug=spec.slug) for spec in tags],
            ignore_conflicts=True,
        )
    rows = list(Tag.objects.filter(owner_id=owner_id, slug__in=slugs))
    dropped = set(entry.tags.values_list("pk", flat=True)) - {tag.pk for tag in rows}
    entry.tags.set(rows)
    if entry.is_published and entry.cohort_id is not None:
        freshness.cohorts_changed([entry.cohort_id])
    if dropped:
        Tag.objects.filter(
            owner_id=owner_id, pk__in=dropped, entries__isnull=True
        ).delete()
    return sorted(rows, key=lambda tag: tag.name)


def _store(clean: CleanImage, public_id: str, owner_id: int) -> list[dict]:
    """Write each width to the default storage; the names it chose."""
    renditions = []
    for rendition in clean.renditions:
        wanted = f"images/{owner_id}/{public_id}/{rendition.width}.{clean.extension}"
        content = ContentFile(rendition.content)
        # What an object store will serve it as, whatever its name guesses.
        content.content_type = clean.content_type
        name = default_storage.save(wanted, content)
        renditions.append(
            {"width": rendition.width, "height": rendition.height, "name": name}
        )
    return renditions


def _delete_files(names: Sequence[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _check_space(owner: User, adding: int) -> None:
    quota = settings.PONDER_IMAGE_QUOTA_BYTES
    if Image.objects.bytes_used_by(owner) + adding > quota:
        raise ImageRefused(
            gettext(
                "You have used your space for images (%(limit)s MB): remove "
                "images you no longer show before adding more."
            )
            % {"limit": f"{quota / (1024 * 1024):.0f}"}
        )


def _image_fields(
    clean: CleanImage, owner: User, *, alt: str, decorative: bool
) -> dict:
    """Store the widths of `clean` and say the row that keeps them."""
    public_id = new_public_id()
    renditions = _store(clean, public_id, owner.pk)
    return {
        "public_id": public_id,
        "file": renditions[-1]["name"],
        "content_type": clean.content_type,
        "width": clean.largest.width,
        "height": clean.largest.height,
        "renditions": renditions,
        "bytes": clean.total_bytes,
        "alt": " ".join(alt.split()),
        "decorative": decorative and not alt.strip(),
    }


def upload_image(
    *,
    owner: User,
    upload: UploadedFile,
    alt: str = "",
    decorative: bool = False,
    submission_key: str = "",
) -> Image:
    """Keep an uploaded image (core/images.py says what is kept of it).

    Raises ImageRefused with a message for its sender: not an image of ours,
    too large, too many pixels, or over the owner's total. The same upload
    sent again from the same page (its `submission_key` and the same bytes)
    returns the image the first one stored, even when both arrive at once.
    Files are written before the row, outside any transaction, and removed
    again if the row is not made.
    """
    check_size(upload.size or 0)
    content = upload.read()
    submission = submission_digest(submission_key, hashlib.sha256(content).hexdigest())
    earlier = _earlier_upload(owner, submission)
    if earlier is not None:
        return earlier
    clean = clean_image(content)
    _check_space(owner, clean.total_bytes)
    fields = _image_fields(clean, owner, alt=alt, decorative=decorative)
    names = [rendition["name"] for rendition in fields["renditions"]]
    try:
        with transaction.atomic():
            _hold_space_of(owner)
            image = _earlier_upload(owner, submission)
            if image is None:
                # Checked again with the owner's row held: two uploads at the
                # same moment cannot both fit in what is left.
                _check_space(owner, clean.total_bytes)
                image, _created = create_once(
                    Image.objects, owner=owner, submission=submission, defaults=fields
                )
    except Exception:
        _delete_files(names)
        raise
    if image.public_id != fields["public_id"]:
        _delete_files(names)
    return image


def _earlier_upload(owner: User, submission: str) -> Image | None:
    """The image a first send of the same upload stored, if it was retried."""
    if not submission:
        return None
    return Image.objects.filter(owner=owner, submission=submission).first()


def _hold_space_of(owner: User) -> None:
    """Lock the owner's row until the transaction ends, so their uploads check
    and take their space one at a time (SQLite's immediate transactions
    already write one at a time)."""
    User.objects.select_for_update().filter(pk=owner.pk).values_list("pk").get()


class ProgrammeImages:
    """The images of a programme's export and import (core.images.ImageKeeper),
    registered in JournalConfig.ready: programmes sit below the journal."""

    def export(
        self, text: str, *, owner_ids: Sequence[int], folder: str
    ) -> tuple[str, list[PortableImage]]:
        shown = Image.objects.shown_in(text, owner_ids=list(owner_ids)).images
        images = []
        for public_id, image in shown.items():
            with default_storage.open(image.file.name) as stored:
                content = stored.read()
            extension = image.file.name.rpartition(".")[2]
            images.append(
                PortableImage(
                    name=f"{public_id}.{extension}",
                    content=content,
                    alt=image.alt,
                    decorative=image.decorative,
                )
            )
        # images_for_export points one folder up: the text is in things/.
        files = {image.name.partition(".")[0]: folder + image.name for image in images}
        return image_files.images_for_export(text, files, html=False), images

    @transaction.atomic
    def keep(self, *, owner: User, images: Sequence[PortableImage]) -> dict[str, str]:
        """Each image cleaned as an upload of `owner` and counted in their
        space, their row held until the caller's transaction ends; files
        written are removed again if any image is refused."""
        names: list[str] = []
        addresses = {}
        try:
            _hold_space_of(owner)
            for portable in images:
                try:
                    clean = clean_image(portable.content)
                    _check_space(owner, clean.total_bytes)
                except ImageRefused as refused:
                    raise ImageRefused(f"{portable.name}: {refused}") from refused
                fields = _image_fields(
                    clean, owner, alt=portable.alt, decorative=portable.decorative
                )
                names += [rendition["name"] for rendition in fields["renditions"]]
                image = Image.objects.create(owner=owner, **fields)
                addresses[portable.name] = image.get_absolute_url()
        except Exception:
            _delete_files(names)
            raise
        return addresses


programme_images = ProgrammeImages()


@transaction.atomic
def set_image_alt(*, image: Image, alt: str, decorative: bool = False) -> Image:
    """Describe an image (or mark it decorative) everywhere it is shown: the
    entries and comments showing it are rendered again with it."""
    image.alt = " ".join(alt.split())
    image.decorative = decorative and not image.alt
    image.save(update_fields=["alt", "decorative"])
    cohorts: set[int] = set()
    for entry in image.entries.select_related("author", "cohort"):
        entry.save(update_fields=["body_html"])
        if entry.is_published and entry.cohort_id is not None:
            cohorts.add(entry.cohort_id)
        freshness.writing_changed(entry.author_id)
    for comment in image.comments.select_related("entry__cohort"):
        comment.save(update_fields=["body_html"])
        if comment.entry.cohort_id is not None:
            cohorts.add(comment.entry.cohort_id)
    for thing in image.things.select_related("programme"):
        thing.save(update_fields=["introduction_html"])
        cohorts.update(thing.programme.cohorts.values_list("pk", flat=True))
    if cohorts:
        freshness.cohorts_changed(cohorts)
    return image


def record_thing_images(*, thing: Thing) -> None:
    """programmes.hooks.thing_saved: which images the Thing shows now."""
    if thing.shown_images is not None:
        thing.images.set(thing.shown_images.shown.values())


def delete_images_of(*, user: User) -> int:
    """Remove a person's images and, once the transaction commits, their files
    (a rollback keeps both); how many went.

    An image a Thing shows stays with the Thing's programme, as the Thing's
    text does: it passes to another of the programme's owners (the first to
    own it), and only the Things lose it whose programme has no other owner,
    which go with the account. Things that showed a removed one are rendered
    without it."""
    images = list(
        Image.objects.filter(owner=user).prefetch_related("things__programme__owners")
    )
    heirs = {image.pk: _heir_of(image, user) for image in images}
    for image in images:
        if heirs[image.pk] is not None:
            Image.objects.filter(pk=image.pk).update(owner=heirs[image.pk])
            # Only its Things show it now: the person's comments are going.
            image.comments.clear()
    removed = [image for image in images if heirs[image.pk] is None]
    things = {thing.pk: thing for image in removed for thing in image.things.all()}
    names = [name for image in removed for name in image.file_names()]
    Image.objects.filter(pk__in=[image.pk for image in removed]).delete()
    for thing in things.values():
        thing.save(update_fields=["introduction_html"])
        freshness.cohorts_changed(thing.programme.cohorts.values_list("pk", flat=True))
    transaction.on_commit(lambda: _delete_files(names))
    return len(removed)


def _heir_of(image: Image, leaving: User) -> User | None:
    """Who keeps an image a Thing shows when its owner leaves: the earliest
    other owner of the programme of the first Thing showing it."""
    for thing in sorted(image.things.all(), key=lambda thing: thing.pk):
        others = [o for o in thing.programme.owners.all() if o.pk != leaving.pk]
        if others:
            return min(others, key=lambda owner: owner.pk)
    return None
