"""View decorators shared by the apps."""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse


def login_required_json(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Like login_required, for endpoints that scripts call: 401 JSON, no redirect.

    A script following a redirect to the sign-in page gets a 200 with HTML and
    would take it for success; autosave would then report "Saved" for text that
    never reached the server.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "error": "signed_out",
                    "message": "You are signed out. Sign in again to save.",
                    "login_url": reverse("account_login"),
                },
                status=HTTPStatus.UNAUTHORIZED,
            )
        return view(request, *args, **kwargs)

    return wrapper
