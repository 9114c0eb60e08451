"""The entry page's article and thread are HTML shared by the readers who may
see the same (core/freshness.py): warmed by one reader, read by another, each
sees exactly what DESIGN.md ("Who sees what") lets them see."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile
from core.cache import clear_caches
from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.models import Comment, Entry
from programmes.models import Cohort, HoldPosts

EDIT_ENTRY = "Move back to draft"
PRIVATE = "Only for Ada, privately"
HIDDEN = "Words a facilitator hid"
HELD = "Waiting words"
HIDE_BUTTON = "Hide<span"


@dataclass
class Page:
    entry: Entry
    clients: dict[str, Client]

    @property
    def url(self) -> str:
        return self.entry.get_absolute_url()

    def read(self, who: str) -> str:
        response = self.clients[who].get(self.url)
        assert response.status_code == 200
        return response.text

    def comment_queries(self, who: str) -> int:
        """Queries of comments (not the bell's count, which joins them)."""
        with CaptureQueriesContext(connection) as context:
            self.read(who)
        table = Comment._meta.db_table
        comments = f'SELECT "{table}".'
        return sum(q["sql"].startswith(comments) for q in context.captured_queries)


@pytest.fixture
def page(
    author, cohort_mate, facilitator, outsider, cohort, make_user, join, client_for
) -> Page:
    """Ada's public entry; Ben wrote a comment and a private one to her; Dan's
    comment is hidden, Eve's waits for approval; Cara and Dora only read."""
    cara, dan, eve, dora = (make_user(name) for name in ("cara", "dan", "eve", "dora"))
    for user in (cara, dan, eve, dora):
        join(user, cohort)
    entry = journal_actions.save_entry(
        entry=Entry(
            author=author,
            cohort=cohort,
            title="Shared thoughts",
            body="Thinking *aloud*.",
            visibility=Entry.Visibility.PUBLIC,
        ),
        publish=True,
    )
    journal_actions.add_comment(entry=entry, author=cohort_mate, body="Ben says hi")
    journal_actions.add_comment(
        entry=entry, author=cohort_mate, body=PRIVATE, private=True
    )
    hidden = journal_actions.add_comment(entry=entry, author=dan, body=HIDDEN)
    facilitation_actions.hide_item(actor=facilitator, item=hidden)
    Cohort.objects.filter(pk=cohort.pk).update(hold_posts=HoldPosts.ALL)
    journal_actions.add_comment(
        entry=Entry.objects.get(pk=entry.pk), author=eve, body=HELD
    )
    Cohort.objects.filter(pk=cohort.pk).update(hold_posts=HoldPosts.NONE)
    readers = {
        "ada": author,
        "ben": cohort_mate,
        "cara": cara,
        "dan": dan,
        "dora": dora,
        "eve": eve,
        "fran": facilitator,
        "oscar": outsider,
    }
    # In the visitors' time zone, so that only what they may see tells their
    # keys apart.
    Profile.objects.update(time_zone=settings.TIME_ZONE)
    clients = {name: client_for(user) for name, user in readers.items()}
    clients["visitor"] = Client()
    clear_caches()
    return Page(Entry.objects.get(pk=entry.pk), clients)


def test_the_thread_is_shared_by_members_who_did_not_write_in_it(page):
    page.read("cara")

    assert page.comment_queries("dora") == 0


def test_a_member_never_gets_another_members_edit_links_or_private_comment(page):
    ben = page.read("ben")
    cara = page.read("cara")

    assert PRIVATE in ben
    assert reverse("journal:edit_comment", args=[_comment(PRIVATE).pk]) in ben
    assert PRIVATE not in cara
    assert "/edit/" not in _thread(cara)
    assert "Ben says hi" in cara


def test_a_member_who_wrote_in_the_thread_gets_their_own_after_another(page):
    page.read("cara")
    ben = page.read("ben")

    assert PRIVATE in ben
    assert reverse("journal:edit_comment", args=[_comment("Ben says hi").pk]) in ben


def test_a_writer_sees_their_hidden_and_held_comments_others_placeholders(page):
    page.read("cara")

    assert HIDDEN in page.read("dan")
    assert HELD in page.read("eve")
    cara = page.read("cara")
    assert HIDDEN not in cara
    assert HELD not in cara


def test_the_author_and_a_member_each_see_their_own(page):
    page.read("cara")
    ada = page.read("ada")
    cara = page.read("cara")

    assert PRIVATE in ada
    assert EDIT_ENTRY in ada
    assert PRIVATE not in cara
    assert EDIT_ENTRY not in cara


def test_a_member_warming_the_article_gives_the_author_no_less(page):
    page.read("visitor")
    page.read("cara")

    assert EDIT_ENTRY in page.read("ada")


@pytest.mark.parametrize("first", ["fran", "cara"])
def test_facilitators_and_members_see_their_own_thread(page, first):
    page.read(first)
    fran = page.read("fran")
    cara = page.read("cara")

    for shown in (HIDDEN, HELD, PRIVATE, HIDE_BUTTON, "Restore<span"):
        assert shown in fran
        assert shown not in cara


@pytest.mark.parametrize("first", ["visitor", "oscar", "cara"])
def test_visitors_outsiders_and_members_see_their_own_thread(page, first):
    page.read(first)
    visitor = page.read("visitor")
    oscar = page.read("oscar")
    cara = page.read("cara")

    assert "to join the conversation" in visitor
    assert "to join the conversation" not in oscar + cara
    assert "Add a comment" in cara
    assert "Add a comment" not in visitor + oscar
    assert "Reply" not in _thread(visitor) + _thread(oscar)
    assert "Report<span" in cara
    assert "Report<span" not in visitor + oscar
    for html in (visitor, oscar, cara):
        assert "Ben says hi" in html
        assert PRIVATE not in html


def test_the_sign_in_link_of_a_shared_thread_returns_to_the_entry(page):
    page.clients["visitor"].get(page.url + "?from=somewhere")
    visitor = page.read("visitor")

    assert "?next=/%40ada/shared-thoughts/" in visitor
    assert "somewhere" not in visitor


def test_likes_are_counted_for_all_and_mine_for_me(page, cohort_mate):
    journal_actions.like_entry(entry=page.entry, user=cohort_mate)
    page.entry.refresh_from_db()
    page.read("cara")
    ben = page.read("ben")
    cara = page.read("cara")

    assert "1 like" in ben
    assert "1 like" in cara
    assert "You like this" in ben
    assert "You like this" not in cara


def test_a_like_shows_to_every_reader_at_once(page, cohort_mate):
    for who in ("cara", "visitor"):
        assert "1 like" not in page.read(who)

    page.clients["dora"].post(
        reverse(
            "journal:like",
            kwargs={"username": "ada", "slug": page.entry.slug},
        )
    )

    for who in ("cara", "visitor", "dora"):
        assert "1 like" in page.read(who)
    assert "You like this" in page.read("dora")
    assert "You like this" not in page.read("cara")


def test_a_comment_elsewhere_in_the_cohort_leaves_the_thread_cached(
    page, cohort, author, cohort_mate, make_entry
):
    elsewhere = make_entry(cohort_mate, cohort=cohort, title="Ben's own")
    page.read("cara")
    page.read("fran")

    journal_actions.add_comment(entry=elsewhere, author=author, body="Elsewhere")
    journal_actions.like_entry(entry=elsewhere, user=author)

    assert page.comment_queries("dora") == 0
    assert page.comment_queries("fran") == 0


@pytest.mark.parametrize("reader", ["cara", "fran", "visitor", "oscar", "ada"])
def test_a_comment_on_this_entry_shows_at_once(page, reader):
    page.read(reader)
    page.read(reader)

    page.clients["dora"].post(
        reverse(
            "journal:add_comment", kwargs={"username": "ada", "slug": "shared-thoughts"}
        ),
        {"body": "Dora joins in"},
    )

    assert "Dora joins in" in page.read(reader)
    assert _comment("Dora joins in").author.username == "dora"


def test_one_shared_form_stores_two_members_comments(page):
    """The hidden submission key is the same for every reader of the shared
    thread: it tells one person's repeats apart, not two people's posts."""
    key = page.read("cara").split('name="submission" value="')[1].split('"')[0]
    assert f'name="submission" value="{key}"' in page.read("dora")
    url = reverse(
        "journal:add_comment", kwargs={"username": "ada", "slug": "shared-thoughts"}
    )

    for who in ("cara", "dora", "dora"):
        page.clients[who].post(url, {"body": "Same words", "submission": key})

    assert Comment.objects.filter(body="Same words").count() == 2


def _comment(body: str) -> Comment:
    return Comment.objects.get(body=body)


def _thread(html: str) -> str:
    return html[html.index('id="comments"') :]
