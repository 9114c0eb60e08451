"""A self-paced cohort's pages follow each person's own dates: the dashboard,
Thing pages, the progress grid (due versus done) and nudges."""

from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import Profile
from facilitation import nudges, progress
from programmes.models import Cohort, Membership
from tests.conftest import thing
from tests.facilitation.test_progress_queries import PAGE_QUERIES
from tests.queries import assert_same_queries
from tests.self_paced import at, self_paced_cohort


@pytest.fixture
def cohort(programme, make_user) -> Cohort:
    return self_paced_cohort(programme, make_user("lead"))


@pytest.fixture
def lead(cohort) -> User:
    return cohort.memberships.get(role=Membership.Role.FACILITATOR).user


@pytest.fixture
def ada(cohort, make_user, join) -> User:
    """Joined Monday 6th: Things 1 and 2 are hers by the 14th."""
    with time_machine.travel(at(6), tick=False):
        return join(make_user("ada"), cohort).user


@pytest.fixture
def ben(cohort, make_user, join) -> User:
    """Joined Thursday 9th: Thing 1 is his by the 14th, Thing 2 on the 16th."""
    with time_machine.travel(at(9), tick=False):
        return join(make_user("ben"), cohort).user


@pytest.fixture
def on_the_14th():
    with time_machine.travel(at(14), tick=False):
        yield


def test_a_thing_not_yet_open_to_me_is_a_404_while_open_to_an_earlier_joiner(
    cohort, ada, ben, client_for, on_the_14th
):
    url = reverse("journal:thing", args=[cohort.slug, "blogging"])

    assert client_for(ada).get(url).status_code == HTTPStatus.OK
    assert client_for(ben).get(url).status_code == HTTPStatus.NOT_FOUND
    write = reverse("journal:write_on_thing", args=[cohort.slug, "blogging"])
    assert client_for(ben).get(write).status_code == HTTPStatus.NOT_FOUND


def test_the_cohort_page_lists_my_own_open_things(
    cohort, ada, ben, client_for, on_the_14th
):
    url = reverse("journal:cohort", args=[cohort.slug])

    assert "Blogging" in client_for(ada).get(url).text
    assert "Blogging" not in client_for(ben).get(url).text


def test_a_facilitator_reads_that_dates_are_each_persons_own(
    cohort, ada, lead, client_for, on_the_14th
):
    response = client_for(lead).get(
        reverse("journal:thing", args=[cohort.slug, "networks"])
    )

    assert response.status_code == HTTPStatus.OK
    assert "on their own date, counted from the day they joined" in response.text


def test_the_dashboard_shows_my_own_open_things_and_next_date(
    cohort, ada, ben, client_for, on_the_14th
):
    ada_page = client_for(ada).get(reverse("home")).text
    ben_page = client_for(ben).get(reverse("home")).text

    assert "2 open so far" in ada_page
    assert "Thing 3: Feeds opens on" in ada_page
    assert "Monday 20 January" in ada_page
    assert "1 open so far" in ben_page
    assert "Thing 2: Blogging opens on" in ben_page
    assert "Thursday 16 January" in ben_page


def test_the_grid_shows_due_versus_done_for_each_person(
    cohort, ada, ben, lead, make_entry, client_for, on_the_14th
):
    make_entry(ada, cohort=cohort, thing=thing(cohort.programme, 1))
    grid = progress.grid_for(cohort)
    rows = {
        row.membership.user.username: row
        for row in progress.rows_for(grid, list(progress.participants(grid)))
    }

    def states(row):
        return [
            "done" if cell.done_at else "due" if cell.is_due else "later"
            for cell in row.cells
        ]

    assert [t.number for t in grid.things] == [1, 2, 3, 4]
    assert states(rows["ada"]) == ["done", "due", "later", "later"]
    assert (rows["ada"].done, rows["ada"].total) == (1, 2)
    assert states(rows["ben"]) == ["due", "later", "later", "later"]
    assert (rows["ben"].done, rows["ben"].total) == (0, 1)

    page = client_for(lead).get(reverse("facilitation:progress", args=[cohort.slug]))
    assert page.status_code == HTTPStatus.OK
    assert page.text.count("progress-grid__cell--later") == 5
    assert "Not due yet" in page.text
    assert "due on their own dates" in page.text


def _many_participants(cohort: Cohort, count: int) -> None:
    """`count` participants who joined on different days of the first week."""
    users = User.objects.bulk_create(
        [User(username=f"p{n:04d}", email=f"p{n}@example.org") for n in range(count)]
    )
    Profile.objects.bulk_create([Profile(user=user) for user in users])
    Membership.objects.bulk_create(
        [Membership(user=user, cohort=cohort) for user in users]
    )
    for day in range(7):
        Membership.objects.filter(
            cohort=cohort, user__in=users[day::7], role=Membership.Role.PARTICIPANT
        ).update(joined=at(6 + day))


@pytest.mark.parametrize("size", [7, 140])
def test_the_grid_runs_a_fixed_number_of_queries(
    cohort, lead, client_for, django_assert_num_queries, size, on_the_14th
):
    _many_participants(cohort, size)
    client = client_for(lead)
    url = reverse("facilitation:progress", args=[cohort.slug])
    client.get(url)

    # As a cohort that goes together, and each person's dates (the Things
    # and the dates set by hand): 2 more.
    response = assert_same_queries(
        django_assert_num_queries, client, url, PAGE_QUERIES + 2
    )
    later = sum(
        not cell.is_due for row in response.context["rows"] for cell in row.cells
    )
    assert later > 0


def test_a_nudge_names_the_next_thing_due_to_each_person(
    cohort, ada, ben, make_entry, on_the_14th
):
    make_entry(ben, cohort=cohort, thing=thing(cohort.programme, 1))

    things = nudges.next_things(cohort, [ada, ben])

    assert things[ada.pk] == "Thing 1: Getting started"
    # Ben has done all that is due to him: the next to open to him.
    assert things[ben.pk] == "Thing 2: Blogging"


def test_nudging_many_takes_the_same_queries(
    cohort, django_assert_num_queries, on_the_14th
):
    _many_participants(cohort, 30)
    users = list(User.objects.filter(username__startswith="p"))

    with django_assert_num_queries(4):
        things = nudges.next_things(cohort, users)

    assert set(things.values()) == {"Thing 1: Getting started"}
