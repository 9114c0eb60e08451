"""Autosave: JSON in and out, for existing entries and the first save of new ones."""

import html
import json
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from journal import actions, tags
from journal.models import Entry, Revision
from tests.conftest import thing

DRAFT_KEY = "a-draft-key-from-the-page"
OTHER_KEY = "another-page-another-key"


def fields(**overrides) -> dict[str, str]:
    data = {
        "title": "Feeds, at last",
        "body": "## What do you know?\n\nMore than last week.",
        "action": "Subscribe to three blogs.",
        "minutes": "30",
        "visibility": "cohort",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def body_field(page: str) -> str:
    """What the editor's reflection field holds."""
    match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(match[1]).strip()


def autosave_url(entry: Entry) -> str:
    return reverse(
        "journal:autosave",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


@pytest.fixture
def draft(make_entry, author, cohort) -> Entry:
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="Feeds",
        body="First thoughts.",
        publish=False,
    )


@pytest.fixture
def published(make_entry, author, cohort) -> Entry:
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 2),
        title="Blogging",
        body="What readers see.",
    )


@pytest.fixture
def new_on_thing_url(cohort) -> str:
    return reverse(
        "journal:autosave_new_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )


def test_it_saves_a_draft_and_bumps_its_version(client_for, author, draft):
    response = client_for(author).post(
        autosave_url(draft), fields(base_version=draft.version)
    )

    assert response.status_code == HTTPStatus.OK
    data = response.json()
    draft.refresh_from_db()
    assert draft.version == 2
    assert data["version"] == 2
    assert data["pending"] is False
    assert data["edit_url"] == draft.get_edit_url()
    assert data["autosave_url"] == autosave_url(draft)
    assert data["storage_key"] == f"ponder:{author.pk}:{draft.pk}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", data["saved_at"])
    assert draft.body == "## What do you know?\n\nMore than last week."
    assert "<h2>What do you know?</h2>" in draft.body_html
    assert draft.minutes == 30
    assert draft.status == Entry.Status.DRAFT


def test_it_takes_json_and_keeps_the_fields_it_is_not_sent(client_for, author, draft):
    draft.action = "Keep this action."
    draft.save()
    actions.apply_tags(entry=draft, tags=tags.parse_tags("feeds, reading"))

    response = client_for(author).post(
        autosave_url(draft),
        json.dumps({"body": "Only the body changes.", "base_version": draft.version}),
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.OK
    draft.refresh_from_db()
    assert draft.body == "Only the body changes."
    assert draft.title == "Feeds"
    assert draft.action == "Keep this action."
    assert sorted(tag.slug for tag in draft.tags.all()) == ["feeds", "reading"]


@pytest.mark.parametrize(
    "payload", [b"{not json", b"[1, 2]", b'{"body": {"nested": 1}}', b"\xff\xfe"]
)
def test_bad_json_is_a_400_and_changes_nothing(client_for, author, draft, payload):
    response = client_for(author).post(
        autosave_url(draft), payload, content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "bad_request"
    draft.refresh_from_db()
    assert draft.version == 1


def test_signed_out_gets_401_json_not_a_redirect(draft, new_on_thing_url):
    client = Client()
    for url in [autosave_url(draft), reverse("journal:autosave_new"), new_on_thing_url]:
        response = client.post(url, fields(base_version=1))

        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"] == "signed_out"
        assert response.json()["login_url"] == reverse("account_login")
    draft.refresh_from_db()
    assert draft.body == "First thoughts."
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["cohort_mate", "facilitator", "outsider", "other_facilitator"]
)
def test_it_checks_ownership(client_as, draft, published, persona):
    client = client_as(persona)
    for entry in [draft, published]:
        response = client.post(autosave_url(entry), fields(base_version=5))

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json()["error"] == "not_found"
        entry.refresh_from_db()
        assert entry.version == 1
        assert entry.revisions.count() == 1


def test_an_unknown_entry_is_a_404(client_for, author):
    url = reverse("journal:autosave", kwargs={"username": "ada", "slug": "nope"})

    response = client_for(author).post(url, fields(base_version=1))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_it_only_takes_posts(client_for, author, draft):
    assert client_for(author).get(autosave_url(draft)).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "t" * 201, "at most 200 characters"),
        ("title", "   ", "required"),
        ("minutes", "-5", "greater than or equal to 0"),
        ("visibility", "everyone", "Select a valid choice"),
    ],
)
def test_bad_input_is_a_422_with_field_errors(
    client_for, author, draft, field, value, error
):
    response = client_for(author).post(
        autosave_url(draft), fields(base_version=1, **{field: value})
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    data = response.json()
    assert data["error"] == "invalid"
    assert error in " ".join(data["errors"][field])
    assert error in data["message"]
    draft.refresh_from_db()
    assert draft.version == 1
    assert draft.body == "First thoughts."


def test_a_missing_base_version_is_a_422(client_for, author, draft):
    response = client_for(author).post(autosave_url(draft), fields())

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "base_version" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_stale_autosave_is_a_409_with_the_servers_words(client_for, author, draft):
    client = client_for(author)
    client.post(autosave_url(draft), fields(body="Tab A's words.", base_version=1))

    response = client.post(
        autosave_url(draft), fields(body="Tab B's words.", base_version=1)
    )

    assert response.status_code == HTTPStatus.CONFLICT
    data = response.json()
    assert data["error"] == "conflict"
    assert data["version"] == 2
    assert data["server"]["body"] == "Tab A's words."
    assert {"kind": "removed", "text": "Tab A's words."} in data["diff"]["body"]
    assert {"kind": "added", "text": "Tab B's words."} in data["diff"]["body"]
    assert data["edit_url"] == draft.get_edit_url()
    draft.refresh_from_db()
    assert draft.body == "Tab A's words."
    assert draft.version == 2


def test_csrf_stays_on_and_the_pages_token_works(author, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    refused = client.post(autosave_url(draft), fields(base_version=1))
    page = client.get(draft.get_edit_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    accepted = client.post(
        autosave_url(draft), fields(base_version=1), headers={"X-CSRFToken": token}
    )

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert accepted.status_code == HTTPStatus.OK


def test_the_first_autosave_of_a_free_reflection_creates_its_draft_once(
    client_for, author
):
    client = client_for(author)
    url = reverse("journal:autosave_new")

    first = client.post(url, fields(visibility="private", editor_key=DRAFT_KEY))
    # The page never heard back, so it sends again to the same address.
    again = client.post(
        url,
        fields(visibility="private", body="A little more.", editor_key=DRAFT_KEY),
    )

    entry = Entry.objects.get()
    assert first.status_code == HTTPStatus.CREATED
    assert first.json()["created"] is True
    assert first.json()["edit_url"] == entry.get_edit_url()
    assert first.json()["storage_key"] == f"ponder:{author.pk}:{entry.pk}"
    assert again.status_code == HTTPStatus.OK
    assert again.json()["edit_url"] == entry.get_edit_url()
    assert entry.status == Entry.Status.DRAFT
    assert entry.thing is None
    assert entry.body == "A little more."
    assert entry.version == 2


def test_another_new_page_makes_another_free_reflection(client_for, author):
    client = client_for(author)
    url = reverse("journal:autosave_new")

    client.post(url, fields(visibility="private", editor_key=DRAFT_KEY))
    client.post(url, fields(visibility="private", editor_key=OTHER_KEY))

    assert Entry.objects.count() == 2


def test_the_first_autosave_on_a_thing_creates_the_entry(
    client_for, author, cohort, new_on_thing_url
):
    response = client_for(author).post(new_on_thing_url, fields(editor_key=DRAFT_KEY))

    entry = Entry.objects.get()
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["edit_url"] == entry.get_edit_url()
    assert entry.thing == thing(cohort.programme, 1)
    assert entry.cohort == cohort
    assert entry.status == Entry.Status.DRAFT
    assert entry.revisions.count() == 1


def test_one_entry_per_thing_another_page_gets_a_409_with_its_url(
    client_for, author, new_on_thing_url
):
    client = client_for(author)
    client.post(new_on_thing_url, fields(body="Tab A.", editor_key=DRAFT_KEY))

    response = client.post(
        new_on_thing_url, fields(body="Tab B.", editor_key=OTHER_KEY)
    )

    entry = Entry.objects.get()
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["edit_url"] == entry.get_edit_url()
    assert response.json()["server"]["body"] == "Tab A."
    assert entry.body == "Tab A."


def test_a_thing_that_is_not_open_to_me_is_a_404(client_for, outsider, cohort):
    url = reverse(
        "journal:autosave_new_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    response = client_for(outsider).post(url, fields(editor_key=DRAFT_KEY))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Entry.objects.exists()


def test_a_published_entry_keeps_autosaves_aside(client_for, author, published):
    body_html = published.body_html
    client = client_for(author)

    response = client.post(
        autosave_url(published),
        fields(title="Blogging", body="Half-edited **words**.", base_version=1),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["pending"] is True
    assert response.json()["version"] == 2
    published.refresh_from_db()
    assert published.body == "What readers see."
    assert published.body_html == body_html
    assert published.version == 2
    kept = published.revisions.order_by("-updated").first()
    assert kept.body == "Half-edited **words**."
    # Readers still see the published words.
    assert "What readers see." in client.get(published.get_absolute_url()).text


def test_the_editor_offers_autosaved_changes_back(client_for, author, published):
    client = client_for(author)
    client.post(
        autosave_url(published),
        fields(title="Blogging", body="Half-edited words.", base_version=1),
    )

    editor = client.get(published.get_edit_url())
    restored = client.get(published.get_edit_url() + "?autosaved=restore")

    assert "You have unsaved changes from" in editor.text
    assert body_field(editor.text) == "What readers see."
    assert "These are your unpublished changes" in restored.text
    assert body_field(restored.text) == "Half-edited words."
    assert 'name="base_version" value="2"' in restored.text


def test_autosaved_words_reach_the_script_as_inert_data(client_for, author, published):
    client = client_for(author)
    hostile = "</script><script>alert(1)</script>"
    client.post(
        autosave_url(published),
        fields(title="Blogging", body=hostile, base_version=1),
    )

    editor = client.get(published.get_edit_url()).text

    assert '<script id="autosaved-words" type="application/json">' in editor
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in editor
    assert "<script>alert(1)" not in editor


def test_update_applies_the_autosaved_words(client_for, author, published):
    client = client_for(author)
    client.post(
        autosave_url(published),
        fields(title="Blogging", body="Half-edited words.", base_version=1),
    )

    response = client.post(
        published.get_edit_url(),
        fields(title="Blogging", body="Finished words.", base_version=2, publish="1"),
    )

    assert response.status_code == HTTPStatus.FOUND
    published.refresh_from_db()
    assert published.body == "Finished words."
    assert published.version == 3
    assert "You have unsaved changes" not in client.get(published.get_edit_url()).text


def test_discarding_autosaved_changes(client_for, author, published):
    client = client_for(author)
    client.post(
        autosave_url(published),
        fields(title="Blogging", body="Not wanted.", base_version=1),
    )
    url = reverse(
        "journal:discard_autosaved",
        kwargs={"username": author.username, "slug": published.slug},
    )

    response = client.post(url)

    assert response["Location"] == published.get_edit_url()
    assert not Revision.objects.filter(body="Not wanted.").exists()
    assert "You have unsaved changes" not in client.get(published.get_edit_url()).text
    published.refresh_from_db()
    assert published.body == "What readers see."


def test_others_cannot_discard(client_as, published):
    url = reverse(
        "journal:discard_autosaved",
        kwargs={"username": published.author.username, "slug": published.slug},
    )

    assert client_as("cohort_mate").post(url).status_code == HTTPStatus.NOT_FOUND


def test_the_editor_carries_what_autosave_needs(client_for, author, draft, cohort):
    client = client_for(author)

    edit = client.get(draft.get_edit_url()).text
    new = client.get(
        reverse(
            "journal:write_on_thing",
            kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 2).slug},
        )
    ).text

    assert f'data-autosave-url="{autosave_url(draft)}"' in edit
    assert f'data-local-copy-key="ponder:{author.pk}:{draft.pk}"' in edit
    assert 'name="base_version" value="1"' in edit
    assert re.search(r'name="editor_key" value="[A-Za-z0-9_-]{16,64}"', edit)
    assert "js/editor.js" in edit
    cohort_id, thing_id = cohort.pk, thing(cohort.programme, 2).pk
    assert f'data-local-copy-key="ponder:{author.pk}:new-{cohort_id}-{thing_id}"' in new
    assert re.search(r'name="editor_key" value="[A-Za-z0-9_-]{16,64}"', new)
    assert 'name="base_version" value="0"' in new


def test_autosaving_onto_an_entry_deleted_meanwhile_is_gone_with_a_message(
    client_for, author, draft
):
    actions.delete_entry(entry=draft)

    response = client_for(author).post(autosave_url(draft), fields(base_version=1))

    assert response.status_code == HTTPStatus.GONE
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "deleted"
    assert response.json()["message"] == (
        "This entry was deleted; your text is kept in this browser; "
        "restore it from Deleted entries."
    )
    assert response.json()["restore_url"] == reverse("journal:deleted_entries")
    assert Entry.with_deleted.get(pk=draft.pk).body == "First thoughts."


@pytest.mark.parametrize("persona", ["cohort_mate", "facilitator", "outsider"])
def test_an_entry_deleted_meanwhile_is_still_a_404_for_others(
    client_as, draft, persona
):
    actions.delete_entry(entry=draft)

    response = client_as(persona).post(autosave_url(draft), fields(base_version=1))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["error"] == "not_found"
