"""The sign-in backends, loading each signed-in user's profile with them.

Every page reads the profile (the time zone, the display name, the version
keying the bell's count): one query for both instead of two. Sessions name the
backend that signed them in, so a session made by the backends these replace
(before this module) is signed out once.

With Redis, a copy of each signed-in user and profile is kept there for
`SIGNED_IN_USER_SECONDS`, so most pages ask the database nothing to know who
is reading. Every change to a user or profile forgets the copy
(core/freshness.py: the actions changing them say so, a new password's
`change_password` among them, and so does the admin): again once the
transaction commits, so a page that read the old row while it was being
changed cannot keep its copy past the change. A new password then signs out
other sessions at once, as Django does without the copy.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.cache import cache

from core.freshness import signed_in_user_key


def _load_user(user_id: int) -> User | None:
    seconds = settings.SIGNED_IN_USER_SECONDS
    user = cache.get(signed_in_user_key(user_id)) if seconds else None
    if user is not None:
        return user
    try:
        user = User._default_manager.select_related("profile").get(pk=user_id)
    except User.DoesNotExist:
        return None
    if seconds:
        cache.set(signed_in_user_key(user_id), user, seconds)
    return user


class ProfileLoadingMixin:
    def get_user(self, user_id: int) -> User | None:
        user = _load_user(user_id)
        return user if user and self.user_can_authenticate(user) else None


class ProfileLoadingModelBackend(ProfileLoadingMixin, ModelBackend):
    """Django's username and password backend (the admin's, the tests')."""


class ProfileLoadingAuthenticationBackend(ProfileLoadingMixin, AuthenticationBackend):
    """allauth's e-mail or username and password backend (the sign-in page's)."""
