"""Versioned saves from the editor: an older version never overwrites a newer one."""

import html
from http import HTTPStatus

import pytest
from django.urls import reverse

from journal import actions
from journal.models import Entry
from journal.revisions import EditingSession
from tests.conftest import thing

MINUS = "\N{MINUS SIGN}"  # what the diff marks removed lines with


def form_data(**overrides) -> dict[str, str]:
    data = {
        "title": "Feeds",
        "body": "Written in tab A.",
        "action": "",
        "minutes": "",
        "visibility": "cohort",
    }
    data.update(overrides)
    return {key: str(value) for key, value in data.items() if value is not None}


@pytest.fixture
def draft(make_entry, author, cohort) -> Entry:
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="Feeds",
        body="The first version.",
        publish=False,
    )


def test_each_save_bumps_the_version(client_for, author, draft):
    client = client_for(author)

    client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))
    client.post(draft.get_edit_url(), form_data(base_version=2, publish="1"))

    draft.refresh_from_db()
    assert draft.version == 3
    assert draft.is_published


def test_the_editor_carries_the_version_it_shows(client_for, author, draft):
    client_for(author).post(draft.get_edit_url(), form_data(base_version=1, save="1"))

    response = client_for(author).get(draft.get_edit_url())

    assert 'name="base_version" value="2"' in response.text


def test_an_error_keeps_the_version_the_text_started_from(client_for, author, draft):
    client = client_for(author)
    client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))

    # Tab B, still on version 1, posts a bad title: the form comes back with
    # version 1, not the newer 2, or its next save would overwrite tab A's.
    response = client.post(
        draft.get_edit_url(),
        form_data(title="", body="Tab B.", base_version=1, save="1"),
    )

    assert response.status_code == HTTPStatus.OK
    assert 'name="base_version" value="1"' in response.text


@pytest.mark.parametrize("button", ["save", "publish"])
def test_a_save_from_an_older_version_is_a_409_showing_both(
    client_for, author, draft, button
):
    client = client_for(author)
    client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))

    response = client.post(
        draft.get_edit_url(),
        form_data(body="Written in tab B.", base_version=1, **{button: "1"}),
    )

    assert response.status_code == HTTPStatus.CONFLICT
    text = html.unescape(response.text)
    assert "This entry changed since you opened it" in text
    # Theirs, editable in the form, and the server's, read-only; and the diff.
    assert "Written in tab B." in text
    assert "Written in tab A." in text
    removed = f"{MINUS} Written in tab A."
    assert (
        f'<del class="diff__line diff__line--removed">{removed}</del>' in response.text
    )
    assert 'name="base_version" value="2"' in response.text
    expected = "Keep mine and publish" if button == "publish" else "Keep mine"
    assert expected in text
    draft.refresh_from_db()
    assert draft.body == "Written in tab A."
    assert draft.version == 2
    assert draft.status == Entry.Status.DRAFT
    # The fixture's and tab A's: the refused save kept nothing.
    assert list(draft.revisions.values_list("body", flat=True)) == [
        "Written in tab A.",
        "The first version.",
    ]


def test_keep_mine_saves_it_on_top_as_a_new_version(client_for, author, draft):
    client = client_for(author)
    client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))
    client.post(
        draft.get_edit_url(),
        form_data(body="Written in tab B.", base_version=1, save="1"),
    )

    # The conflict page's form: their text, based on the server's version.
    response = client.post(
        draft.get_edit_url(),
        form_data(body="Written in tab B.", base_version=2, save="1"),
    )

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.body == "Written in tab B."
    assert draft.version == 3
    bodies = list(draft.revisions.values_list("body", flat=True))
    assert "Written in tab B." in bodies


def test_keep_the_saved_version_discards_mine(client_for, author, draft):
    client = client_for(author)
    client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))
    conflict = client.post(
        draft.get_edit_url(),
        form_data(body="Written in tab B.", base_version=1, save="1"),
    )

    # "Keep the saved version" is a link back to the editor, which shows it.
    assert f'href="{draft.get_edit_url()}"' in conflict.text
    editor = client.get(draft.get_edit_url())

    assert "Written in tab A." in editor.text
    assert "Written in tab B." not in editor.text
    draft.refresh_from_db()
    assert draft.body == "Written in tab A."
    assert draft.version == 2


def test_the_same_words_from_an_older_version_are_no_conflict(
    client_for, author, draft
):
    """A double submit, or a page whose autosave got there first."""
    client = client_for(author)
    client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))

    response = client.post(draft.get_edit_url(), form_data(base_version=1, save="1"))

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.version == 3


def test_an_unreadable_version_counts_as_the_oldest(client_for, author, draft):
    response = client_for(author).post(
        draft.get_edit_url(),
        form_data(body="Something else.", base_version="1e99", save="1"),
    )

    assert response.status_code == HTTPStatus.CONFLICT
    draft.refresh_from_db()
    assert draft.body == "The first version."


def test_a_new_page_for_a_thing_written_meanwhile_gets_the_conflict(
    client_for, author, cohort, draft
):
    """Tab B opened "Write your entry" before tab A's entry existed."""
    write_url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    response = client_for(author).post(
        write_url, form_data(body="Tab B's first words.", base_version=0, publish="1")
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert "Tab B&#x27;s first words." in response.text
    assert f'action="{draft.get_edit_url()}"' in response.text
    assert Entry.objects.count() == 1
    draft.refresh_from_db()
    assert draft.body == "The first version."
    assert not draft.is_published


def test_a_resubmitted_new_page_saves_onto_the_entry_it_made(client_for, author):
    client = client_for(author)
    data = form_data(visibility="private", base_version=0, save="1")
    data["editor_key"] = "the-key-of-this-very-page"

    client.post(reverse("journal:write"), data)
    client.post(reverse("journal:write"), {**data, "body": "And a bit more."})

    entry = Entry.objects.get()
    assert entry.body == "And a bit more."
    assert entry.version == 2


def test_the_conflict_page_escapes_both_versions(client_for, author, draft):
    client = client_for(author)
    client.post(
        draft.get_edit_url(),
        form_data(body="<script>alert('a')</script>", base_version=1, save="1"),
    )

    response = client.post(
        draft.get_edit_url(),
        form_data(body="<img src=x onerror=alert(1)>", base_version=1, save="1"),
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;" in response.text


def test_two_saves_racing_from_one_version_cannot_both_win(author, draft):
    tab_a = Entry.objects.get(pk=draft.pk)
    tab_b = Entry.objects.get(pk=draft.pk)
    tab_a.body, tab_b.body = "A", "B"

    actions.save_entry(entry=tab_a, publish=False, base_version=1)
    with pytest.raises(actions.EditConflict) as raised:
        actions.save_entry(
            entry=tab_b, publish=False, base_version=1, session=EditingSession()
        )

    assert raised.value.state.version == 2
    assert raised.value.state.text.body == "A"
    draft.refresh_from_db()
    assert draft.body == "A"


def test_a_drafts_address_follows_its_title_when_first_published(
    client_for, author, draft
):
    """A draft made by autosave took its address from half a title."""
    client = client_for(author)
    client.post(draft.get_edit_url(), form_data(title="Fee", base_version=1, save="1"))

    client.post(
        draft.get_edit_url(),
        form_data(title="Feeds for busy people", base_version=2, publish="1"),
    )
    client.post(
        f"/@{author.username}/feeds-for-busy-people/edit/",
        form_data(title="Renamed later", base_version=3, publish="1"),
    )

    draft.refresh_from_db()
    assert draft.slug == "feeds-for-busy-people"
    assert draft.title == "Renamed later"
