"""Two-factor sign-in for the people who lead: facilitators and programme owners."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django_htmx.http import HttpResponseClientRedirect

from accounts import sso
from programmes.models import who_leads

#: Pages a facilitator who must set up two-factor sign-in can still reach: the
#: set-up itself (with allauth's "confirm it's you" step), e-mail verification
#: (allauth will not add an authenticator while an address is unverified),
#: sign-out and the load balancer's probe. Static files never get here:
#: whitenoise answers them first.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_logout",
        "healthz",
    }
)
MFA_REQUIRED_MESSAGE = gettext_noop(
    "Facilitators on this site sign in with a second step: set up an "
    "authenticator app to carry on."
)


def lacks_required_mfa(user: User) -> bool:
    """Whether `user` facilitates a cohort or owns a programme but has no
    authenticator app (one query)."""
    has_totp = Exists(
        Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    )
    return (
        User.objects.filter(pk=user.pk).filter(who_leads()).exclude(has_totp).exists()
    )


class FacilitatorMFAMiddleware:
    """With PONDER_REQUIRE_FACILITATOR_MFA on, send facilitators and programme
    owners without an authenticator app to set one up before anything else;
    a session signed in through a provider that did the second step itself
    (accounts/sso.py) needs none here.

    allauth has no such setting. The answer is asked once per request for the
    signed-in and not kept in the session, so a new facilitator or a removed
    authenticator counts at once; with the switch off it costs nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func, view_args, view_kwargs
    ) -> HttpResponse | None:
        if not settings.PONDER_REQUIRE_FACILITATOR_MFA:
            return None
        if request.resolver_match.view_name in MFA_SETUP_URL_NAMES:
            return None
        if not request.user.is_authenticated or sso.signed_in_with_two_factor(request):
            return None
        if not lacks_required_mfa(request.user):
            return None
        messages.warning(request, gettext(MFA_REQUIRED_MESSAGE))
        setup_url = reverse("mfa_activate_totp")
        if request.htmx:
            return HttpResponseClientRedirect(setup_url)
        return redirect(setup_url)
