import logging
import zoneinfo
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from requests import RequestException

from accounts import sso
from accounts.models import Profile

logger = logging.getLogger(__name__)


class UserTimeZoneMiddleware:
    """Show times in the reader's own time zone (the profile's), else the site's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            try:
                name = request.user.profile.time_zone
            except Profile.DoesNotExist:
                name = None
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UserLanguageMiddleware:
    """The language a signed-in person chose in their profile, over the one
    `LocaleMiddleware` found (cookie, then browser, then the site's)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            try:
                language = request.user.profile.language
            except Profile.DoesNotExist:
                language = ""
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


#: allauth's pages for passwords: gone where only providers sign people in.
PASSWORD_URL_NAMES = frozenset(
    {
        "account_signup",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    }
)
#: allauth's pages for providers: gone where none is configured.
SSO_URL_NAMES = frozenset(
    {
        "socialaccount_connections",
        "socialaccount_login_cancelled",
        "socialaccount_login_error",
        "socialaccount_signup",
        "openid_connect_login",
        "openid_connect_callback",
    }
)


class SignInWaysMiddleware:
    """Only the ways of signing in this site offers have pages: no provider
    pages without providers (settings.OIDC_APPS), no password pages (nor the
    password sign-in form's POST) with PONDER_SSO_ONLY on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        name = request.resolver_match.url_name
        if name in SSO_URL_NAMES and not sso.providers_configured():
            raise Http404
        if settings.PONDER_SSO_ONLY and (
            name in PASSWORD_URL_NAMES
            or (name == "account_login" and request.method == "POST")
        ):
            raise Http404
        return None

    def process_exception(self, request: HttpRequest, exception: Exception):
        """allauth asks a provider for its settings when the sign-in button is
        pressed, and lets it fail: a provider away is our page, not a 500."""
        if request.resolver_match is None or not isinstance(
            exception, RequestException
        ):
            return None
        if request.resolver_match.url_name not in SSO_URL_NAMES:
            return None
        logger.warning("OpenID Connect provider unreachable: %s", exception)
        return render(
            request,
            "socialaccount/authentication_error.html",
            {"unreachable": True},
            status=HTTPStatus.BAD_GATEWAY,
        )
