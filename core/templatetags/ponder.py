"""Small template helpers used across the site (loaded as a builtin)."""

from django import template
from django.contrib.auth.models import User

from accounts.models import display_name

register = template.Library()


@register.filter
def name(user: User) -> str:
    return display_name(user)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL with another page number, other query parameters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
