from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from accounts import actions
from accounts.models import language_of, language_of_address


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
