"""Workflows of the accounts app: changes to a person that pages show."""

from django.db import transaction

from accounts.models import Profile
from core import freshness


@transaction.atomic
def update_profile(*, profile: Profile, **fields) -> Profile:
    """Change a person's name, bio, website or time zone: every page showing
    them, and the copy kept of them for their own requests."""
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save(update_fields=list(fields))
    freshness.person_changed(profile.user_id)
    return profile
