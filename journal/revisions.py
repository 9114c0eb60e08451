"""Versions, revisions and differences of entries: what the editor's saves keep.

Every save from the editor bumps ``Entry.version`` and is based on the version
the writer started from, so a save from an older version is a conflict instead
of an overwrite. Saves are kept as revisions, coalesced per editing session.

A published entry does not take autosaved text: it would push half-edited words
to readers. Its autosaves are kept as revisions newer than the entry's own
``updated`` ("pending") until the writer presses Update, which applies them.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from journal.models import Entry, Revision

#: Saves by one editing session this close together update one revision.
COALESCE_WINDOW = datetime.timedelta(minutes=10)
#: Where an editing session keeps what it last wrote (in the Django session).
SESSION_KEY = "ponder.writing"
#: Tells the page after a plain form save which browser copies the server has.
SAVED_LOCALLY_KEY = "ponder.saved-locally"
#: How many entries and new-entry pages a session remembers, newest kept.
REMEMBERED = 50
#: Lines of context around each change in a diff.
DIFF_CONTEXT = 2


@dataclass(frozen=True)
class EntryText:
    """The words of an entry: what revisions keep and conflicts compare."""

    title: str
    body: str
    action: str

    @classmethod
    def of(cls, source: Entry | Revision) -> EntryText:
        return cls(title=source.title, body=source.body, action=source.action)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class SavedState:
    """The newest words the server holds for an entry, and their version."""

    version: int
    text: EntryText
    saved_at: datetime.datetime
    #: Autosaved on a published entry and not yet applied by Update.
    pending: bool


def pending_revisions(entry: Entry):
    """Autosaves of a published entry that readers do not see yet."""
    if not entry.is_published:
        return Revision.objects.none()
    return entry.revisions.filter(updated__gt=entry.updated)


def latest_pending(entry: Entry) -> Revision | None:
    return pending_revisions(entry).order_by("-updated", "-pk").first()


def saved_state(entry: Entry) -> SavedState:
    pending = latest_pending(entry)
    if pending is not None:
        return SavedState(
            version=entry.version,
            text=EntryText.of(pending),
            saved_at=pending.updated,
            pending=True,
        )
    return SavedState(
        version=entry.version,
        text=EntryText.of(entry),
        saved_at=entry.updated,
        pending=False,
    )


def is_pending(revision: Revision, entry: Entry) -> bool:
    return entry.is_published and revision.updated > entry.updated


def is_current(revision: Revision, entry: Entry) -> bool:
    """The revision that holds the words the entry shows now."""
    return revision.updated == entry.updated


class EditingSession:
    """One opening of the editor (``page``, the editor_key it was given) in one
    signed-in browser session; what it last wrote is kept in the Django session.

    Two tabs, two devices, or a sign-in after an expired session are different
    editing sessions: their saves never merge into one revision, so a writer who
    keeps their own text over another tab's still finds the other in the history.
    """

    def __init__(
        self, store: MutableMapping[str, Any] | None = None, page: str = ""
    ) -> None:
        self.store: MutableMapping[str, Any] = {} if store is None else store
        self.page = page

    def _mapping(self, name: str) -> dict[str, Any]:
        return dict(self.store.get(SESSION_KEY, {}).get(name, {}))

    def _write(self, name: str, mapping: dict[str, Any]) -> None:
        data = dict(self.store.get(SESSION_KEY, {}))
        data[name] = dict(list(mapping.items())[-REMEMBERED:])
        # A new dict on the session, so Django sees the change and saves it.
        self.store[SESSION_KEY] = data

    def last_revision(self, entry_id: int) -> int | None:
        """The revision this editing session last wrote on the entry, if any."""
        saved = self._mapping("revisions").get(str(entry_id))
        if isinstance(saved, list) and len(saved) == 2 and saved[1] == self.page:
            return saved[0]
        return None

    def remember_revision(self, entry_id: int, revision_id: int) -> None:
        mapping = self._mapping("revisions")
        mapping.pop(str(entry_id), None)
        mapping[str(entry_id)] = [revision_id, self.page]
        self._write("revisions", mapping)

    def forget_revision(self, entry_id: int) -> None:
        mapping = self._mapping("revisions")
        if mapping.pop(str(entry_id), None) is not None:
            self._write("revisions", mapping)


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["added", "removed", "context", "gap"]
    text: str


def line_diff(old: str, new: str, context: int = DIFF_CONTEXT) -> list[DiffLine]:
    """The changed lines from ``old`` to ``new``, with a little context.

    Plain text only: templates escape it like any other user text.
    """
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), lineterm="", n=context
    )
    diff: list[DiffLine] = []
    for line in lines:
        if line.startswith(("---", "+++")) and not diff:
            continue  # the file headers
        if line.startswith("@@"):
            if diff:
                diff.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            diff.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            diff.append(DiffLine("removed", line[1:]))
        else:
            diff.append(DiffLine("context", line[1:]))
    return diff


@dataclass(frozen=True)
class TextDiff:
    """How one version of an entry's words differs from another."""

    old: EntryText
    new: EntryText
    body: list[DiffLine]

    @classmethod
    def between(cls, old: EntryText, new: EntryText) -> TextDiff:
        return cls(old=old, new=new, body=line_diff(old.body, new.body))

    @property
    def title_changed(self) -> bool:
        return self.old.title != self.new.title

    @property
    def action_changed(self) -> bool:
        return self.old.action != self.new.action

    @property
    def added(self) -> int:
        return sum(line.kind == "added" for line in self.body)

    @property
    def removed(self) -> int:
        return sum(line.kind == "removed" for line in self.body)

    @property
    def unchanged(self) -> bool:
        return not (self.body or self.title_changed or self.action_changed)

    def as_json(self) -> dict[str, Any]:
        return {
            "title": {"old": self.old.title, "new": self.new.title}
            if self.title_changed
            else None,
            "action": {"old": self.old.action, "new": self.new.action}
            if self.action_changed
            else None,
            "body": [{"kind": line.kind, "text": line.text} for line in self.body],
        }
