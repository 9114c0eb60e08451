"""View decorators shared by the apps."""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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


def visitors_sign_in_on_404(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """DESIGN.md, "Who sees what": a visitor asking for anything that is not
    public is sent to sign in, whether or not it exists (so links in e-mails
    still work); signed in, what one may not see stays a 404. For pages that
    visitors may see when public; pages for members alone use
    `login_required`, which answers every visitor the same way."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper
