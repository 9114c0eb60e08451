"""Single sign-on in templates: `{% load sso %}`."""

from allauth.socialaccount.models import SocialAccount
from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_only() -> bool:
    """Whether only the providers sign people in here (PONDER_SSO_ONLY)."""
    return settings.PONDER_SSO_ONLY


@register.filter
def linked_address(account: SocialAccount) -> str:
    """The address a linked account at a provider goes by, else its id there."""
    data = account.extra_data or {}
    found = data.get("userinfo") or data.get("id_token") or {}
    return found.get("email") or account.uid
