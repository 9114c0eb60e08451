"""Bounded work per page: the same number of SQL queries with 5 rows as with 50.

Each test counts the queries of a page at a small size, grows the data tenfold
and asserts the very same count (django_assert_num_queries prints every
statement when it differs). Each counted request starts with an empty cache,
so it renders everything (core/freshness.py): the work a change causes.
"""

from collections.abc import Callable
from itertools import cycle

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from journal import actions
from journal.models import Comment, Entry
from programmes.models import Cohort
from tests.conftest import thing
from tests.queries import assert_same_queries, count_queries

SMALL, LARGE = 5, 50


@pytest.fixture
def discuss(make_comment) -> Callable[[Entry, list[User]], None]:
    """A small thread on an entry: a comment, a reply and a reply to the reply."""

    def add(entry: Entry, people: list[User]) -> None:
        first, second, third = (people * 3)[:3]
        top = make_comment(entry, first, "A **comment**")
        reply = make_comment(entry, second, "A reply", parent=top)
        make_comment(entry, third, "A reply to the reply", parent=reply)

    return add


@pytest.fixture
def fill_cohort(make_entry, discuss) -> Callable[..., None]:
    """Published entries of every visibility in a cohort, on Things and free,
    each with a thread; one draft for every five entries."""

    def fill(cohort: Cohort, authors: list[User], count: int) -> None:
        things = [thing(cohort.programme, number) for number in (1, 2, 3)]
        visibilities = cycle(["cohort", "public", "private"])
        start = Entry.objects.filter(cohort=cohort).count()
        for index in range(start, start + count):
            author = authors[index % len(authors)]
            round_ = index // len(authors)
            entry = make_entry(
                author,
                cohort=cohort,
                thing=things[round_] if round_ < len(things) else None,
                title=f"Entry {index} by {author.username}",
                visibility=next(visibilities),
                publish=index % 5 != 4,
            )
            if entry.is_published and entry.visibility != "private":
                discuss(entry, authors)

    return fill


@pytest.mark.parametrize("viewer", ["cohort_mate", "facilitator"])
def test_cohort_page(
    client_as,
    cohort,
    author,
    make_members,
    fill_cohort,
    django_assert_num_queries,
    viewer,
):
    authors = [author, *make_members(cohort, 4)]
    client = client_as(viewer)
    url = reverse("journal:cohort", kwargs={"cohort": cohort.slug})
    fill_cohort(cohort, authors, SMALL)
    small = count_queries(client, url)

    fill_cohort(cohort, authors, LARGE - SMALL)

    assert_same_queries(django_assert_num_queries, client, url, small)
    assert_same_queries(django_assert_num_queries, client, f"{url}?page=2", small)


@pytest.mark.parametrize("viewer", ["author", "cohort_mate", "facilitator"])
def test_thing_page(
    client_as,
    cohort,
    author,
    make_members,
    make_entry,
    discuss,
    django_assert_num_queries,
    viewer,
):
    first = thing(cohort.programme, 1)
    make_entry(author, cohort=cohort, thing=first, title="Ada on Thing 1")
    client = client_as(viewer)
    url = reverse("journal:thing", kwargs={"cohort": cohort.slug, "thing": first.slug})

    def write(members: list[User]) -> None:
        for index, member in enumerate(members):
            entry = make_entry(
                member,
                cohort=cohort,
                thing=first,
                title=f"{member.username} on Thing 1",
                visibility=["cohort", "public", "private"][index % 3],
            )
            discuss(entry, [author, member])

    write(make_members(cohort, SMALL, prefix="early"))
    small = count_queries(client, url)

    write(make_members(cohort, LARGE - SMALL, prefix="late"))

    assert_same_queries(django_assert_num_queries, client, url, small)
    assert_same_queries(django_assert_num_queries, client, f"{url}?page=3", small)


@pytest.mark.parametrize("viewer", ["author", "cohort_mate", "visitor"])
def test_journal_page(
    client_as,
    cohort,
    author,
    cohort_mate,
    fill_cohort,
    django_assert_num_queries,
    viewer,
):
    client = client_as(viewer)
    url = reverse("journal:journal", kwargs={"username": author.username})
    # Everything by the author: drafts show in their own journal too.
    fill_cohort(cohort, [author], SMALL)
    small = count_queries(client, url)

    fill_cohort(cohort, [author], LARGE - SMALL)

    assert_same_queries(django_assert_num_queries, client, url, small)


@pytest.mark.parametrize("viewer", ["author", "cohort_mate", "facilitator", "visitor"])
def test_entry_page(
    client_as,
    cohort,
    author,
    make_members,
    make_entry,
    make_comment,
    django_assert_num_queries,
    viewer,
):
    entry = make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="Much discussed",
        visibility="public",
    )
    members = make_members(cohort, 6)
    client = client_as(viewer)
    url = entry.get_absolute_url()

    def comment(count: int) -> None:
        """Threads three deep, with the odd deleted comment kept for its replies."""
        people = cycle([author, *members])
        made = 0
        while made < count:
            top = make_comment(entry, next(people), "A **comment**")
            reply = make_comment(entry, next(people), "A reply", parent=top)
            deep = make_comment(entry, next(people), "A deep reply", parent=reply)
            make_comment(entry, next(people), "Deeper, so beside it", parent=deep)
            actions.edit_comment(comment=reply, body="A reply, edited")
            actions.delete_comment(comment=top)
            made += 4

    comment(SMALL)
    small = count_queries(client, url)

    comment(LARGE - SMALL)

    response = assert_same_queries(django_assert_num_queries, client, url, small)
    # The reply beside a deep one names whom it answers, from the same queries.
    beside = Comment.objects.filter(body="Deeper, so beside it").count()
    assert response.text.count("in reply to <a") == beside > SMALL


@pytest.mark.parametrize("viewer", ["author", "facilitator"])
def test_people_page(
    client_as,
    cohort,
    make_members,
    make_entry,
    django_assert_num_queries,
    viewer,
):
    client = client_as(viewer)
    url = reverse("journal:people", kwargs={"cohort": cohort.slug})

    def join(count: int, prefix: str) -> None:
        for index, member in enumerate(make_members(cohort, count, prefix=prefix)):
            make_entry(
                member,
                cohort=cohort,
                thing=thing(cohort.programme, 1),
                title="On Thing 1",
                visibility=["cohort", "public", "private"][index % 3],
            )
            make_entry(member, cohort=cohort, title="A draft", publish=False)

    join(SMALL, "early")
    small = count_queries(client, url)

    join(LARGE - SMALL, "late")

    # The reader's own row is counted by a query of its own, on the page
    # showing it: participants are listed first, facilitators last.
    own_page = {"author": 1, "facilitator": 2}[viewer]
    for page in (1, 2):
        expected = small if page == own_page else small - 1
        assert_same_queries(
            django_assert_num_queries, client, f"{url}?page={page}", expected
        )


def test_dashboard(
    client_as,
    cohort,
    author,
    make_members,
    make_entry,
    make_comment,
    django_assert_num_queries,
):
    client = client_as("author")
    url = reverse("home")
    members = make_members(cohort, 3)

    def write(count: int, prefix: str) -> None:
        for index in range(count):
            make_entry(
                author,
                cohort=cohort,
                title=f"{prefix} draft {index}",
                publish=False,
            )
            entry = make_entry(author, cohort=cohort, title=f"{prefix} entry {index}")
            make_comment(entry, members[index % 3], "Replying to Ada")

    write(SMALL, "early")
    small = count_queries(client, url)

    write(LARGE - SMALL, "late")

    assert_same_queries(django_assert_num_queries, client, url, small)
