"""JSON in and out for endpoints that scripts call (autosave).

`read_json_body` refuses what would cost memory, recursion or a server error
before it costs it: a body over the size limit is refused from its
Content-Length without being read (413); nesting deeper than `MAX_DEPTH` is
found by a flat scan of the bytes before `json.loads` recurses (it raises
RecursionError, not ValueError, about 1,000 levels down); bytes that are not
UTF-8 or not JSON are a 400; text that no database can store (core/text.py) is
a 422 with the reason. Every refusal is a `JsonBodyError`, answered as JSON.
"""

import json
import re
from http import HTTPStatus
from itertools import accumulate

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext

from core.text import unstorable_in

#: Deep enough for any object a form's fields make; far from json's recursion limit.
MAX_DEPTH = 20

# A JSON string, escapes included, up to its closing quote or the end of the
# body: brackets inside strings are text. Unrolled so it never backtracks.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


class JsonBodyError(Exception):
    """A request body refused; `response()` is the answer to send."""

    def __init__(self, status: HTTPStatus, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message

    def response(self) -> JsonResponse:
        return json_error(self.status, self.error, self.message)


def json_error(status: int, error: str, message: str, **extra) -> JsonResponse:
    """The shape of every JSON refusal: a code for scripts, a message for people."""
    return JsonResponse({"error": error, "message": message, **extra}, status=status)


def wants_json(request: HttpRequest) -> bool:
    """The request sent JSON, or asked for JSON rather than a page."""
    if request.content_type == "application/json":
        return True
    accept = request.headers.get("Accept", "").lower().split(",")
    accepted = {media.split(";")[0].strip() for media in accept}
    return "application/json" in accepted and "text/html" not in accepted


def nesting_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in `body`, without parsing it."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def read_json_body(request: HttpRequest, max_bytes: int | None = None) -> object:
    """The request's JSON body, parsed; JsonBodyError if it is refused.

    The size limit defaults to DATA_UPLOAD_MAX_MEMORY_SIZE, the one Django
    applies to form-encoded bodies, so both ways of posting take the same text.
    """
    limit = max_bytes if max_bytes is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    too_large = JsonBodyError(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        "too_large",
        gettext("The request is larger than %(limit)d kB.") % {"limit": limit // 1024},
    )
    if _declared_length(request) > limit:
        raise too_large
    body = request.read(limit + 1)
    if len(body) > limit:
        raise too_large
    if nesting_depth(body) > MAX_DEPTH:
        raise JsonBodyError(
            HTTPStatus.BAD_REQUEST,
            "bad_request",
            gettext("The JSON nests more than %(depth)d levels deep.")
            % {"depth": MAX_DEPTH},
        )
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise JsonBodyError(
            HTTPStatus.BAD_REQUEST,
            "bad_request",
            gettext("The request body is not UTF-8."),
        ) from None
    except ValueError:
        raise JsonBodyError(
            HTTPStatus.BAD_REQUEST,
            "bad_request",
            gettext("The request body is not JSON."),
        ) from None
    reason = unstorable_in(value)
    if reason is not None:
        raise JsonBodyError(HTTPStatus.UNPROCESSABLE_ENTITY, "invalid", reason)
    return value
