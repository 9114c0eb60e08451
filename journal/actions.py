"""Workflows of the journal: writing entries and taking part in threads."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from journal.models import MAX_COMMENT_DEPTH, Comment, Entry


def save_entry(*, entry: Entry, publish: bool) -> Entry:
    """Save an entry the author has edited; the first publication dates it.

    Unpublishing is not offered: a published entry goes back to nobody's eyes by
    choosing "only me", and its date of completion stays.
    """
    if publish and not entry.is_published:
        entry.status = Entry.Status.PUBLISHED
        entry.published_at = timezone.now()
    entry.save()
    return entry


def add_comment(
    *, entry: Entry, author: User, body: str, parent: Comment | None = None
) -> Comment:
    """A reply to a comment at the deepest level joins that level, as a sibling."""
    if parent is not None and parent.depth >= MAX_COMMENT_DEPTH:
        parent = parent.parent
    return Comment.objects.create(
        entry=entry,
        author=author,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        body=body,
    )


def edit_comment(*, comment: Comment, body: str) -> Comment:
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
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
        return
    comment.delete()
    while parent is not None and parent.is_deleted and not parent.replies.exists():
        grandparent = parent.parent
        parent.delete()
        parent = grandparent
