"""A reply to a comment written somewhere other than its page (by e-mail).

The same rules as the comment form on the entry page (journal/views/comments.py):
the reader may see the comment's words (`Comment.objects.shown_to`), the entry
takes comments from them (`Entry.accepts_comments_from`), the text passes
`CommentForm`, the comments rate limit counts it, and `actions.add_comment`
posts it, so privacy, threading, mentions, notifications and moderation follow.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext

from core import ratelimit
from journal import actions
from journal.forms import CommentForm
from journal.models import Comment


class CannotReply(Exception):
    """Why the reply was not posted, in words for its writer."""

    def __init__(self, reason: str, *, comment: Comment | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: The comment replied to, when its writer may still read it.
        self.comment = comment


def reply_to_comment(
    *, author: User, comment_id: int, body: str, submission_key: str
) -> Comment:
    """Post `body` as `author`'s reply to comment `comment_id`, or raise
    CannotReply. The same `submission_key` posts once."""
    parent = (
        Comment.objects.shown_to(author)
        .select_related("entry__cohort", "entry__author")
        .filter(pk=comment_id)
        .first()
        if author.is_active
        else None
    )
    if parent is None:
        raise CannotReply(
            gettext("The comment you replied to is gone, or you may no longer read it.")
        )
    entry = parent.entry
    role = entry.cohort.cached_role_of(author) if entry.cohort else None
    if not entry.accepts_comments_from(author, role):
        raise CannotReply(
            gettext("You may no longer comment on this entry."), comment=parent
        )
    form = CommentForm({"body": body}, entry=entry, author=author)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        raise CannotReply(" ".join(errors), comment=parent)
    try:
        ratelimit.count("comments", author)
    except ratelimit.RateLimited as limited:
        raise CannotReply(str(limited.message), comment=parent) from limited
    return actions.add_comment(
        entry=entry,
        author=author,
        body=form.cleaned_data["body"],
        parent=parent,
        submission_key=submission_key,
    )
