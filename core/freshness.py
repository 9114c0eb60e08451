"""What Ponder keeps in the cache, and how a change reaches every page at once.

This is the one place that knows. The rule:

- **Keys name everything a value depends on.** Rendered HTML (a "fragment")
  and values derived from the database are kept under keys made of the
  versions of what they show (a cohort's `cache_state`: its content version
  and its local date; its `entries_state`, which a conversation does not
  move; an entry's `thread_version`; a person's `writing_version` or
  `notifications_version`), who reads it (`fragment_key`) or what they may
  see (`shared_fragment_key`), their language and time zone, and the page
  and its filters. What differs between readers sharing a fragment is a hole
  in it, filled per response (core/holes.py).
- **A version is a number in the database** (`KeepsVersions` fields: the
  cohort's `content_version`, the profile's two versions), read with the row
  it belongs to, so knowing the current key costs no query of its own.
- **A change never deletes a value: it moves a version on**, so the next
  request asks for a new key and works the value out afresh. Old values expire
  unread after `VERSIONED_SECONDS`, the one lifetime; they can never be read
  again, which is why a copy kept in each process (`LayeredCache`) is never
  stale.
- **Actions say what changed, after their write, through the verbs below**,
  in terms of what pages show: "these cohorts' content changed", "this person
  changed". No signal receiver and no view does it. Each verb moves the
  versions that key what it affects, now and, for the copies of signed-in
  users, again when the transaction commits (a request reading the old row
  while it was being changed must not keep its copy).

Only GET requests use cached fragments: a POST that changed a cohort renders
with the version it read before its own change.

The models holding versions belong to apps above this one (imports point
down, DESIGN.md's Layout), so those apps tell this module where their versions
are kept (`keep_versions`) and where a person shows (`person_shows_in`), in
their `AppConfig.ready()`. Neither registered piece changes anything itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.connection import ConnectionProxy

#: How long HTML or a value cached under a versioned key is kept; a change
#: makes a new key long before. Templates say it too: `{% cache 600 ... %}`.
VERSIONED_SECONDS = 600

#: The cache for everything kept under a versioned key: with Redis, a copy in
#: each process in front of it (core.cache.LayeredCache), as such a key's value
#: never changes. Templates name it: `{% cache 600 ... using="versioned" %}`.
versioned_cache = ConnectionProxy(caches, "versioned")

T = TypeVar("T")


# Reading ---------------------------------------------------------------------


def kept(key: str, compute: Callable[[], T]) -> T:
    """The value cached under a versioned `key`, computed on a miss."""
    return versioned_cache.get_or_set(key, compute, VERSIONED_SECONDS)


def fragment_key(request: HttpRequest, *parts) -> str | None:
    """The cache key of a fragment for this reader alone, or None when it
    must be rendered afresh. `parts`: the state of each cohort it shows
    (`cache_state`, `entries_state`) and whatever else it depends on (the
    page, the filters)."""
    return shared_fragment_key(request, f"reader-{request.user.pk}", *parts)


def shared_fragment_key(request: HttpRequest, audience: str, *parts) -> str | None:
    """The cache key of a fragment shared by every reader in `audience`, a
    name for what they may see ("member", "facilitator"; `fragment_key` for
    one reader), or None when it must be rendered afresh. What differs between
    them is a hole in it, filled per response (core/holes.py): the CSRF
    token always is."""
    if request.method != "GET":
        return None
    reader = (translation.get_language(), timezone.get_current_timezone_name())
    return ":".join(str(part) for part in (*reader, audience, *parts))


def signed_in_user_key(user_id: int) -> str:
    """The key of the copy of a signed-in user and their profile, kept (with
    Redis) for `SIGNED_IN_USER_SECONDS`; `person_changed` and
    `account_changed` forget it."""
    return f"signed-in-user:{user_id}"


# Where versions are kept (registered by the apps owning them) ----------------


@dataclass(frozen=True)
class _Versions:
    model: type[models.Model]
    fields: tuple[str, ...]
    #: The field naming whose versions they are (the cohort, the entry, or
    #: the user).
    owner: str


_versions: dict[str, _Versions] = {}
_places_showing_a_person: list[Callable[[int], models.QuerySet]] = []

COHORT_CONTENT = "cohort content"
COHORT_CONVERSATION = "cohort conversation"
THREAD = "thread"
WRITING = "writing"
NOTIFICATIONS = "notifications"


def keep_versions(
    kind: str, model: type[models.Model], fields: tuple[str, ...], owner: str
):
    """Register where the versions one `kind` of change moves are kept:
    `fields` of `model`, one row per `owner` (a field of the model)."""
    _versions[kind] = _Versions(model, fields, owner)


def person_shows_in(cohort_ids: Callable[[int], models.QuerySet]) -> None:
    """Register a query of the cohorts whose pages show a person (by user id),
    as `values("cohort_id")` or similar: memberships, their entries, their
    comments. A name changed moves all of them on."""
    _places_showing_a_person.append(cohort_ids)


def _move_on(kind: str, owners: Iterable[int] | models.QuerySet) -> None:
    versions = _versions[kind]
    ids = owners if isinstance(owners, models.QuerySet) else list(owners)
    versions.model._base_manager.filter(**{f"{versions.owner}__in": ids}).update(
        **{field: models.F(field) + 1 for field in versions.fields}
    )


# What actions call after their write -----------------------------------------


def cohorts_changed(cohorts: Iterable[int] | models.QuerySet) -> None:
    """What these cohorts' pages show has changed (ids, or a queryset of
    cohorts or of their ids)."""
    if isinstance(cohorts, models.QuerySet) and cohorts.query.values_select == ():
        cohorts = cohorts.values("pk")
    _move_on(COHORT_CONTENT, cohorts)


def cohort_changed(cohort) -> None:
    """`cohorts_changed` for one cohort object, which follows: what it caches
    after the change is not taken for what was cached before it."""
    _move_on(COHORT_CONTENT, [cohort.pk])
    cohort.refresh_from_db(fields=list(_versions[COHORT_CONTENT].fields))


def conversation_changed(entry_id: int, cohort_id: int | None) -> None:
    """A comment or a like on this entry changed: its thread, and what its
    cohort's pages count (`cache_state`), not which entries they list
    (`entries_state`)."""
    _move_on(THREAD, [entry_id])
    if cohort_id is not None:
        _move_on(COHORT_CONVERSATION, [cohort_id])


def person_changed(user_id: int) -> None:
    """A person's name, profile or time zone changed: every cohort whose pages
    show them (as a member, now or before, or by what they wrote) and the
    copy of them kept for their own requests."""
    for cohort_ids in _places_showing_a_person:
        cohorts_changed(cohort_ids(user_id))
    account_changed([user_id])


def account_changed(user_ids: Iterable[int]) -> None:
    """A user row changed (a password, an e-mail address, active or not):
    forget the copies kept of them, now and when the transaction commits."""
    if not settings.SIGNED_IN_USER_SECONDS:
        return
    keys = [signed_in_user_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def writing_changed(user_id: int) -> None:
    """One of the person's entries was saved, a draft included."""
    _move_on(WRITING, [user_id])
    account_changed([user_id])


def notifications_changed(user_ids: Iterable[int]) -> None:
    """Notifications of these people were made or read."""
    user_ids = list(user_ids)
    _move_on(NOTIFICATIONS, user_ids)
    account_changed(user_ids)
