"""Each kind of writing past its limit (core/ratelimit.py), through the views:
a 429 with Retry-After, the typed text kept, and allowed again in the next
window."""

import datetime
import html
from datetime import UTC
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse

from journal.models import Comment, Entry, Image, Like
from tests.conftest import thing
from tests.images import image_bytes, upload

HTMX = {"HTTP_HX_REQUEST": "true"}
#: 30 s into a minute: a refusal says to wait 30 s.
START = datetime.datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits(settings):
    """Two of each kind a minute, four a day."""
    settings.PONDER_RATE_LIMITS = dict.fromkeys(settings.PONDER_RATE_LIMITS, (2, 4))


@pytest.fixture
def entry(make_entry, author, cohort) -> Entry:
    return make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))


def entry_url(name: str, entry: Entry) -> str:
    kwargs = {"username": entry.author.username, "slug": entry.slug}
    return reverse(f"journal:{name}", kwargs=kwargs)


def assert_refused(response, wait: str = "30") -> None:
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == wait


# Comments ------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_the_third_comment_in_a_minute_comes_back_with_its_text(
    clock, limits, client_for, cohort_mate, entry, headers
):
    client = client_for(cohort_mate)
    url = entry_url("add_comment", entry)
    for number in range(2):
        assert client.post(url, {"body": f"Comment {number}"}).status_code == 302

    response = client.post(url, {"body": "My third, *carefully* put."}, **headers)

    assert_refused(response)
    page = html.unescape(response.text)
    assert "My third, *carefully* put.</textarea>" in page
    assert "Comments are limited to 2 a minute for each person." in page
    assert "Try again in 30 seconds." in page
    assert Comment.objects.count() == 2
    clock.shift(30)
    assert client.post(url, {"body": "My third, *carefully* put."}).status_code == 302
    assert Comment.objects.count() == 3


def test_a_refused_reply_keeps_its_text_in_the_reply_form(
    clock, limits, client_for, cohort_mate, author, entry, make_comment
):
    parent = make_comment(entry, author, "Thoughts?")
    client = client_for(cohort_mate)
    url = entry_url("add_comment", entry)
    for number in range(2):
        client.post(url, {"body": f"Comment {number}"})

    response = client.post(url, {"body": "My reply.", "parent": str(parent.pk)})

    assert_refused(response)
    assert f'id="reply-{parent.pk}"' in response.text
    assert "My reply.</textarea>" in response.text
    assert "Comments are limited to 2 a minute" in response.text


def test_the_day_limit_on_comments(clock, limits, client_for, cohort_mate, entry):
    client = client_for(cohort_mate)
    url = entry_url("add_comment", entry)
    for number in range(4):
        clock.shift(60 if number == 2 else 0)
        assert client.post(url, {"body": f"Comment {number}"}).status_code == 302

    clock.shift(60)
    response = client.post(url, {"body": "The fifth today."})

    assert_refused(response, str(12 * 60 * 60 - 150))
    assert "Comments are limited to 4 a day for each person." in response.text
    assert "The fifth today.</textarea>" in response.text


def test_the_facilitator_may_comment_ten_times_as_much(
    clock, limits, client_for, facilitator, entry
):
    client = client_for(facilitator)
    url = entry_url("add_comment", entry)

    statuses = [
        client.post(url, {"body": f"Well done {n}"}).status_code for n in range(21)
    ]

    assert statuses == [302] * 20 + [429]


# Likes -----------------------------------------------------------------------


@pytest.fixture
def entries(make_entry, make_user, join, cohort) -> list[Entry]:
    """Three entries by three other members, to like."""
    made = []
    for number in range(3):
        writer = make_user(f"writer{number}")
        join(writer, cohort)
        made.append(make_entry(writer, cohort=cohort, thing=thing(cohort.programme, 1)))
    return made


def test_the_third_like_in_a_minute_gets_a_429_page(
    clock, limits, client_for, cohort_mate, entries
):
    client = client_for(cohort_mate)
    for liked in entries[:2]:
        assert client.post(entry_url("like", liked)).status_code == 302

    response = client.post(entry_url("like", entries[2]))

    assert_refused(response)
    assert "Too many at once" in response.text
    assert "Likes are limited to 2 a minute for each person." in response.text
    assert Like.objects.count() == 2
    assert client.post(entry_url("unlike", entries[0])).status_code == 302
    clock.shift(30)
    assert client.post(entry_url("like", entries[2])).status_code == 302


def test_a_refused_like_over_htmx_says_so_in_place(
    clock, limits, client_for, cohort_mate, entries
):
    client = client_for(cohort_mate)
    for liked in entries[:2]:
        client.post(entry_url("like", liked), **HTMX)

    response = client.post(entry_url("like", entries[2]), **HTMX)

    assert_refused(response)
    assert response.text.lstrip().startswith('<div id="likes"')
    assert 'role="alert">Likes are limited to 2 a minute' in response.text


# Entries ---------------------------------------------------------------------


def editor_fields(**overrides) -> dict[str, str]:
    return {
        "title": "On feeds",
        "body": "## What do you know?\n\nWords I must not lose.",
        "action": "",
        "minutes": "",
        "visibility": "cohort",
        "save": "1",
        **overrides,
    }


def test_new_entries_past_the_limit_come_back_with_their_words(
    clock, limits, client_for, author
):
    client = client_for(author)
    write = reverse("journal:write")
    for number in range(2):
        data = editor_fields(title=f"Draft {number}", visibility="private")
        assert client.post(write, data).status_code == 302

    response = client.post(write, editor_fields(visibility="private"))

    assert_refused(response)
    page = html.unescape(response.text)
    assert "Words I must not lose.</textarea>" in page
    assert "New and published entries are limited to 2 a minute" in page
    assert Entry.objects.count() == 2


def test_publishing_counts_but_saving_and_autosaving_do_not(
    clock, limits, client_for, author, cohort
):
    client = client_for(author)
    response = client.post(
        reverse(
            "journal:write_on_thing",
            kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
        ),
        editor_fields(),
    )
    entry = Entry.objects.get()
    edit = entry.get_edit_url()
    for number in range(5):
        autosaved = editor_fields(body=f"Autosaved {number}")
        autosaved["base_version"] = str(entry.version)
        response = client.post(entry_url("autosave", entry), autosaved)
        assert response.status_code == HTTPStatus.OK, response.text
        entry.refresh_from_db()
        response = client.post(edit, editor_fields(base_version=str(entry.version)))
        assert response.status_code == 302
        entry.refresh_from_db()

    response = client.post(
        edit, editor_fields(base_version=str(entry.version), publish="1")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_published
    response = client.post(
        reverse("journal:write"), editor_fields(visibility="private")
    )
    assert_refused(response)


def test_an_autosave_that_would_make_one_entry_too_many_is_a_json_429(
    clock, limits, client_for, author
):
    client = client_for(author)
    for number in range(2):
        data = editor_fields(title=f"Draft {number}", visibility="private")
        client.post(reverse("journal:write"), data)

    response = client.post(
        reverse("journal:autosave_new"),
        {**editor_fields(visibility="private"), "editor_key": "k" * 20},
    )

    assert_refused(response)
    assert response.json()["error"] == "rate_limited"
    assert response.json()["retry_after"] == 30
    assert "New and published entries are limited" in response.json()["message"]
    assert Entry.objects.count() == 2


# Images ----------------------------------------------------------------------


def test_the_third_upload_in_a_minute_is_a_json_429(clock, limits, client_for, author):
    client = client_for(author)
    upload_url = reverse("journal:upload_image")
    for number in range(2):
        response = client.post(
            upload_url, {"image": upload(image_bytes(40, 20)), "alt": f"Chart {number}"}
        )
        assert response.status_code == HTTPStatus.CREATED

    response = client.post(
        upload_url, {"image": upload(image_bytes(40, 20)), "alt": "Chart 3"}
    )

    assert_refused(response)
    assert "Image uploads are limited to 2 a minute" in response.json()["message"]
    assert Image.objects.count() == 2


def test_an_image_attached_in_the_editor_past_the_limit_keeps_the_words(
    clock, limits, client_for, author, entry
):
    client = client_for(author)
    for number in range(2):
        client.post(
            reverse("journal:upload_image"),
            {"image": upload(image_bytes(40, 20)), "alt": f"Chart {number}"},
        )

    response = client.post(
        entry.get_edit_url(),
        {
            **editor_fields(base_version=str(entry.version)),
            "image": upload(image_bytes(40, 20)),
            "image_alt": "A third chart",
        },
    )

    assert_refused(response)
    page = html.unescape(response.text)
    assert "Words I must not lose.</textarea>" in page
    assert "Image uploads are limited to 2 a minute" in page
    assert Image.objects.count() == 2
