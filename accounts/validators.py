"""Usernames name the journal's URL (/@<username>/), so they stay URL-safe."""

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
