"""Usernames name the journal's URL (/@<username>/), so they stay URL-safe."""

from collections.abc import Iterable

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

username_validators = [
    RegexValidator(
        r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\Z",
        message=gettext_lazy(
            "Use lower-case letters, digits, hyphens and underscores, "
            "starting and ending with a letter or digit."
        ),
    ),
]


def is_within_domains(domain: str, domains: Iterable[str]) -> bool:
    """Whether `domain` is one of `domains` or under one of them
    (mail.uni.example is under uni.example)."""
    domain = domain.lower()
    return any(domain == each or domain.endswith(f".{each}") for each in domains)
