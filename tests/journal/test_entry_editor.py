"""Writing and editing entries through the editor, as a browser without JS would."""

import html
from http import HTTPStatus

import pytest
from django.urls import reverse

from journal.models import Entry
from tests.conftest import thing
from tests.journal.helpers import errors_beside


@pytest.fixture
def write_url(cohort) -> str:
    return reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )


def form_data(**overrides) -> dict[str, str]:
    data = {
        "title": "What I learned",
        "body": "## What do you know?\n\nQuite a lot now.",
        "action": "Try a feed reader.",
        "minutes": "45",
        "visibility": "cohort",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_writing_on_a_thing_starts_from_its_questions(client_for, author, write_url):
    response = client_for(author).get(write_url)

    assert response.status_code == HTTPStatus.OK
    body = html.unescape(response.text)
    assert "## What do you know about getting started?" in body
    assert "## What next?" in body
    assert "Write your entry" in response.text
    assert not Entry.objects.exists()


def test_save_draft(client_for, author, cohort, write_url):
    response = client_for(author).post(write_url, form_data(save="1"))

    entry = Entry.objects.get()
    assert entry.status == Entry.Status.DRAFT
    assert entry.published_at is None
    assert entry.author == author
    assert entry.cohort == cohort
    assert entry.thing == thing(cohort.programme, 1)
    assert entry.title == "What I learned"
    assert entry.minutes == 45
    assert entry.action == "Try a feed reader."
    assert entry.visibility == Entry.Visibility.COHORT
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == entry.get_edit_url()


def test_publish(client_for, author, write_url):
    response = client_for(author).post(write_url, form_data(publish="1"))

    entry = Entry.objects.get()
    assert entry.status == Entry.Status.PUBLISHED
    assert entry.published_at is not None
    assert "<h2>What do you know?</h2>" in entry.body_html
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == entry.get_absolute_url()


def test_publish_a_draft(client_for, author, write_url):
    client = client_for(author)
    client.post(write_url, form_data(save="1"))
    entry = Entry.objects.get()

    response = client.post(entry.get_edit_url(), form_data(publish="1"))

    entry.refresh_from_db()
    assert entry.status == Entry.Status.PUBLISHED
    assert entry.published_at is not None
    assert response["Location"] == entry.get_absolute_url()


def test_editing_keeps_the_url_when_the_title_changes(client_for, author, write_url):
    client = client_for(author)
    client.post(write_url, form_data(publish="1"))
    entry = Entry.objects.get()
    url = entry.get_absolute_url()

    response = client.post(
        entry.get_edit_url(), form_data(title="A better title", publish="1")
    )

    entry.refresh_from_db()
    assert entry.title == "A better title"
    assert entry.get_absolute_url() == url
    assert response["Location"] == url
    assert "A better title" in client.get(url).text


def test_editing_a_published_entry_keeps_its_date(client_for, author, write_url):
    client = client_for(author)
    client.post(write_url, form_data(publish="1"))
    entry = Entry.objects.get()
    published_at = entry.published_at

    client.post(entry.get_edit_url(), form_data(body="Changed", publish="1"))

    entry.refresh_from_db()
    assert entry.published_at == published_at
    assert entry.body == "Changed"


def test_one_entry_per_thing_per_cohort(client_for, author, write_url):
    client = client_for(author)
    client.post(write_url, form_data(save="1"))
    entry = Entry.objects.get()

    response = client.get(write_url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == entry.get_edit_url()
    # A post from a page opened before the entry existed goes onto that entry
    # (here the very same words, so no conflict), never into a second one.
    assert client.post(write_url, form_data(publish="1"))["Location"] == (
        entry.get_absolute_url()
    )
    assert Entry.objects.count() == 1


def test_a_free_reflection(client_for, author):
    response = client_for(author).post(
        reverse("journal:write"),
        form_data(title="Thinking aloud", visibility="private", publish="1"),
    )

    entry = Entry.objects.get()
    assert entry.thing is None
    assert entry.cohort is None
    assert entry.visibility == Entry.Visibility.PRIVATE
    assert response["Location"] == entry.get_absolute_url()


def test_a_free_reflection_shared_with_my_cohort(client_for, author, cohort):
    client_for(author).post(
        reverse("journal:write"),
        form_data(cohort=str(cohort.pk), visibility="cohort", publish="1"),
    )

    entry = Entry.objects.get()
    assert entry.cohort == cohort
    assert entry.visibility == Entry.Visibility.COHORT


def test_a_free_reflection_for_my_cohort_needs_a_cohort(client_for, author):
    response = client_for(author).post(
        reverse("journal:write"), form_data(visibility="cohort", publish="1")
    )

    assert response.status_code == HTTPStatus.OK
    assert "Choose a cohort to share with" in errors_beside(
        response.text, "id_visibility"
    )
    assert not Entry.objects.exists()


def test_a_free_reflection_cannot_go_to_someone_elses_cohort(
    client_for, author, other_cohort
):
    response = client_for(author).post(
        reverse("journal:write"),
        form_data(cohort=str(other_cohort.pk), visibility="cohort", publish="1"),
    )

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice" in errors_beside(response.text, "id_cohort")
    assert not Entry.objects.exists()


def test_preview_shows_the_sanitised_body_and_saves_nothing(
    client_for, author, write_url
):
    body = "Some **bold** words <script>alert('x')</script>"

    response = client_for(author).post(write_url, form_data(body=body, preview="1"))

    assert response.status_code == HTTPStatus.OK
    assert "<strong>bold</strong>" in response.text
    assert "<script>alert" not in response.text
    # The text itself stays in the editor, escaped.
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response.text
    assert not Entry.objects.exists()


def test_preview_of_an_existing_entry_changes_nothing(client_for, author, write_url):
    client = client_for(author)
    client.post(write_url, form_data(publish="1"))
    entry = Entry.objects.get()

    response = client.post(
        entry.get_edit_url(), form_data(title="Not yet", body="**new**", preview="1")
    )

    assert response.status_code == HTTPStatus.OK
    assert "<strong>new</strong>" in response.text
    entry.refresh_from_db()
    assert entry.title == "What I learned"
    assert "new" not in entry.body


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "", "This field is required."),
        ("title", "   ", "This field is required."),
        ("title", "t" * 201, "at most 200 characters"),
        ("body", "b" * 100_001, "at most 100000 characters"),
        ("minutes", "-1", "greater than or equal to 0"),
        ("minutes", "6001", "less than or equal to 6000"),
        ("minutes", "ten", "Enter a whole number."),
        ("visibility", "everyone", "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("button", ["save", "publish"])
def test_bad_input_comes_back_with_the_error_and_the_text(
    client_for, author, write_url, field, value, error, button
):
    data = form_data(**{field: value, button: "1"})
    data["action"] = "My action, kept <3"

    response = client_for(author).post(write_url, data)

    assert response.status_code == HTTPStatus.OK
    assert error in errors_beside(response.text, f"id_{field}")
    text = html.unescape(response.text)
    assert "My action, kept <3" in text
    if field != "body":
        assert data["body"] in text
    if field != "title":
        assert data["title"] in text
    if value.strip():
        assert value in text
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "t" * 201), ("minutes", "-1"), ("minutes", "6001")],
)
def test_bad_input_on_a_free_reflection(client_for, author, field, value):
    data = form_data(visibility="private", publish="1", **{field: value})

    response = client_for(author).post(reverse("journal:write"), data)

    assert response.status_code == HTTPStatus.OK
    assert errors_beside(response.text, f"id_{field}")
    assert data["body"] in html.unescape(response.text)
    assert not Entry.objects.exists()


def test_bad_input_on_an_edit_changes_nothing(client_for, author, write_url):
    client = client_for(author)
    client.post(write_url, form_data(publish="1"))
    entry = Entry.objects.get()

    response = client.post(
        entry.get_edit_url(), form_data(title="", body="Rewritten", publish="1")
    )

    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in errors_beside(response.text, "id_title")
    assert "Rewritten" in response.text
    entry.refresh_from_db()
    assert entry.title == "What I learned"
    assert entry.body != "Rewritten"


def test_the_fields_without_errors_show_none(client_for, author, write_url):
    response = client_for(author).post(write_url, form_data(title="", save="1"))

    assert errors_beside(response.text, "id_title")
    for field in ["id_body", "id_action", "id_minutes", "id_visibility"]:
        assert errors_beside(response.text, field) == ""


def test_a_post_without_a_button_saves_nothing(client_for, author, write_url):
    response = client_for(author).post(write_url, form_data())

    assert response.status_code == HTTPStatus.OK
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert('pwned')</script>", "<script>alert"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click me](javascript:alert(1))", "javascript:alert"),
        ('<a href="javascript:alert(1)">click me</a>', "javascript:alert"),
    ],
)
def test_entry_page_neutralises_hostile_markup(
    client_for, author, cohort_mate, write_url, body, forbidden
):
    client_for(author).post(write_url, form_data(body=body, publish="1"))
    entry = Entry.objects.get()

    response = client_for(cohort_mate).get(entry.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert forbidden not in response.text


def test_entry_title_and_action_are_escaped(client_for, author, cohort_mate, write_url):
    client_for(author).post(
        write_url,
        form_data(
            title="<script>alert('t')</script>",
            action="<img src=x onerror=alert(1)>",
            publish="1",
        ),
    )
    entry = Entry.objects.get()

    response = client_for(cohort_mate).get(entry.get_absolute_url())

    assert "<script>alert('t')" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;" in response.text
