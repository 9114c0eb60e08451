"""Every journal page for every persona: DESIGN.md, "Who sees what".

Signed in, what one may not see is a 404, never a 403; a visitor asking for
anything that is not public is sent to sign in, whether or not it exists.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from journal.models import Comment, Entry
from tests.conftest import thing
from tests.journal.helpers import MEMBERS, PERSONAS, assert_sent_to_sign_in

VISITOR = "visitor"
SIGNED_IN = [persona for persona in PERSONAS if persona != VISITOR]
OUTSIDERS = ["outsider", "other_facilitator"]


def expect(response, persona: str, allowed: list[str], url: str) -> None:
    """200 for who may see it, sign-in for a visitor, 404 for everyone else."""
    if persona in allowed:
        assert response.status_code == HTTPStatus.OK
    elif persona == VISITOR:
        assert_sent_to_sign_in(response, url)
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.fixture
def entries(author, cohort, make_entry) -> dict[str, Entry]:
    """The author's published entries, one per visibility, and a draft."""
    return {
        "private": make_entry(
            author, cohort=cohort, title="Private", visibility="private"
        ),
        "cohort": make_entry(
            author, cohort=cohort, title="Cohort", visibility="cohort"
        ),
        "public": make_entry(
            author, cohort=cohort, title="Public", visibility="public"
        ),
        "draft": make_entry(
            author, cohort=cohort, title="Draft", visibility="public", publish=False
        ),
    }


# Home


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_is_for_everyone(client_as, persona):
    response = client_as(persona).get(reverse("home"))

    assert response.status_code == HTTPStatus.OK
    if persona == VISITOR:
        assert "Create an account" in response.text
    else:
        assert "Hello," in response.text


# Cohort pages: the cohort's members only


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["journal:cohort", "journal:people"])
def test_cohort_pages_are_for_members(client_as, cohort, persona, name):
    url = reverse(name, kwargs={"cohort": cohort.slug})

    response = client_as(persona).get(url)

    expect(response, persona, MEMBERS, url)
    if response.status_code == HTTPStatus.OK:
        assert cohort.name in response.text


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["journal:cohort", "journal:people"])
def test_an_unknown_cohort_is_not_found(client_as, persona, name):
    url = reverse(name, kwargs={"cohort": "no-such-cohort"})

    response = client_as(persona).get(url)

    expect(response, persona, [], url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_open_thing_is_for_members(client_as, cohort, persona):
    url = reverse(
        "journal:thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    response = client_as(persona).get(url)

    expect(response, persona, MEMBERS, url)
    if response.status_code == HTTPStatus.OK:
        assert "Getting started" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_thing_not_yet_open_is_for_the_facilitator(client_as, cohort, persona):
    url = reverse(
        "journal:thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 4).slug},
    )

    response = client_as(persona).get(url)

    expect(response, persona, ["facilitator"], url)
    if response.status_code == HTTPStatus.OK:
        assert "Participants see this Thing from" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("slug", ["podcasts", "no-such-thing"])
def test_a_draft_or_unknown_thing_is_not_found(client_as, cohort, persona, slug):
    url = reverse("journal:thing", kwargs={"cohort": cohort.slug, "thing": slug})

    response = client_as(persona).get(url)

    expect(response, persona, [], url)


def test_a_thing_of_the_cohort_is_not_found_in_another_cohort(
    client_for, everyone, cohort
):
    """Membership of another cohort of the same programme opens nothing here."""
    url = reverse(
        "journal:thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    response = client_for(everyone["outsider"]).get(url)

    assert response.status_code == HTTPStatus.NOT_FOUND


# A person's journal: public, showing what the reader may see


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_journal_is_for_everyone(client_as, author, persona):
    response = client_as(persona).get(
        reverse("journal:journal", kwargs={"username": author.username})
    )

    assert response.status_code == HTTPStatus.OK
    assert "Ada Author\N{RIGHT SINGLE QUOTATION MARK}s journal" in response.text


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_an_unknown_journal_is_not_found(client_as, persona):
    response = client_as(persona).get(
        reverse("journal:journal", kwargs={"username": "nobody"})
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


# An entry


READERS = {
    "private": ["author"],
    "cohort": ["author", "cohort_mate", "facilitator"],
    "public": PERSONAS,
    "draft": ["author"],
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(READERS))
def test_an_entry_is_for_its_readers(client_as, entries, persona, kind):
    entry = entries[kind]
    url = entry.get_absolute_url()

    response = client_as(persona).get(url)

    expect(response, persona, READERS[kind], url)
    if response.status_code == HTTPStatus.OK:
        assert entry.title in response.text
    else:
        assert entry.title not in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_unknown_entry_is_not_found(client_as, author, persona):
    url = reverse(
        "journal:entry", kwargs={"username": author.username, "slug": "no-such"}
    )

    response = client_as(persona).get(url)

    expect(response, persona, [], url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_entry_of_an_unknown_author_is_not_found(client_as, persona):
    url = reverse("journal:entry", kwargs={"username": "nobody", "slug": "no-such"})

    response = client_as(persona).get(url)

    expect(response, persona, [], url)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(READERS))
def test_only_the_author_edits_an_entry(client_as, entries, persona, kind):
    url = entries[kind].get_edit_url()

    response = client_as(persona).get(url)

    expect(response, persona, ["author"], url)
    if response.status_code == HTTPStatus.OK:
        assert "Edit your entry" in response.text


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_nobody_else_can_post_to_an_entrys_editor(client_as, entries, persona):
    entry = entries["public"]

    response = client_as(persona).post(
        entry.get_edit_url(),
        {"title": "Taken over", "body": "", "visibility": "public", "publish": "1"},
    )

    entry.refresh_from_db()
    if persona == "author":
        assert response.status_code == HTTPStatus.FOUND
        assert entry.title == "Taken over"
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert entry.title == "Public"


def test_a_visitor_cannot_post_to_an_entrys_editor(client_as, entries):
    entry = entries["public"]
    url = entry.get_edit_url()

    response = client_as(VISITOR).post(
        url, {"title": "Taken over", "visibility": "public", "publish": "1"}
    )

    assert_sent_to_sign_in(response, url)
    entry.refresh_from_db()
    assert entry.title == "Public"


# Writing


@pytest.mark.parametrize("persona", PERSONAS)
def test_writing_on_an_open_thing_is_for_members(client_as, cohort, persona):
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    response = client_as(persona).get(url)

    expect(response, persona, MEMBERS, url)
    if response.status_code == HTTPStatus.OK:
        assert "Write your entry" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_writing_on_a_thing_not_yet_open_is_for_the_facilitator(
    client_as, cohort, persona
):
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 4).slug},
    )

    response = client_as(persona).get(url)

    expect(response, persona, ["facilitator"], url)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("slug", ["podcasts", "no-such-thing"])
def test_writing_on_a_draft_or_unknown_thing_is_not_found(
    client_as, cohort, persona, slug
):
    url = reverse(
        "journal:write_on_thing", kwargs={"cohort": cohort.slug, "thing": slug}
    )

    response = client_as(persona).get(url)

    expect(response, persona, [], url)


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_post_an_entry_on_a_thing(client_as, cohort, persona):
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    response = client_as(persona).post(
        url, {"title": "Sneaked in", "visibility": "public", "publish": "1"}
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Entry.objects.filter(title="Sneaked in").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_free_reflection_is_for_anyone_signed_in(client_as, persona):
    url = reverse("journal:write")

    response = client_as(persona).get(url)

    expect(response, persona, SIGNED_IN, url)
    if response.status_code == HTTPStatus.OK:
        assert "Write a free reflection" in response.text


# Comments


COMMENTERS = {
    "private": [],
    "cohort": MEMBERS,
    "public": MEMBERS,
    "draft": [],
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", list(COMMENTERS))
def test_comments_are_written_by_members_who_can_read(
    client_as, entries, persona, kind
):
    entry = entries[kind]
    url = reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )

    response = client_as(persona).post(url, {"body": f"Comment by {persona}"})

    created = Comment.objects.filter(entry=entry, body=f"Comment by {persona}")
    if persona in COMMENTERS[kind]:
        assert response.status_code == HTTPStatus.FOUND
        assert created.exists()
    elif persona == VISITOR:
        assert_sent_to_sign_in(response, url)
        assert not created.exists()
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert not created.exists()


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_a_public_entry_shows_the_comment_form_only_to_members(
    client_as, entries, persona
):
    response = client_as(persona).get(entries["public"].get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert ("Add a comment" in response.text) is (persona in MEMBERS)


def test_a_visitor_is_invited_to_sign_in_to_comment(client_as, entries):
    response = client_as(VISITOR).get(entries["public"].get_absolute_url())

    assert "Add a comment" not in response.text
    assert "Sign in</a> to join the conversation" in response.text


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_commenting_on_a_free_reflection_is_closed(
    client_as, author, make_entry, persona
):
    """A public entry with no cohort has no cohort members to write comments."""
    entry = make_entry(author, title="Open thought", visibility="public")
    url = reverse(
        "journal:add_comment",
        kwargs={"username": author.username, "slug": entry.slug},
    )

    response = client_as(persona).post(url, {"body": "Hello"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not entry.comments.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_commenting_on_an_unknown_entry(client_as, author, persona):
    url = reverse(
        "journal:add_comment", kwargs={"username": author.username, "slug": "nope"}
    )

    response = client_as(persona).post(url, {"body": "Hello"})

    expect(response, persona, [], url)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_comments_cannot_be_read_with_get(client_as, entries, persona):
    entry = entries["public"]
    url = reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )

    response = client_as(persona).get(url)

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.fixture
def comment(entries, cohort_mate, make_comment) -> Comment:
    return make_comment(entries["cohort"], cohort_mate, "Comment from Ben")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["journal:edit_comment", "journal:delete_comment"])
def test_only_its_writer_edits_or_deletes_a_comment(client_as, comment, persona, name):
    url = reverse(name, kwargs={"pk": comment.pk})

    response = client_as(persona).get(url)

    expect(response, persona, ["cohort_mate"], url)
    if response.status_code == HTTPStatus.OK:
        assert "Comment from Ben" in response.text


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_else_can_change_a_comment(client_as, comment, persona):
    edit_url = reverse("journal:edit_comment", kwargs={"pk": comment.pk})
    delete_url = reverse("journal:delete_comment", kwargs={"pk": comment.pk})
    client = client_as(persona)

    edit = client.post(edit_url, {"body": "Changed"})
    delete = client.post(delete_url)

    if persona == "cohort_mate":
        assert edit.status_code == HTTPStatus.FOUND
        assert delete.status_code == HTTPStatus.FOUND
        assert not Comment.objects.filter(pk=comment.pk).exists()
        return
    comment.refresh_from_db()
    assert comment.body == "Comment from Ben"
    assert comment.state == Comment.State.VISIBLE
    if persona == VISITOR:
        assert_sent_to_sign_in(edit, edit_url)
        assert_sent_to_sign_in(delete, delete_url)
    else:
        assert edit.status_code == HTTPStatus.NOT_FOUND
        assert delete.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["journal:edit_comment", "journal:delete_comment"])
def test_an_unknown_comment_is_not_found(client_as, persona, name):
    url = reverse(name, kwargs={"pk": 999_999})

    response = client_as(persona).get(url)

    expect(response, persona, [], url)


def test_a_deleted_comment_cannot_be_edited_by_its_writer(
    client_for, comment, author, cohort_mate, make_comment
):
    make_comment(comment.entry, author, "reply", parent=comment)
    client = client_for(cohort_mate)
    client.post(reverse("journal:delete_comment", kwargs={"pk": comment.pk}))

    response = client.get(reverse("journal:edit_comment", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.NOT_FOUND


# The Markdown preview


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_preview_is_for_anyone_signed_in(client_as, persona):
    url = reverse("preview")

    response = client_as(persona).post(url, {"body": "Some **bold** words"})

    expect(response, persona, SIGNED_IN, url)
    if response.status_code == HTTPStatus.OK:
        assert "<strong>bold</strong>" in response.text


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_preview_takes_only_posts(client_as, persona):
    response = client_as(persona).get(reverse("preview"))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_preview_is_sanitised(client_as):
    response = client_as("author").post(
        reverse("preview"),
        {
            "body": "<script>alert(1)</script>"
            '<img src=x onerror="alert(2)">'
            "[x](javascript:alert(3))"
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "<script" not in response.text
    assert "onerror" not in response.text
    assert "javascript:" not in response.text
