from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.utils import user_username
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from accounts import actions, sso
from accounts.models import Profile, language_of, language_of_address


@dataclass(frozen=True)
class Site:
    """What allauth's e-mails call `current_site`. Without the sites framework
    allauth would take the request's host and port ("Hello from
    127.0.0.1:8000!"): e-mails name Ponder and its public address instead."""

    name: str
    domain: str


def ponder_site() -> Site:
    return Site(name="Ponder", domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """People's accounts; joining a cohort on sign-up is added above, by
    programmes.adapter.JoiningAccountAdapter (settings.ACCOUNT_ADAPTER)."""

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # The language they signed up in: their e-mails follow it.
            actions.create_profile(
                user=user,
                display_name=form.cleaned_data.get("display_name", ""),
                language=translation.get_language(),
            )
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """In the recipient's language: the account's the e-mail is about,
        else the one with the address, not the language of the request."""
        user = context.get("user")
        language = language_of(user) if user else language_of_address(email)
        with translation.override(language):
            super().send_mail(
                template_prefix, email, {"current_site": ponder_site(), **context}
            )

    def set_password(self, user, password: str) -> None:
        """allauth's password change, reset and set all come here."""
        actions.change_password(user=user, password=password)

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """allauth lower-cases a username only when it stores it, after running
        our lower-case-only validators on what was typed: lower-case it first."""
        return super().clean_username(username.lower(), shallow=shallow)

    def post_login(self, request: HttpRequest, user, **kwargs):
        """Every sign-in says whether it was two-factor at a provider."""
        signal_kwargs = kwargs.get("signal_kwargs") or {}
        sso.record_sign_in(request, signal_kwargs.get("sociallogin"))
        return super().post_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Signing in through an OpenID Connect provider (accounts/sso.py)."""

    error_messages = {
        **DefaultSocialAccountAdapter.error_messages,
        "email_taken": gettext_lazy(
            "An account here already has that e-mail address. Sign in to it "
            "first, then link %s in your profile."
        ),
        "no_password": gettext_lazy(
            "This is your only way to sign in: set a password first, then unlink it."
        ),
        "no_verified_email": gettext_lazy(
            "This is your only way to sign in: verify an e-mail address first, "
            "then unlink it."
        ),
        "disconnect_last": gettext_lazy(
            "This is your only way to sign in here, so it cannot be unlinked."
        ),
        "connected_other": gettext_lazy(
            "That account at the provider is linked to another person's account here."
        ),
    }

    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        """The providers come from the environment alone (settings.OIDC_APPS),
        never from the database: the sign-in page asks for them on every
        view, and the page's policy allows only their issuers."""
        apps = [
            SocialApp(provider="openid_connect", **app) for app in settings.OIDC_APPS
        ]
        return [
            app
            for app in apps
            if provider in (None, app.provider, app.provider_id)
            and client_id in (None, app.client_id)
        ]

    def authenticate_by_email(self, sociallogin: SocialLogin):
        """An address the provider says is verified signs into the account
        that has it verified here; never into one where it is unverified
        (whoever added it there has not shown they own it)."""
        for address in sociallogin.email_addresses:
            if address.verified and (user := sso.verified_owner(address.email)):
                return user, address.email
        return None

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):
        """A first sign-in makes the account, named as the provider names the
        person, with a username made from the name (or the address)."""
        name = sso.claimed_name(sociallogin)
        user = sociallogin.user
        email = user.email.partition("@")[0]
        user_username(
            user,
            get_account_adapter(request).generate_unique_username(
                [slugify(name), slugify(email), "member"]
            ),
        )
        user = super().save_user(request, sociallogin, form=form)
        longest = Profile._meta.get_field("display_name").max_length
        actions.create_profile(user=user, display_name=name[:longest])
        return user

    def validate_disconnect(self, account, accounts) -> None:
        """On a site where only providers sign people in, the last one linked
        stays (allauth checks the rest: a password, a verified address)."""
        if settings.PONDER_SSO_ONLY and len(accounts) == 1:
            raise self.validation_error("disconnect_last")
