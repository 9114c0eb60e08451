"""Usernames name the journal's URL (/@<username>/), so they stay URL-safe."""

from django.core.validators import RegexValidator

username_validators = [
    RegexValidator(
        r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?\Z",
        message=(
            "Use lower-case letters, digits, hyphens and underscores, "
            "starting and ending with a letter or digit."
        ),
    ),
]
