"""Every change shows on the very next request on every page that shows it,
with every cache warm (DESIGN.md, "One write path").

Each row of the table is one kind of change and one page that shows it: the
page is read twice (so whatever it caches is warm), the change is made the way
people make it (a form posted, or the action a form calls), and the page is read
once more. A row first checks that the page does not show the new state yet, so
no row can pass without the change. With `REDIS_URL` set the caches are the
production ones (Redis behind each process's copy).
"""

from __future__ import annotations

import datetime
import os
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Profile
from core import freshness
from core.cache import LayeredCache, clear_caches
from core.feeds_in import ParsedFeed, Post
from core.fetch import FetchResult, Outcome
from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal import blogs
from journal.feeds import feed_token_for
from journal.models import Comment, Entry, Image, LinkedBlog, Report
from programmes import actions as programme_actions
from programmes.models import Cohort, HoldPosts, Membership, Programme, Thing
from tests.conftest import PASSWORD, thing
from tests.core.test_cache_settings import REDIS_URL, redis_is_listening
from tests.images import image_bytes, upload


@dataclass
class World:
    programme: Programme
    cohort: Cohort
    owner: User
    fran: User
    ada: User
    ben: User
    cleo: User
    entry: Entry
    comment: Comment
    clients: dict[str, Client]

    def client(self, who: str) -> Client:
        return self.clients[who]

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(cohort=self.cohort, user=user)


@pytest.fixture
def world(
    programme, cohort, owner, facilitator, author, cohort_mate, make_user, client_for
) -> World:
    cleo = make_user("cleo", display_name="Cleo Newcomer")
    Thing.objects.filter(programme=programme, number=3).update(
        status=Thing.Status.DRAFT
    )
    entry = journal_actions.save_entry(
        entry=Entry(
            author=author,
            cohort=cohort,
            thing=thing(programme, 1),
            title="Shared thoughts",
            body="Thinking about *getting started*.",
            visibility=Entry.Visibility.PUBLIC,
        ),
        publish=True,
    )
    comment = journal_actions.add_comment(
        entry=entry, author=cohort_mate, body="A first reply"
    )
    clients = {
        name: client_for(user)
        for name, user in {
            "owner": owner,
            "fran": facilitator,
            "ada": author,
            "ben": cohort_mate,
            "cleo": cleo,
        }.items()
    }
    clients["visitor"] = Client()
    cohort.refresh_from_db()
    return World(
        programme=programme,
        cohort=cohort,
        owner=owner,
        fran=facilitator,
        ada=author,
        ben=cohort_mate,
        cleo=cleo,
        entry=entry,
        comment=comment,
        clients=clients,
    )


# Pages: what each reader asks for --------------------------------------------


def _cohort(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, kwargs={"cohort": w.cohort.slug})


def _entry_url(w: World) -> str:
    entry = Entry.with_deleted.get(pk=w.entry.pk)
    return entry.get_absolute_url()


def _private_feed(who: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        user = getattr(w, who)
        return reverse(
            "journal:private_cohort_feed",
            kwargs={"key": feed_token_for(user).key, "cohort": w.cohort.slug},
        )

    return url


PAGES: dict[str, Callable[[World], str]] = {
    "dashboard": lambda w: reverse("home"),
    "cohort": _cohort("journal:cohort"),
    "thing": lambda w: reverse(
        "journal:thing", kwargs={"cohort": w.cohort.slug, "thing": "getting-started"}
    ),
    "thing 2": lambda w: reverse(
        "journal:thing", kwargs={"cohort": w.cohort.slug, "thing": "blogging"}
    ),
    "thing 3": lambda w: reverse(
        "journal:thing", kwargs={"cohort": w.cohort.slug, "thing": "feeds"}
    ),
    "people": _cohort("journal:people"),
    "journal": lambda w: reverse("journal:journal", kwargs={"username": "ada"}),
    "ben's journal": lambda w: reverse("journal:journal", kwargs={"username": "ben"}),
    "entry": _entry_url,
    "progress": _cohort("facilitation:progress"),
    "cohort feed": _cohort("journal:cohort_feed"),
    "journal feed": lambda w: reverse(
        "journal:journal_feed", kwargs={"username": "ada"}
    ),
    "ben's cohort feed": _private_feed("ben"),
    "search": lambda w: reverse("journal:search") + "?q=thoughts",
    "comment search": lambda w: reverse("journal:search") + "?q=edited",
    "notifications": lambda w: reverse("notifications:list"),
    "open programme": lambda w: reverse(
        "journal:open_programme", kwargs={"programme": w.programme.slug}
    ),
    "open thing": lambda w: reverse(
        "journal:open_thing",
        kwargs={"programme": w.programme.slug, "thing": "getting-started"},
    ),
    "sitemap": lambda w: reverse("sitemap"),
    "open thing 3": lambda w: reverse(
        "journal:open_thing", kwargs={"programme": w.programme.slug, "thing": "feeds"}
    ),
}


# Changes: made as people make them -------------------------------------------


def _post(w: World, who: str, url: str, data: dict) -> None:
    response = w.client(who).post(url, data)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND), response
    if response.status_code == HTTPStatus.OK:
        assert b"error" not in response.content.lower(), response.content[:2000]


def rename_programme(w: World) -> None:
    _post(
        w,
        "owner",
        reverse("studio:programme", kwargs={"slug": w.programme.slug}),
        {"title": "Renamed Programme", "slug": w.programme.slug, "summary": "New."},
    )


def turn_off_reflection_readings(w: World) -> None:
    """The owner unticks "offers reflection reading" in the studio form."""
    programme = w.programme
    _post(
        w,
        "owner",
        reverse("studio:programme", kwargs={"slug": programme.slug}),
        {"title": programme.title, "slug": programme.slug, "summary": "A programme."},
    )


def _set_open(is_open: bool) -> Callable[[World], None]:
    def change(w: World) -> None:
        _post(
            w,
            "owner",
            reverse("studio:set_programme_open", kwargs={"slug": w.programme.slug}),
            {"open": "1" if is_open else "0"},
        )

    return change


def programme_is_open(w: World) -> None:
    programme_actions.set_programme_open(programme=w.programme, is_open=True)


def open_joining(w: World) -> None:
    _post(
        w,
        "fran",
        reverse("studio:set_open_joining", kwargs={"slug": w.cohort.slug}),
        {"open_to_all": "on", "member_cap": "", "join_until": ""},
    )


def one_place_left(w: World) -> None:
    programme_is_open(w)
    participants = w.cohort.participant_count()
    programme_actions.set_open_joining(
        cohort=w.cohort, open_to_all=True, member_cap=participants + 1, join_until=None
    )


def _thing_data(item: Thing, **changes) -> dict:
    data = {
        "title": item.title,
        "slug": item.slug,
        "introduction": item.introduction,
        "questions": "\n".join(item.questions),
        "action": item.action,
        "estimated_minutes": item.estimated_minutes,
        "status": item.status,
        "save": "1",
    }
    return {**data, **changes}


def edit_thing(w: World) -> None:
    item = thing(w.programme, 1)
    _post(
        w,
        "owner",
        reverse(
            "studio:edit_thing",
            kwargs={"slug": w.programme.slug, "thing_slug": item.slug},
        ),
        _thing_data(item, title="Starting out", introduction="A *fresh* start."),
    )


def _set_published(number: int, publish: bool) -> Callable[[World], None]:
    def change(w: World) -> None:
        item = thing(w.programme, number)
        _post(
            w,
            "owner",
            reverse(
                "studio:publish_thing" if publish else "studio:unpublish_thing",
                kwargs={"slug": w.programme.slug, "thing_slug": item.slug},
            ),
            {"publish": "1"} if publish else {"confirmed": "1"},
        )

    return change


def _profile_data(user: User, **changes) -> dict:
    profile = Profile.objects.get(user=user)
    data = {
        "display_name": profile.display_name,
        "bio": profile.bio,
        "website": profile.website,
        "time_zone": profile.time_zone,
    }
    return {**data, **changes}


def rename_ada(w: World) -> None:
    _post(
        w,
        "ada",
        reverse("accounts:profile"),
        _profile_data(w.ada, display_name="Ada Lovelace"),
    )


def remove_ada_then_rename(w: World) -> None:
    _remove(w, w.ada)
    w.client("ben").get(PAGES["cohort"](w))
    rename_ada(w)


def move_ben_to_kiritimati(w: World) -> None:
    _post(
        w,
        "ben",
        reverse("accounts:profile"),
        _profile_data(w.ben, time_zone="Pacific/Kiritimati"),
    )


def cleo_joins(w: World) -> None:
    programme_actions.join_cohort(user=w.cleo, cohort=w.cohort)


def _remove(w: World, user: User) -> None:
    membership = w.membership(user)
    _post(
        w,
        "fran",
        reverse(
            "studio:remove_member",
            kwargs={"slug": w.cohort.slug, "membership_id": membership.pk},
        ),
        {"confirmed": "1"},
    )


def remove_ben(w: World) -> None:
    _remove(w, w.ben)


def promote_ben(w: World) -> None:
    _post(
        w,
        "fran",
        reverse(
            "studio:member_role",
            kwargs={
                "slug": w.cohort.slug,
                "membership_id": w.membership(w.ben).pk,
            },
        ),
        {"role": Membership.Role.FACILITATOR},
    )


def ben_writes(w: World) -> None:
    _post(
        w,
        "ben",
        reverse(
            "journal:write_on_thing",
            kwargs={"cohort": w.cohort.slug, "thing": "getting-started"},
        ),
        {
            "title": "Starting as Ben",
            "body": "Written by Ben.",
            "action": "",
            "minutes": "",
            "visibility": Entry.Visibility.PUBLIC,
            "publish": "1",
        },
    )


def ben_s_blog_is_read(w: World) -> None:
    """The linked-blog worker reads Ben's blog and finds a post on Thing 1
    (journal/blogs.py `record_read`, as `read_blog` calls it)."""
    blog = LinkedBlog.objects.create(
        owner=w.ben,
        cohort=w.cohort,
        address="https://ben.example.org/",
        feed_url="https://ben.example.org/feed/",
        visibility=Entry.Visibility.PUBLIC,
    )
    post = Post(
        guid="https://ben.example.org/?p=1",
        link="https://ben.example.org/thing-1/",
        title="Thing 1: my blog post",
        published=timezone.now() - datetime.timedelta(hours=1),
        updated=None,
        categories=(),
        summary_html="",
        content_html="<p>Written on my own blog.</p>",
    )
    blogs.record_read(
        blog=blog,
        result=FetchResult(outcome=Outcome.OK, url=blog.feed_url, status=200),
        parsed=ParsedFeed(is_feed=True, posts=(post,)),
    )


def _edit_entry_data(entry: Entry, **changes) -> dict:
    data = {
        "title": entry.title,
        "body": entry.body,
        "action": entry.action,
        "minutes": entry.minutes or "",
        "visibility": entry.visibility,
        "base_version": entry.version,
        "publish": "1",
    }
    return {**data, **changes}


def _edit_ada_entry(**changes) -> Callable[[World], None]:
    def change(w: World) -> None:
        entry = Entry.objects.get(pk=w.entry.pk)
        _post(
            w,
            "ada",
            reverse(
                "journal:edit_entry", kwargs={"username": "ada", "slug": entry.slug}
            ),
            _edit_entry_data(entry, **changes),
        )

    return change


def _entry_action(name: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        return reverse(name, kwargs={"username": "ada", "slug": w.entry.slug})

    return url


def ada_deletes_entry(w: World) -> None:
    _post(w, "ada", _entry_action("journal:delete_entry")(w), {})


def ada_restores_entry(w: World) -> None:
    _post(w, "ada", reverse("journal:restore_entry", args=[w.entry.pk]), {})


def ada_unpublishes_entry(w: World) -> None:
    _post(w, "ada", _entry_action("journal:unpublish_entry")(w), {})


def ben_comments(w: World) -> None:
    _post(
        w, "ben", _entry_action("journal:add_comment")(w), {"body": "Another thought"}
    )


def hold_every_post_first(w: World) -> None:
    Cohort.objects.filter(pk=w.cohort.pk).update(hold_posts=HoldPosts.ALL)
    freshness.cohorts_changed([w.cohort.pk])


def ben_edits_comment(w: World) -> None:
    _post(
        w,
        "ben",
        reverse("journal:edit_comment", kwargs={"pk": w.comment.pk}),
        {"body": "An edited reply"},
    )


def ben_deletes_comment(w: World) -> None:
    _post(w, "ben", reverse("journal:delete_comment", kwargs={"pk": w.comment.pk}), {})


#: The reason a facilitator gives when hiding (restoring ignores it).
HIDDEN_BECAUSE = "Off topic for this cohort."


def _moderate(name: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        _post(
            w,
            "fran",
            reverse(
                f"facilitation:{name}",
                kwargs={"cohort": w.cohort.slug, "pk": w.comment.pk},
            ),
            {"reason": HIDDEN_BECAUSE},
        )

    return change


def restore_hidden_comment(w: World) -> None:
    _moderate("restore_comment")(w)


def hide_comment_first(w: World) -> None:
    facilitation_actions.hide_item(actor=w.fran, item=w.comment)


def ben_likes(w: World) -> None:
    _post(w, "ben", _entry_action("journal:like")(w), {})


def ben_reports(w: World) -> None:
    _post(
        w,
        "ben",
        _entry_action("facilitation:report_entry")(w),
        {"reason": "spam", "details": "Looks like an advert."},
    )


def ada_replies_to_ben(w: World) -> None:
    journal_actions.add_comment(
        entry=w.entry, author=w.ada, body="Thanks Ben", parent=w.comment
    )


def _moderate_entry(name: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        _post(
            w,
            "fran",
            reverse(
                f"facilitation:{name}",
                kwargs={"cohort": w.cohort.slug, "pk": w.entry.pk},
            ),
            {"reason": HIDDEN_BECAUSE},
        )

    return change


def hide_entry_first(w: World) -> None:
    facilitation_actions.hide_item(actor=w.fran, item=w.entry)


def ben_likes_first(w: World) -> None:
    journal_actions.like_entry(entry=w.entry, user=w.ben)


def ben_unlikes(w: World) -> None:
    _post(w, "ben", _entry_action("journal:unlike")(w), {})


def ben_reports_first(w: World) -> None:
    facilitation_actions.report_item(reporter=w.ben, item=w.entry, reason="spam")


def fran_dismisses_report(w: World) -> None:
    report = Report.objects.get(entry=w.entry)
    _post(
        w,
        "fran",
        reverse(
            "facilitation:dismiss_report",
            kwargs={"cohort": w.cohort.slug, "pk": report.pk},
        ),
        {},
    )


def move_thing_1_down(w: World) -> None:
    _post(
        w,
        "owner",
        reverse(
            "studio:move_thing",
            kwargs={"slug": w.programme.slug, "thing_slug": "getting-started"},
        ),
        {"direction": "down"},
    )


def release_thing_4_now(w: World) -> None:
    _post(
        w,
        "fran",
        reverse(
            "studio:release_now",
            kwargs={"slug": w.cohort.slug, "thing_slug": "networks"},
        ),
        {"confirmed": "1"},
    )


def cadence_every_day(w: World) -> None:
    """Seven a week: Thing 4 (Networks) opens on day 3 of the 15 past."""
    _post(
        w,
        "fran",
        reverse("studio:set_cadence", kwargs={"slug": w.cohort.slug}),
        {"weekdays": [str(day) for day in range(7)], "catch_up_weeks": ""},
    )


def move_later_dates(w: World) -> None:
    _post(
        w,
        "fran",
        reverse("studio:move_later_dates", kwargs={"slug": w.cohort.slug}),
        {"confirmed": "1", "pause_days": "0"},
    )


def shows_networks_opening_in(days: int) -> Callable:
    """The dashboard's "Networks opens on …" with the date that many days on."""

    def check(w: World, response) -> bool:
        opens_on = w.cohort.start_date + datetime.timedelta(days=days)
        text = f">{dateformat.format(opens_on, 'l j F')}</time>"
        return "Networks opens on" in response.content.decode() and text in (
            response.content.decode()
        )

    return check


def promote_ben_first(w: World) -> None:
    programme_actions.set_role(
        membership=w.membership(w.ben), role=Membership.Role.FACILITATOR
    )


def demote_ben(w: World) -> None:
    _post(
        w,
        "fran",
        reverse(
            "studio:member_role",
            kwargs={"slug": w.cohort.slug, "membership_id": w.membership(w.ben).pk},
        ),
        {"role": Membership.Role.PARTICIPANT},
    )


def ada_deletes_her_account(w: World) -> None:
    _post(
        w,
        "ada",
        reverse("facilitation:delete_account"),
        {"password": PASSWORD, "confirm": "on"},
    )


def ada_reads_her_notifications(w: World) -> None:
    _post(w, "ada", reverse("notifications:mark_all_read"), {})


# What each page shows after the change --------------------------------------


def ada_shows_an_image(w: World) -> None:
    image = journal_actions.upload_image(
        owner=w.ada, upload=upload(image_bytes()), alt="Undescribed yet"
    )
    entry = Entry.objects.get(pk=w.entry.pk)
    entry.body += f"\n\n{image.markdown()}"
    journal_actions.save_entry(entry=entry, publish=True)


def owner_shows_an_image_in_thing_1(w: World) -> None:
    image = journal_actions.upload_image(
        owner=w.owner, upload=upload(image_bytes()), alt="Undescribed yet"
    )
    programme_actions.update_thing(
        thing=thing(w.programme, 1), introduction=f"Look: {image.markdown()}"
    )


def _describe_image(who: str) -> Callable[[World], None]:
    def change(w: World) -> None:
        image = Image.objects.get()
        _post(
            w,
            who,
            reverse("journal:describe_image", kwargs={"public_id": image.public_id}),
            {"alt": "Described at last"},
        )

    return change


def shows(text: str) -> Callable:
    return lambda w, response: text in response.content.decode()


def hides(text: str) -> Callable:
    return lambda w, response: text not in response.content.decode()


def status(code: int) -> Callable:
    return lambda w, response: response.status_code == code


def ben_sees_comment_time_in_kiritimati(w: World, response) -> bool:
    created = timezone.localtime(
        w.comment.created, zoneinfo.ZoneInfo("Pacific/Kiritimati")
    ).strftime("%H:%M")
    return f", {created}</time>" in response.content.decode()


def in_row(name: str, text: str) -> Callable:
    """`text` in the table row of the person called `name`."""

    def check(w: World, response) -> bool:
        page = response.content.decode()
        if name not in page:
            return False
        row = page[page.index(name) :]
        return text in row[: row.index("</tr>")]

    return check


def lacks(check: Callable) -> Callable:
    return lambda w, response: not check(w, response)


def in_read_next(text: str) -> Callable:
    """`text` in the "Read next" box (journal/reading.py)."""

    def check(w: World, response) -> bool:
        box = response.content.decode().split('id="read-next-heading"')[1]
        return text in box[: box.index("</section>")]

    return check


def shows_times(text: str, times: int) -> Callable:
    return lambda w, response: response.content.decode().count(text) == times


@dataclass(frozen=True)
class Row:
    change: str
    make: Callable[[World], None]
    page: str
    reader: str
    expect: Callable
    before: Callable[[World], None] | None = None


def rows(change: str, make, *cases, before=None) -> list[Row]:
    return [Row(change, make, *case, before=before) for case in cases]


RENAMED = "Ada Lovelace"
#: The progress page's comments chart, before its total.
COMMENTS_IN_ALL = "Comments in each week of the cohort so far:"
SEARCH_HIT = "Shared <mark>thoughts</mark>"

#: Where an entry deleted or moved back to draft leaves at once.
ENTRY_LEAVES = [
    ("cohort", "ben", hides("Shared thoughts")),
    ("thing", "ben", hides("Shared thoughts")),
    ("journal", "visitor", hides("Shared thoughts")),
    ("entry", "ben", status(404)),
    ("cohort feed", "visitor", hides("Shared thoughts")),
    ("journal feed", "visitor", hides("Shared thoughts")),
    ("ben's cohort feed", "visitor", hides("Shared thoughts")),
    ("search", "ben", hides(SEARCH_HIT)),
    ("progress", "fran", lacks(in_row("Select Ada", "1 of 2"))),
    ("dashboard", "ada", hides("<strong>1 of 3</strong>")),
]

TABLE = [
    *rows(
        "open joining",
        open_joining,
        ("open programme", "visitor", shows("Join Spring cohort")),
        before=programme_is_open,
    ),
    *rows(
        "join",
        cleo_joins,
        ("open programme", "visitor", shows("This cohort is full.")),
        before=one_place_left,
    ),
    *rows(
        "open programme",
        _set_open(True),
        ("open programme", "visitor", status(200)),
        ("open thing", "visitor", status(200)),
        ("dashboard", "visitor", shows('href="/p/23-things/"')),
        ("sitemap", "visitor", shows("/p/23-things/things/getting-started/")),
        ("sitemap", "visitor", shows("/@ada/shared-thoughts/")),
    ),
    *rows(
        "close programme",
        _set_open(False),
        ("open programme", "visitor", status(404)),
        ("open thing", "visitor", status(404)),
        ("dashboard", "visitor", hides('href="/p/23-things/"')),
        ("sitemap", "visitor", hides("/p/23-things/")),
        before=programme_is_open,
    ),
    *rows(
        "edit thing",
        edit_thing,
        ("open programme", "visitor", shows("Starting out")),
        ("open thing", "visitor", shows("<em>fresh</em>")),
        before=programme_is_open,
    ),
    *rows(
        "publish thing",
        _set_published(3, True),
        ("open programme", "visitor", shows("Feeds")),
        ("open thing 3", "visitor", status(200)),
        before=programme_is_open,
    ),
    *rows(
        "unpublish thing",
        _set_published(1, False),
        ("open programme", "visitor", hides("Getting started")),
        ("open thing", "visitor", status(404)),
        before=programme_is_open,
    ),
    *rows(
        "write entry",
        ben_writes,
        ("open thing", "visitor", shows("Starting as Ben")),
        ("open programme", "visitor", shows("2 public entries")),
        before=programme_is_open,
    ),
    *rows(
        "make entry private",
        _edit_ada_entry(visibility=Entry.Visibility.PRIVATE),
        ("open thing", "visitor", hides("Shared thoughts")),
        ("open programme", "visitor", hides("1 public entry")),
        ("sitemap", "visitor", hides("/@ada/shared-thoughts/")),
        before=programme_is_open,
    ),
    *rows(
        "delete entry",
        ada_deletes_entry,
        ("open thing", "visitor", hides("Shared thoughts")),
        before=programme_is_open,
    ),
    *rows(
        "hide entry",
        _moderate_entry("hide_entry"),
        ("open thing", "visitor", hides("Shared thoughts")),
        before=programme_is_open,
    ),
    *rows(
        "unpublish entry",
        ada_unpublishes_entry,
        ("open thing", "visitor", hides("Shared thoughts")),
        before=programme_is_open,
    ),
    *rows(
        "describe image",
        _describe_image("ada"),
        ("entry", "ben", shows('alt="Described at last"')),
        ("journal feed", "visitor", shows("Described at last")),
        before=ada_shows_an_image,
    ),
    *rows(
        "describe image",
        _describe_image("owner"),
        ("thing", "ben", shows('alt="Described at last"')),
        before=owner_shows_an_image_in_thing_1,
    ),
    *rows(
        "rename programme",
        rename_programme,
        ("dashboard", "ben", shows("Renamed Programme")),
        ("cohort", "ben", shows("Renamed Programme")),
        ("progress", "fran", shows("Renamed Programme")),
    ),
    *rows(
        "turn off reflection readings",
        turn_off_reflection_readings,
        ("entry", "ada", hides("How reflective is this?")),
    ),
    *rows(
        "edit thing",
        edit_thing,
        ("thing", "ben", shows("Starting out")),
        ("thing", "ben", shows("<em>fresh</em>")),
        ("cohort", "ben", shows("Starting out")),
        ("entry", "ben", shows("Starting out")),
        ("progress", "fran", shows("Starting out")),
        ("dashboard", "ben", shows("Starting out")),
    ),
    *rows(
        "publish thing",
        _set_published(3, True),
        ("thing 3", "ben", status(200)),
        ("dashboard", "ben", shows("3 open so far")),
        ("progress", "fran", shows('title="Feeds"')),
    ),
    *rows(
        "unpublish thing",
        _set_published(1, False),
        ("thing", "ben", status(404)),
        ("cohort", "ben", hides("Getting started")),
        ("progress", "fran", hides("Getting started")),
        ("dashboard", "ben", hides("Getting started")),
        ("people", "fran", in_row("Ada Author", '<td class="numeric">0</td>\n')),
    ),
    *rows(
        "rename person",
        rename_ada,
        ("cohort", "ben", shows(RENAMED)),
        ("thing", "ben", shows(RENAMED)),
        ("people", "ben", shows(RENAMED)),
        ("journal", "ben", shows(RENAMED)),
        ("entry", "ben", shows(RENAMED)),
        ("progress", "fran", shows(RENAMED)),
        ("entry", "visitor", shows(RENAMED)),
        ("cohort feed", "visitor", shows(RENAMED)),
        ("journal feed", "visitor", shows(RENAMED)),
        ("ben's cohort feed", "visitor", shows(RENAMED)),
        ("search", "ben", shows(RENAMED)),
    ),
    *rows(
        "rename person",
        rename_ada,
        ("notifications", "ben", shows(RENAMED)),
        before=ada_replies_to_ben,
    ),
    *rows(
        "rename removed member",
        remove_ada_then_rename,
        ("cohort", "ben", shows(RENAMED)),
        ("entry", "ben", shows(RENAMED)),
    ),
    *rows(
        "change time zone",
        move_ben_to_kiritimati,
        ("entry", "ben", ben_sees_comment_time_in_kiritimati),
    ),
    *rows(
        "join",
        cleo_joins,
        ("people", "ben", shows("Cleo Newcomer")),
        ("progress", "fran", shows("Cleo Newcomer")),
        ("cohort", "cleo", status(200)),
        ("entry", "cleo", shows("Add a comment")),
        ("dashboard", "cleo", shows("Spring cohort")),
    ),
    *rows(
        "removed",
        remove_ben,
        ("people", "ada", hides("Ben Cohort-Mate")),
        ("progress", "fran", hides("Select Ben Cohort-Mate")),
        ("cohort", "ben", status(404)),
        ("dashboard", "ben", hides("Spring cohort")),
        ("entry", "ben", hides('name="body"')),
    ),
    *rows(
        "promoted",
        promote_ben,
        ("progress", "ben", status(200)),
        ("cohort", "ben", shows("Moderation (")),
    ),
    *rows(
        "write entry",
        ben_writes,
        ("cohort", "ada", shows("Starting as Ben")),
        ("thing", "ada", shows("Starting as Ben")),
        ("ben's journal", "ada", shows("Starting as Ben")),
        ("cohort feed", "visitor", shows("Starting as Ben")),
        ("ben's cohort feed", "visitor", shows("Starting as Ben")),
        ("progress", "fran", in_row("Select Ben", "1 of 2")),
        ("dashboard", "ben", shows("<strong>1 of 3</strong>")),
        ("people", "ada", in_row("Ben Cohort-Mate", '<td class="numeric">1</td>')),
        ("cohort", "ada", in_read_next("Starting as Ben")),
        ("dashboard", "ada", in_read_next("Starting as Ben")),
    ),
    *rows(
        "blog post copied",
        ben_s_blog_is_read,
        ("cohort", "ada", shows("Thing 1: my blog post")),
        ("thing", "ada", shows("Thing 1: my blog post")),
        ("ben's journal", "ada", shows("Thing 1: my blog post")),
        ("cohort feed", "visitor", shows("Thing 1: my blog post")),
        ("progress", "fran", in_row("Select Ben", "1 of 2")),
        ("dashboard", "ben", shows("<strong>1 of 3</strong>")),
    ),
    *rows(
        "edit entry",
        _edit_ada_entry(title="Shared thoughts, revised"),
        ("cohort", "ben", shows("Shared thoughts, revised")),
        ("thing", "ben", shows("Shared thoughts, revised")),
        ("journal", "ben", shows("Shared thoughts, revised")),
        ("entry", "ben", shows("Shared thoughts, revised")),
        ("entry", "visitor", shows("Shared thoughts, revised")),
        ("cohort feed", "visitor", shows("Shared thoughts, revised")),
        ("journal feed", "visitor", shows("Shared thoughts, revised")),
        ("search", "ben", shows(f"{SEARCH_HIT}, revised")),
    ),
    *rows(
        "make entry private",
        _edit_ada_entry(visibility=Entry.Visibility.PRIVATE),
        ("cohort", "ben", hides("Shared thoughts")),
        ("thing", "ben", hides("Shared thoughts")),
        ("journal", "ben", hides("Shared thoughts")),
        ("journal", "visitor", hides("Shared thoughts")),
        ("cohort feed", "visitor", hides("Shared thoughts")),
        ("journal feed", "visitor", hides("Shared thoughts")),
        ("ben's cohort feed", "visitor", hides("Shared thoughts")),
        ("search", "ben", hides(SEARCH_HIT)),
        ("entry", "ben", status(404)),
        ("people", "ben", in_row("Ada Author", '<td class="numeric">0</td>')),
        ("entry", "visitor", status(302)),
    ),
    *rows(
        "delete entry",
        ada_deletes_entry,
        *ENTRY_LEAVES,
        ("journal", "ada", hides('href="/@ada/shared-thoughts/"')),
        ("notifications", "ada", hides("commented on your entry")),
    ),
    *rows(
        "restore entry (deleted)",
        ada_restores_entry,
        *[(page, reader, lacks(gone)) for page, reader, gone in ENTRY_LEAVES],
        ("journal", "ada", shows('href="/@ada/shared-thoughts/"')),
        ("notifications", "ada", shows("commented on your entry")),
        before=ada_deletes_entry,
    ),
    *rows(
        "unpublish entry",
        ada_unpublishes_entry,
        *ENTRY_LEAVES,
        ("journal", "ada", shows("Your drafts")),
    ),
    *rows(
        "post comment",
        ben_comments,
        ("entry", "ada", shows("Another thought")),
        ("entry", "fran", shows("Another thought")),
        ("entry", "visitor", shows("Another thought")),
        ("cohort", "ben", shows("2 comments")),
        ("thing", "fran", shows("2 comments")),
        ("notifications", "ada", shows_times("commented on your entry", 2)),
        ("progress", "fran", shows(f"{COMMENTS_IN_ALL} 2 in all")),
        ("dashboard", "ada", shows("Another thought")),
    ),
    *rows(
        "edit comment",
        ben_edits_comment,
        ("entry", "ada", shows("An edited reply")),
        ("comment search", "ada", shows("<mark>edited</mark>")),
        ("dashboard", "ada", shows("An edited reply")),
    ),
    *rows(
        "delete comment",
        ben_deletes_comment,
        ("entry", "ada", hides("A first reply")),
        ("progress", "fran", hides(f"{COMMENTS_IN_ALL} 1 in all")),
        ("dashboard", "ada", hides("A first reply")),
        ("cohort", "ben", hides("1 comment")),
        ("cohort", "fran", shows("still waiting for a first comment")),
        ("cohort", "fran", in_read_next("no comments yet")),
        ("dashboard", "fran", in_read_next("no comments yet")),
    ),
    *rows(
        "hide comment",
        _moderate("hide_comment"),
        ("entry", "ada", hides("A first reply")),
        ("entry", "ben", shows(HIDDEN_BECAUSE)),
        ("entry", "visitor", hides("A first reply")),
        ("notifications", "ben", shows("A facilitator hid your comment")),
        ("notifications", "ben", shows(HIDDEN_BECAUSE)),
        ("cohort", "fran", in_read_next("no comments yet")),
        ("dashboard", "fran", in_read_next("no comments yet")),
    ),
    *rows(
        "restore comment",
        restore_hidden_comment,
        ("entry", "ada", shows("A first reply")),
        ("entry", "visitor", shows("A first reply")),
        ("cohort", "fran", lacks(in_read_next("no comments yet"))),
        before=hide_comment_first,
    ),
    *rows(
        "like",
        ben_likes,
        ("entry", "ada", shows("1 like")),
        ("entry", "visitor", shows("1 like")),
    ),
    *rows(
        "unlike",
        ben_unlikes,
        ("entry", "ada", hides("1 like")),
        ("entry", "visitor", hides("1 like")),
        before=ben_likes_first,
    ),
    *rows(
        "hide entry",
        _moderate_entry("hide_entry"),
        ("cohort", "ben", hides("Shared thoughts")),
        ("people", "ben", in_row("Ada Author", '<td class="numeric">0</td>')),
        ("journal", "visitor", hides("Shared thoughts")),
        ("cohort feed", "visitor", hides("Shared thoughts")),
        ("entry", "ben", status(404)),
        ("entry", "ada", shows(HIDDEN_BECAUSE)),
        ("notifications", "ada", shows("A facilitator hid your entry")),
        ("cohort", "fran", lacks(in_read_next("Shared thoughts"))),
        ("dashboard", "fran", lacks(in_read_next("Shared thoughts"))),
    ),
    *rows(
        "restore entry",
        _moderate_entry("restore_entry"),
        ("cohort", "ben", shows("Shared thoughts")),
        ("cohort feed", "visitor", shows("Shared thoughts")),
        before=hide_entry_first,
    ),
    *rows(
        "dismiss report",
        fran_dismisses_report,
        ("cohort", "fran", shows("Moderation (0")),
        before=ben_reports_first,
    ),
    *rows(
        "move thing",
        move_thing_1_down,
        ("thing", "ben", shows("Thing 2: Getting started")),
        ("dashboard", "ben", shows("Thing 1: Blogging")),
        # Its previous/next links follow: Blogging now comes before it.
        ("thing", "ben", shows('rel="prev"')),
    ),
    *rows(
        "release thing now",
        release_thing_4_now,
        ("dashboard", "ben", shows("3 open so far")),
        ("dashboard", "ben", shows("Open this week")),
        ("progress", "fran", shows('title="Networks"')),
        ("thing 2", "ben", shows('rel="next"')),
    ),
    *rows(
        "change cadence",
        cadence_every_day,
        ("dashboard", "ben", shows("3 open so far")),
        ("progress", "fran", shows('title="Networks"')),
        ("thing 2", "ben", shows('rel="next"')),
    ),
    *rows(
        "move later dates",
        move_later_dates,
        ("dashboard", "ben", shows_networks_opening_in(21 + 7)),
        ("dashboard", "ben", lacks(shows_networks_opening_in(21))),
    ),
    *rows(
        "demoted",
        demote_ben,
        ("progress", "ben", status(404)),
        ("cohort", "ben", hides("Moderation (")),
        before=promote_ben_first,
    ),
    *rows(
        "account deleted",
        ada_deletes_her_account,
        ("cohort", "ben", hides("Shared thoughts")),
        ("thing", "ben", hides("Shared thoughts")),
        ("people", "ben", hides("Ada Author")),
        ("progress", "fran", hides("Ada Author")),
        ("cohort feed", "visitor", hides("Shared thoughts")),
        ("search", "ben", hides(SEARCH_HIT)),
    ),
    *rows(
        "notifications read",
        ada_reads_her_notifications,
        ("dashboard", "ada", hides("bell__count")),
        ("cohort", "ada", hides("bell__count")),
    ),
    *rows(
        "held comment",
        ben_comments,
        ("cohort", "fran", shows("Moderation (1")),
        before=hold_every_post_first,
    ),
    *rows(
        "report",
        ben_reports,
        ("cohort", "fran", shows("Moderation (1")),
        ("notifications", "fran", shows("was reported in")),
    ),
]


@pytest.fixture(params=["local caches", "redis"])
def caches_in_use(request, settings) -> str:
    """Each process's own caches, or production's: Redis with a copy of each
    versioned value in each process, sessions and signed-in users in Redis."""
    if request.param == "redis":
        if not os.environ.get("CI") and not redis_is_listening():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.KeptClientRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"freshness-{uuid.uuid4().hex}",
            },
            "versioned": {
                "BACKEND": "core.cache.LayeredCache",
                "LOCATION": "default",
                "TIMEOUT": 600,
                "OPTIONS": {"MAX_ENTRIES": 500},
            },
        }
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        settings.SIGNED_IN_USER_SECONDS = 60
        assert isinstance(caches["versioned"], LayeredCache)
    clear_caches()
    yield request.param
    clear_caches()


@pytest.mark.parametrize(
    "row", TABLE, ids=[f"{row.change} → {row.page} ({row.reader})" for row in TABLE]
)
def test_a_change_shows_on_the_next_request_with_every_cache_warm(
    caches_in_use, world, row
) -> None:
    if row.before is not None:
        row.before(world)
    reader = world.client(row.reader)
    url = PAGES[row.page](world)
    first = reader.get(url)
    assert not row.expect(world, first), "the page shows the change before it is made"
    reader.get(url)

    row.make(world)

    after = reader.get(PAGES[row.page](world))
    assert row.expect(world, after), after.content.decode()[:3000]


def test_every_kind_of_change_is_in_the_table() -> None:
    kinds = {row.change for row in TABLE}
    assert kinds >= {
        "rename programme",
        "turn off reflection readings",
        "edit thing",
        "publish thing",
        "unpublish thing",
        "rename person",
        "change time zone",
        "join",
        "removed",
        "promoted",
        "write entry",
        "blog post copied",
        "edit entry",
        "make entry private",
        "post comment",
        "edit comment",
        "delete comment",
        "hide comment",
        "restore comment",
        "like",
        "unlike",
        "report",
        "dismiss report",
        "hide entry",
        "restore entry",
        "delete entry",
        "restore entry (deleted)",
        "unpublish entry",
        "move thing",
        "release thing now",
        "change cadence",
        "move later dates",
        "demoted",
        "account deleted",
        "notifications read",
        "describe image",
        "open programme",
        "close programme",
        "open joining",
    }
