"""How visitors find open programmes: the signed-out home page, the tags
that a shared link shows, and the sitemap, which never lists what a visitor
may not read."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.models import Entry
from programmes import actions as programme_actions
from tests.conftest import thing
from tests.queries import count_queries

PUBLIC = Entry.Visibility.PUBLIC


@pytest.fixture
def open_programme(programme):
    return programme_actions.set_programme_open(programme=programme, is_open=True)


def test_the_signed_out_home_page_lists_open_programmes(client, open_programme, owner):
    closed = programme_actions.create_programme(
        owner=owner, title="Closed Things", slug="closed", summary="Members only."
    )
    page = client.get(reverse("home")).content.decode()
    assert f'href="{open_programme.get_public_url()}"' in page
    assert "23 Things" in page
    assert closed.title not in page


def test_the_home_page_runs_as_many_queries_with_more_programmes(
    client, open_programme, owner
):
    before = count_queries(client, reverse("home"))
    for number in range(5):
        programme_actions.set_programme_open(
            programme=programme_actions.create_programme(
                owner=owner, title=f"P{number}", slug=f"p{number}", summary=""
            ),
            is_open=True,
        )
    assert count_queries(client, reverse("home")) == before


def test_the_programme_page_carries_a_title_description_and_open_graph(
    client, open_programme
):
    page = client.get(open_programme.get_public_url()).content.decode()
    assert "<title>23 Things · Ponder</title>" in page
    assert '<meta name="description" content="A programme.">' in page
    assert '<meta property="og:title" content="23 Things">' in page
    assert '<meta property="og:description" content="A programme.">' in page
    url = f"http://testserver{open_programme.get_public_url()}"
    assert f'<meta property="og:url" content="{url}">' in page


def test_a_thing_page_is_described_by_its_introduction(client, open_programme):
    blogging = thing(open_programme, 2)
    page = client.get(blogging.get_public_url()).content.decode()
    assert "<title>Thing 2: Blogging · 23 Things · Ponder</title>" in page
    assert '<meta name="description" content="Introduction to Blogging.">' in page
    assert '<meta property="og:title" content="Blogging">' in page


# The sitemap -------------------------------------------------------------------


def sitemap_paths(client) -> set[str]:
    response = client.get(reverse("sitemap"))
    assert response.status_code == HTTPStatus.OK
    return {
        re.sub(r"^https?://[^/]+", "", url)
        for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    }


def test_the_sitemap_lists_open_programmes_and_their_published_things(
    client, open_programme, owner
):
    programme_actions.create_programme(
        owner=owner, title="Closed", slug="closed", summary=""
    )
    paths = sitemap_paths(client)
    assert open_programme.get_public_url() in paths
    assert thing(open_programme, 1).get_public_url() in paths
    assert thing(open_programme, 5).get_public_url() not in paths  # a draft
    assert "/p/closed/" not in paths


def test_the_sitemap_lists_nothing_of_a_closed_programme(
    client, programme, cohort, author, make_entry
):
    entry = make_entry(
        author, cohort=cohort, thing=thing(programme, 1), visibility=PUBLIC
    )
    paths = sitemap_paths(client)
    assert programme.get_public_url() not in paths
    assert thing(programme, 1).get_public_url() not in paths
    assert entry.get_absolute_url() not in paths


def test_the_sitemap_lists_public_entries_and_nothing_else(
    client,
    open_programme,
    cohort,
    facilitator,
    author,
    cohort_mate,
    make_user,
    join,
    make_entry,
):
    def writer(name):
        user = make_user(name)
        join(user, cohort)
        return user

    on_one = thing(open_programme, 1)
    public = make_entry(author, cohort=cohort, thing=on_one, visibility=PUBLIC)
    cohort_only = make_entry(cohort_mate, cohort=cohort, thing=on_one)
    private = make_entry(
        writer("pia"), cohort=cohort, thing=on_one, visibility=Entry.Visibility.PRIVATE
    )
    draft = make_entry(
        writer("dan"), cohort=cohort, thing=on_one, visibility=PUBLIC, publish=False
    )
    deleted = make_entry(writer("del"), cohort=cohort, thing=on_one, visibility=PUBLIC)
    journal_actions.delete_entry(entry=deleted)
    hidden = make_entry(facilitator, cohort=cohort, thing=on_one, visibility=PUBLIC)
    facilitation_actions.hide_item(actor=facilitator, item=hidden)

    paths = sitemap_paths(client)

    assert public.get_absolute_url() in paths
    for left_out in (cohort_only, private, draft, deleted, hidden):
        assert left_out.get_absolute_url() not in paths, left_out.title


def test_the_sitemap_leaves_out_entries_on_a_draft_thing(
    client, open_programme, cohort, author, make_entry
):
    entry = make_entry(
        author, cohort=cohort, thing=thing(open_programme, 1), visibility=PUBLIC
    )
    programme_actions.set_thing_published(
        thing=thing(open_programme, 1), published=False
    )
    assert entry.get_absolute_url() not in sitemap_paths(client)


def test_the_sitemap_runs_as_many_queries_with_more_entries(
    client, open_programme, cohort, make_user, join, make_entry
):
    def write(count: int, prefix: str) -> None:
        for number in range(count):
            user = make_user(f"{prefix}{number}")
            join(user, cohort)
            make_entry(
                user, cohort=cohort, thing=thing(open_programme, 1), visibility=PUBLIC
            )

    write(2, "few")
    before = count_queries(client, reverse("sitemap"))
    write(20, "many")
    assert count_queries(client, reverse("sitemap")) == before
