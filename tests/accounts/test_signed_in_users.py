"""With Redis, the sign-in backends keep a copy of each signed-in user and
profile (accounts/backends.py); every change forgets it at once."""

from http import HTTPStatus

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import actions
from accounts.models import Profile
from core import freshness
from tests.conftest import PASSWORD

KEPT_SECONDS = 60


@pytest.fixture
def kept(settings):
    settings.SIGNED_IN_USER_SECONDS = KEPT_SECONDS


def test_a_kept_user_is_not_asked_of_the_database_again(kept, client_for, author):
    client = client_for(author)
    url = reverse("accessibility")
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert response.context["user"] == author
    assert not any('FROM "auth_user"' in query["sql"] for query in queries)


def test_without_a_shared_cache_every_request_asks_for_the_user(
    settings, client_for, author
):
    settings.SIGNED_IN_USER_SECONDS = 0
    client = client_for(author)
    client.get(reverse("accessibility"))

    assert cache.get(f"signed-in-user:{author.pk}") is None


def test_a_new_password_signs_out_other_sessions_at_once(kept, client_for, author):
    other_browser = client_for(author)
    url = reverse("journal:write")
    assert other_browser.get(url).status_code == HTTPStatus.OK

    this_browser = client_for(author)
    changed = this_browser.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert changed.status_code == HTTPStatus.FOUND

    response = other_browser.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_a_user_deactivated_in_the_admin_is_signed_out_at_once(
    kept, client_for, author, admin_client
):
    client = client_for(author)
    url = reverse("journal:write")
    client.get(url)

    change = reverse("admin:auth_user_change", args=[author.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "last_login"}
    }
    joined = timezone.localtime(author.date_joined)
    data |= {
        "is_active": "",
        "date_joined_0": joined.date().isoformat(),
        "date_joined_1": joined.time().strftime("%H:%M:%S"),
        "groups": [],
        "user_permissions": [],
    }
    data = {name: value for name, value in data.items() if value not in (False, [])}
    saved = admin_client.post(change, data)
    assert saved.status_code == HTTPStatus.FOUND, saved.context["adminform"].form.errors

    assert client.get(url).status_code == HTTPStatus.FOUND


def test_a_changed_profile_shows_at_once(kept, client_for, author):
    client = client_for(author)
    url = reverse("accessibility")
    client.get(url)

    Profile.objects.filter(user=author).update(display_name="Renamed")
    freshness.account_changed([author.pk])

    assert "Renamed" in client.get(url).text


def test_a_saved_profile_shows_at_once(kept, client_for, author):
    client = client_for(author)
    url = reverse("accessibility")
    client.get(url)

    actions.update_profile(profile=author.profile, display_name="Saved Name")

    assert "Saved Name" in client.get(url).text


def test_new_notifications_move_the_kept_profiles_version_on(kept, client_for, author):
    client = client_for(author)
    client.get(reverse("accessibility"))
    before = client.get(reverse("accessibility")).context["user"]

    freshness.notifications_changed([author.pk])

    after = client.get(reverse("accessibility")).context["user"]
    assert (
        after.profile.notifications_version == before.profile.notifications_version + 1
    )


def test_a_copy_kept_while_the_change_was_uncommitted_is_forgotten_on_commit(
    kept, author, django_capture_on_commit_callbacks
):
    stale = type(author).objects.select_related("profile").get(pk=author.pk)
    with django_capture_on_commit_callbacks(execute=True):
        get_adapter().set_password(author, "another new passphrase")
        # A page that read the old row before the change committed keeps it.
        cache.set(f"signed-in-user:{author.pk}", stale, KEPT_SECONDS)

    assert cache.get(f"signed-in-user:{author.pk}") is None
