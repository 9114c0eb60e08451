"""View decorators shared by the apps."""

from collections.abc import Callable, Sequence
from functools import wraps
from http import HTTPStatus

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext

from core.jsonbody import JsonBodyError, json_error


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
            return json_error(
                HTTPStatus.UNAUTHORIZED,
                "signed_out",
                gettext("You are signed out. Sign in again to save."),
                login_url=reverse("account_login"),
            )
        return view(request, *args, **kwargs)

    return wrapper


def json_endpoint(
    methods: Sequence[str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """For endpoints that scripts call: a wrong method, a refused JSON body
    (core/jsonbody.py), a 404 and a 403 are answered in JSON, never as a page a
    script cannot read.

    The view is marked `json_endpoint`, so the refusals made before it runs
    (CSRF, an oversized body: core/views.py) are answered in JSON too.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = json_error(
                    HTTPStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                    gettext("Send this request with %(methods)s.")
                    % {"methods": ", ".join(methods)},
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, **kwargs)
            except JsonBodyError as refused:
                return refused.response()
            except Http404:
                return json_error(
                    HTTPStatus.NOT_FOUND, "not_found", gettext("There is no such page.")
                )
            except PermissionDenied:
                return json_error(
                    HTTPStatus.FORBIDDEN, "forbidden", gettext("You may not do this.")
                )

        wrapper.json_endpoint = True
        return wrapper

    return decorator


def is_json_endpoint(request: HttpRequest) -> bool:
    """Whether the request was routed to a view marked by `json_endpoint`."""
    match = request.resolver_match
    return match is not None and getattr(match.func, "json_endpoint", False)


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
