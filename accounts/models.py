from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse

from core.fields import TimeZoneField
from core.models import KeepsVersions


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def default_time_zone() -> str:
    return settings.PONDER_DEFAULT_TIME_ZONE


class Profile(KeepsVersions):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    website = HttpsURLField(blank=True, max_length=200)
    time_zone = TimeZoneField(default=default_time_zone)
    #: Empty: the language the browser asks for, else the site's.
    language = models.CharField(max_length=12, blank=True, choices=settings.LANGUAGES)
    #: Goes up whenever this user's notifications are made or read
    #: (core/freshness.py): the key of the bell's cached count.
    notifications_version = models.PositiveBigIntegerField(default=0, editable=False)
    #: Goes up whenever one of this user's entries is saved, a draft included
    #: (core/freshness.py): the key of what is cached of their own writing.
    writing_version = models.PositiveBigIntegerField(default=0, editable=False)

    version_fields = ("notifications_version", "writing_version")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("journal:journal", kwargs={"username": self.user.username})

    @property
    def name(self) -> str:
        return self.display_name or self.user.username


def language_of(user: User) -> str:
    """The language to write to this person in when no browser asks: the
    profile's, else the site's (e-mails, digests)."""
    try:
        return user.profile.language or settings.LANGUAGE_CODE
    except Profile.DoesNotExist:
        return settings.LANGUAGE_CODE


def language_of_address(address: str) -> str:
    """The language to write to an e-mail address in: that of the account
    with it (primary or other), else the site's."""
    user = (
        User.objects.filter(
            models.Q(email__iexact=address)
            | models.Q(emailaddress__email__iexact=address)
        )
        .select_related("profile")
        .order_by("pk")
        .first()
    )
    return language_of(user) if user else settings.LANGUAGE_CODE


def notifications_version(user: User) -> int | None:
    """`Profile.notifications_version`, or None for a user with no profile
    row yet (nothing would move it on: nothing may be cached under it)."""
    return _version(user, "notifications_version")


def writing_version(user: User) -> int | None:
    """`Profile.writing_version`, or None for a user with no profile row yet."""
    return _version(user, "writing_version")


def _version(user: User, field: str) -> int | None:
    try:
        return getattr(user.profile, field)
    except Profile.DoesNotExist:
        return None


def display_name(user: User) -> str:
    """The name to show for a user, whether or not they have a profile row yet."""
    try:
        return user.profile.name
    except Profile.DoesNotExist:
        return user.username
