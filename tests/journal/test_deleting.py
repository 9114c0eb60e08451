"""Deleting an entry (kept 30 days to restore, then purged) and moving it back
to draft: either way it leaves every page, count, feed, search, read-next list,
progress grid, certificate and notification at once."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from facilitation import progress
from facilitation.certificates import certificate_details, certificate_for
from journal import actions, reading, tags
from journal.feeds import feed_token_for
from journal.models import DELETED_ENTRIES_KEPT, Comment, Entry, Like, Revision, Tag
from notifications.models import Notification
from programmes.models import Cohort, Membership
from tests.conftest import thing
from tests.queries import count_queries

TITLE = "Vanishing thoughts"
COMMENT = "A lovely vanishing remark"


@dataclass
class World:
    cohort: Cohort
    author: User
    mate: User
    facilitator: User
    entry: Entry
    clients: dict[str, Client]

    def get(self, who: str, url: str):
        return self.clients[who].get(url)


@pytest.fixture
def world(cohort, author, cohort_mate, facilitator, make_comment, client_for) -> World:
    cohort.completion_target = 1
    cohort.save(update_fields=["completion_target"])
    entry = actions.save_entry(
        entry=Entry(
            author=author,
            cohort=cohort,
            thing=thing(cohort.programme, 1),
            title=TITLE,
            body="Thinking aloud, @ben.",
            visibility=Entry.Visibility.PUBLIC,
            minutes=30,
        ),
        publish=True,
    )
    actions.apply_tags(entry=entry, tags=tags.parse_tags("vanishing"))
    make_comment(entry, cohort_mate, COMMENT)
    actions.like_entry(entry=entry, user=cohort_mate)
    clients = {
        "author": client_for(author),
        "mate": client_for(cohort_mate),
        "facilitator": client_for(facilitator),
        "visitor": Client(),
    }
    return World(cohort, author, cohort_mate, facilitator, entry, clients)


def _page(who: str, url: Callable[[World], str]) -> Callable[[World], bool]:
    """The page, read by `who`, shows the entry's title."""

    def shows(w: World) -> bool:
        response = w.get(who, url(w))
        return response.status_code == HTTPStatus.OK and TITLE in response.text

    return shows


def _cohort_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={"cohort": w.cohort.slug})


def _entry_url(w: World) -> str:
    return Entry.with_deleted.get(pk=w.entry.pk).get_absolute_url()


def _entry_page(w: World) -> bool:
    return w.get("mate", _entry_url(w)).status_code == HTTPStatus.OK


def _comment_search(w: World) -> bool:
    url = reverse("journal:search") + "?q=remark"
    return "<mark>remark</mark>" in w.get("mate", url).text


def _people_count(w: World) -> bool:
    page = w.get("facilitator", _cohort_url("journal:people")(w)).text
    row = page[page.index("Ada Author") :]
    return '<td class="numeric">1</td>' in row[: row.index("</tr>")]


def _read_next(w: World) -> bool:
    return w.entry.pk in {entry.pk for entry in reading.read_next(w.facilitator)}


def _progress_grid(w: World) -> bool:
    return progress.completing_entries(w.cohort).filter(pk=w.entry.pk).exists()


def _certificate(w: World) -> bool:
    membership = Membership.objects.get(cohort=w.cohort, user=w.author)
    certificate = certificate_for(membership)
    return certificate is not None and certificate_details(certificate).thing_count == 1


def _mention_in_bell(w: World) -> bool:
    page = w.get("mate", reverse("notifications:list")).text
    return "mentioned you" in page


def _bell_count(w: World) -> bool:
    return "bell__count" in w.get("mate", _cohort_url("journal:cohort")(w)).text


def _private_feed(w: World) -> bool:
    url = reverse(
        "journal:private_cohort_feed",
        kwargs={"key": feed_token_for(w.mate).key, "cohort": w.cohort.slug},
    )
    return TITLE in w.get("visitor", url).text


def _comments_feed(w: World) -> bool:
    entry = Entry.with_deleted.get(pk=w.entry.pk)
    url = reverse(
        "journal:comments_feed",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )
    response = w.get("visitor", url)
    return response.status_code == HTTPStatus.OK and COMMENT in response.text


def _replies_on_dashboard(w: World) -> bool:
    return COMMENT in w.get("author", reverse("home")).text


def _cpd_log(w: World) -> bool:
    return TITLE in w.get("author", reverse("journal:cpd_log")).text


def _own_progress(w: World) -> bool:
    return "<strong>1 of" in w.get("author", reverse("home")).text


def _own_published(w: World) -> bool:
    page = w.get("author", reverse("journal:journal", args=["ada"])).text
    return TITLE in page[page.index('id="entries-heading"') :]


def _own_tags(w: World) -> bool:
    url = reverse("journal:journal", kwargs={"username": "ada"})
    return "?tag=vanishing" in w.get("author", url).text


#: Where others meet the entry: every one of them drops it, deleted or a draft.
FOR_OTHERS: dict[str, Callable[[World], bool]] = {
    "cohort page": _page("mate", _cohort_url("journal:cohort")),
    "thing page": _page(
        "mate",
        lambda w: reverse(
            "journal:thing",
            kwargs={"cohort": w.cohort.slug, "thing": w.entry.thing.slug},
        ),
    ),
    "journal": _page("visitor", lambda w: reverse("journal:journal", args=["ada"])),
    "entry page": _entry_page,
    "people count": _people_count,
    "cohort feed": _page("visitor", _cohort_url("journal:cohort_feed")),
    "private cohort feed": _private_feed,
    "journal feed": _page(
        "visitor", lambda w: reverse("journal:journal_feed", args=["ada"])
    ),
    "comments feed": _comments_feed,
    "search": _page("mate", lambda w: reverse("journal:search") + "?q=vanishing"),
    "comment search": _comment_search,
    "read next": _read_next,
    "progress grid": _progress_grid,
    "certificate": _certificate,
    "mention in the bell": _mention_in_bell,
    "bell count": _bell_count,
}

#: The author's own lists (a draft shows only among their drafts).
FOR_THE_AUTHOR: dict[str, Callable[[World], bool]] = {
    "own journal's entries": _own_published,
    "cpd log": _cpd_log,
    "own progress": _own_progress,
}

#: Deleting takes the entry from everything the author has too.
DELETED_ONLY: dict[str, Callable[[World], bool]] = {
    "replies on the dashboard": _replies_on_dashboard,
    "own tags": _own_tags,
}


def _delete(w: World) -> None:
    actions.delete_entry(entry=w.entry)


def _unpublish(w: World) -> None:
    actions.unpublish_entry(entry=w.entry)


CASES = [
    *[(name, check, _delete, "delete") for name, check in FOR_OTHERS.items()],
    *[(name, check, _delete, "delete") for name, check in FOR_THE_AUTHOR.items()],
    *[(name, check, _delete, "delete") for name, check in DELETED_ONLY.items()],
    *[(name, check, _unpublish, "unpublish") for name, check in FOR_OTHERS.items()],
    *[(name, check, _unpublish, "unpublish") for name, check in FOR_THE_AUTHOR.items()],
]


@pytest.mark.parametrize(
    ("surface", "shows", "change", "label"),
    CASES,
    ids=[f"{label}: {surface}" for surface, _, _, label in CASES],
)
def test_it_leaves_every_surface(world, surface, shows, change, label) -> None:
    assert shows(world), f"{surface} should show the entry before the change"
    change(world)
    assert not shows(world), f"{surface} still shows it after {label}"


@pytest.mark.parametrize("surface", [*FOR_OTHERS, *FOR_THE_AUTHOR, *DELETED_ONLY])
def test_a_restored_entry_is_back_everywhere(world, surface) -> None:
    checks = FOR_OTHERS | FOR_THE_AUTHOR | DELETED_ONLY
    actions.delete_entry(entry=world.entry)
    assert not checks[surface](world)
    actions.restore_entry(entry=world.entry)
    assert checks[surface](world)


# Deleting ---------------------------------------------------------------------


def test_the_confirmation_says_what_goes_with_it(world) -> None:
    url = reverse("journal:delete_entry", args=["ada", world.entry.slug])
    page = world.get("author", url)
    assert page.status_code == HTTPStatus.OK
    text = " ".join(page.text.split())
    assert "Its 1 comment, 1 like, and the notifications about them go" in text
    assert Entry.objects.filter(pk=world.entry.pk).exists()


def test_posting_the_confirmation_deletes_it_and_lists_it_in_the_bin(world) -> None:
    url = reverse("journal:delete_entry", args=["ada", world.entry.slug])
    response = world.clients["author"].post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("journal:deleted_entries")
    assert "is deleted. You can restore it until" in response.text
    assert TITLE in response.text
    assert not Entry.objects.filter(pk=world.entry.pk).exists()
    stored = Entry.with_deleted.get(pk=world.entry.pk)
    assert stored.comments.count() == 1
    assert Like.objects.filter(entry=stored).count() == 1


def test_deleting_twice_sends_the_second_press_to_the_bin(world) -> None:
    url = reverse("journal:delete_entry", args=["ada", world.entry.slug])
    world.clients["author"].post(url)
    again = world.clients["author"].post(url)
    assert again.status_code == HTTPStatus.FOUND
    assert again["Location"] == reverse("journal:deleted_entries")


@pytest.mark.parametrize("who", ["mate", "facilitator"])
def test_others_cannot_delete_or_unpublish_it(world, who) -> None:
    for name in ("journal:delete_entry", "journal:unpublish_entry"):
        url = reverse(name, args=["ada", world.entry.slug])
        assert world.clients[who].post(url).status_code == HTTPStatus.NOT_FOUND
    assert Entry.objects.get(pk=world.entry.pk).is_published


def test_others_cannot_see_or_restore_the_authors_deleted_entries(world) -> None:
    actions.delete_entry(entry=world.entry)
    bin_page = world.get("mate", reverse("journal:deleted_entries"))
    assert TITLE not in bin_page.text
    restore = reverse("journal:restore_entry", args=[world.entry.pk])
    assert world.clients["mate"].post(restore).status_code == HTTPStatus.NOT_FOUND
    assert Entry.with_deleted.get(pk=world.entry.pk).is_deleted


def test_the_journal_and_the_editor_link_to_the_bin(world) -> None:
    bin_url = reverse("journal:deleted_entries")
    journal = world.get("author", reverse("journal:journal", args=["ada"]))
    assert f'href="{bin_url}"' in journal.text
    assert f'href="{bin_url}"' in world.get("author", world.entry.get_edit_url()).text
    visitor = world.get("visitor", reverse("journal:journal", args=["ada"]))
    assert bin_url not in visitor.text


def test_restoring_brings_it_back_at_its_address_with_comments_and_likes(
    world,
) -> None:
    address = world.entry.get_absolute_url()
    actions.delete_entry(entry=world.entry)
    url = reverse("journal:restore_entry", args=[world.entry.pk])
    response = world.clients["author"].post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == address
    page = world.get("mate", address)
    assert COMMENT in page.text
    assert "1 like" in page.text
    # The same form sent again: nothing more happens.
    assert world.clients["author"].post(url)["Location"] == address


def test_a_new_entry_written_on_a_freed_thing_is_kept_and_the_restored_one_is_a_draft(
    world, make_entry
) -> None:
    actions.delete_entry(entry=world.entry)
    write = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": world.cohort.slug, "thing": world.entry.thing.slug},
    )
    # The Thing is free: its write page is a new entry, not the deleted one.
    assert world.get("author", write).status_code == HTTPStatus.OK
    newer = make_entry(
        world.author, cohort=world.cohort, thing=world.entry.thing, title="Again"
    )

    url = reverse("journal:restore_entry", args=[world.entry.pk])
    response = world.clients["author"].post(url, follow=True)

    assert "is back as a draft free reflection" in response.text
    restored = Entry.objects.get(pk=world.entry.pk)
    assert (restored.thing, restored.status) == (None, Entry.Status.DRAFT)
    assert restored.slug == world.entry.slug
    assert Entry.objects.get(pk=newer.pk).thing == world.entry.thing


def test_after_30_days_it_cannot_be_restored_and_is_purged(world) -> None:
    actions.delete_entry(entry=world.entry)
    later = timezone.now() + DELETED_ENTRIES_KEPT + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        world.clients["author"].force_login(world.author)  # a month on: anew
        bin_page = world.get("author", reverse("journal:deleted_entries"))
        assert "Nothing deleted in the last 30 days." in bin_page.text
        url = reverse("journal:restore_entry", args=[world.entry.pk])
        assert world.clients["author"].post(url).status_code == HTTPStatus.NOT_FOUND

        out = io.StringIO()
        call_command("purge_deleted_entries", stdout=out)
        assert out.getvalue().startswith("Purged 1 deleted entry (")
        assert "1 journal.Comment" in out.getvalue()
        assert "1 journal.Like" in out.getvalue()
        assert "notifications.Notification" in out.getvalue()

        again = io.StringIO()
        call_command("purge_deleted_entries", stdout=again)
        assert again.getvalue() == "Purged 0 deleted entries.\n"

    assert not Entry.with_deleted.filter(pk=world.entry.pk).exists()
    for model in (Comment, Like, Revision):
        assert not model.objects.filter(entry_id=world.entry.pk).exists()
    assert not Notification.objects.filter(entry_id=world.entry.pk).exists()
    assert not Tag.objects.filter(owner=world.author).exists()


def test_the_purge_keeps_what_can_still_be_restored(world, make_entry) -> None:
    kept = make_entry(world.author, cohort=world.cohort, title="Kept")
    actions.delete_entry(entry=world.entry)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        actions.delete_entry(entry=kept)
        assert actions.purge_deleted_entries() == {}
    assert Entry.with_deleted.filter(pk__in=[world.entry.pk, kept.pk]).count() == 2


def test_the_bin_runs_the_same_queries_for_5_and_50_entries(
    author, cohort, make_entry, client_for, django_assert_num_queries
) -> None:
    client = client_for(author)
    url = reverse("journal:deleted_entries")

    def delete_more(count: int) -> None:
        for _ in range(count):
            entry = make_entry(author, cohort=cohort, title="Gone")
            actions.delete_entry(entry=entry)

    delete_more(5)
    small = count_queries(client, url)
    delete_more(45)
    assert count_queries(client, url) == small


# Moving back to draft ---------------------------------------------------------


def test_unpublishing_asks_then_makes_it_a_draft_for_the_author(world) -> None:
    url = reverse("journal:unpublish_entry", args=["ada", world.entry.slug])
    page = world.get("author", url)
    assert "Thing 1 will no longer count as done" in " ".join(page.text.split())
    response = world.clients["author"].post(url, follow=True)
    assert "Moved back to draft" in response.text
    assert Entry.objects.get(pk=world.entry.pk).status == Entry.Status.DRAFT
    journal = world.get("author", reverse("journal:journal", args=["ada"]))
    drafts = journal.text[journal.text.index("Your drafts") :]
    assert TITLE in drafts
    # Pressed again (an old tab): it is a draft already, so the editor opens.
    again = world.clients["author"].post(url)
    assert again["Location"] == world.entry.get_edit_url()


def test_publishing_again_keeps_the_address_and_dates_it_anew(world) -> None:
    address = world.entry.get_absolute_url()
    first_date = world.entry.published_at
    actions.unpublish_entry(entry=world.entry)
    entry = Entry.objects.get(pk=world.entry.pk)
    entry.title = "A new title while a draft"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        entry = actions.save_entry(entry=entry, publish=True)
    assert entry.get_absolute_url() == address
    assert entry.published_at > first_date
    assert _progress_grid(World(**{**world.__dict__, "entry": entry}))
