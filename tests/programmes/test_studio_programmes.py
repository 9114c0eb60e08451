"""Studio: the index, new programme, the programme page and its edit form."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from programmes.models import Programme

NOT_OWNERS = ["facilitator", "other_facilitator", "author", "outsider"]


@pytest.fixture
def creator(make_user) -> User:
    user = make_user("cleo")
    user.user_permissions.add(Permission.objects.get(codename="add_programme"))
    return user


def login_url(next_url: str) -> str:
    return f"{reverse('account_login')}?next={next_url}"


def test_studio_index_sends_visitors_to_sign_in(client):
    url = reverse("studio:index")

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == login_url(url)


@pytest.mark.parametrize(
    ("persona", "sees_programme", "sees_cohort"),
    [
        ("owner", True, False),
        ("facilitator", False, True),
        ("other_facilitator", False, False),
        ("author", False, False),
        ("outsider", False, False),
    ],
)
def test_studio_index_lists_only_ones_own(
    cohort, client_as, persona, sees_programme, sees_cohort
):
    response = client_as(persona).get(reverse("studio:index"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert (reverse("studio:programme", args=["23-things"]) in page) is sees_programme
    assert (reverse("studio:cohort", args=["spring"]) in page) is sees_cohort


def test_studio_index_offers_new_programme_only_with_the_permission(
    client_for, creator, owner
):
    url = reverse("studio:new_programme")

    assert url in client_for(creator).get(reverse("studio:index")).content.decode()
    assert url not in client_for(owner).get(reverse("studio:index")).content.decode()


def test_new_programme_sends_visitors_to_sign_in(client):
    url = reverse("studio:new_programme")

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == login_url(url)


@pytest.mark.parametrize("method", ["get", "post"])
def test_new_programme_needs_the_permission(client_for, owner, method):
    client = client_for(owner)

    response = getattr(client, method)(
        reverse("studio:new_programme"), {"title": "Mine", "slug": "mine"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Programme.objects.filter(slug="mine").exists()


def test_new_programme_makes_its_creator_owner(client_for, creator):
    client = client_for(creator)
    assert client.get(reverse("studio:new_programme")).status_code == HTTPStatus.OK

    response = client.post(
        reverse("studio:new_programme"),
        {"title": "Data Things", "slug": "data-things", "summary": "Numbers."},
    )

    programme = Programme.objects.get(slug="data-things")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("studio:programme", args=["data-things"])
    assert list(programme.owners.all()) == [creator]
    assert programme.title == "Data Things"


def test_new_programme_refuses_a_taken_slug_and_keeps_the_text(
    client_for, creator, programme
):
    response = client_for(creator).post(
        reverse("studio:new_programme"),
        {"title": "Another", "slug": "23-things", "summary": "My careful summary."},
    )

    assert response.status_code == HTTPStatus.OK
    assert "slug" in response.context["form"].errors
    page = response.content.decode()
    assert 'id="id_slug_errors"' in page
    assert "My careful summary." in page
    assert Programme.objects.count() == 1


def test_programme_page_for_its_owner(client_for, owner, programme, cohort):
    response = client_for(owner).get(reverse("studio:programme", args=["23-things"]))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Podcasts" in page
    assert reverse("studio:cohort", args=["spring"]) in page


def test_owner_edits_the_programme(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:programme", args=["23-things"]),
        {"title": "Twenty-three Things", "slug": "23-things", "summary": "New."},
    )

    assert response.status_code == HTTPStatus.FOUND
    programme.refresh_from_db()
    assert (programme.title, programme.summary) == ("Twenty-three Things", "New.")


def test_programme_edit_with_bad_input_keeps_the_text(client_for, owner, programme):
    response = client_for(owner).post(
        reverse("studio:programme", args=["23-things"]),
        {"title": "", "slug": "23-things", "summary": "Kept summary."},
    )

    assert response.status_code == HTTPStatus.OK
    assert 'id="id_title_errors"' in response.content.decode()
    assert "Kept summary." in response.content.decode()
    programme.refresh_from_db()
    assert programme.title == "23 Things"


@pytest.mark.parametrize("persona", NOT_OWNERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_programme_page_is_a_404_for_non_owners(
    client_as, programme, cohort, persona, method
):
    response = getattr(client_as(persona), method)(
        reverse("studio:programme", args=["23-things"]),
        {"title": "Hijacked", "slug": "23-things"},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    programme.refresh_from_db()
    assert programme.title == "23 Things"


def test_programme_page_sends_visitors_to_sign_in(client, programme):
    url = reverse("studio:programme", args=["23-things"])

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == login_url(url)


def test_unknown_programme_is_a_404(client_for, owner):
    response = client_for(owner).get(reverse("studio:programme", args=["nope"]))

    assert response.status_code == HTTPStatus.NOT_FOUND


# Reflection readings: the owners switch them ------------------------------


def test_a_programme_offers_reflection_readings_until_its_owner_turns_them_off(
    client_for, owner, programme
):
    url = reverse("studio:programme", args=["23-things"])
    page = client_for(owner).get(url).text
    assert 'name="offers_reflection_reading"' in page
    assert programme.offers_reflection_reading

    response = client_for(owner).post(
        url, {"title": "23 Things", "slug": "23-things", "summary": "A programme."}
    )

    assert response.status_code == HTTPStatus.FOUND
    programme.refresh_from_db()
    assert not programme.offers_reflection_reading


def test_an_owner_turns_reflection_readings_back_on(client_for, owner, programme):
    Programme.objects.filter(pk=programme.pk).update(offers_reflection_reading=False)

    client_for(owner).post(
        reverse("studio:programme", args=["23-things"]),
        {
            "title": "23 Things",
            "slug": "23-things",
            "summary": "A programme.",
            "offers_reflection_reading": "on",
        },
    )

    programme.refresh_from_db()
    assert programme.offers_reflection_reading


@pytest.mark.parametrize("persona", NOT_OWNERS)
def test_only_an_owner_switches_reflection_readings(
    client_as, programme, cohort, persona
):
    response = client_as(persona).post(
        reverse("studio:programme", args=["23-things"]),
        {"title": "23 Things", "slug": "23-things", "summary": "A programme."},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    programme.refresh_from_db()
    assert programme.offers_reflection_reading


def test_a_new_programme_chooses_whether_to_offer_reflection_readings(
    client_for, creator
):
    client_for(creator).post(
        reverse("studio:new_programme"),
        {"title": "Data Things", "slug": "data-things", "summary": "Data."},
    )

    assert not Programme.objects.get(slug="data-things").offers_reflection_reading
