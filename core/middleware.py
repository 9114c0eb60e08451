"""Response headers Django and django-csp do not set, and paths no view should see."""

from collections.abc import Callable
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from core.text import unstorable_reason

# Ponder uses none of these browser features: switch them off for every page and
# for anything a page might embed. publickey-credentials-* stay allowed for the
# day allauth's passkeys are switched on.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class UnstorableTextMiddleware:
    """A NUL byte in the path is a 404, and text that cannot be stored
    (core.text) in the query string a 400, before any view sees them.

    PostgreSQL's text cannot hold NUL, so a lookup or filter by such a value is
    a 500 there and a plain miss on SQLite (NOTES.md): refused at the edge,
    once, every address answers alike on both. Forms refuse it beside the
    field (Django's CharField), JSON bodies in core.jsonbody.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("No such page")
        reason = _unstorable_in_query(request.GET)
        if reason is not None:
            return render(
                request, "400.html", {"reason": reason}, status=HTTPStatus.BAD_REQUEST
            )
        return self.get_response(request)


def _unstorable_in_query(query: QueryDict) -> str | None:
    for key, values in query.lists():
        for text in (key, *values):
            reason = unstorable_reason(text)
            if reason is not None:
                return reason
    return None
