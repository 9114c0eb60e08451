"""accounts' allauth adapter, with joining a cohort on sign-up (programmes/joining.py).

settings.ACCOUNT_ADAPTER points here, so that accounts need not know cohorts.
"""

from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from accounts.adapter import AccountAdapter
from programmes import joining
from programmes.models import Cohort

#: The cohort a pending join has just let this browser's person into: the next
#: sign-in here lands on it.
JOINED_SESSION_KEY = "joined_cohort"

_JOIN_PAGES = {"programmes:join", "programmes:invitation", "programmes:join_open"}


def _is_join_page(url: str | None) -> bool:
    try:
        return resolve(urlsplit(url or "").path).view_name in _JOIN_PAGES
    except Resolver404:
        return False


class JoiningAccountAdapter(AccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        """A sign-up from a join page keeps the link with the new account."""
        user = super().save_user(request, user, form, commit=commit)
        if commit and (
            followed := request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
        ):
            joining.record_pending_join(user=user, followed=followed)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """The verification e-mail names the cohort the account is joining."""
        user = context.get("user")
        if template_prefix.startswith("account/email/email_confirmation") and user:
            context = {**context, "joining": joining.pending_cohort(user)}
        super().send_mail(template_prefix, email, context)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Verifying the address completes a pending join, in whatever browser."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            self._complete_pending_join(request, email_address.user)
        return confirmed

    def post_login(
        self,
        request: HttpRequest,
        user: User,
        *,
        redirect_url: str | None,
        **kwargs: Any,
    ) -> HttpResponse:
        """A sign-in completes a pending join not completed yet (an address
        verified another way, or an open cohort's Join button pressed before
        signing in, if pressed recently: else the way in leads back to the
        programme's page to press it again); after a join, the way in leads to
        the cohort unless it was asked to lead elsewhere."""
        followed = request.session.get(joining.PENDING_JOIN_SESSION_KEY, "")
        if followed.startswith(joining.OPEN_PREFIX):
            del request.session[joining.PENDING_JOIN_SESSION_KEY]
            if joining.open_join_pressed_recently(request.session):
                joining.record_pending_join(user=user, followed=followed)
            else:
                stale = joining.ask_to_press_join_again(request, followed)
                redirect_url = stale or redirect_url
        self._complete_pending_join(request, user)
        cohort_pk = request.session.pop(JOINED_SESSION_KEY, None)
        if cohort_pk and (not redirect_url or _is_join_page(redirect_url)):
            cohort = Cohort.objects.filter(pk=cohort_pk).first()
            if cohort is not None:
                redirect_url = cohort.get_absolute_url()
        return super().post_login(request, user, redirect_url=redirect_url, **kwargs)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Someone who followed a join link while signed out, then signed in
        to an account they had, lands back on its page to join there: `next`
        does not survive every way through allauth's pages."""
        followed = request.session.get(joining.PENDING_JOIN_SESSION_KEY)
        if followed:
            return joining.pending_join_url(followed)
        return super().get_login_redirect_url(request)

    def _complete_pending_join(self, request: HttpRequest, user: User) -> None:
        result = joining.complete_pending_join(user=user)
        if result is None:
            return
        result.tell(request)
        if result.is_member:
            request.session[JOINED_SESSION_KEY] = result.cohort.pk
