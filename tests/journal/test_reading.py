"""Reading load (issue 5): "read next", readings, entries waiting for a first
comment, and the cohort page's filters."""

import datetime
from http import HTTPStatus
from itertools import cycle

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journal import actions
from journal.models import Comment, Entry, Reading
from journal.reading import read_next
from programmes.models import Cohort
from tests.conftest import thing
from tests.queries import assert_same_queries, count_queries


def published_days_ago(entry: Entry, days: float) -> None:
    Entry.objects.filter(pk=entry.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=days)
    )


def hide(item: Entry | Comment) -> None:
    type(item).objects.filter(pk=item.pk).update(hidden_at=timezone.now())


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def cohort_url(cohort: Cohort, query: str = "") -> str:
    return reverse("journal:cohort", kwargs={"cohort": cohort.slug}) + query


def listed(response) -> list[str]:
    """The titles in the cohort page's list of entries (not in "read next")."""
    assert response.status_code == HTTPStatus.OK
    return titles(response.context["page"])


# Read next: what it leaves out


def test_read_next_leaves_out_my_own_entries(author, cohort, make_entry):
    make_entry(author, cohort=cohort, title="Mine")

    assert read_next(author) == []


def test_read_next_leaves_out_entries_i_commented_on(
    author, cohort_mate, cohort, make_entry, make_comment
):
    make_entry(author, cohort=cohort, title="Not answered by Ben")
    answered = make_entry(author, cohort=cohort, title="Answered by Ben")
    make_comment(answered, cohort_mate)
    deleted = make_entry(author, cohort=cohort, title="Ben deleted his comment")
    bens = make_comment(deleted, cohort_mate)
    make_comment(deleted, author, "A reply keeps a placeholder", parent=bens)
    actions.delete_comment(comment=bens)

    assert titles(read_next(cohort_mate)) == ["Not answered by Ben"]


def test_read_next_leaves_out_other_cohorts(
    author, cohort_mate, cohort, outsider, other_cohort, make_entry
):
    make_entry(author, cohort=cohort, title="Ada in spring")
    make_entry(outsider, cohort=other_cohort, title="Oscar cohort")
    make_entry(outsider, cohort=other_cohort, title="Oscar public", visibility="public")

    assert titles(read_next(cohort_mate)) == ["Ada in spring"]
    assert titles(read_next(outsider)) == []


def test_read_next_leaves_out_private_hidden_and_draft_entries(
    author, cohort_mate, facilitator, cohort, make_entry
):
    make_entry(author, cohort=cohort, title="Cohort")
    make_entry(author, cohort=cohort, title="Only me", visibility="private")
    make_entry(author, cohort=cohort, title="Draft", publish=False)
    hide(make_entry(author, cohort=cohort, title="Hidden", visibility="public"))

    assert titles(read_next(cohort_mate)) == ["Cohort"]
    # The facilitator may read the hidden entry, but nobody can answer it.
    assert titles(read_next(facilitator)) == ["Cohort"]


def test_read_next_leaves_out_entries_older_than_a_week(
    author, cohort_mate, cohort, make_entry
):
    make_entry(author, cohort=cohort, title="This week")
    published_days_ago(make_entry(author, cohort=cohort, title="Last month"), 8)

    assert titles(read_next(cohort_mate)) == ["This week"]


def test_read_next_for_one_cohort(
    author, cohort_mate, cohort, other_cohort, make_user, join, make_entry
):
    both = make_user("bo")
    join(both, cohort)
    join(both, other_cohort)
    other = make_user("ola")
    join(other, other_cohort)
    make_entry(author, cohort=cohort, title="Spring")
    make_entry(other, cohort=other_cohort, title="Autumn")

    assert set(titles(read_next(both))) == {"Spring", "Autumn"}
    assert titles(read_next(both, cohort)) == ["Spring"]


def test_read_next_shows_a_few(author, cohort_mate, cohort, make_entry):
    for number in range(7):
        make_entry(author, cohort=cohort, title=f"Entry {number}")

    assert len(read_next(cohort_mate)) == 5


# Read next: the order


def test_read_next_puts_unanswered_then_unread_people_then_oldest_first(
    author, cohort_mate, facilitator, cohort, make_members, make_entry, make_comment
):
    carl, dora = make_members(cohort, 2)
    ada_before = make_entry(author, cohort=cohort, title="Ada, read by Ben before")
    published_days_ago(ada_before, 10)
    client = Client()
    client.force_login(cohort_mate)
    client.get(ada_before.get_absolute_url())
    answered = make_entry(carl, cohort=cohort, title="Carl, answered")
    make_comment(answered, facilitator)
    published_days_ago(answered, 3)
    published_days_ago(make_entry(author, cohort=cohort, title="Ada, new"), 1)
    published_days_ago(make_entry(dora, cohort=cohort, title="Dora, unread"), 2)
    published_days_ago(make_entry(author, cohort=cohort, title="Ada, older"), 5)

    suggested = read_next(cohort_mate)

    assert titles(suggested) == [
        "Dora, unread",
        "Ada, older",
        "Ada, new",
        "Carl, answered",
    ]
    assert [entry.waiting for entry in suggested] == [True, True, True, False]


def test_a_private_or_hidden_comment_leaves_the_entry_waiting(
    author, cohort_mate, facilitator, cohort, make_members, make_entry, make_comment
):
    (carl,) = make_members(cohort, 1)
    entry = make_entry(author, cohort=cohort, title="Only private answers")
    actions.add_comment(entry=entry, author=carl, body="Just for you", private=True)
    hide(make_comment(entry, facilitator, "Hidden"))

    assert [e.waiting for e in read_next(cohort_mate)] == [True]
    client = Client()
    client.force_login(facilitator)
    assert client.get(cohort_url(cohort)).context["waiting_count"] == 1
    assert listed(client.get(cohort_url(cohort, "?waiting=1"))) == [
        "Only private answers"
    ]


def test_read_next_box_on_the_cohort_page_and_the_dashboard(
    client_for, author, cohort_mate, cohort, make_entry
):
    make_entry(
        author, cohort=cohort, title="Fresh from Ada", thing=thing(cohort.programme, 2)
    )
    client = client_for(cohort_mate)

    for url in (cohort_url(cohort), reverse("home")):
        page = client.get(url).content.decode()
        box = page[page.index('id="read-next-heading"') :]
        assert "Fresh from Ada" in box
        assert "Ada Author" in box
        assert "Thing 2: Blogging" in box
        assert "no comments yet" in box


def test_read_next_is_a_friendly_line_when_empty(client_for, cohort_mate, cohort):
    page = client_for(cohort_mate).get(cohort_url(cohort)).content.decode()

    assert "You are all caught up" in page
    assert "read-next__list" not in page


# Readings


def test_opening_an_entry_records_the_reading_once(
    client_for, author, cohort_mate, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, title="Read twice")
    client = client_for(cohort_mate)

    client.get(entry.get_absolute_url())
    client.get(entry.get_absolute_url())

    assert list(Reading.objects.values_list("reader", "entry", "author")) == [
        (cohort_mate.pk, entry.pk, author.pk)
    ]


def test_no_reading_for_the_author_a_visitor_or_an_outsider(
    client_for, author, outsider, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, title="Public", visibility="public")

    for client in (client_for(author), Client(), client_for(outsider)):
        assert client.get(entry.get_absolute_url()).status_code == HTTPStatus.OK

    assert not Reading.objects.exists()


def test_a_facilitator_reading_is_recorded(
    client_for, author, facilitator, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort)

    client_for(facilitator).get(entry.get_absolute_url())

    assert Reading.objects.filter(reader=facilitator, author=author).exists()


# Facilitators: entries waiting for a first comment


@pytest.fixture
def waiting(author, cohort_mate, facilitator, cohort, make_entry, make_comment):
    """Two entries waiting; others answered, private, hidden or drafts."""
    make_entry(author, cohort=cohort, title="Waiting")
    make_entry(cohort_mate, cohort=cohort, title="Waiting too", visibility="public")
    make_comment(make_entry(author, cohort=cohort, title="Answered"), facilitator)
    make_entry(author, cohort=cohort, title="Only me", visibility="private")
    make_entry(author, cohort=cohort, title="Draft", publish=False)
    hide(make_entry(cohort_mate, cohort=cohort, title="Hidden"))


def test_facilitators_see_how_many_entries_wait(
    client_for, facilitator, cohort, waiting
):
    response = client_for(facilitator).get(cohort_url(cohort))

    assert response.context["waiting_count"] == 2
    page = response.content.decode()
    assert "<strong>2</strong> entries are still waiting for a first comment" in page
    assert f'href="{cohort_url(cohort, "?waiting=1")}"' in page


def test_participants_do_not_see_the_waiting_count(
    client_for, cohort_mate, cohort, waiting
):
    response = client_for(cohort_mate).get(cohort_url(cohort))

    assert response.context["waiting_count"] is None
    assert "still waiting for a first comment" not in response.content.decode()


def test_the_waiting_filter_lists_the_unanswered(
    client_for, facilitator, cohort, waiting
):
    response = client_for(facilitator).get(cohort_url(cohort, "?waiting=1"))

    assert set(listed(response)) == {"Waiting", "Waiting too"}


# Filters


@pytest.fixture
def spread(author, cohort_mate, facilitator, cohort, make_entry, make_comment):
    """Entries on Things 1 and 2 and free ones, by Ada and Ben; one answered."""
    programme = cohort.programme
    make_entry(author, cohort=cohort, thing=thing(programme, 1), title="Ada on 1")
    answered = make_entry(
        author, cohort=cohort, thing=thing(programme, 2), title="Ada on 2"
    )
    make_comment(answered, facilitator)
    make_entry(cohort_mate, cohort=cohort, thing=thing(programme, 1), title="Ben on 1")
    make_entry(cohort_mate, cohort=cohort, title="Ben free")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Ada on 1", "Ada on 2", "Ben on 1", "Ben free"}),
        ("?thing=getting-started", {"Ada on 1", "Ben on 1"}),
        ("?person=ben", {"Ben on 1", "Ben free"}),
        ("?waiting=1", {"Ada on 1", "Ben on 1", "Ben free"}),
        ("?thing=getting-started&person=ada", {"Ada on 1"}),
        ("?thing=blogging&waiting=1", set()),
    ],
)
def test_filters_narrow_the_list(
    client_for, facilitator, cohort, spread, query, expected
):
    response = client_for(facilitator).get(cohort_url(cohort, query))

    assert set(listed(response)) == expected


def test_filters_keep_their_values_in_the_form(client_for, facilitator, cohort, spread):
    page = (
        client_for(facilitator)
        .get(cohort_url(cohort, "?thing=blogging&person=ben&waiting=1"))
        .content.decode()
    )

    assert '<option value="blogging" selected>' in page
    assert 'name="person" value="ben"' in page
    assert 'name="waiting" value="1" checked' in page
    assert '<label for="filter-thing">' in page
    assert '<label for="filter-person">' in page
    assert '<label for="filter-waiting">' in page


def test_a_thing_not_yet_open_is_neither_offered_nor_applied(
    client_for, author, cohort_mate, facilitator, cohort, make_entry
):
    upcoming = thing(cohort.programme, 4)
    make_entry(author, cohort=cohort, thing=upcoming, title="Ahead of time")
    make_entry(author, cohort=cohort, title="Free")

    response = client_for(cohort_mate).get(
        cohort_url(cohort, f"?thing={upcoming.slug}")
    )

    assert f'value="{upcoming.slug}"' not in response.content.decode()
    assert set(listed(response)) == {"Ahead of time", "Free"}
    assert "There is no Thing" in response.content.decode()
    # The facilitators see the programme ahead, so they may filter by it.
    facilitated = client_for(facilitator).get(
        cohort_url(cohort, f"?thing={upcoming.slug}")
    )
    assert listed(facilitated) == ["Ahead of time"]


def test_a_person_outside_the_cohort_is_not_applied(
    client_for, cohort_mate, outsider, cohort, spread
):
    response = client_for(cohort_mate).get(cohort_url(cohort, "?person=oscar"))

    assert len(listed(response)) == 4
    assert "“oscar” is not in this cohort" in response.content.decode()
    assert 'value="oscar"' not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?thing=nope",
        "?person=nobody",
        "?waiting=yes",
        "?thing=" + "x" * 5000,
        "?person=ada&person=ben",
        "?thing[]=1&page=abc",
        "?page=999&waiting=1",
        "?thing=%F0%9F%98%80&person=%27%22%3C",
    ],
)
def test_bad_filter_values_never_fail(client_for, cohort_mate, cohort, spread, query):
    response = client_for(cohort_mate).get(cohort_url(cohort, query))

    assert response.status_code == HTTPStatus.OK


def test_a_nul_in_the_filters_is_refused_at_the_edge(client_for, cohort_mate, cohort):
    response = client_for(cohort_mate).get(cohort_url(cohort, "?thing=%00&person=%00"))

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_pagination_keeps_the_filters(client_for, facilitator, cohort, make_entry):
    for number in range(25):
        make_entry(facilitator, cohort=cohort, title=f"Fran {number}")

    page = (
        client_for(facilitator)
        .get(cohort_url(cohort, "?person=fran&waiting=1"))
        .content.decode()
    )

    assert 'href="?person=fran&amp;waiting=1&amp;page=2"' in page


# Bounded work


SMALL, LARGE = 5, 60


@pytest.fixture
def grow(make_members, make_entry, make_comment, client_for):
    """Members who each write an entry, on Things and free, of every visibility;
    some answered, some answered privately, some read by the others."""

    def add(cohort: Cohort, count: int, prefix: str) -> list[User]:
        members = make_members(cohort, count, prefix=prefix)
        things = cycle([thing(cohort.programme, n) for n in (1, 2, 3)] + [None])
        visibilities = cycle(["cohort", "public", "private", "cohort"])
        for index, member in enumerate(members):
            entry = make_entry(
                member,
                cohort=cohort,
                thing=next(things),
                title=f"{prefix} {index}",
                visibility=next(visibilities),
            )
            if index % 3 == 1 and entry.visibility != "private":
                make_comment(entry, members[0], "Answered")
            if index % 3 == 2 and entry.visibility != "private":
                actions.add_comment(
                    entry=entry, author=members[0], body="Psst", private=True
                )
            Reading.objects.create(reader=members[0], entry=entry, author=member)
        return members

    return add


@pytest.mark.parametrize("viewer", ["cohort_mate", "facilitator"])
@pytest.mark.parametrize(
    "query", ["", "?thing=getting-started&person=early000&waiting=1", "?page=2"]
)
def test_cohort_page_queries(
    client_for,
    cohort,
    cohort_mate,
    facilitator,
    grow,
    django_assert_num_queries,
    viewer,
    query,
):
    client = client_for(cohort_mate if viewer == "cohort_mate" else facilitator)
    url = cohort_url(cohort, query)
    grow(cohort, SMALL, "early")
    small = count_queries(client, url)

    grow(cohort, LARGE - SMALL, "late")

    response = assert_same_queries(django_assert_num_queries, client, url, small)
    assert len(response.context["read_next"]) == 5


def test_dashboard_queries(
    client_for, cohort, cohort_mate, other_cohort, join, grow, django_assert_num_queries
):
    join(cohort_mate, other_cohort)
    client = client_for(cohort_mate)
    url = reverse("home")
    grow(cohort, SMALL, "early")
    grow(other_cohort, SMALL, "away")
    small = count_queries(client, url)

    grow(cohort, LARGE - SMALL, "late")
    grow(other_cohort, LARGE - SMALL, "far")

    response = assert_same_queries(django_assert_num_queries, client, url, small)
    assert len(response.context["read_next"]) == 5
