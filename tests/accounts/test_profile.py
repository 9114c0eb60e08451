"""The profile page: display name, bio, website and time zone."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import Profile


def profile_data(**overrides) -> dict:
    data = {
        "display_name": "Ada Lovelace",
        "bio": "Analyst of engines.",
        "website": "https://ada.example.org/",
        "time_zone": "Australia/Sydney",
    }
    return {**data, **overrides}


def test_visitors_are_sent_to_sign_in(client, db):
    url = reverse("accounts:profile")

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_the_profile_page_shows_the_current_values(client_for, make_user):
    user = make_user("ada", display_name="Ada Author")

    response = client_for(user).get(reverse("accounts:profile"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'value="Ada Author"' in page
    assert "/@ada/" in page


def test_the_profile_is_saved(client_for, make_user):
    user = make_user("ada")

    response = client_for(user).post(reverse("accounts:profile"), profile_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("accounts:profile")
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Ada Lovelace"
    assert profile.bio == "Analyst of engines."
    assert profile.website == "https://ada.example.org/"
    assert profile.time_zone == "Australia/Sydney"


def test_a_website_without_a_scheme_gets_https(client_for, make_user):
    user = make_user("ada")

    client_for(user).post(
        reverse("accounts:profile"), profile_data(website="ada.example.org")
    )

    assert Profile.objects.get(user=user).website == "https://ada.example.org"


def test_the_optional_fields_may_be_blank(client_for, make_user):
    user = make_user("ada")

    response = client_for(user).post(
        reverse("accounts:profile"),
        profile_data(display_name="", bio="", website=""),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.get(user=user).name == "ada"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "not a web address"),
        ("website", "javascript:alert(1)"),
        ("time_zone", "Mars/Olympus_Mons"),
        ("time_zone", ""),
        ("bio", "x" * 501),
        ("display_name", "x" * 81),
    ],
)
def test_bad_input_is_shown_beside_the_field_with_the_text_kept(
    client_for, make_user, field, value
):
    user = make_user("ada", display_name="Before")

    response = client_for(user).post(
        reverse("accounts:profile"),
        profile_data(**{"bio": "My bio.", field: value}),
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    if field != "display_name":
        assert 'value="Ada Lovelace"' in page
    if field != "bio":
        assert "My bio." in page
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Before"
    assert profile.time_zone == "Europe/London"


def test_a_user_without_a_profile_row_gets_one(client_for, db):
    user = User.objects.create_user("old", "old@example.org", "x")

    response = client_for(user).get(reverse("accounts:profile"))

    assert response.status_code == HTTPStatus.OK
    assert Profile.objects.filter(user=user).exists()


def test_each_person_edits_only_their_own_profile(client_for, make_user):
    ada = make_user("ada", display_name="Ada")
    ben = make_user("ben", display_name="Ben")

    client_for(ben).post(reverse("accounts:profile"), profile_data())

    assert Profile.objects.get(user=ada).display_name == "Ada"
    assert Profile.objects.get(user=ben).display_name == "Ada Lovelace"
