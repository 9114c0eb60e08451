"""Per-reader parts of HTML that many readers share, filled in per response.

A fragment cached for everyone who may see the same thing
(`core.freshness.shared_fragment_key`) cannot hold what differs between them:
the CSRF token of each form, one's own count of the comments one may read.
Such a part is rendered as a hole (`{% hole "name" arg %}`, and every
`{% csrf_token %}`), a marker no one can write in their own text, as it
carries a digest of the secret key. `FillHolesMiddleware` fills each response's
holes: the CSRF token itself, and the others with what the view said to fill
them with (`fill_with`), one call per name for all of that name's holes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

#: Fills the holes of one name: from their arguments, the HTML of each.
Filler = Callable[[list[str]], dict[str, str]]

CSRF = "csrf"


@cache
def _marker() -> str:
    return "hole" + salted_hmac("ponder.holes", "marker").hexdigest()[:24]


@cache
def _pattern() -> re.Pattern[bytes]:
    return re.compile(re.escape(_marker().encode()) + rb"\.([a-z-]+)\.([\w-]*)\.")


def hole(name: str, argument: object = "") -> SafeString:
    """The marker of a hole, filled in per response by the filler of `name`."""
    return mark_safe(f"{_marker()}.{name}.{argument}.")


def fill_with(request: HttpRequest, name: str, filler: Filler) -> None:
    """Fill this response's holes called `name` with `filler`, given the
    arguments of all of them at once and answering the HTML of each."""
    if not hasattr(request, "hole_fillers"):
        request.hole_fillers = {}
    request.hole_fillers[name] = filler


def csrf_token(request: HttpRequest) -> dict:
    """Context processor, in place of Django's: `{% csrf_token %}` renders
    a hole, so that a form in cached HTML carries each reader's own token."""

    def token_hole() -> str:
        get_token(request)  # the response then sets the cookie it matches
        return hole(CSRF)

    return {"csrf_token": SimpleLazyObject(token_hole)}


class FillHolesMiddleware:
    """Fills the holes of every response; before CsrfViewMiddleware sees the
    response, so that a token put in a hole sets its cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or _marker().encode() not in response.content:
            return response
        response.content = fill(request, response.content)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def fill(request: HttpRequest, content: bytes) -> bytes:
    wanted: dict[str, set[str]] = defaultdict(set)
    for match in _pattern().finditer(content):
        wanted[match[1].decode()].add(match[2].decode())
    filled = {
        name: _filled(request, name, arguments) for name, arguments in wanted.items()
    }
    return _pattern().sub(
        lambda match: filled[match[1].decode()].get(match[2].decode(), "").encode(),
        content,
    )


def _filled(request: HttpRequest, name: str, arguments: Iterable[str]) -> dict:
    if name == CSRF:
        return {"": get_token(request)}
    filler = getattr(request, "hole_fillers", {}).get(name)
    if filler is None:
        raise LookupError(f"No filler for the holes called {name!r}")
    return filler(sorted(arguments))
