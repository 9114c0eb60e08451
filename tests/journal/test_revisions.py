"""Revisions: coalesced saves, publication, restore, and the author's history page."""

import datetime
import re
from collections.abc import Callable
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import actions
from journal.models import Entry, Revision
from journal.revisions import EditingSession
from tests.conftest import thing
from tests.journal.helpers import PERSONAS, assert_sent_to_sign_in

START = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _sessions_outlive_time_travel(settings) -> None:
    """A session saved at START (autosave writes to it) expires two weeks later,
    and one saved now expires before START: both would sign the client out."""
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600


def history_url(entry: Entry) -> str:
    return reverse(
        "journal:history",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def restore_url(entry: Entry, revision: Revision) -> str:
    return reverse(
        "journal:restore_revision",
        kwargs={
            "username": entry.author.username,
            "slug": entry.slug,
            "pk": revision.pk,
        },
    )


def autosave_url(entry: Entry) -> str:
    return reverse(
        "journal:autosave",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


@pytest.fixture
def draft(make_entry, author, cohort) -> Entry:
    with time_machine.travel(START, tick=False):
        return make_entry(
            author,
            cohort=cohort,
            thing=thing(cohort.programme, 1),
            title="Feeds",
            body="Version one.",
            visibility=Entry.Visibility.COHORT,
            publish=False,
        )


@pytest.fixture
def write(client_for, author) -> Callable[..., dict]:
    """Autosave the entry's body as the author's browser would, at a moment."""
    client = client_for(author)

    def save(entry: Entry, body: str, at: datetime.datetime, **extra) -> dict:
        entry.refresh_from_db()
        data = {
            "title": entry.title,
            "body": body,
            "visibility": entry.visibility,
            "base_version": entry.version,
            **extra,
        }
        with time_machine.travel(at, tick=False):
            response = client.post(autosave_url(entry), data)
        assert response.status_code == HTTPStatus.OK, response.content
        return response.json()

    save.client = client
    return save


def bodies(entry: Entry) -> list[str]:
    return list(
        entry.revisions.order_by("-updated", "-pk").values_list("body", flat=True)
    )


def test_saves_close_together_share_a_revision(write, draft):
    minute = datetime.timedelta(minutes=1)

    write(draft, "Two.", START + minute)
    write(draft, "Three.", START + 4 * minute)
    write(draft, "Four.", START + 9 * minute)

    assert bodies(draft) == ["Four.", "Version one."]
    revision = draft.revisions.order_by("-updated").first()
    assert revision.version == 4
    assert revision.created == START + minute
    assert revision.updated == START + 9 * minute


def test_a_save_eleven_minutes_later_starts_a_new_revision(write, draft):
    write(draft, "Two.", START + datetime.timedelta(minutes=1))
    write(draft, "Three.", START + datetime.timedelta(minutes=12))

    assert bodies(draft) == ["Three.", "Two.", "Version one."]


def test_another_editing_session_starts_its_own_revision(
    write, client_for, author, draft
):
    write(draft, "From the laptop.", START + datetime.timedelta(minutes=1))
    phone = client_for(author)  # another sign-in: another session
    with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
        phone.post(
            autosave_url(draft),
            {"title": "Feeds", "body": "From the phone.", "visibility": "cohort"}
            | {"base_version": 2},
        )

    assert bodies(draft) == ["From the phone.", "From the laptop.", "Version one."]


def test_another_tab_is_another_editing_session(write, draft):
    """Same browser, two editor pages: keeping tab B's text over tab A's must
    leave tab A's words in the history, not fold B's into A's revision."""
    minute = datetime.timedelta(minutes=1)
    tab_a, tab_b = "editor-page-of-tab-a", "editor-page-of-tab-b"

    write(draft, "Tab A.", START + minute, editor_key=tab_a)
    write(draft, "Tab A, more.", START + 2 * minute, editor_key=tab_a)
    write(draft, "Tab B.", START + 3 * minute, editor_key=tab_b)

    assert bodies(draft) == ["Tab B.", "Tab A, more.", "Version one."]


def test_publishing_always_starts_a_new_revision(write, draft):
    write(draft, "Nearly there.", START + datetime.timedelta(minutes=1))
    with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
        response = write.client.post(
            draft.get_edit_url(),
            {
                "title": "Feeds",
                "body": "Nearly there.",
                "visibility": "cohort",
                "base_version": 2,
                "publish": "1",
            },
        )

    assert response.status_code == HTTPStatus.FOUND
    assert bodies(draft) == ["Nearly there.", "Nearly there.", "Version one."]
    draft.refresh_from_db()
    assert draft.is_published
    # What the entry shows is the newest revision's, at the same moment.
    assert draft.revisions.order_by("-updated").first().updated == draft.updated


def test_autosaves_of_a_published_entry_are_their_own_revision(write, draft):
    draft.refresh_from_db()
    with time_machine.travel(START, tick=False):
        actions.save_entry(entry=draft, publish=True, session=EditingSession())

    write(draft, "Kept aside.", START + datetime.timedelta(minutes=1))
    write(draft, "Kept aside, more.", START + datetime.timedelta(minutes=2))

    assert bodies(draft) == ["Kept aside, more.", "Version one.", "Version one."]
    draft.refresh_from_db()
    assert draft.body == "Version one."


def test_restore_saves_an_old_revision_as_a_new_version(write, draft):
    write(draft, "Two.", START + datetime.timedelta(minutes=1))
    write(draft, "Three.", START + datetime.timedelta(minutes=20))
    first = draft.revisions.get(body="Version one.")

    with time_machine.travel(START + datetime.timedelta(minutes=21), tick=False):
        response = write.client.post(restore_url(draft, first))

    draft.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == draft.get_edit_url()
    assert draft.body == "Version one."
    assert draft.version == 4
    assert bodies(draft) == ["Version one.", "Three.", "Two.", "Version one."]
    assert draft.revisions.order_by("-updated").first().version == 4


def test_restore_on_a_published_entry_renders_the_words(make_entry, author, client_for):
    entry = make_entry(
        author, title="Notes", body="**bold** start", visibility="private"
    )
    entry.body = "plain now"
    actions.save_entry(entry=entry, publish=True)
    first = entry.revisions.get(body="**bold** start")

    client_for(author).post(restore_url(entry, first))

    entry.refresh_from_db()
    assert entry.body == "**bold** start"
    assert "<strong>bold</strong>" in entry.body_html


def test_restore_ignores_another_entrys_revision(client_for, author, draft, make_entry):
    other = make_entry(
        author, title="Other", body="Not this one.", visibility="private"
    )
    revision = other.revisions.get()

    response = client_for(author).post(restore_url(draft, revision))

    assert response.status_code == HTTPStatus.NOT_FOUND
    draft.refresh_from_db()
    assert draft.body == "Version one."


def test_history_lists_revisions_with_their_changes(write, draft):
    write(draft, "Version one.\nA second line.", START + datetime.timedelta(minutes=1))
    write(draft, "Version <b>three</b>.", START + datetime.timedelta(minutes=30))

    response = write.client.get(history_url(draft))

    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert text.index("Version 3") < text.index("Version 2") < text.index("Version 1")
    assert "+ Version &lt;b&gt;three&lt;/b&gt;." in text
    assert "<b>three</b>" not in text
    assert "\N{MINUS SIGN} A second line." in text
    assert "the first saved version" in text
    assert "What the entry shows now" in text
    assert text.count("Restore this revision") == 2


def test_history_shows_times_in_the_readers_time_zone(write, author, draft):
    author.profile.time_zone = "Asia/Tokyo"
    author.profile.save()
    write(draft, "Later.", START + datetime.timedelta(hours=2))  # 11:00 UTC

    response = write.client.get(history_url(draft))

    assert "3 Mar 2031, 20:00" in response.text  # 11:00 UTC in Tokyo
    assert "3 Mar 2031, 18:00" in response.text  # START


def test_history_marks_autosaves_not_yet_published(write, draft):
    draft.refresh_from_db()
    with time_machine.travel(START, tick=False):
        actions.save_entry(entry=draft, publish=True)
    write(draft, "Kept aside.", START + datetime.timedelta(minutes=1))

    response = write.client.get(history_url(draft))

    assert "Kept while writing, not published" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_history_is_for_the_author_alone(client_as, draft, persona):
    draft.refresh_from_db()
    actions.save_entry(entry=draft, publish=True)  # published: readable by many
    revision = draft.revisions.first()
    client = client_as(persona)

    page = client.get(history_url(draft))
    restore = client.post(restore_url(draft, revision))

    if persona == "author":
        assert page.status_code == HTTPStatus.OK
        assert restore.status_code == HTTPStatus.FOUND
    elif persona == "visitor":
        assert_sent_to_sign_in(page, history_url(draft))
        assert_sent_to_sign_in(restore, restore_url(draft, revision))
    else:
        assert page.status_code == HTTPStatus.NOT_FOUND
        assert restore.status_code == HTTPStatus.NOT_FOUND
    if persona != "author":
        draft.refresh_from_db()
        assert draft.version == 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_history_link_shows_to_the_author_only(client_as, draft, persona):
    draft.refresh_from_db()
    draft.visibility = Entry.Visibility.PUBLIC
    actions.save_entry(entry=draft, publish=True)

    response = client_as(persona).get(draft.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert (history_url(draft) in response.text) == (persona == "author")


def test_the_editor_links_to_the_history(client_for, author, draft):
    assert history_url(draft) in client_for(author).get(draft.get_edit_url()).text


def test_history_is_paginated(client_for, author, make_entry):
    draft = make_entry(author, title="Long", visibility="private", publish=False)
    for number in range(25):
        draft.body = f"Save {number}."
        actions.save_entry(entry=draft, publish=False)

    client = client_for(author)
    first = client.get(history_url(draft))
    second = client.get(history_url(draft) + "?page=2")

    def versions(response) -> list[int]:
        return [int(n) for n in re.findall(r"Version (\d+)\b", response.text)]

    assert versions(first) == list(range(26, 6, -1))
    assert first.text.count("Restore this revision") == 19  # 20, less the current
    assert versions(second) == list(range(6, 0, -1))
    assert "the first saved version" in second.text
    assert "the first saved version" not in first.text


def count_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(context.captured_queries)


def test_history_runs_the_same_queries_for_3_and_30_revisions(
    client_for, author, draft, django_assert_num_queries
):
    client = client_for(author)
    for number in range(2):
        draft.body = f"Save {number}."
        actions.save_entry(entry=draft, publish=False)
    assert draft.revisions.count() == 3
    small = count_queries(client, history_url(draft))

    for number in range(27):
        draft.body = f"More {number}."
        actions.save_entry(entry=draft, publish=False)
    assert draft.revisions.count() == 30

    with django_assert_num_queries(small):
        response = client.get(history_url(draft))
    assert response.status_code == HTTPStatus.OK
    assert small <= 8
