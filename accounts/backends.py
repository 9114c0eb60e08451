"""The sign-in backends, loading each signed-in user's profile with them.

Every page reads the profile (the time zone, the display name, the version
keying the bell's count): one query for both instead of two. Sessions name the
backend that signed them in, so a session made by the backends these replace
(before this module) is signed out once.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class ProfileLoadingMixin:
    def get_user(self, user_id: int) -> User | None:
        try:
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ProfileLoadingModelBackend(ProfileLoadingMixin, ModelBackend):
    """Django's username and password backend (the admin's, the tests')."""


class ProfileLoadingAuthenticationBackend(ProfileLoadingMixin, AuthenticationBackend):
    """allauth's e-mail or username and password backend (the sign-in page's)."""
