"""Lists and counts show only what the viewer may read: never a draft, never
someone else's "only me", never another cohort's entries."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from journal.models import Entry
from programmes import actions as programme_actions
from tests.conftest import thing
from tests.journal.helpers import MEMBERS

# The titles each member reads among the author's published entries.
READS = {
    "author": {"Ada private", "Ada cohort", "Ada public"},
    "cohort_mate": {"Ada cohort", "Ada public"},
    "facilitator": {"Ada cohort", "Ada public"},
}
ALL_TITLES = {"Ada private", "Ada cohort", "Ada public", "Ada draft", "Oscar cohort"}


@pytest.fixture
def on_thing(author, cohort, outsider, other_cohort, make_entry) -> dict[str, Entry]:
    """The author's entries on Things 1 to 3, one per visibility, and a draft on
    Thing 1 by nobody else; an outsider's entry in the other cohort."""
    programme = cohort.programme
    return {
        "Ada private": make_entry(
            author,
            cohort=cohort,
            thing=thing(programme, 1),
            title="Ada private",
            visibility="private",
        ),
        "Ada cohort": make_entry(
            author,
            cohort=cohort,
            thing=thing(programme, 2),
            title="Ada cohort",
            visibility="cohort",
        ),
        "Ada public": make_entry(
            author,
            cohort=cohort,
            thing=thing(programme, 3),
            title="Ada public",
            visibility="public",
        ),
        "Ada draft": make_entry(
            author, cohort=cohort, title="Ada draft", visibility="public", publish=False
        ),
        "Oscar cohort": make_entry(
            outsider,
            cohort=other_cohort,
            thing=thing(programme, 1),
            title="Oscar cohort",
            visibility="cohort",
        ),
    }


def titles_in(html: str) -> set[str]:
    return {title for title in ALL_TITLES if title in html}


def entry_cards(html: str) -> set[str]:
    """Titles shown as entry cards (a list), not e.g. under "Your entry"."""
    pattern = r'class="entry-card__title"[^>]*>\s*<a [^>]*>\s*([^<]*?)\s*</a>'
    return set(re.findall(pattern, html))


@pytest.mark.parametrize("persona", MEMBERS)
def test_cohort_page_lists_what_the_member_may_read(client_as, on_thing, persona):
    response = client_as(persona).get(reverse("journal:cohort", args=["spring"]))

    assert response.status_code == HTTPStatus.OK
    assert entry_cards(response.text) == READS[persona]


def test_cohort_page_lists_cohort_free_reflections_too(
    client_as, author, cohort, make_entry
):
    make_entry(author, cohort=cohort, title="A free reflection for the cohort")

    response = client_as("cohort_mate").get(reverse("journal:cohort", args=["spring"]))

    assert "A free reflection for the cohort" in entry_cards(response.text)


def test_cohort_page_leaves_out_entries_with_no_cohort(client_as, author, make_entry):
    make_entry(author, title="Public thought", visibility="public")

    response = client_as("cohort_mate").get(reverse("journal:cohort", args=["spring"]))

    assert "Public thought" not in response.text


def test_cohort_page_counts_only_visible_comments(
    client_as, author, cohort, cohort_mate, make_entry, make_comment
):
    entry = make_entry(author, cohort=cohort, title="Talked about")
    make_comment(entry, cohort_mate, "one")
    make_comment(entry, cohort_mate, "two")

    response = client_as("facilitator").get(reverse("journal:cohort", args=["spring"]))

    assert "2 comments" in response.text


@pytest.mark.parametrize("persona", MEMBERS)
@pytest.mark.parametrize("number", [1, 2, 3])
def test_thing_page_lists_what_the_member_may_read(
    client_as, cohort, on_thing, persona, number
):
    programme = cohort.programme
    url = reverse("journal:thing", args=[cohort.slug, thing(programme, number).slug])

    response = client_as(persona).get(url)

    assert response.status_code == HTTPStatus.OK
    on_this_thing = {
        title
        for title, entry in on_thing.items()
        if entry.thing_id == thing(programme, number).pk
        and entry.cohort_id == cohort.pk
    }
    listed = entry_cards(response.text)
    if persona == "author":
        # One's own entry is under "Your entry", not in the cohort's list.
        assert listed == set()
        assert titles_in(response.text) == on_this_thing
    else:
        assert listed == on_this_thing & READS[persona]
        assert "Oscar cohort" not in response.text


def test_thing_page_offers_to_write_or_continue(client_as, author, cohort, make_entry):
    url = reverse("journal:thing", args=[cohort.slug, "getting-started"])
    assert "Write your entry" in client_as("author").get(url).text

    make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="Half done",
        publish=False,
    )
    response = client_as("author").get(url)
    assert "Continue your draft" in response.text
    assert "Half done" in response.text
    # Nobody else sees a draft, not even in the list.
    assert "Half done" not in client_as("cohort_mate").get(url).text
    assert "Half done" not in client_as("facilitator").get(url).text


READS_IN_JOURNAL = {
    **READS,
    "outsider": {"Ada public"},
    "other_facilitator": {"Ada public"},
    "visitor": {"Ada public"},
}


@pytest.mark.parametrize("persona", list(READS_IN_JOURNAL))
def test_journal_lists_what_the_reader_may_read(client_as, author, on_thing, persona):
    response = client_as(persona).get(reverse("journal:journal", args=["ada"]))

    assert response.status_code == HTTPStatus.OK
    assert entry_cards(response.text) == READS_IN_JOURNAL[persona]
    assert ("Ada draft" in response.text) is (persona == "author")
    assert "Oscar cohort" not in response.text


def test_journal_shows_the_author_their_drafts(client_as, on_thing):
    response = client_as("author").get(reverse("journal:journal", args=["ada"]))

    assert "Your drafts" in response.text
    assert on_thing["Ada draft"].get_edit_url() in response.text


@pytest.mark.parametrize("persona", ["cohort_mate", "facilitator", "visitor"])
def test_journal_of_someone_with_nothing_visible(
    client_as, author, make_entry, persona
):
    make_entry(author, title="Mine alone", visibility="private")

    response = client_as(persona).get(reverse("journal:journal", args=["ada"]))

    assert "Mine alone" not in response.text
    assert "Nothing here that you can read." in response.text


def people_row(html: str, name: str) -> list[str]:
    """The cells of the people table's row for the member called ``name``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.DOTALL):
        if f">{name}</a>" in row:
            return [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)
            ]
    raise AssertionError(f"no row for {name}")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # Name, role, entries the viewer can read (, Things done for facilitators).
        ("author", ["Ada Author", "Participant", "3"]),
        ("cohort_mate", ["Ada Author", "Participant", "2"]),
        # Completion counts "only me" entries too, as DESIGN.md says.
        ("facilitator", ["Ada Author", "Participant", "2", "3"]),
    ],
)
def test_people_page_counts_what_the_viewer_may_read(
    client_as, on_thing, persona, expected
):
    response = client_as(persona).get(reverse("journal:people", args=["spring"]))

    assert response.status_code == HTTPStatus.OK
    assert people_row(response.text, "Ada Author") == expected


def test_people_page_lists_members_of_the_cohort_only(client_as, everyone):
    response = client_as("cohort_mate").get(reverse("journal:people", args=["spring"]))

    for name in ["Ada Author", "Ben Cohort-Mate", "Fran Facilitator"]:
        assert name in response.text
    for name in ["Oscar Outsider", "Gus Other-Facilitator", "Olive Owner"]:
        assert name not in response.text
    assert "Things done" not in response.text


def test_people_page_counts_nothing_for_drafts(client_as, author, cohort, make_entry):
    make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="Unfinished",
        publish=False,
    )

    response = client_as("facilitator").get(reverse("journal:people", args=["spring"]))

    assert people_row(response.text, "Ada Author") == [
        "Ada Author",
        "Participant",
        "0",
        "0",
    ]


def test_dashboard_shows_my_drafts_and_replies_only(
    client_as, author, cohort, cohort_mate, make_entry, make_comment
):
    mine = make_entry(author, cohort=cohort, title="My published entry")
    make_entry(author, cohort=cohort, title="My draft", publish=False)
    make_entry(cohort_mate, cohort=cohort, title="Ben's draft", publish=False)
    make_comment(mine, cohort_mate, "A reply for Ada")

    response = client_as("author").get(reverse("home"))

    assert "My draft" in response.text
    assert "Ben&#x27;s draft" not in response.text
    assert "A reply for Ada" in response.text
    other = client_as("cohort_mate").get(reverse("home"))
    assert "My draft" not in other.text
    assert "Ben&#x27;s draft" in other.text


def thing_url(cohort, number: int) -> str:
    return reverse(
        "journal:thing", args=[cohort.slug, thing(cohort.programme, number).slug]
    )


@pytest.mark.parametrize(
    ("persona", "number", "previous", "following"),
    [
        # Participants see Things 1 to 3 (4 opens in six days).
        ("author", 1, None, 2),
        ("author", 2, 1, 3),
        ("author", 3, 2, None),
        # The cohort's facilitators see every published Thing ahead of time.
        ("facilitator", 3, 2, 4),
        ("facilitator", 4, 3, None),
    ],
)
def test_a_thing_page_links_to_the_previous_and_next_thing_the_viewer_may_see(
    client_as, cohort, author, facilitator, persona, number, previous, following
):
    response = client_as(persona).get(thing_url(cohort, number))

    assert response.status_code == HTTPStatus.OK
    links = dict(
        re.findall(
            r'<a class="thing-nav__\w+" rel="(prev|next)" href="([^"]+)"', response.text
        )
    )
    expected = {}
    if previous:
        expected["prev"] = thing_url(cohort, previous)
    if following:
        expected["next"] = thing_url(cohort, following)
    assert links == expected


def test_the_links_follow_the_cohorts_order(client_as, cohort, author):
    """Moving a Thing in the programme moves it in the links: its number is
    its position, its slug stays."""
    programme_actions.move_thing(thing=thing(cohort.programme, 1), offset=1)
    url = reverse("journal:thing", args=[cohort.slug, "getting-started"])

    response = client_as("author").get(url)

    blogging = reverse("journal:thing", args=[cohort.slug, "blogging"])
    feeds = reverse("journal:thing", args=[cohort.slug, "feeds"])
    assert f'rel="prev" href="{blogging}"' in response.text
    assert f'rel="next" href="{feeds}"' in response.text
