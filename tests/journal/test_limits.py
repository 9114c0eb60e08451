"""Limits are shown before they bite, and text over one is refused, never cut.

A browser cuts text pasted into a control with `maxlength` without a word (a
23,200-character comment arrived as its first 10,000): controls carry
`data-limit` for the counter instead, the limit is stated beside them, and the
form refuses longer text with an error, keeping all of it.
"""

import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from journal.models import Comment, Entry
from tests.conftest import thing
from tests.journal.helpers import errors_beside


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))


@pytest.fixture
def comments_url(entry) -> str:
    return reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def control(page: str, control_id: str) -> str:
    match = re.search(rf'<(textarea|input)\b[^>]*\bid="{control_id}"[^>]*>', page)
    assert match, f"no control {control_id}"
    return match.group(0)


def limit_note(page: str, control_id: str) -> str:
    match = re.search(
        rf'<div [^>]*data-limit-for="{control_id}"[^>]*>([^<]*)</div>', page
    )
    assert match, f"no limit stated for {control_id}"
    return match.group(1)


def test_the_comment_box_states_its_limit_and_cuts_nothing(
    client_for, cohort_mate, entry
):
    page = client_for(cohort_mate).get(entry.get_absolute_url()).text

    body = control(page, "id_body")
    assert "maxlength" not in body
    assert 'data-limit="10000"' in body
    assert "id_body_limit" in body  # aria-describedby
    assert limit_note(page, "id_body") == "Up to 10,000 characters."


def test_a_reply_box_states_its_limit_and_cuts_nothing(
    client_for, author, cohort_mate, entry, make_comment
):
    comment = make_comment(entry, cohort_mate, "A question?")

    page = client_for(author).get(f"{entry.get_absolute_url()}?reply_to={comment.pk}")

    reply = control(page.text, f"reply-{comment.pk}")
    assert "maxlength" not in reply
    assert 'data-limit="10000"' in reply
    assert limit_note(page.text, f"reply-{comment.pk}") == "Up to 10,000 characters."


def test_a_comment_of_23200_characters_is_refused_whole(
    client_for, cohort_mate, comments_url
):
    body = "word" * 5800

    response = client_for(cohort_mate).post(comments_url, {"body": body})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 10000 characters (it has 23200)" in errors_beside(
        response.text, "id_body"
    )
    assert body in response.text
    assert not Comment.objects.exists()


def test_the_comment_edit_box_states_its_limit(
    client_for, cohort_mate, entry, make_comment
):
    comment = make_comment(entry, cohort_mate, "As written")

    page = client_for(cohort_mate).get(
        reverse("journal:edit_comment", kwargs={"pk": comment.pk})
    )

    assert "maxlength" not in control(page.text, "id_body")
    assert limit_note(page.text, "id_body") == "Up to 10,000 characters."


EDITOR_LIMITS = [
    ("title", 200, "Up to 200 characters."),
    ("body", 100_000, "Up to 100,000 characters."),
    ("action", 1000, "Up to 1,000 characters."),
    ("tags", 1000, "Up to 1,000 characters."),
]


@pytest.mark.parametrize(("field", "limit", "stated"), EDITOR_LIMITS)
def test_the_editor_states_each_limit_and_cuts_nothing(
    client_for, author, cohort, field, limit, stated
):
    write_url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    page = client_for(author).get(write_url).text

    box = control(page, f"id_{field}")
    assert "maxlength" not in box
    assert f'data-limit="{limit}"' in box
    assert limit_note(page, f"id_{field}") == stated


@pytest.mark.parametrize(("field", "limit", "stated"), EDITOR_LIMITS)
def test_the_editor_refuses_each_field_over_its_limit_and_keeps_it(
    client_for, author, cohort, field, limit, stated
):
    write_url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )
    text = "a," * (limit // 2) + "z"
    data = {
        "title": "What I learned",
        "body": "Quite a lot.",
        "visibility": "cohort",
        "publish": "1",
        field: text,
    }

    response = client_for(author).post(write_url, data)

    assert response.status_code == HTTPStatus.OK
    assert f"at most {limit} characters" in errors_beside(response.text, f"id_{field}")
    assert text in html.unescape(response.text)
    assert not Entry.objects.exists()
