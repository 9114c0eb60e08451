"""Rendered HTML of the busiest pages, kept in the cache.

A fragment is cached under a key naming everything its HTML depends on: the
content version and the date of each cohort it shows (`Cohort.cache_state`;
the version moves on with every change its members could see, see
journal/signals.py), who reads it, their time zone, their CSRF secret (forms
inside carry tokens made from it), and the page and its filters. A change
never deletes a fragment: it moves the version on, and the old fragments
expire unread after `VERSIONED_SECONDS` (the templates' `{% cache 600 %}`). So
a cache in each process (no `REDIS_URL`) is as correct as a shared one.

Only GET requests use the cache: a POST that changed the cohort renders with
the version it read before its own change.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.connection import ConnectionProxy

#: How long HTML or a value cached under a content version is kept; a change
#: makes a new key long before.
VERSIONED_SECONDS = 600

#: The cache for everything kept under a versioned key: with Redis, a copy in
#: each process in front of it (core.cache.LayeredCache), as such a key's value
#: never changes. Templates name it: `{% cache 600 ... using="versioned" %}`.
versioned_cache = ConnectionProxy(caches, "versioned")

T = TypeVar("T")


def kept(key: str, compute: Callable[[], T]) -> T:
    """The value cached under a versioned `key`, computed on a miss."""
    return versioned_cache.get_or_set(key, compute, VERSIONED_SECONDS)


def fragment_key(request: HttpRequest, *parts) -> str | None:
    """The cache key of a fragment for this reader, or None when it must be
    rendered afresh. `parts`: the `cache_state` of each cohort it shows and
    whatever else it depends on (the page, the filters)."""
    if request.method != "GET":
        return None
    get_token(request)  # the response then sets the cookie the tokens match
    reader = (
        request.user.pk,
        timezone.get_current_timezone_name(),
        request.META["CSRF_COOKIE"],
    )
    return ":".join(str(part) for part in (*reader, *parts))
