from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from accounts import actions


class AccountAdapter(DefaultAccountAdapter):
    """People's accounts; joining a cohort on sign-up is added above, by
    programmes.adapter.JoiningAccountAdapter (settings.ACCOUNT_ADAPTER)."""

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            actions.create_profile(
                user=user, display_name=form.cleaned_data.get("display_name", "")
            )
        return user

    def set_password(self, user, password: str) -> None:
        """allauth's password change, reset and set all come here."""
        actions.change_password(user=user, password=password)

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """allauth lower-cases a username only when it stores it, after running
        our lower-case-only validators on what was typed: lower-case it first."""
        return super().clean_username(username.lower(), shallow=shallow)
