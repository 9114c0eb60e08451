from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Profile
from core import freshness

PENDING_JOIN_SESSION_KEY = "pending_join_token"
#: A pending personal invitation is kept under the same key, with this prefix.
INVITATION_PREFIX = "invite:"


def pending_join_url(token: str) -> str:
    if token.startswith(INVITATION_PREFIX):
        token = token.removeprefix(INVITATION_PREFIX)
        return reverse("programmes:invitation", kwargs={"token": token})
    return reverse("programmes:join", kwargs={"token": token})


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            Profile.objects.get_or_create(user=user)
        return user

    def set_password(self, user, password: str) -> None:
        """allauth's password change, reset and set all come here: the copy of
        the user kept for their requests goes, so other sessions sign out."""
        super().set_password(user, password)
        freshness.account_changed([user.pk])

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """allauth lower-cases a username only when it stores it, after running
        our lower-case-only validators on what was typed: lower-case it first."""
        return super().clean_username(username.lower(), shallow=shallow)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Someone who followed a join link while signed out lands back on it.

        The token waits in the session, since `next` does not survive sign-up and
        e-mail verification.
        """
        token = request.session.get(PENDING_JOIN_SESSION_KEY)
        if token:
            return pending_join_url(token)
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """allauth fixes the URL after sign-up when the form is posted, not after
        verification, so the pending join token must be read here as well."""
        token = request.session.get(PENDING_JOIN_SESSION_KEY)
        if token:
            return pending_join_url(token)
        return super().get_signup_redirect_url(request)
