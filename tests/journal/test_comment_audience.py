"""The comment form says who will read the comment, before it is posted."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from journal import actions
from journal.forms import comment_audience
from journal.models import Entry
from tests.conftest import thing

PUBLIC = "Anyone on the web can read this, under your name."
COHORT = "Members of Spring cohort can read this, under your name."
PRIVATE = "Only Ada Author and the facilitators"
ONLY_THE_AUTHOR = "Only you can read this entry, and so this comment."


@pytest.fixture
def entry_for(author, cohort, make_entry):
    def make(visibility: str) -> Entry:
        return make_entry(
            author,
            cohort=cohort,
            thing=thing(cohort.programme, 1),
            visibility=visibility,
        )

    return make


def described_by(page: str, control_id: str) -> str:
    match = re.search(rf'<textarea[^>]*id="{control_id}"[^>]*>', page)
    assert match, f"no control {control_id}"
    return re.search(r'aria-describedby="([^"]*)"', match.group(0)).group(1)


@pytest.mark.parametrize(
    ("visibility", "said", "not_said"),
    [
        (Entry.Visibility.PUBLIC, PUBLIC, COHORT),
        (Entry.Visibility.COHORT, COHORT, PUBLIC),
    ],
)
def test_the_comment_form_says_who_reads_it(
    client_for, cohort_mate, entry_for, visibility, said, not_said
):
    entry = entry_for(visibility)

    page = client_for(cohort_mate).get(entry.get_absolute_url()).text

    assert 'id="id_body_helptext">' + said in page
    assert not_said not in page
    assert "id_body_helptext" in described_by(page, "id_body").split()


@pytest.mark.parametrize("in_cohort", [True, False])
def test_an_only_me_entry_shows_its_author_no_comment_form(
    client_for, author, cohort, make_entry, in_cohort
):
    entry = make_entry(
        author,
        cohort=cohort if in_cohort else None,
        thing=thing(cohort.programme, 1) if in_cohort else None,
        visibility=Entry.Visibility.PRIVATE,
    )

    page = client_for(author).get(entry.get_absolute_url())

    assert page.status_code == HTTPStatus.OK
    assert 'name="body"' not in page.text


def test_a_comment_on_an_only_me_entry_would_be_the_author_s_alone(
    author, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, visibility=Entry.Visibility.PRIVATE)

    assert comment_audience(entry) == ONLY_THE_AUTHOR


def test_the_private_box_names_the_author(client_for, cohort_mate, entry_for):
    entry = entry_for(Entry.Visibility.COHORT)

    page = client_for(cohort_mate).get(entry.get_absolute_url()).text

    assert f'<label for="id_private">{PRIVATE}' in page


def test_the_audience_is_kept_when_the_form_comes_back(
    client_for, cohort_mate, entry_for
):
    entry = entry_for(Entry.Visibility.PUBLIC)
    url = reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )

    response = client_for(cohort_mate).post(url, {"body": " "})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert 'id="id_body_helptext">' + PUBLIC in response.text


@pytest.mark.parametrize(
    ("visibility", "said"),
    [(Entry.Visibility.PUBLIC, PUBLIC), (Entry.Visibility.COHORT, COHORT)],
)
def test_a_reply_form_says_who_reads_it(
    client_for, author, cohort_mate, entry_for, make_comment, visibility, said
):
    entry = entry_for(visibility)
    comment = make_comment(entry, cohort_mate, "A question?")

    page = client_for(author).get(f"{entry.get_absolute_url()}?reply_to={comment.pk}")

    assert f'id="reply-{comment.pk}-audience">{said}' in page.text
    assert f"reply-{comment.pk}-audience reply-{comment.pk}-limit" in page.text


def test_editing_a_private_comment_says_who_reads_it(
    client_for, cohort_mate, entry_for
):
    entry = entry_for(Entry.Visibility.PUBLIC)
    comment = actions.add_comment(
        entry=entry, author=cohort_mate, body="Just for you", private=True
    )

    page = client_for(cohort_mate).get(
        reverse("journal:edit_comment", kwargs={"pk": comment.pk})
    )

    assert f'id="id_body_helptext">{PRIVATE} can read this.' in page.text
    assert PUBLIC not in page.text
