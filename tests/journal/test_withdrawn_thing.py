"""A Thing unpublished after it opened: its members are told it is gone
(410, with a way back), where others still find nothing (404)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from programmes import actions as programme_actions
from programmes.models import Cohort, Thing
from tests.conftest import thing


def thing_url(cohort: Cohort, item: Thing) -> str:
    return reverse("journal:thing", args=[cohort.slug, item.slug])


@pytest.fixture
def withdrawn(cohort) -> Thing:
    """Thing 3 opened to the cohort (its members were told), then unpublished."""
    programme_actions.record_openings(cohorts=[cohort])
    item = thing(cohort.programme, 3)
    programme_actions.set_thing_published(thing=item, published=False)
    return item


@pytest.mark.parametrize("persona", ["author", "cohort_mate", "facilitator"])
def test_a_member_is_told_it_is_no_longer_available(
    client_as, cohort, withdrawn, persona
):
    response = client_as(persona).get(thing_url(cohort, withdrawn))

    assert response.status_code == HTTPStatus.GONE
    page = response.content.decode()
    assert "Thing 3: Feeds is no longer available" in page
    assert f'href="{cohort.get_absolute_url()}" class="button' in page
    assert "Back to Spring cohort" in page
    assert withdrawn.introduction not in page


@pytest.mark.parametrize("persona", ["outsider", "other_facilitator"])
def test_others_still_find_nothing(client_as, cohort, withdrawn, persona):
    response = client_as(persona).get(thing_url(cohort, withdrawn))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_visitor_is_sent_to_sign_in(client_as, cohort, withdrawn):
    response = client_as("visitor").get(thing_url(cohort, withdrawn))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_a_draft_that_never_opened_is_a_404(client_as, cohort, author):
    """Thing 5 was never published: nobody was told of it."""
    response = client_as("author").get(thing_url(cohort, thing(cohort.programme, 5)))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_thing_unpublished_before_it_opened_is_a_404(client_as, cohort, author):
    """Thing 4 opens next week: unpublished now, no member was ever told of it."""
    programme_actions.record_openings(cohorts=[cohort])
    upcoming = thing(cohort.programme, 4)
    programme_actions.set_thing_published(thing=upcoming, published=False)

    response = client_as("author").get(thing_url(cohort, upcoming))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_published_again_it_is_back(client_as, cohort, withdrawn, author):
    programme_actions.set_thing_published(thing=withdrawn, published=True)

    response = client_as("author").get(thing_url(cohort, withdrawn))

    assert response.status_code == HTTPStatus.OK
