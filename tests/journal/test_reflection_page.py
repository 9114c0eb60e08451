"""The author's private reflection reading of their own entry (issue 20): the
page, who may see it (the author alone), the programme's switch, and that the
link to it never reaches HTML cached for another reader."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from core.cache import clear_caches
from journal import actions as journal_actions
from journal.models import Entry
from programmes import actions as programme_actions
from programmes.models import Programme
from tests.conftest import thing
from tests.journal.helpers import assert_sent_to_sign_in
from tests.queries import count_queries

#: Covers description, feelings, evaluation and action plan; the first stage
#: it misses is analysis.
TEXT = """Yesterday I ran a drop-in session on reference managers. I felt nervous
before it started. The demo went well.

## Notes

Next time I will bring printed handouts.
"""
THINGS_QUESTION = "Why did it go that way for you?"
MODELS_QUESTION = "Why did it go that way? What helps you make sense of it"
LINK_TEXT = "How reflective is this?"
#: The session, the user with their profile, the entry with its cohort,
#: programme and Thing, the bell's count.
PAGE_QUERIES = 4


def reflection_url(entry: Entry) -> str:
    return reverse("journal:reflection", kwargs={"username": "ada", "slug": entry.slug})


@pytest.fixture
def entry(make_entry, author, cohort) -> Entry:
    blogging = thing(cohort.programme, 2)
    programme_actions.update_thing(
        thing=blogging, questions=["What do you know about blogging?", THINGS_QUESTION]
    )
    # In the visitors' time zone, so that only what they may see tells their
    # keys to shared HTML apart from the others'.
    Profile.objects.update(time_zone=settings.TIME_ZONE)
    return make_entry(
        author,
        cohort=cohort,
        thing=blogging,
        title="Drop-in",
        body=TEXT,
        visibility=Entry.Visibility.PUBLIC,
    )


def _switch(programme: Programme, on: bool) -> None:
    programme_actions.update_programme(
        programme=programme, offers_reflection_reading=on
    )


def _sentence_items(html: str) -> list[str]:
    section = html.split('id="sentences-heading"')[1]
    return re.findall(r"<li>(.*?)</li>", section, re.S)


# The page -------------------------------------------------------------------


def test_it_shows_the_stages_covered_and_not(client_for, author, entry):
    response = client_for(author).get(reflection_url(entry))

    assert response.status_code == HTTPStatus.OK
    stages = response.text.split('id="stages-heading"')[1].split("</ol>")[0]
    items = re.findall(r'<li class="reflection-stage[^"]*">(.*?)</li>', stages, re.S)
    covered = {
        re.search(r'__name">([^<]+)<', item).group(1): "Covered: 1 sentence" in item
        for item in items
    }
    assert covered == {
        "Description": True,
        "Feelings": True,
        "Evaluation": True,
        "Analysis": False,
        "Conclusion": False,
        "Action plan": True,
    }
    assert stages.count("Not covered yet") == 2


def test_it_marks_each_sentence_with_its_stages(client_for, author, entry):
    html = client_for(author).get(reflection_url(entry)).text

    items = _sentence_items(html)
    assert len(items) == 4
    assert items[0].startswith(
        "<mark>Yesterday I ran a drop-in session on reference managers.</mark>"
    )
    assert '<span class="badge">Description</span>' in items[0]
    assert '<span class="badge">Feelings</span>' in items[1]
    assert '<span class="badge">Evaluation</span>' in items[2]
    assert '<span class="badge">Action plan</span>' in items[3]
    # The heading is left out; the stage names are text, not colour alone.
    assert "Notes" not in "".join(items)
    assert html.count('<span class="visually-hidden">Stages:</span>') == 4


def test_it_asks_the_things_question_when_one_fits(client_for, author, entry):
    html = client_for(author).get(reflection_url(entry)).text

    assert THINGS_QUESTION in html
    assert "One of the Thing's own questions" in html
    assert "Analysis." in html


def test_it_asks_the_models_question_when_no_question_of_the_thing_fits(
    client_for, author, entry
):
    programme_actions.update_thing(thing=entry.thing, questions=["What next?"])

    html = client_for(author).get(reflection_url(entry)).text

    assert MODELS_QUESTION in html
    assert "Gibbs' question (not the Thing's)" in html


def test_it_reads_the_saved_text_and_says_only_the_author_sees_it(
    client_for, author, entry
):
    entry.body = "I will ask a colleague next time."
    journal_actions.save_entry(entry=entry, publish=True)

    html = client_for(author).get(reflection_url(entry)).text

    assert len(_sentence_items(html)) == 1
    assert "Only you see it" in html
    assert "cues, not meaning" in html
    assert "knows English cues only" not in html


def test_it_says_it_knows_english_cues_only_in_another_language(
    client_for, author, entry
):
    author.profile.language = "de"
    author.profile.save(update_fields=["language"])

    html = client_for(author).get(reflection_url(entry)).text

    assert 'role="note"' in html
    assert '<html lang="de"' in html


def test_a_free_reflection_has_a_reading(client_for, author, make_entry):
    free = make_entry(author, body=TEXT, visibility=Entry.Visibility.PRIVATE)

    html = client_for(author).get(reflection_url(free)).text

    assert MODELS_QUESTION in html
    assert LINK_TEXT in client_for(author).get(free.get_absolute_url()).text


def test_an_empty_entry_is_read_without_error(client_for, author, make_entry, cohort):
    empty = make_entry(author, cohort=cohort, body="", publish=False)

    html = client_for(author).get(reflection_url(empty)).text

    assert "no sentences to read yet" in html
    assert "What happened? Set the scene" in html


def test_it_stores_nothing(client_for, author, entry, django_assert_num_queries):
    client = client_for(author)
    client.get(reflection_url(entry))
    clear_caches()

    with django_assert_num_queries(PAGE_QUERIES) as context:
        client.get(reflection_url(entry))

    # Reads only: nothing of the reading is written anywhere.
    assert all(q["sql"].startswith("SELECT") for q in context.captured_queries)


def test_a_post_is_refused(client_for, author, entry):
    response = client_for(author).post(reflection_url(entry))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("paragraphs", [1, 60])
def test_its_queries_do_not_grow_with_the_text(client_for, author, entry, paragraphs):
    entry.body = "\n\n".join([TEXT] * paragraphs)
    journal_actions.save_entry(entry=entry, publish=True)

    assert count_queries(client_for(author), reflection_url(entry)) == PAGE_QUERIES


# Who sees it ----------------------------------------------------------------


@pytest.fixture
def superuser(make_user):
    return make_user("root-ponder", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "persona",
    ["cohort_mate", "facilitator", "outsider", "other_facilitator", "owner"],
)
def test_it_is_a_404_for_everyone_but_the_author(
    request, client_for, everyone, owner, entry, persona
):
    user = owner if persona == "owner" else everyone[persona]

    response = client_for(user).get(reflection_url(entry))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_it_is_a_404_for_a_superuser(client_for, superuser, entry):
    response = client_for(superuser).get(reflection_url(entry))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_it_sends_a_visitor_to_sign_in(entry):
    url = reflection_url(entry)

    assert_sent_to_sign_in(Client().get(url), url)


def test_it_is_a_404_for_an_unknown_entry(client_for, author):
    url = reverse("journal:reflection", kwargs={"username": "ada", "slug": "nope"})

    assert client_for(author).get(url).status_code == HTTPStatus.NOT_FOUND


def test_it_is_a_404_for_a_deleted_entry(client_for, author, entry):
    journal_actions.delete_entry(entry=entry)

    response = client_for(author).get(reflection_url(entry))

    assert response.status_code == HTTPStatus.NOT_FOUND


# The programme's switch -----------------------------------------------------


def test_switched_off_it_is_a_404_for_the_author_and_no_link_shows(
    client_for, author, entry
):
    client = client_for(author)
    assert LINK_TEXT in client.get(entry.get_absolute_url()).text
    _switch(entry.cohort.programme, on=False)

    assert client.get(reflection_url(entry)).status_code == HTTPStatus.NOT_FOUND
    # The author's article was cached with the link: the switch moves it on.
    assert LINK_TEXT not in client.get(entry.get_absolute_url()).text
    assert LINK_TEXT not in client.get(entry.get_edit_url()).text


def test_switched_on_again_the_link_comes_back(client_for, author, entry):
    client = client_for(author)
    _switch(entry.cohort.programme, on=False)
    assert LINK_TEXT not in client.get(entry.get_absolute_url()).text
    _switch(entry.cohort.programme, on=True)

    assert LINK_TEXT in client.get(entry.get_absolute_url()).text
    assert client.get(reflection_url(entry)).status_code == HTTPStatus.OK


def test_the_editor_links_to_the_reading(client_for, author, entry):
    html = client_for(author).get(entry.get_edit_url()).text

    assert f'href="{reflection_url(entry)}"' in html


def test_a_free_reflection_keeps_it_when_a_programme_turns_it_off(
    client_for, author, make_entry, programme
):
    free = make_entry(author, body=TEXT, visibility=Entry.Visibility.PRIVATE)
    _switch(programme, on=False)

    assert client_for(author).get(reflection_url(free)).status_code == HTTPStatus.OK


# The link in shared HTML ----------------------------------------------------


@pytest.mark.parametrize("reader", ["cohort_mate", "facilitator", "visitor"])
def test_the_link_warmed_by_the_author_never_reaches_another_reader(
    client_as, entry, reader
):
    author_html = client_as("author").get(entry.get_absolute_url()).text
    assert reflection_url(entry) in author_html

    other = client_as(reader).get(entry.get_absolute_url())

    assert other.status_code == HTTPStatus.OK
    assert reflection_url(entry) not in other.text
    assert LINK_TEXT not in other.text


@pytest.mark.parametrize("reader", ["cohort_mate", "facilitator", "visitor"])
def test_a_reader_warming_the_article_gives_the_author_the_link(
    client_as, entry, reader
):
    other = client_as(reader).get(entry.get_absolute_url())
    assert reflection_url(entry) not in other.text

    author_html = client_as("author").get(entry.get_absolute_url()).text

    assert reflection_url(entry) in author_html
    # And the other reader's copy, read again, still has none.
    assert (
        reflection_url(entry)
        not in client_as(reader).get(entry.get_absolute_url()).text
    )


def test_the_owner_reading_a_members_entry_gets_no_link(
    client_for, client_as, owner, entry
):
    programme_actions.join_cohort(user=owner, cohort=entry.cohort)
    client_as("author").get(entry.get_absolute_url())

    html = client_for(owner).get(entry.get_absolute_url()).text

    assert reflection_url(entry) not in html
