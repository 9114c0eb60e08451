"""Workflows of the accounts app: changes to a person that pages show."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import Profile
from core import freshness


@transaction.atomic
def create_profile(
    *, user: User, display_name: str = "", language: str = ""
) -> Profile:
    """A new account's profile, with the name given at sign-up and the
    language of the pages it was made in, unless that is the site's own
    (which may be all the browser got: the profile then follows the site)."""
    if language not in dict(settings.LANGUAGES) or language == settings.LANGUAGE_CODE:
        language = ""
    profile, created = Profile.objects.get_or_create(
        user=user, defaults={"display_name": display_name, "language": language}
    )
    if created:
        freshness.person_changed(user.pk)
    return profile


@transaction.atomic
def update_profile(*, profile: Profile, **fields) -> Profile:
    """Change a person's name, bio, website or time zone: every page showing
    them, and the copy kept of them for their own requests."""
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save(update_fields=list(fields))
    freshness.person_changed(profile.user_id)
    return profile


@transaction.atomic
def change_password(*, user: User, password: str) -> None:
    """Set and save a new password: the copy of the user kept for their
    requests goes, so their other sessions sign out."""
    user.set_password(password)
    user.save()
    freshness.account_changed([user.pk])
