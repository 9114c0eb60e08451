"""An open programme's public pages: its Things and the public entries on
them, for anyone; a closed programme has none (DESIGN.md, "Who sees what")."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.models import Entry
from programmes import actions as programme_actions
from tests.conftest import thing
from tests.queries import assert_same_queries, count_queries

PUBLIC = Entry.Visibility.PUBLIC


def programme_url(programme) -> str:
    return reverse("journal:open_programme", kwargs={"programme": programme.slug})


def thing_url(programme, slug: str) -> str:
    return reverse(
        "journal:open_thing", kwargs={"programme": programme.slug, "thing": slug}
    )


@pytest.fixture
def open_programme(programme):
    return programme_actions.set_programme_open(programme=programme, is_open=True)


@pytest.mark.parametrize("persona", ["visitor", "outsider", "author"])
def test_closed_or_unknown_programme_is_a_404_for_everyone(
    client_as, programme, persona
):
    client = client_as(persona)
    assert client.get(programme_url(programme)).status_code == HTTPStatus.NOT_FOUND
    unknown = reverse("journal:open_programme", kwargs={"programme": "nothing"})
    assert client.get(unknown).status_code == HTTPStatus.NOT_FOUND
    page = thing_url(programme, "getting-started")
    assert client.get(page).status_code == HTTPStatus.NOT_FOUND


def test_it_shows_the_summary_and_published_things_in_order(client, open_programme):
    response = client.get(programme_url(open_programme))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "A programme." in html
    titles = ["Getting started", "Blogging", "Feeds", "Networks"]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Podcasts" not in html  # a draft
    assert thing_url(open_programme, "blogging") in html


def test_a_thing_page_shows_its_prompt_to_a_visitor(client, open_programme):
    response = client.get(thing_url(open_programme, "blogging"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Introduction to <strong>Blogging</strong>." in html
    assert "What do you know about blogging?" in html
    assert "Try it." in html
    assert thing_url(open_programme, "getting-started") in html  # previous
    assert thing_url(open_programme, "feeds") in html  # next


def test_a_draft_thing_is_a_404(client, open_programme):
    response = client.get(thing_url(open_programme, "podcasts"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_only_public_published_shown_entries_appear(
    client,
    open_programme,
    cohort,
    facilitator,
    author,
    cohort_mate,
    make_entry,
    make_user,
    join,
):
    dora = make_user("dora")
    join(dora, cohort)
    on_thing = thing(open_programme, 1)
    shown = make_entry(
        author, cohort=cohort, thing=on_thing, title="Shown entry", visibility=PUBLIC
    )
    make_entry(cohort_mate, cohort=cohort, thing=on_thing, title="Cohort entry")
    make_entry(
        author,
        cohort=cohort,
        thing=thing(open_programme, 2),
        title="Draft entry",
        visibility=PUBLIC,
        publish=False,
    )
    deleted = make_entry(
        dora,
        cohort=cohort,
        thing=on_thing,
        title="Deleted entry",
        visibility=PUBLIC,
    )
    journal_actions.delete_entry(entry=deleted)
    hidden = make_entry(
        facilitator,
        cohort=cohort,
        thing=on_thing,
        title="Hidden entry",
        visibility=PUBLIC,
    )
    facilitation_actions.hide_item(actor=facilitator, item=hidden)

    html = client.get(thing_url(open_programme, "getting-started")).content.decode()
    assert shown.title in html
    for title in ["Cohort entry", "Draft entry", "Deleted entry", "Hidden entry"]:
        assert title not in html
    listing = client.get(programme_url(open_programme)).content.decode()
    assert "1 public entry" in listing


def test_an_owner_opens_and_closes_it_in_the_studio(
    client, client_for, owner, programme
):
    studio = client_for(owner)
    url = reverse("studio:set_programme_open", kwargs={"slug": programme.slug})
    assert studio.post(url, {"open": "1"}).status_code == HTTPStatus.FOUND
    assert client.get(programme_url(programme)).status_code == HTTPStatus.OK
    assert studio.post(url, {"open": "0"}).status_code == HTTPStatus.FOUND
    assert client.get(programme_url(programme)).status_code == HTTPStatus.NOT_FOUND


def test_only_an_owner_may_open_it(client_for, facilitator, programme):
    url = reverse("studio:set_programme_open", kwargs={"slug": programme.slug})
    response = client_for(facilitator).post(url, {"open": "1"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    programme.refresh_from_db()
    assert not programme.is_open


def _public_entries(make_user, make_entry, cohort, join, programme, count: int):
    for number in range(count):
        writer = make_user(f"writer{number:03d}")
        join(writer, cohort)
        for n in (1, 2):
            make_entry(
                writer,
                cohort=cohort,
                thing=thing(programme, n),
                visibility=PUBLIC,
                title=f"Entry {number} on {n}",
            )


@pytest.mark.parametrize("reader", ["visitor", "outsider"])
def test_query_counts_do_not_grow_with_the_data(
    client_as,
    reader,
    django_assert_num_queries,
    open_programme,
    cohort,
    make_user,
    make_entry,
    join,
    facilitator_user,
):
    programme_actions.set_open_joining(
        cohort=cohort, open_to_all=True, member_cap=None, join_until=None
    )
    _public_entries(make_user, make_entry, cohort, join, open_programme, 2)
    pages = [
        programme_url(open_programme),
        thing_url(open_programme, "getting-started"),
    ]
    client = client_as(reader)
    counts = [count_queries(client, url) for url in pages]
    for number in range(2, 30):
        writer = make_user(f"more{number:03d}")
        join(writer, cohort)
        make_entry(
            writer, cohort=cohort, thing=thing(open_programme, 1), visibility=PUBLIC
        )
    for number in range(5):
        more = programme_actions.create_cohort(
            programme=open_programme,
            facilitator=facilitator_user,
            name=f"Cohort {number}",
            slug=f"cohort-{number}",
            start_date=cohort.start_date,
        )
        programme_actions.set_open_joining(
            cohort=more, open_to_all=True, member_cap=10, join_until=None
        )
    for url, count in zip(pages, counts, strict=True):
        assert_same_queries(django_assert_num_queries, client, url, count)
