"""How much of each kind of writing one person may do a minute and a day.

Open programmes let anyone sign up and join, so bots will write. Each kind
(`KINDS`) has a limit per minute and per day for each person
(settings.PONDER_RATE_LIMITS, 0 for none). Counters live in the default cache,
so every app server counts the same writes: one key per person, kind and
window, made with `cache.add` and counted with `cache.incr` (atomic in Redis),
expiring with its window. Windows are fixed (this minute, this UTC day): a
person refused knows exactly when they may go on. A refused attempt is taken
back off the counters, so hammering a limit does not use up the day.

While Redis is away, keys under `KEY_PREFIX` count in each process
(core/cache.py, LOCAL_WHILE_AWAY in settings): limits go on, per process.

Facilitators and programme owners were given their role by someone (an owner,
the operator); they get the limits multiplied by
settings.PONDER_RATE_LIMIT_LEADER_FACTOR rather than none, so a stolen account
or a runaway script still stops. Who they are is programmes' rule: it
registers it with `raise_limits_for` (core imports no app).

Views call `count` once per kind, where the write is decided, and catch
`RateLimited` where a form must come back with its text; the rest is answered
by `RateLimitedMiddleware`: a 429 page, or JSON for scripts, with Retry-After.
"""

import contextlib
import math
import time
from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, gettext_lazy, ngettext

from core.decorators import is_json_endpoint
from core.jsonbody import json_error, wants_json

KEY_PREFIX = "limits:"

#: The kinds limited, with what a person is told was limited.
KINDS: dict[str, Promise] = {
    "entries": gettext_lazy("New and published entries"),
    "comments": gettext_lazy("Comments"),
    "likes": gettext_lazy("Likes"),
    "reports": gettext_lazy("Reports"),
    "images": gettext_lazy("Image uploads"),
    "blog_reads": gettext_lazy("Links to a blog and reads of it"),
}

MINUTE = 60
DAY = 24 * 60 * 60


def _nobody_raised(user: AbstractBaseUser) -> bool:
    return False


_has_raised_limits: Callable[[AbstractBaseUser], bool] = _nobody_raised


def raise_limits_for(test: Callable[[AbstractBaseUser], bool]) -> None:
    """Give the people `test` picks the raised limits (called in an app's ready())."""
    global _has_raised_limits
    _has_raised_limits = test


class RateLimited(Exception):
    """One write too many of `kind` in the window of `seconds` (MINUTE or DAY)."""

    def __init__(self, kind: str, limit: int, seconds: int, retry_after: int) -> None:
        super().__init__(f"{kind}: more than {limit} in {seconds} s")
        self.kind = kind
        self.limit = limit
        self.seconds = seconds
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        values = {"what": KINDS[self.kind], "limit": self.limit, "wait": self._wait()}
        if self.seconds == MINUTE:
            text = gettext(
                "%(what)s are limited to %(limit)d a minute for each person. "
                "Try again in %(wait)s."
            )
        else:
            text = gettext(
                "%(what)s are limited to %(limit)d a day for each person. "
                "Try again in %(wait)s."
            )
        return text % values

    def _wait(self) -> str:
        if self.retry_after < MINUTE:
            return ngettext(
                "%(seconds)d second", "%(seconds)d seconds", self.retry_after
            ) % {"seconds": self.retry_after}
        now = timezone.now()
        return timeuntil(now + timedelta(seconds=self.retry_after), now)

    def response(self, request: HttpRequest) -> HttpResponse:
        """A 429 for a script (JSON) or a person (a page), with Retry-After."""
        if is_json_endpoint(request) or wants_json(request):
            response: HttpResponse = json_error(
                HTTPStatus.TOO_MANY_REQUESTS,
                "rate_limited",
                self.message,
                retry_after=self.retry_after,
            )
        else:
            response = render(
                request,
                "429.html",
                {"message": self.message},
                status=HTTPStatus.TOO_MANY_REQUESTS,
            )
        return self.mark(response)

    def mark(self, response: HttpResponse) -> HttpResponse:
        """Set the status and Retry-After on a response made elsewhere (a form)."""
        response.status_code = HTTPStatus.TOO_MANY_REQUESTS
        response["Retry-After"] = str(self.retry_after)
        return response


def count(kind: str, user: AbstractBaseUser) -> None:
    """Count one write of `kind` by `user`, or raise RateLimited if it is
    one too many this minute or today (and count nothing)."""
    per_minute, per_day = settings.PONDER_RATE_LIMITS[kind]
    now = time.time()
    raised: bool | None = None  # asked only past a plain limit: it costs a query
    counted: list[str] = []
    for limit, seconds in ((per_minute, MINUTE), (per_day, DAY)):
        if not limit:
            continue
        window = int(now // seconds)
        key = f"{KEY_PREFIX}{kind}:{user.pk}:{seconds}:{window}"
        left = (window + 1) * seconds - now
        counted.append(key)
        so_far = _incremented(key, math.ceil(left) + 1)
        if so_far <= limit:
            continue
        if raised is None:
            raised = _has_raised_limits(user)
        if raised:
            limit *= settings.PONDER_RATE_LIMIT_LEADER_FACTOR
        if so_far > limit:
            for each in counted:
                _take_back(each)
            raise RateLimited(kind, limit, seconds, max(1, math.ceil(left)))


def count_or_tell(
    form: forms.BaseForm, kind: str, user: AbstractBaseUser
) -> RateLimited | None:
    """`count`, for a form about to be saved: when refused, the refusal is the
    form's error (shown above the text it keeps), and is returned to `mark`
    the response; None when counted."""
    try:
        count(kind, user)
    except RateLimited as limited:
        form.add_error(None, limited.message)
        return limited
    return None


def _incremented(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # Gone between the two calls (expired at the window's end, evicted).
        cache.set(key, 1, timeout)
        return 1


def _take_back(key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
        cache.decr(key)


class RateLimitedMiddleware:
    """Answers a RateLimited that no view caught (core/ratelimit.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return exception.response(request)
        return None
