"""Who may read a comment is said once (`CommentQuerySet.shown_to`, on top of
`visible_to`), held to DESIGN.md's "Who sees what" here, and every place that
shows or quotes a comment agrees with it: the entry page, search, the comments
feed, the notification list and whom a comment notifies."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.urls import reverse

from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.feeds import feed_token_for
from journal.models import Comment, Entry
from notifications.models import Notification

PERSONAS = ["author", "writer", "cohort_mate", "facilitator", "outsider", "visitor"]


def _plain(w) -> Comment:
    return journal_actions.add_comment(
        entry=w["entry"], author=w["writer"], body="Zebrafish thoughts"
    )


def _private(w) -> Comment:
    return journal_actions.add_comment(
        entry=w["entry"], author=w["writer"], body="Zebrafish secret", private=True
    )


def _hidden(w) -> Comment:
    comment = _plain(w)
    facilitation_actions.hide_item(actor=w["facilitator"], item=comment)
    return comment


def _on_an_entry_made_private(w) -> Comment:
    comment = _plain(w)
    entry = w["entry"]
    entry.visibility = Entry.Visibility.PRIVATE
    journal_actions.save_entry(entry=entry, publish=False)
    return comment


def _deleted(w) -> Comment:
    """With a reply, a deleted comment stays as a placeholder without its words."""
    comment = _plain(w)
    journal_actions.add_comment(
        entry=w["entry"], author=w["author"], body="Thanks", parent=comment
    )
    journal_actions.delete_comment(comment=comment)
    return comment


# Who reads the comment's words, by DESIGN.md.
CASES: dict[str, tuple[Callable, set[str]]] = {
    "a comment on a cohort entry": (
        _plain,
        {"author", "writer", "cohort_mate", "facilitator"},
    ),
    "a comment only for the author": (_private, {"author", "writer", "facilitator"}),
    "a hidden comment": (_hidden, {"writer", "facilitator"}),
    "a comment on an entry made only-me": (_on_an_entry_made_private, {"author"}),
    "a deleted comment": (_deleted, set()),
}


@pytest.fixture
def world(
    author, cohort_mate, facilitator, outsider, make_user, join, cohort, make_entry
) -> dict:
    writer = make_user("wren", display_name="Wren Writer")
    join(writer, cohort)
    entry = make_entry(author, cohort=cohort, title="Shared thoughts")
    return {
        "author": author,
        "writer": writer,
        "cohort_mate": cohort_mate,
        "facilitator": facilitator,
        "outsider": outsider,
        "visitor": AnonymousUser(),
        "entry": entry,
    }


@pytest.fixture(params=list(CASES))
def case(request, world) -> tuple[Comment, set[str]]:
    make, readers = CASES[request.param]
    return make(world), readers


def _client(world, persona: str) -> Client:
    client = Client()
    if persona != "visitor":
        client.force_login(world[persona])
    return client


def _words_on(response) -> bool:
    return "Zebrafish" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_rule_follows_the_design(world, case, persona) -> None:
    comment, readers = case
    shown = Comment.objects.shown_to(world[persona]).filter(pk=comment.pk).exists()
    assert shown == (persona in readers)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_entry_page_agrees(world, case, persona) -> None:
    comment, _readers = case
    expected = Comment.objects.shown_to(world[persona]).filter(pk=comment.pk).exists()
    entry = Entry.objects.get(pk=world["entry"].pk)
    response = _client(world, persona).get(entry.get_absolute_url())
    assert response.status_code in (200, 302, 404)
    assert _words_on(response) == expected


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "visitor"])
def test_search_agrees(world, case, persona) -> None:
    comment, _readers = case
    expected = Comment.objects.shown_to(world[persona]).filter(pk=comment.pk).exists()
    response = _client(world, persona).get(reverse("journal:search") + "?q=zebrafish")
    assert _words_on(response) == expected


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "visitor"])
def test_the_private_comments_feed_agrees(world, case, persona) -> None:
    comment, _readers = case
    user: User = world[persona]
    expected = (
        Comment.objects.shown_to(user)
        .filter(pk=comment.pk, hidden_at__isnull=True)
        .exists()
    )
    entry = Entry.objects.get(pk=world["entry"].pk)
    url = reverse(
        "journal:private_comments_feed",
        kwargs={
            "key": feed_token_for(user).key,
            "username": entry.author.username,
            "slug": entry.slug,
        },
    )
    response = Client().get(url)
    assert response.status_code in (200, 404)
    assert _words_on(response) == expected


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "visitor"])
def test_the_notification_list_agrees(world, case, persona) -> None:
    comment, _readers = case
    user: User = world[persona]
    Notification.objects.get_or_create(
        recipient=user, kind="mention", entry=world["entry"], comment=comment
    )
    expected = Comment.objects.shown_to(user).filter(pk=comment.pk).exists()
    listed = Notification.objects.for_recipient(user).filter(comment=comment)
    assert listed.exists() == expected
