"""Reflection templates: the structure a new entry starts from."""

from __future__ import annotations

import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from core.markdown import render_markdown
from journal import reflection_templates
from journal.models import Entry
from journal.reflection_templates import (
    BLANK,
    GIBBS,
    QUESTIONS,
    WHAT_SO_WHAT,
    choose,
    starter_body,
)
from tests.conftest import thing

GIBBS_HEADINGS = [
    "Description",
    "Feelings",
    "Evaluation",
    "Analysis",
    "Conclusion",
    "Action plan",
]


def headings(markdown: str) -> list[str]:
    return re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)


def textarea(page: str) -> str:
    """The text in the editor's body field, as the browser would show it."""
    match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no body field"
    return html.unescape(match.group(1)).lstrip("\n")


@pytest.fixture
def write_url(cohort) -> str:
    return reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )


# --- the starter texts -------------------------------------------------------


def test_gibbs_has_six_stages_each_with_an_italic_prompt(programme):
    text = starter_body(key=GIBBS, thing=thing(programme, 1))

    assert headings(text) == GIBBS_HEADINGS
    for section in text.split("## ")[1:]:
        _heading, prompt = section.strip().split("\n\n")
        assert re.fullmatch(r"_[^_\n]+_", prompt), prompt
        assert prompt.endswith("?_") or prompt.endswith("._")


def test_what_so_what_now_what(programme):
    text = starter_body(key=WHAT_SO_WHAT, thing=None)

    assert headings(text) == ["What?", "So what?", "Now what?"]
    assert text.count("\n_") == 3


def test_the_things_questions_are_its_own(programme):
    first = thing(programme, 1)

    assert starter_body(key=QUESTIONS, thing=first) == (
        "## What do you know about getting started?\n\n\n\n## What next?\n\n\n\n"
    )


def test_blank_is_empty(programme):
    assert starter_body(key=BLANK, thing=thing(programme, 1)) == ""


def test_the_default_is_the_things_questions_or_blank_for_a_free_reflection(
    programme,
):
    first = thing(programme, 1)

    assert choose(None, first).key == QUESTIONS
    assert choose("nonsense", first).key == QUESTIONS
    assert choose(None, None).key == BLANK
    # A free reflection has no questions to start from.
    assert choose(QUESTIONS, None).key == BLANK
    assert QUESTIONS not in [t.key for t in reflection_templates.available(None)]


def test_a_thing_without_questions_starts_blank(programme):
    first = thing(programme, 1)
    first.questions = []

    assert choose(None, first).key == BLANK
    assert [t.key for t in reflection_templates.available(first)] == [
        GIBBS,
        WHAT_SO_WHAT,
        BLANK,
    ]


def test_the_starter_markdown_renders_as_headings_and_italics():
    rendered = render_markdown(starter_body(key=GIBBS, thing=None))

    assert "<h2>Description</h2>" in rendered
    assert "<em>What happened?" in rendered


# --- the editor --------------------------------------------------------------


def test_a_new_entry_on_a_thing_starts_from_its_questions(
    client_for, author, write_url
):
    response = client_for(author).get(write_url)

    assert headings(textarea(response.text)) == [
        "What do you know about getting started?",
        "What next?",
    ]
    assert 'href="?template=gibbs"' in response.text
    assert 'href="?template=questions" data-starter aria-current="true"' in (
        response.text
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (GIBBS, GIBBS_HEADINGS),
        (WHAT_SO_WHAT, ["What?", "So what?", "Now what?"]),
        (BLANK, []),
    ],
)
def test_picking_a_template_reloads_the_editor_with_it(
    client_for, author, write_url, key, expected
):
    response = client_for(author).get(write_url, {"template": key})

    assert response.status_code == HTTPStatus.OK
    assert headings(textarea(response.text)) == expected
    assert f'href="?template={key}" data-starter aria-current="true"' in response.text
    assert not Entry.objects.exists()


def test_a_free_reflection_starts_blank_and_offers_no_questions(client_for, author):
    url = reverse("journal:write")
    client = client_for(author)

    response = client.get(url)

    assert textarea(response.text) == ""
    assert "?template=questions" not in response.text
    assert 'href="?template=blank" data-starter aria-current="true"' in response.text

    response = client.get(url, {"template": GIBBS})

    assert headings(textarea(response.text)) == GIBBS_HEADINGS


def test_the_chosen_template_does_not_leak_into_an_existing_entry(
    client_for, author, cohort, make_entry
):
    entry = make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        body="My own words.",
        publish=False,
    )

    response = client_for(author).get(entry.get_edit_url(), {"template": GIBBS})

    assert textarea(response.text) == "My own words."
    assert "data-starter" not in response.text
    assert "Description" not in response.text


def test_saving_with_a_template_in_the_url_saves_what_was_posted(
    client_for, author, write_url
):
    response = client_for(author).post(
        f"{write_url}?template={GIBBS}",
        {"title": "Mine", "body": "Just this.", "visibility": "cohort", "save": "1"},
    )

    entry = Entry.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert entry.body == "Just this."


def test_after_a_post_the_menu_is_gone_and_the_writers_text_stays(
    client_for, author, write_url
):
    response = client_for(author).post(
        f"{write_url}?template={GIBBS}",
        {"title": "", "body": "Half a thought.", "visibility": "cohort", "save": "1"},
    )

    assert response.status_code == HTTPStatus.OK
    assert textarea(response.text) == "Half a thought."
    assert "data-starter" not in response.text
