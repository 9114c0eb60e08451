"""A comment or a new entry posted twice (a double click, a retry, a resent
form) is stored once, and the second post is answered as the first."""

import re
from http import HTTPStatus

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from journal.models import Comment, Entry
from notifications.models import Notification
from tests.concurrency import at_once, posted_at_once, same_browser
from tests.conftest import thing

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITOR_KEY = "a-new-entry-page-key"


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(
        author, cohort=cohort, thing=thing(cohort.programme, 1), title="On feeds"
    )


@pytest.fixture
def comments_url(entry) -> str:
    return reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def submission_key(page: str) -> str:
    """The submission key of the first comment form on the page."""
    return re.search(r'name="submission" value="([^"]+)"', page)[1]


def answer(response) -> tuple:
    """What a person sees of a form's answer: where it leads, what it says."""
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location"), messages


def shown(response) -> tuple:
    """Where a form's answer led (the client followed it) and what it said."""
    messages = [str(message) for message in response.context["messages"]]
    return response.redirect_chain, messages


# Comments ----------------------------------------------------------------------


def test_a_comment_sent_twice_is_stored_once_and_answered_alike(
    client_for, cohort_mate, entry, comments_url
):
    client = client_for(cohort_mate)
    key = submission_key(client.get(entry.get_absolute_url()).text)
    posted = {"body": "Same words, two clicks.", "submission": key}

    first = client.post(comments_url, posted, follow=True)
    second = client.post(comments_url, posted, follow=True)

    comment = Comment.objects.get()
    assert shown(first) == shown(second)
    assert shown(first) == (
        [(comment.get_absolute_url(), HTTPStatus.FOUND)],
        ["Comment posted."],
    )
    assert Notification.objects.filter(comment=comment).count() == 1


def test_with_htmx_the_second_post_shows_the_same_thread(
    client_for, cohort_mate, entry, comments_url
):
    client = client_for(cohort_mate)
    key = submission_key(client.get(entry.get_absolute_url()).text)
    posted = {"body": "Sent by a double click.", "submission": key}

    first = client.post(comments_url, posted, **HTMX)
    second = client.post(comments_url, posted, **HTMX)

    comment = Comment.objects.get()
    assert first.status_code == second.status_code == HTTPStatus.OK
    for response in (first, second):
        assert response.text.count(f'id="{comment.anchor}"') == 1


def test_two_comments_sent_with_one_key_are_both_stored(
    client_for, cohort_mate, entry, comments_url
):
    """The comment form is in the thread's cached fragment: every view of the
    page in this session, until the thread changes, carries the same key."""
    client = client_for(cohort_mate)
    page = entry.get_absolute_url()
    key = submission_key(client.get(page).text)
    assert submission_key(client.get(page).text) == key

    client.post(comments_url, {"body": "First thought.", "submission": key})
    client.post(comments_url, {"body": "Second thought.", "submission": key})

    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "First thought.",
        "Second thought.",
    ]


def test_a_reply_sent_twice_is_stored_once(
    client_for, cohort_mate, author, entry, comments_url, make_comment
):
    question = make_comment(entry, cohort_mate, "Which feeds?")
    client = client_for(author)
    form = client.get(entry.get_absolute_url(), {"reply_to": question.pk}, **HTMX)
    posted = {
        "body": "These.",
        "parent": question.pk,
        "submission": submission_key(form.text),
    }

    first = client.post(comments_url, posted, follow=True)
    second = client.post(comments_url, posted, follow=True)

    reply = question.replies.get()
    assert shown(first) == shown(second)
    assert shown(first)[0] == [(reply.get_absolute_url(), HTTPStatus.FOUND)]


def test_a_post_without_a_key_is_still_stored(
    client_for, cohort_mate, entry, comments_url
):
    """An old page or a script: nothing to tell a repeat by, so each is kept."""
    client = client_for(cohort_mate)

    first = client.post(comments_url, {"body": "From a script."})
    second = client.post(comments_url, {"body": "From a script."})

    assert first.status_code == second.status_code == HTTPStatus.FOUND
    assert Comment.objects.count() == 2


# New entries -------------------------------------------------------------------


def entry_fields(**overrides) -> dict[str, str]:
    return {
        "title": "Feeds, at last",
        "body": "More than last week.",
        "action": "",
        "minutes": "30",
        "visibility": "private",
        "editor_key": EDITOR_KEY,
        **overrides,
    }


def test_a_new_reflection_saved_twice_without_javascript_is_one_draft(
    client_for, author
):
    client = client_for(author)
    url = reverse("journal:write")

    first = client.post(url, entry_fields(save="1"), follow=True)
    second = client.post(url, entry_fields(save="1"), follow=True)

    draft = Entry.objects.get()
    assert shown(first) == shown(second)
    assert shown(first) == (
        [(draft.get_edit_url(), HTTPStatus.FOUND)],
        ["Draft saved."],
    )


def test_a_new_entry_on_a_thing_saved_twice_is_one_draft(client_for, author, cohort):
    client = client_for(author)
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
    )

    fields = entry_fields(visibility="cohort", save="1")

    first = client.post(url, fields, follow=True)
    second = client.post(url, fields, follow=True)

    draft = Entry.objects.get()
    assert shown(first) == shown(second)
    assert shown(first)[0] == [(draft.get_edit_url(), HTTPStatus.FOUND)]


# At the same moment (PostgreSQL) ---------------------------------------------


@posted_at_once
def test_a_comment_sent_four_times_at_once_is_stored_once(
    client_for, cohort_mate, entry, comments_url
):
    browser = same_browser(client_for(cohort_mate))
    key = submission_key(browser().get(entry.get_absolute_url()).text)
    posted = {"body": "Clicked and clicked.", "submission": key}

    answers = at_once(4, lambda: answer(browser().post(comments_url, posted)))

    comment = Comment.objects.get()
    assert (
        answers
        == [(HTTPStatus.FOUND, comment.get_absolute_url(), ["Comment posted."])] * 4
    )
    assert Notification.objects.filter(comment=comment).count() == 1


@posted_at_once
@pytest.mark.parametrize("on_thing", [False, True])
def test_first_autosaves_sent_at_once_from_one_page_make_one_draft(
    client_for, author, cohort, on_thing
):
    browser = same_browser(client_for(author))
    if on_thing:
        url = reverse(
            "journal:autosave_new_on_thing",
            kwargs={"cohort": cohort.slug, "thing": thing(cohort.programme, 1).slug},
        )
    else:
        url = reverse("journal:autosave_new")
    fields = entry_fields(visibility="cohort" if on_thing else "private")

    answers = at_once(4, lambda: browser().post(url, fields))

    draft = Entry.objects.get()
    statuses = sorted(response.status_code for response in answers)
    assert statuses == [HTTPStatus.OK] * 3 + [HTTPStatus.CREATED]
    assert {response.json()["edit_url"] for response in answers} == {
        draft.get_edit_url()
    }
    assert draft.body == fields["body"]
