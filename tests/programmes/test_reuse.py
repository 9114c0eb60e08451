"""Reuse (issue 3): duplicate a programme; a new cohort of it in one form."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from programmes.models import Cohort, Programme, ThingRelease
from programmes.portable import duplicate_programme

THING_FIELDS = [
    "number",
    "title",
    "slug",
    "introduction",
    "introduction_html",
    "questions",
    "action",
    "estimated_minutes",
    "status",
]


def things_of(programme: Programme) -> list[dict]:
    return list(programme.things.order_by("number").values(*THING_FIELDS))


def duplicate_url(programme: Programme) -> str:
    return reverse("studio:duplicate_programme", kwargs={"slug": programme.slug})


def test_it_copies_every_thing(programme, owner, make_user):
    copy = duplicate_programme(programme=programme, owner=owner)
    assert copy.pk != programme.pk
    assert things_of(copy) == things_of(programme)
    assert len(things_of(copy)) == 5
    assert copy.title == "Copy of 23 Things"
    assert copy.slug == "copy-of-23-things"
    assert copy.summary == programme.summary


@pytest.mark.parametrize("offered", [True, False])
def test_it_keeps_whether_reflection_readings_are_offered(programme, owner, offered):
    Programme.objects.filter(pk=programme.pk).update(offers_reflection_reading=offered)
    programme.refresh_from_db()

    copy = duplicate_programme(programme=programme, owner=owner)

    assert copy.offers_reflection_reading is offered


def test_it_copies_nothing_else(programme, owner, cohort, author, make_user):
    ThingRelease.objects.create(
        cohort=cohort,
        thing=programme.things.get(number=1),
        opens_on=datetime.date(2026, 1, 1),
    )
    copier = make_user("cara")
    programme.owners.add(copier)
    copy = duplicate_programme(programme=programme, owner=copier)
    assert list(copy.owners.all()) == [copier]
    assert not copy.cohorts.exists()
    assert not ThingRelease.objects.filter(thing__programme=copy).exists()
    # The original keeps its Things, cohort and owners.
    assert programme.things.count() == 5
    assert list(programme.cohorts.all()) == [cohort]
    assert set(programme.owners.all()) == {owner, copier}


def test_each_copy_gets_a_new_slug(programme, owner):
    first = duplicate_programme(programme=programme, owner=owner)
    second = duplicate_programme(programme=programme, owner=owner)
    third = duplicate_programme(programme=first, owner=owner)
    assert first.slug == "copy-of-23-things"
    assert second.slug == "copy-of-23-things-2"
    assert third.slug == "copy-of-copy-of-23-things"
    assert third.title == "Copy of Copy of 23 Things"


def test_a_long_slug_stays_within_its_field(owner, client_for):
    long = Programme.objects.create(title="T" * 200, slug="s" * 80)
    long.owners.add(owner)
    first = duplicate_programme(programme=long, owner=owner)
    second = duplicate_programme(programme=long, owner=owner)
    assert len(first.slug) <= 80 and len(second.slug) <= 80
    assert first.slug != second.slug
    assert len(first.title) <= 200


def test_the_owner_duplicates_from_the_studio(client_for, owner, programme):
    response = client_for(owner).post(duplicate_url(programme))
    copy = Programme.objects.get(slug="copy-of-23-things")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == copy.get_absolute_url()
    assert copy.things.count() == 5


def test_the_programme_page_offers_duplicate_and_export(client_for, owner, programme):
    page = client_for(owner).get(programme.get_absolute_url()).content.decode()
    assert duplicate_url(programme) in page
    assert reverse("studio:export_programme", args=[programme.slug]) in page


def test_it_takes_a_post(client_for, owner, programme):
    response = client_for(owner).get(duplicate_url(programme))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert Programme.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["facilitator", "author", "outsider", "other_facilitator"]
)
def test_only_owners_duplicate(client_as, persona, programme, cohort, author, outsider):
    response = client_as(persona).post(duplicate_url(programme))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Programme.objects.count() == 1


def test_a_facilitator_who_may_create_programmes_still_gets_a_404(
    client_for, facilitator, programme
):
    facilitator.user_permissions.add(Permission.objects.get(codename="add_programme"))
    response = client_for(facilitator).post(duplicate_url(programme))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Programme.objects.count() == 1


def test_a_visitor_is_sent_to_sign_in(client, programme):
    response = client.post(duplicate_url(programme))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
    assert Programme.objects.count() == 1


# A new cohort of an existing programme -------------------------------------------


def test_the_studio_offers_a_new_cohort_for_each_owned_programme(
    client_for, owner, programme
):
    other = Programme.objects.create(title="Other", slug="other")
    other.owners.add(owner)
    page = client_for(owner).get(reverse("studio:index")).content.decode()
    for slug in ["23-things", "other"]:
        assert reverse("studio:new_cohort", kwargs={"slug": slug}) in page


def test_a_new_cohort_is_one_form_with_its_target(client_for, owner, programme):
    url = reverse("studio:new_cohort", kwargs={"slug": programme.slug})
    client = client_for(owner)
    page = client.get(url).content.decode()
    site_wide = page.count('action="/accounts/logout/"') + page.count(
        'action="/accounts/language/"'
    )
    assert page.count("<form") - site_wide == 1
    response = client.post(
        url,
        {
            "name": "Next year",
            "slug": "next-year",
            "time_zone": "Europe/London",
            "start_date": "2027-01-11",
            "weekdays": ["0"],
            "completion_target": "20",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    cohort = Cohort.objects.get(slug="next-year")
    assert cohort.programme == programme
    assert cohort.completion_target == 20
    assert cohort.memberships.get().user == owner


@pytest.mark.parametrize("target", ["0", "-1"])
def test_a_target_of_nothing_is_refused(client_for, owner, programme, target):
    url = reverse("studio:new_cohort", kwargs={"slug": programme.slug})
    response = client_for(owner).post(
        url,
        {
            "name": "Next year",
            "slug": "next-year",
            "time_zone": "Europe/London",
            "start_date": "2027-01-11",
            "completion_target": target,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "Next year" in response.content.decode()
    assert not Cohort.objects.filter(slug="next-year").exists()
