"""Tags: typed on the entry form, kept as the author's own rows, shown on entries,
and a filter of one's journal that never shows more than the reader may see."""

from __future__ import annotations

import html
import re
from http import HTTPStatus

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import tags
from journal.actions import apply_tags
from journal.models import Entry, Tag
from journal.tags import TagSpec, parse_tags
from tests.conftest import thing
from tests.journal.helpers import errors_beside


def entry_cards(page: str) -> set[str]:
    pattern = r'class="entry-card__title"[^>]*>\s*<a [^>]*>\s*([^<]*?)\s*</a>'
    return set(re.findall(pattern, page))


def tag_names(entry: Entry) -> list[str]:
    return sorted(tag.name for tag in entry.tags.all())


def form_data(**overrides) -> dict[str, str]:
    data = {
        "title": "On the ward",
        "body": "Some thoughts.",
        "action": "",
        "minutes": "",
        "visibility": "private",
        "tags": "Ward Rounds, teaching",
        "save": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- parsing -----------------------------------------------------------------


def test_tags_are_comma_separated_lower_cased_and_slugified():
    parsed = parse_tags(" Ward  Rounds, teaching ,, #Night Shift,")

    assert parsed == [
        TagSpec(name="ward rounds", slug="ward-rounds"),
        TagSpec(name="teaching", slug="teaching"),
        TagSpec(name="night shift", slug="night-shift"),
    ]


def test_the_same_tag_twice_is_one_tag():
    assert parse_tags("ward, Ward, WARD, ward ") == [TagSpec("ward", "ward")]


def test_nothing_is_no_tags():
    assert parse_tags("") == []
    assert parse_tags(" , ,") == []


def test_tags_in_any_script():
    assert [spec.slug for spec in parse_tags("Café, 護理, Übung")] == [
        "café",
        "護理",
        "übung",
    ]


def test_at_most_ten_tags():
    assert len(parse_tags(", ".join(f"tag{n}" for n in range(10)))) == 10

    with pytest.raises(forms.ValidationError) as error:
        parse_tags(", ".join(f"tag{n}" for n in range(11)))

    assert error.value.messages == ["At most 10 tags on an entry: this has 11."]


def test_a_tag_has_at_most_fifty_characters():
    assert parse_tags("a" * 50)[0].name == "a" * 50

    with pytest.raises(forms.ValidationError) as error:
        parse_tags(f"fine, {'b' * 51}")

    [message] = error.value.messages
    assert "too long" in message
    assert "at most 50 characters" in message


def test_every_problem_is_named_at_once():
    with pytest.raises(forms.ValidationError) as error:
        parse_tags(f"!!!, {'c' * 60}")

    assert len(error.value.messages) == 2
    assert "“!!!” needs at least one letter or digit." in error.value.messages


# --- saving ------------------------------------------------------------------


def test_the_editor_saves_tags_as_the_authors_own(client_for, author):
    response = client_for(author).post(reverse("journal:write"), form_data())

    entry = Entry.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert tag_names(entry) == ["teaching", "ward rounds"]
    assert set(Tag.objects.values_list("owner", flat=True)) == {author.pk}
    assert Tag.objects.get(slug="ward-rounds").name == "ward rounds"


def test_tags_on_an_entry_on_a_thing(client_for, author, cohort):
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    client_for(author).post(url, form_data(tags="feeds", publish="1", save=None))

    assert tag_names(Entry.objects.get()) == ["feeds"]


def test_the_editor_shows_the_tags_of_an_entry(client_for, author):
    client = client_for(author)
    client.post(reverse("journal:write"), form_data())
    entry = Entry.objects.get()

    response = client.get(entry.get_edit_url())

    assert 'value="teaching, ward rounds"' in response.text


def test_editing_changes_the_tags_and_drops_unused_ones(client_for, author, make_entry):
    client = client_for(author)
    client.post(reverse("journal:write"), form_data())
    entry = Entry.objects.get()
    other = make_entry(author, title="Other", visibility="private")
    apply_tags(entry=other, tags=parse_tags("teaching"))

    client.post(entry.get_edit_url(), form_data(tags="teaching, mentoring"))

    assert tag_names(entry) == ["mentoring", "teaching"]
    assert sorted(Tag.objects.values_list("slug", flat=True)) == [
        "mentoring",
        "teaching",
    ]

    client.post(entry.get_edit_url(), form_data(tags=""))

    assert tag_names(entry) == []
    assert tag_names(other) == ["teaching"]
    assert list(Tag.objects.values_list("slug", flat=True)) == ["teaching"]


def test_a_save_that_sends_no_tags_field_leaves_the_tags_alone(client_for, author):
    client = client_for(author)
    client.post(reverse("journal:write"), form_data())
    entry = Entry.objects.get()

    client.post(entry.get_edit_url(), form_data(tags=None, title="Renamed"))

    entry.refresh_from_db()
    assert entry.title == "Renamed"
    assert tag_names(entry) == ["teaching", "ward rounds"]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        (", ".join(f"t{n}" for n in range(12)), "At most 10 tags"),
        ("x" * 51, "at most 50 characters"),
        ("ok, ???", "needs at least one letter or digit"),
    ],
)
def test_bad_tags_come_back_beside_the_field_with_the_text_kept(
    client_for, author, typed, error
):
    response = client_for(author).post(
        reverse("journal:write"), form_data(tags=typed, body="Keep **this**.")
    )

    assert response.status_code == HTTPStatus.OK
    assert error in html.unescape(errors_beside(response.text, "id_tags"))
    assert f'value="{html.escape(typed)}"' in response.text
    assert "Keep **this**." in response.text
    assert not Entry.objects.exists()
    assert not Tag.objects.exists()


# --- isolation between users -------------------------------------------------


def test_two_authors_same_tag_are_two_rows(author, cohort_mate, make_entry):
    ada = make_entry(author, title="Ada on the ward", visibility="private")
    ben = make_entry(cohort_mate, title="Ben on the ward", visibility="private")

    apply_tags(entry=ben, tags=parse_tags("Ward"))
    apply_tags(entry=ada, tags=parse_tags("ward"))

    ada_tag, ben_tag = ada.tags.get(), ben.tags.get()
    assert ada_tag.pk != ben_tag.pk
    assert (ada_tag.owner, ben_tag.owner) == (author, cohort_mate)
    assert Tag.objects.filter(slug="ward").count() == 2


def test_dropping_my_tag_never_touches_anothers(author, cohort_mate, make_entry):
    ada = make_entry(author, title="Ada", visibility="private")
    ben = make_entry(cohort_mate, title="Ben", visibility="private")
    apply_tags(entry=ada, tags=parse_tags("ward"))
    apply_tags(entry=ben, tags=parse_tags("ward"))

    apply_tags(entry=ada, tags=[])

    assert tag_names(ben) == ["ward"]
    assert Tag.objects.get().owner == cohort_mate


# --- showing them ------------------------------------------------------------


def test_the_entry_page_links_its_tags_to_the_authors_journal(
    client_as, author, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, title="Tagged", visibility="cohort")
    apply_tags(entry=entry, tags=parse_tags("ward rounds, <b>bold</b>"))

    response = client_as("cohort_mate").get(entry.get_absolute_url())

    journal = reverse("journal:journal", kwargs={"username": author.username})
    assert f'href="{journal}?tag=ward-rounds"' in response.text
    assert ">ward rounds</a>" in response.text
    assert "<b>bold</b>" not in response.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in response.text


def test_entry_cards_show_tags(client_as, author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort, title="Tagged", visibility="cohort")
    apply_tags(entry=entry, tags=parse_tags("night shift"))

    response = client_as("cohort_mate").get(
        reverse("journal:cohort", args=[cohort.slug])
    )

    assert ">night shift</a>" in response.text


# --- the filter --------------------------------------------------------------


@pytest.fixture
def bens_ward_entries(cohort_mate, cohort, make_entry) -> None:
    """Ben's entries tagged "ward", one of each visibility and a draft; and one
    public entry of his with another tag."""
    for visibility in ("private", "cohort", "public"):
        entry = make_entry(
            cohort_mate,
            cohort=cohort,
            title=f"Ben {visibility} ward",
            visibility=visibility,
        )
        apply_tags(entry=entry, tags=parse_tags("ward"))
    draft = make_entry(
        cohort_mate, cohort=cohort, title="Ben draft ward", publish=False
    )
    apply_tags(entry=draft, tags=parse_tags("ward"))
    other = make_entry(cohort_mate, cohort=cohort, title="Ben public other")
    apply_tags(entry=other, tags=parse_tags("library"))


@pytest.mark.usefixtures("bens_ward_entries")
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("cohort_mate", {"Ben private ward", "Ben cohort ward", "Ben public ward"}),
        ("author", {"Ben cohort ward", "Ben public ward"}),
        ("facilitator", {"Ben cohort ward", "Ben public ward"}),
        ("outsider", {"Ben public ward"}),
        ("other_facilitator", {"Ben public ward"}),
        ("visitor", {"Ben public ward"}),
    ],
)
def test_a_tag_filter_shows_only_what_the_reader_may_see(
    client_as, cohort_mate, persona, expected
):
    url = reverse("journal:journal", kwargs={"username": cohort_mate.username})

    response = client_as(persona).get(url, {"tag": "ward"})

    assert response.status_code == HTTPStatus.OK
    assert entry_cards(response.text) == expected
    # Only Ben sees his draft, in his list of drafts.
    assert ("Ben draft ward" in response.text) == (persona == "cohort_mate")


@pytest.mark.usefixtures("bens_ward_entries")
def test_the_owner_sees_their_tags_and_tagged_drafts(client_as, cohort_mate):
    url = reverse("journal:journal", kwargs={"username": cohort_mate.username})

    response = client_as("cohort_mate").get(url, {"tag": "library"})

    assert entry_cards(response.text) == {"Ben public other"}
    assert "Ben draft ward" not in response.text  # drafts are filtered too
    assert "Your tags" in response.text
    assert 'href="?tag=ward"' in response.text


@pytest.mark.usefixtures("bens_ward_entries")
def test_others_get_no_list_of_tags(client_as, cohort_mate):
    url = reverse("journal:journal", kwargs={"username": cohort_mate.username})

    response = client_as("author").get(url)

    assert "Your tags" not in response.text


def test_a_tag_on_nothing_the_reader_may_see_shows_no_name(
    client_as, cohort_mate, cohort, make_entry
):
    secret = make_entry(
        cohort_mate, cohort=cohort, title="Hidden", visibility="private"
    )
    apply_tags(entry=secret, tags=parse_tags("Secret Plans"))
    url = reverse("journal:journal", kwargs={"username": cohort_mate.username})

    response = client_as("author").get(url, {"tag": "secret-plans"})

    assert response.status_code == HTTPStatus.OK
    assert entry_cards(response.text) == set()
    assert "secret plans" not in response.text
    assert "Hidden" not in response.text
    assert "No published entries tagged “secret-plans” that you can read." in (
        html.unescape(response.text)
    )


def test_an_odd_tag_in_the_url_is_harmless(client_as, author):
    url = reverse("journal:journal", kwargs={"username": author.username})

    response = client_as("author").get(url, {"tag": "<script>x</script>"})

    assert response.status_code == HTTPStatus.OK
    assert "<script>x</script>" not in response.text


@pytest.mark.parametrize("viewer", ["author", "cohort_mate", "visitor"])
def test_the_filtered_journal_runs_the_same_queries_whatever_the_data(
    client_as, author, cohort, make_entry, django_assert_num_queries, viewer
):
    client = client_as(viewer)
    url = reverse("journal:journal", kwargs={"username": author.username})

    def write(count: int, start: int) -> None:
        for index in range(start, start + count):
            entry = make_entry(
                author,
                cohort=cohort,
                title=f"Entry {index}",
                visibility=["cohort", "public", "private"][index % 3],
                publish=index % 5 != 4,
            )
            apply_tags(entry=entry, tags=parse_tags(f"ward, topic {index % 7}"))

    write(5, 0)
    client.get(url, {"tag": "ward"})
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"tag": "ward"})

    write(45, 5)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, {"tag": "ward"})
    assert response.status_code == HTTPStatus.OK
    assert entry_cards(response.text)


def test_tag_counts_are_the_owners_alone(author, cohort_mate, make_entry):
    for user in (author, cohort_mate):
        entry = make_entry(user, title="x", visibility="private")
        apply_tags(entry=entry, tags=parse_tags("ward"))

    [tag] = tags.tag_counts(author)

    assert (tag.owner, tag.entry_count) == (author, 1)
