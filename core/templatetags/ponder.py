"""Small template helpers used across the site (loaded as a builtin)."""

import html
from urllib.parse import urlsplit

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language

from core import holes
from core.jsi18n import catalogue_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL with another page number, other query parameters kept."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def excerpt(stored_html: str, words: int = 40) -> str:
    """Plain text from stored HTML, cut to a number of words.

    Entities are decoded so that autoescaping shows "&" once, not "&amp;".
    """
    return Truncator(html.unescape(strip_tags(stored_html))).words(words)


@register.filter
def web_url(value: str) -> str:
    """The URL if it is http(s), else nothing: a guard for user-given links."""
    return value if urlsplit(value).scheme.lower() in {"http", "https"} else ""


@register.simple_tag
def javascript_catalogue_url() -> str:
    """The catalogue of static/js's messages in the page's language."""
    return catalogue_url(get_language())


@register.simple_tag
def hole(name: str, argument: object = "") -> str:
    """A per-reader part of shared HTML, filled in per response (core/holes.py)."""
    return holes.hole(name, argument)
