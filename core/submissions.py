"""The same form posted twice (a double click, a retry, a resent page) stores
one object, even when both posts arrive at once.

A form that creates something with no natural key of its own (a comment, a
nudge) carries a hidden `SubmissionKeyField`, made when the form is shown.
The action stores `submission_digest(key, what was posted)` in a column that
is unique per author, and creates with `get_or_create` on it: the database
refuses the second insert, and the second post gets the first one's object.

The posted content is part of the digest because a key can be shown more
than once: a form inside a cached fragment (core/freshness.py) carries the
same key on every view of that page, so two different comments may arrive
with the same key, and both must be stored.
"""

import hashlib
import json
import secrets
from typing import Any

from django import forms
from django.db import models


def new_submission_key() -> str:
    return secrets.token_urlsafe(18)


class SubmissionKeyField(forms.CharField):
    """A hidden key made each time the form is shown. Optional: a post without
    one (an old page, a script) is stored, never taken for a repeat."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("initial", new_submission_key)
        super().__init__(**kwargs)


def submission_digest(key: str, *content: object) -> str:
    """What identifies one submission of this content, in 64 hex digits
    whatever the key held; "" without a key."""
    if not key:
        return ""
    posted = json.dumps([key, *content], sort_keys=True, default=str)
    return hashlib.sha256(posted.encode()).hexdigest()


def create_once(
    manager: models.Manager, *, submission: str, defaults: dict[str, Any], **author
) -> tuple[Any, bool]:
    """Create the object, or return the one a first post of the same
    `submission` by the same `author` stored; True when it is new.

    `get_or_create` inserts in a savepoint and, when the unique constraint
    refuses the row because a simultaneous post won, returns the winner's."""
    if not submission:
        return manager.create(**author, **defaults), True
    return manager.get_or_create(**author, submission=submission, defaults=defaults)
