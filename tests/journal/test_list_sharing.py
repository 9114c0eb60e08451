"""The cohort page's and a Thing's lists of entries are shared by every reader
who may see the same ones (journal/listing.py): warmed by one reader, read by
another, each sees exactly what DESIGN.md lets them see."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.models import Entry
from programmes.models import Cohort
from tests.conftest import thing

ENTRY_TABLE = f'FROM "{Entry._meta.db_table}"'


def cohort_url(cohort: Cohort, query: str = "") -> str:
    return reverse("journal:cohort", kwargs={"cohort": cohort.slug}) + query


def thing_url(cohort: Cohort) -> str:
    first = thing(cohort.programme, 1)
    return reverse("journal:thing", kwargs={"cohort": cohort.slug, "thing": first.slug})


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.text


def entries_part(html: str) -> str:
    """The list of entries, without "Read next", "Your entry" and the forms
    (each with the reader's own CSRF token)."""
    if 'id="responses"' in html:
        start = html.index('id="responses"')
    else:
        start = html.index("</form>", html.index('class="entry-filters"'))
    return html[start : html.index("</section>", start)]


@pytest.fixture
def dee(make_user, cohort, join):
    user = make_user("dee", display_name="Dee Third")
    join(user, cohort)
    return user


@pytest.fixture
def clients(client_for, author, cohort_mate, dee, facilitator) -> dict[str, Client]:
    return {
        "author": client_for(author),
        "cohort_mate": client_for(cohort_mate),
        "dee": client_for(dee),
        "facilitator": client_for(facilitator),
    }


@pytest.mark.parametrize("first", ["cohort_mate", "author", "facilitator"])
def test_a_private_entry_on_page_one_shows_to_its_author_alone(
    clients, cohort, author, cohort_mate, make_entry, first
):
    make_entry(cohort_mate, cohort=cohort, title="Open to the cohort")
    make_entry(author, cohort=cohort, title="Ada in private", visibility="private")
    page(clients[first], cohort_url(cohort))

    assert "Ada in private" in page(clients["author"], cohort_url(cohort))
    for reader in ("cohort_mate", "dee", "facilitator"):
        html = page(clients[reader], cohort_url(cohort))
        assert "Open to the cohort" in html
        assert "Ada in private" not in html


@pytest.mark.parametrize("first", ["facilitator", "cohort_mate", "author"])
def test_hidden_and_held_entries_show_to_facilitators_and_their_author(
    clients, cohort, author, cohort_mate, facilitator, make_entry, first
):
    make_entry(cohort_mate, cohort=cohort, title="Open to the cohort")
    hidden = make_entry(author, cohort=cohort, title="Ada hidden")
    facilitation_actions.hide_item(actor=facilitator, item=hidden, reason="Spam")
    held = make_entry(cohort_mate, cohort=cohort, title="Ben held")
    Entry.objects.filter(pk=held.pk).update(held_at=timezone.now())
    journal_actions.freshness.cohorts_changed([cohort.pk])
    page(clients[first], cohort_url(cohort))

    facilitator_sees = page(clients["facilitator"], cohort_url(cohort))
    assert "Ada hidden" in facilitator_sees
    assert "Ben held" in facilitator_sees
    assert "Hidden by a facilitator" in facilitator_sees
    dee_sees = page(clients["dee"], cohort_url(cohort))
    assert "Open to the cohort" in dee_sees
    assert "Ada hidden" not in dee_sees
    assert "Ben held" not in dee_sees
    author_sees = page(clients["author"], cohort_url(cohort))
    assert "Ada hidden" in author_sees
    assert "Ben held" not in author_sees
    assert "Ben held" in entries_part(page(clients["cohort_mate"], cohort_url(cohort)))


@pytest.mark.parametrize("first", ["cohort_mate", "author"])
def test_the_thing_list_leaves_out_only_the_readers_own_entry(
    clients, cohort, author, cohort_mate, make_entry, first
):
    first_thing = thing(cohort.programme, 1)
    make_entry(author, cohort=cohort, thing=first_thing, title="Ada on Thing 1")
    make_entry(cohort_mate, cohort=cohort, thing=first_thing, title="Ben on Thing 1")
    page(clients[first], thing_url(cohort))

    author_list = entries_part(page(clients["author"], thing_url(cohort)))
    assert "Ada on Thing 1" not in author_list
    assert "Ben on Thing 1" in author_list
    mate_list = entries_part(page(clients["cohort_mate"], thing_url(cohort)))
    assert "Ada on Thing 1" in mate_list
    assert "Ben on Thing 1" not in mate_list
    dee_list = entries_part(page(clients["dee"], thing_url(cohort)))
    assert "Ada on Thing 1" in dee_list
    assert "Ben on Thing 1" in dee_list


def test_comment_counts_are_each_readers_own(
    clients, cohort, author, cohort_mate, make_entry, make_comment
):
    entry = make_entry(author, cohort=cohort, title="Talked about")
    make_comment(entry, cohort_mate, "For everyone")
    journal_actions.add_comment(
        entry=entry, author=cohort_mate, body="Only for Ada", private=True
    )
    page(clients["dee"], cohort_url(cohort))

    assert "1 comment<" in page(clients["dee"], cohort_url(cohort))
    for reader in ("author", "cohort_mate", "facilitator"):
        assert "2 comments" in page(clients[reader], cohort_url(cohort))


def test_a_comment_moves_the_count_at_once_and_not_the_shared_list(
    clients, cohort, author, cohort_mate, make_entry, make_comment
):
    first_thing = thing(cohort.programme, 1)
    entry = make_entry(author, cohort=cohort, thing=first_thing, title="Talked about")
    make_comment(entry, cohort_mate, "First")
    page(clients["dee"], thing_url(cohort))
    page(clients["cohort_mate"], thing_url(cohort))

    make_comment(entry, cohort_mate, "Second")
    with CaptureQueriesContext(connection) as context:
        html = page(clients["dee"], thing_url(cohort))

    assert "2 comments" in html
    assert not [q for q in context.captured_queries if ENTRY_TABLE in q["sql"]]


def test_an_older_private_entry_keeps_the_shared_first_page(
    clients, cohort, author, cohort_mate, make_entry
):
    private = make_entry(
        author, cohort=cohort, title="Ada long ago", visibility="private"
    )
    Entry.objects.filter(pk=private.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30)
    )
    for number in range(21):
        make_entry(cohort_mate, cohort=cohort, title=f"Ben number {number}")
    page(clients["dee"], cohort_url(cohort))

    first = page(clients["author"], cohort_url(cohort))
    assert "Ada long ago" not in first
    assert "Page 1 of 2" in first
    assert entries_part(first) == entries_part(page(clients["dee"], cohort_url(cohort)))
    second = page(clients["author"], cohort_url(cohort, "?page=2"))
    assert "Ada long ago" in second
    assert "Ada long ago" not in page(clients["dee"], cohort_url(cohort, "?page=2"))


def test_a_private_entry_that_adds_a_page_changes_the_page_count(
    clients, cohort, author, cohort_mate, make_entry
):
    private = make_entry(
        author, cohort=cohort, title="Ada long ago", visibility="private"
    )
    Entry.objects.filter(pk=private.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30)
    )
    for number in range(20):
        make_entry(cohort_mate, cohort=cohort, title=f"Ben number {number}")
    page(clients["dee"], cohort_url(cohort))

    assert "Page 1 of 2" in page(clients["author"], cohort_url(cohort))
    assert "Page 1 of" not in page(clients["dee"], cohort_url(cohort))
