"""Studio: new cohort (programme owners), the cohort page and its join link
(the cohort's facilitators)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from programmes import actions
from programmes.models import Cohort, Membership


def cohort_data(**overrides) -> dict:
    data = {
        "name": "Winter cohort",
        "slug": "winter",
        "time_zone": "Australia/Sydney",
        "start_date": "2026-01-05",
        "weekdays": ["0"],
    }
    return {**data, **overrides}


# New cohort


def test_owner_creates_a_cohort_and_facilitates_it(client_for, owner, programme):
    client = client_for(owner)
    url = reverse("studio:new_cohort", args=["23-things"])
    assert client.get(url).status_code == HTTPStatus.OK

    response = client.post(url, cohort_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("studio:cohort", args=["winter"])
    winter = Cohort.objects.get(slug="winter")
    assert winter.programme == programme
    assert winter.time_zone == "Australia/Sydney"
    assert str(winter.start_date) == "2026-01-05"
    assert winter.role_of(owner) == Membership.Role.FACILITATOR
    assert winter.memberships.count() == 1
    assert client.get(response.url).status_code == HTTPStatus.OK


def test_a_duplicate_cohort_slug_is_refused(client_for, owner, programme, cohort):
    response = client_for(owner).post(
        reverse("studio:new_cohort", args=["23-things"]),
        cohort_data(slug="spring", name="My own name"),
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'id="id_slug_errors"' in page
    assert "My own name" in page
    assert Cohort.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("start_date", "next Tuesday")],
)
def test_new_cohort_with_bad_input_keeps_the_text(
    client_for, owner, programme, field, value
):
    response = client_for(owner).post(
        reverse("studio:new_cohort", args=["23-things"]),
        cohort_data(**{field: value}),
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    assert "Winter cohort" in page
    assert not Cohort.objects.exists()


def test_a_new_cohort_may_be_open_to_all_with_a_cap_and_a_last_day(
    client_for, owner, programme, monkeypatch
):
    calls = []
    set_open_joining = actions.set_open_joining
    monkeypatch.setattr(
        actions,
        "set_open_joining",
        lambda **kwargs: calls.append(kwargs) or set_open_joining(**kwargs),
    )
    url = reverse("studio:new_cohort", args=["23-things"])
    page = client_for(owner).get(url).content.decode()
    assert 'name="open_to_all"' in page
    assert 'name="member_cap"' in page
    assert 'name="join_until"' in page

    response = client_for(owner).post(
        url,
        cohort_data(open_to_all="on", member_cap="30", join_until="2026-02-01"),
    )

    assert response.status_code == HTTPStatus.FOUND
    winter = Cohort.objects.get(slug="winter")
    assert winter.open_to_all
    assert winter.member_cap == 30
    assert str(winter.join_until) == "2026-02-01"
    assert [call["cohort"] for call in calls] == [winter]


def test_a_new_cohort_is_closed_to_all_unless_ticked(client_for, owner, programme):
    client_for(owner).post(
        reverse("studio:new_cohort", args=["23-things"]), cohort_data()
    )

    winter = Cohort.objects.get(slug="winter")
    assert not winter.open_to_all
    assert winter.member_cap is None
    assert winter.join_until is None


@pytest.mark.parametrize(
    ("field", "value"), [("member_cap", "0"), ("join_until", "2026-02-30")]
)
def test_bad_open_joining_on_a_new_cohort_keeps_the_text(
    client_for, owner, programme, field, value
):
    response = client_for(owner).post(
        reverse("studio:new_cohort", args=["23-things"]),
        cohort_data(open_to_all="on", **{field: value}),
    )

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'id="id_{field}_error' in page
    assert "Winter cohort" in page
    assert f'value="{value}"' in page
    assert not Cohort.objects.exists()


@pytest.mark.parametrize(
    "persona", ["facilitator", "other_facilitator", "author", "outsider"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_new_cohort_is_for_owners_only(client_as, programme, cohort, persona, method):
    response = getattr(client_as(persona), method)(
        reverse("studio:new_cohort", args=["23-things"]), cohort_data()
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Cohort.objects.filter(slug="winter").exists()


def test_new_cohort_sends_visitors_to_sign_in(client, programme):
    response = client.post(
        reverse("studio:new_cohort", args=["23-things"]), cohort_data()
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert not Cohort.objects.filter(slug="winter").exists()


# The cohort's studio page


def test_cohort_studio_page_for_its_facilitator(client_for, facilitator, cohort):
    response = client_for(facilitator).get(reverse("studio:cohort", args=["spring"]))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f"http://testserver/join/{cohort.join_token}/" in page
    assert "Feeds" in page
    assert "Networks" in page
    # Drafts are not part of a cohort's schedule.
    assert "Podcasts" not in page


@pytest.mark.parametrize(
    "persona", ["owner", "other_facilitator", "author", "outsider"]
)
def test_cohort_studio_page_is_a_404_for_others(client_as, cohort, persona):
    response = client_as(persona).get(reverse("studio:cohort", args=["spring"]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_cohort_studio_page_sends_visitors_to_sign_in(client, cohort):
    url = reverse("studio:cohort", args=["spring"])

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_a_second_facilitator_may_run_the_cohort(client_for, cohort, make_user):
    co_lead = make_user("cora")
    Membership.objects.create(
        user=co_lead, cohort=cohort, role=Membership.Role.FACILITATOR
    )

    response = client_for(co_lead).get(reverse("studio:cohort", args=["spring"]))

    assert response.status_code == HTTPStatus.OK


# Rotating the join link


def test_facilitator_rotates_the_join_link(client_for, facilitator, cohort, make_user):
    old_url = cohort.get_join_url()
    client = client_for(facilitator)

    response = client.post(reverse("studio:rotate_join", args=["spring"]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("studio:cohort", args=["spring"])
    cohort.refresh_from_db()
    assert cohort.get_join_url() != old_url
    assert cohort.join_token in client.get(response.url).content.decode()
    newcomer = client_for(make_user("nina"))
    assert newcomer.get(old_url).status_code == HTTPStatus.NOT_FOUND
    assert newcomer.get(cohort.get_join_url()).status_code == HTTPStatus.OK
    assert newcomer.post(cohort.get_join_url()).status_code == HTTPStatus.FOUND
    assert cohort.memberships.filter(user__username="nina").exists()


def test_rotating_takes_post_only(client_for, facilitator, cohort):
    token = cohort.join_token

    response = client_for(facilitator).get(
        reverse("studio:rotate_join", args=["spring"])
    )

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    cohort.refresh_from_db()
    assert cohort.join_token == token


@pytest.mark.parametrize(
    "persona", ["owner", "other_facilitator", "author", "outsider"]
)
def test_only_the_cohorts_facilitators_rotate_its_link(client_as, cohort, persona):
    token = cohort.join_token

    response = client_as(persona).post(reverse("studio:rotate_join", args=["spring"]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    cohort.refresh_from_db()
    assert cohort.join_token == token


def test_visitors_are_sent_to_sign_in_before_rotating(client, cohort):
    token = cohort.join_token

    response = client.post(reverse("studio:rotate_join", args=["spring"]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    cohort.refresh_from_db()
    assert cohort.join_token == token


def test_another_cohorts_facilitator_cannot_rotate_it(
    client_for, other_facilitator, cohort, other_cohort
):
    spring_token = cohort.join_token

    response = client_for(other_facilitator).post(
        reverse("studio:rotate_join", args=["spring"])
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    cohort.refresh_from_db()
    assert cohort.join_token == spring_token
    # and their own works
    response = client_for(other_facilitator).post(
        reverse("studio:rotate_join", args=["autumn"])
    )
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("target", ["1001", str(2**31), str(2**63)])
def test_a_target_beyond_the_bound_is_refused_on_every_database(
    target, client_for, owner, programme
):
    response = client_for(owner).post(
        reverse("studio:new_cohort", args=[programme.slug]),
        cohort_data(completion_target=target),
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    assert 'id="id_completion_target_error"' in response.content.decode()
