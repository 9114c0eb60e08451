"""Held posts: in an open cohort a new member's first posts wait for a
facilitator's approval, seen by their writer (marked waiting) and the
cohort's facilitators alone, and nowhere else until approved."""

import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.core import mail
from django.test import Client
from django.urls import reverse

from facilitation import actions, progress
from journal import actions as journal_actions
from journal import reading
from journal.models import Comment, Entry, ModerationAction
from notifications.models import Kind, Notification
from programmes import actions as programme_actions
from programmes.models import Cohort, HoldPosts, Membership
from tests.conftest import thing
from tests.queries import count_queries


@pytest.fixture
def open_cohort(programme, cohort) -> Cohort:
    programme_actions.set_programme_open(programme=programme, is_open=True)
    return programme_actions.set_open_joining(
        cohort=cohort, open_to_all=True, member_cap=None, join_until=None
    )


@pytest.fixture
def newcomer(make_user, open_cohort, join) -> User:
    user = make_user("nina", display_name="Nina Newcomer")
    join(user, open_cohort)
    return user


@pytest.fixture
def regular(make_user, open_cohort, join) -> User:
    """A cohort-mate a facilitator approved before."""
    user = make_user("rita", display_name="Rita Regular")
    membership = join(user, open_cohort)
    Membership.objects.filter(pk=membership.pk).update(approved_at=membership.joined)
    return user


@pytest.fixture
def held_entry(newcomer, open_cohort, programme, make_entry) -> Entry:
    return make_entry(
        newcomer,
        cohort=open_cohort,
        thing=thing(programme, 1),
        title="Buy cheap watches",
        visibility=Entry.Visibility.PUBLIC,
    )


def membership_of(user: User, cohort: Cohort) -> Membership:
    return Membership.objects.select_related("cohort").get(user=user, cohort=cohort)


# The rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("open_to_all", "hold", "approved", "held"),
    [
        (True, HoldPosts.AUTOMATIC, False, True),
        (True, HoldPosts.AUTOMATIC, True, False),
        (False, HoldPosts.AUTOMATIC, False, False),
        (False, HoldPosts.FIRST, False, True),
        (True, HoldPosts.NONE, False, False),
        (True, HoldPosts.ALL, True, True),
        (False, HoldPosts.ALL, False, True),
    ],
)
def test_posts_held_follows_the_cohort_setting(
    cohort, make_user, join, open_to_all, hold, approved, held
):
    Cohort.objects.filter(pk=cohort.pk).update(open_to_all=open_to_all, hold_posts=hold)
    user = make_user("nina")
    membership = join(user, cohort)
    if approved:
        Membership.objects.filter(pk=membership.pk).update(
            approved_at=membership.joined
        )
    assert membership_of(user, cohort).posts_held() is held
    assert Cohort.objects.get(pk=cohort.pk).holds_posts_of(user) is held


def test_facilitators_posts_are_never_held(open_cohort, facilitator):
    Cohort.objects.filter(pk=open_cohort.pk).update(hold_posts=HoldPosts.ALL)
    assert not Cohort.objects.get(pk=open_cohort.pk).holds_posts_of(facilitator)


def test_a_newcomers_entry_and_comment_are_held(
    held_entry, newcomer, regular, open_cohort, make_entry, make_comment
):
    assert held_entry.is_held
    theirs = make_entry(regular, cohort=open_cohort, title="Rita's")
    assert not theirs.is_held
    assert make_comment(theirs, newcomer, "Hello").is_held
    assert not make_comment(theirs, regular, "Hello").is_held


def test_an_only_me_entry_waits_for_nothing_until_shared(
    newcomer, open_cohort, make_entry
):
    entry = make_entry(
        newcomer, cohort=open_cohort, visibility=Entry.Visibility.PRIVATE
    )
    assert not entry.is_held
    entry.visibility = Entry.Visibility.COHORT
    entry = journal_actions.save_entry(entry=entry, publish=True)
    assert Entry.objects.get(pk=entry.pk).is_held


# Who sees it -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("newcomer", True),
        ("facilitator", True),
        ("regular", False),
        ("outsider", False),
        ("other_facilitator", False),
    ],
)
def test_a_held_entry_is_read_by_its_author_and_the_facilitators_alone(
    request, held_entry, client_for, persona, sees
):
    user = request.getfixturevalue(persona)
    assert Entry.objects.visible_to(user).filter(pk=held_entry.pk).exists() is sees
    response = client_for(user).get(held_entry.get_absolute_url())
    assert response.status_code == (HTTPStatus.OK if sees else HTTPStatus.NOT_FOUND)
    if sees:
        assert "Waiting for approval." in response.content.decode()


def test_a_visitor_is_sent_to_sign_in_for_a_held_public_entry(client, held_entry):
    response = client.get(held_entry.get_absolute_url())
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert not Entry.objects.public().filter(pk=held_entry.pk).exists()


def test_a_held_comment_is_read_by_its_writer_and_the_facilitators_alone(
    newcomer, regular, facilitator, outsider, open_cohort, make_entry, make_comment
):
    entry = make_entry(regular, cohort=open_cohort, visibility=Entry.Visibility.PUBLIC)
    comment = make_comment(entry, newcomer, "Visit my shop")
    for user, sees in [
        (newcomer, True),
        (facilitator, True),
        (regular, False),
        (outsider, False),
        (AnonymousUser(), False),
    ]:
        assert Comment.objects.shown_to(user).filter(pk=comment.pk).exists() is sees
    page = Client().get(entry.get_absolute_url()).content.decode()
    assert "Visit my shop" not in page


def test_a_held_entry_is_in_no_list_count_feed_search_or_sitemap(
    held_entry, regular, open_cohort, programme, client_for
):
    mate = client_for(regular)
    pages = [
        reverse("journal:cohort", kwargs={"cohort": open_cohort.slug}),
        reverse(
            "journal:thing",
            kwargs={"cohort": open_cohort.slug, "thing": held_entry.thing.slug},
        ),
        reverse("journal:journal", kwargs={"username": "nina"}),
        reverse("journal:cohort_feed", kwargs={"cohort": open_cohort.slug}),
    ]
    for url in pages:
        assert "Buy cheap watches" not in mate.get(url).content.decode(), url
    visitor_pages = [
        programme.get_public_url(),
        held_entry.thing.get_public_url(),
        reverse("journal:journal_feed", kwargs={"username": "nina"}),
        reverse("sitemap"),
    ]
    for url in visitor_pages:
        page = Client().get(url).content.decode()
        assert "Buy cheap watches" not in page, url
        assert held_entry.get_absolute_url() not in page, url
    found = mate.get(reverse("journal:search"), {"q": "watches"}).content.decode()
    assert "Buy cheap watches" not in found
    assert reading.read_next(regular, open_cohort) == []
    assert not Entry.objects.completing().filter(pk=held_entry.pk).exists()
    people = mate.get(reverse("journal:people", kwargs={"cohort": open_cohort.slug}))
    nina_row = people.text[people.text.index("/@nina/") :]
    nina_row = nina_row[: nina_row.index("</tr>")]
    assert '<td class="numeric">0</td>' in nina_row


# Notifications ---------------------------------------------------------------


def test_only_facilitators_hear_of_a_held_comment_until_it_is_approved_once(
    newcomer, regular, facilitator, open_cohort, make_entry, make_comment
):
    entry = make_entry(regular, cohort=open_cohort)
    mail.outbox.clear()
    comment = make_comment(entry, newcomer, "First! @rita")
    told = Notification.objects.filter(comment=comment)
    assert list(told.values_list("recipient__username", "kind")) == [
        (facilitator.username, Kind.HELD)
    ]
    assert mail.outbox == []  # waiting posts come in the daily digest

    assert actions.approve_item(actor=facilitator, item=comment) is not None
    assert actions.approve_item(actor=facilitator, item=comment) is None
    assert list(
        told.exclude(kind=Kind.HELD).values_list("recipient__username", "kind")
    ) == [("rita", Kind.COMMENT)]


def test_members_mentioned_in_a_held_entry_are_told_when_it_is_approved(
    newcomer, regular, facilitator, open_cohort, make_entry
):
    entry = make_entry(newcomer, cohort=open_cohort, body="Thanks @rita")
    assert not Notification.objects.filter(entry=entry, recipient=regular).exists()
    actions.approve_item(actor=facilitator, item=entry)
    assert Notification.objects.filter(
        entry=entry, recipient=regular, kind=Kind.MENTION
    ).exists()


def test_facilitators_are_told_once_that_an_entry_waits_for_them(
    newcomer, facilitator, open_cohort, make_entry, client_for
):
    entry = make_entry(newcomer, cohort=open_cohort, title="Buy cheap watches")
    journal_actions.save_entry(entry=entry, publish=True)
    (held,) = Notification.objects.filter(kind=Kind.HELD)
    assert (held.recipient, held.entry, held.actor) == (facilitator, entry, newcomer)
    assert held.target_url() == reverse(
        "facilitation:moderation", args=[open_cohort.slug]
    )
    page = client_for(facilitator).get(reverse("notifications:list"))
    assert "“Buy cheap watches” by <strong>Nina Newcomer</strong> waits for your" in (
        page.text
    )


# Approving and rejecting -----------------------------------------------------


def test_approving_one_post_approves_the_person_in_the_cohort(
    held_entry, newcomer, regular, facilitator, open_cohort, make_entry, make_comment
):
    comment = make_comment(
        make_entry(regular, cohort=open_cohort), newcomer, "A comment"
    )
    actions.approve_item(actor=facilitator, item=held_entry)
    assert not Entry.objects.get(pk=held_entry.pk).is_held
    assert not Comment.objects.get(pk=comment.pk).is_held
    assert membership_of(newcomer, open_cohort).is_approved
    assert not make_entry(newcomer, cohort=open_cohort, title="Next").is_held
    assert Entry.objects.visible_to(regular).filter(pk=held_entry.pk).exists()
    logged = ModerationAction.objects.get(action=ModerationAction.Action.APPROVE)
    assert logged.entry == held_entry and logged.actor == facilitator


def test_where_every_post_is_held_approving_one_approves_only_that_one(
    newcomer, facilitator, open_cohort, make_entry
):
    Cohort.objects.filter(pk=open_cohort.pk).update(hold_posts=HoldPosts.ALL)
    open_cohort.refresh_from_db()
    first = make_entry(newcomer, cohort=open_cohort, title="One")
    second = make_entry(newcomer, cohort=open_cohort, title="Two")
    actions.approve_item(actor=facilitator, item=first)
    assert not Entry.objects.get(pk=first.pk).is_held
    assert Entry.objects.get(pk=second.pk).is_held
    assert make_entry(newcomer, cohort=open_cohort, title="Three").is_held


def test_rejecting_hides_the_post_and_tells_its_writer(
    held_entry, newcomer, regular, facilitator
):
    actions.hide_item(actor=facilitator, item=held_entry, reason="Advertising")
    stored = Entry.objects.get(pk=held_entry.pk)
    assert stored.is_hidden and not stored.is_held
    assert stored.hidden_reason == "Advertising"
    assert not Entry.objects.visible_to(regular).filter(pk=stored.pk).exists()
    assert Entry.objects.visible_to(newcomer).filter(pk=stored.pk).exists()
    assert Notification.objects.filter(recipient=newcomer, kind=Kind.HIDDEN).exists()


def queue_url(cohort: Cohort) -> str:
    return reverse("facilitation:moderation", kwargs={"cohort": cohort.slug})


def approve_url(cohort: Cohort, entry: Entry) -> str:
    return reverse(
        "facilitation:approve_entry", kwargs={"cohort": cohort.slug, "pk": entry.pk}
    )


def test_the_queue_shows_held_posts_with_approve_and_reject(
    held_entry, open_cohort, facilitator, client_for
):
    page = client_for(facilitator).get(queue_url(open_cohort)).content.decode()
    assert "Waiting for approval" in page
    assert "Buy cheap watches" in page
    assert f'action="{approve_url(open_cohort, held_entry)}"' in page
    hide = reverse(
        "facilitation:hide_entry",
        kwargs={"cohort": open_cohort.slug, "pk": held_entry.pk},
    )
    assert f'action="{hide}"' in page
    spammer = reverse(
        "facilitation:remove_spammer",
        kwargs={"cohort": open_cohort.slug, "username": "nina"},
    )
    assert f'href="{spammer}"' in page


def test_a_facilitator_approves_from_the_queue_and_it_shows_at_once(
    held_entry, open_cohort, facilitator, regular, client_for
):
    mate = client_for(regular)
    cohort_page = reverse("journal:cohort", kwargs={"cohort": open_cohort.slug})
    assert "Buy cheap watches" not in mate.get(cohort_page).content.decode()
    response = client_for(facilitator).post(approve_url(open_cohort, held_entry))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == queue_url(open_cohort)
    assert not Entry.objects.get(pk=held_entry.pk).is_held
    assert "Buy cheap watches" in mate.get(cohort_page).content.decode()
    own_page = client_for(held_entry.author).get(held_entry.get_absolute_url())
    assert "Waiting for approval." not in own_page.content.decode()


@pytest.mark.parametrize(
    "persona", ["newcomer", "regular", "outsider", "other_facilitator"]
)
def test_only_the_cohorts_facilitators_approve(
    request, held_entry, open_cohort, client_for, persona
):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(approve_url(open_cohort, held_entry))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Entry.objects.get(pk=held_entry.pk).is_held


def test_a_visitor_is_sent_to_sign_in_to_approve(client, held_entry, open_cohort):
    response = client.post(approve_url(open_cohort, held_entry))
    assert response.status_code == HTTPStatus.FOUND
    assert Entry.objects.get(pk=held_entry.pk).is_held


def test_the_queue_runs_a_fixed_number_of_queries(
    open_cohort, facilitator, make_members, make_entry, make_comment, client_for
):
    client = client_for(facilitator)
    counts = []
    for size, prefix in [(2, "few"), (8, "many")]:
        for member in make_members(open_cohort, size, prefix=prefix):
            entry = make_entry(member, cohort=open_cohort, title=f"By {member}")
            make_comment(entry, member, "My own comment")
        assert f"By {prefix}" in client.get(queue_url(open_cohort)).content.decode()
        counts.append(count_queries(client, queue_url(open_cohort)))
    assert counts[0] == counts[1]


# Links from newcomers -------------------------------------------------------


LINKS = "See https://a.example, https://b.example and [this](https://c.example)."


def comment_url(entry: Entry) -> str:
    return reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def test_a_newcomers_comment_with_too_many_links_comes_back_with_its_text(
    newcomer, regular, open_cohort, make_entry, client_for
):
    entry = make_entry(regular, cohort=open_cohort)
    response = client_for(newcomer).post(comment_url(entry), {"body": LINKS})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    page = response.content.decode()
    assert "at most 2 links" in page
    assert "https://c.example" in page
    assert not Comment.objects.filter(entry=entry).exists()


def test_two_links_are_fine_and_an_approved_member_has_no_limit(
    newcomer, regular, open_cohort, make_entry, client_for
):
    entry = make_entry(regular, cohort=open_cohort)
    response = client_for(newcomer).post(
        comment_url(entry), {"body": "https://a.example and https://b.example"}
    )
    assert response.status_code == HTTPStatus.FOUND
    response = client_for(regular).post(comment_url(entry), {"body": LINKS})
    assert response.status_code == HTTPStatus.FOUND


def test_a_newcomers_entry_with_too_many_links_is_not_published_but_kept(
    newcomer, open_cohort, programme, client_for
):
    url = reverse(
        "journal:write_on_thing",
        kwargs={"cohort": open_cohort.slug, "thing": thing(programme, 2).slug},
    )
    form = {"title": "Links", "body": LINKS, "visibility": "cohort"}
    response = client_for(newcomer).post(url, {**form, "publish": "1"})
    assert response.status_code == HTTPStatus.OK
    assert "at most 2 links" in response.content.decode()
    assert "https://c.example" in response.content.decode()
    assert not Entry.objects.filter(author=newcomer).published().exists()
    response = client_for(newcomer).post(url, {**form, "save": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert Entry.objects.filter(author=newcomer).drafts().exists()


# Removing a spammer ----------------------------------------------------------


def test_removing_a_spammer_hides_everything_at_once_and_suspends_them(
    held_entry,
    newcomer,
    regular,
    facilitator,
    open_cohort,
    make_entry,
    make_comment,
    client_for,
):
    actions.approve_item(actor=facilitator, item=held_entry)
    comment = make_comment(make_entry(regular, cohort=open_cohort), newcomer, "Spam")
    spammer = client_for(newcomer)
    mate = client_for(regular)
    cohort_page = reverse("journal:cohort", kwargs={"cohort": open_cohort.slug})
    assert "Buy cheap watches" in mate.get(cohort_page).content.decode()

    url = reverse(
        "facilitation:remove_spammer",
        kwargs={"cohort": open_cohort.slug, "username": "nina"},
    )
    asked = client_for(facilitator).get(url)
    assert asked.status_code == HTTPStatus.OK
    assert "Remove Nina Newcomer as a spammer?" in asked.content.decode()
    assert client_for(facilitator).post(url).status_code == HTTPStatus.FOUND

    assert "Buy cheap watches" not in mate.get(cohort_page).content.decode()
    assert (
        "Buy cheap watches"
        not in Client().get(held_entry.get_absolute_url()).content.decode()
    )
    assert not Comment.objects.shown_to(regular).filter(pk=comment.pk).exists()
    newcomer.refresh_from_db()
    assert not newcomer.is_active
    # Signed out everywhere, and cannot sign in again.
    assert spammer.get(reverse("home")).context["user"].is_anonymous
    signing_in = Client().post(
        reverse("account_login"),
        {"login": "nina@example.org", "password": "a long enough passphrase"},
    )
    assert signing_in["Location"] == reverse("account_inactive")
    logged = ModerationAction.objects.get(action=ModerationAction.Action.REMOVE_SPAMMER)
    assert logged.member == newcomer and logged.actor == facilitator


def test_removing_a_spammer_can_be_undone_within_a_day(
    held_entry, newcomer, regular, facilitator, open_cohort, client_for
):
    hidden_before = actions.hide_item(actor=facilitator, item=held_entry, reason="x")
    other = Entry.objects.create(
        author=newcomer,
        cohort=open_cohort,
        title="Other",
        status="published",
        published_at=hidden_before.created,
    )
    removal = actions.remove_spammer(
        actor=facilitator, membership=membership_of(newcomer, open_cohort)
    )
    assert Entry.objects.get(pk=other.pk).is_hidden
    undo = reverse(
        "facilitation:undo_spammer_removal",
        kwargs={"cohort": open_cohort.slug, "pk": removal.pk},
    )
    log = reverse("facilitation:moderation_log", kwargs={"cohort": open_cohort.slug})
    assert f'action="{undo}"' in client_for(facilitator).get(log).content.decode()
    assert client_for(regular).post(undo).status_code == HTTPStatus.NOT_FOUND
    assert client_for(facilitator).post(undo).status_code == HTTPStatus.FOUND
    newcomer.refresh_from_db()
    assert newcomer.is_active
    assert not Entry.objects.get(pk=other.pk).is_hidden
    # What a facilitator hid before stays hidden.
    assert Entry.objects.get(pk=held_entry.pk).is_hidden
    page = client_for(facilitator).get(log).content.decode()
    assert f'action="{undo}"' not in page and "Undone" in page
    with pytest.raises(actions.NotUndoable):
        actions.undo_spammer_removal(actor=facilitator, action=removal)

    again = actions.remove_spammer(
        actor=facilitator, membership=membership_of(newcomer, open_cohort)
    )
    later = again.created + actions.SPAMMER_UNDO_WINDOW + datetime.timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(actions.NotUndoable):
        actions.undo_spammer_removal(actor=facilitator, action=again)


def test_a_facilitator_cannot_be_removed_as_a_spammer(
    open_cohort, other_cohort, facilitator, other_facilitator, join, client_for
):
    membership = join(other_facilitator, open_cohort)
    url = reverse(
        "facilitation:remove_spammer",
        kwargs={"cohort": open_cohort.slug, "username": other_facilitator.username},
    )
    response = client_for(facilitator).post(url)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert User.objects.get(pk=other_facilitator.pk).is_active
    with pytest.raises(actions.RemovalRefused):
        actions.remove_spammer(actor=facilitator, membership=membership)


def test_the_cohort_navigation_counts_held_posts_with_open_reports(
    held_entry, newcomer, regular, open_cohort, facilitator, make_entry, client_for
):
    _report, created = actions.report_item(
        reporter=newcomer, item=make_entry(regular, cohort=open_cohort), reason="spam"
    )
    assert created
    client = client_for(facilitator)
    cohort_page = reverse("journal:cohort", kwargs={"cohort": open_cohort.slug})
    assert "Moderation (2" in client.get(cohort_page).content.decode()
    actions.approve_item(actor=facilitator, item=held_entry)
    assert "Moderation (1" in client.get(cohort_page).content.decode()


def test_a_held_entry_counts_in_no_progress_until_approved(
    held_entry, newcomer, open_cohort, facilitator
):
    assert not progress.completing_entries(open_cohort).filter(author=newcomer)
    assert not progress.dated_entries(open_cohort).filter(author=newcomer)
    _weeks, entries = progress.weekly_entries(open_cohort)
    assert sum(entries) == 0
    actions.approve_item(actor=facilitator, item=held_entry)
    assert progress.completing_entries(open_cohort).filter(author=newcomer)
    _weeks, entries = progress.weekly_entries(open_cohort)
    assert sum(entries) == 1


def test_a_held_comment_with_a_reply_leaves_a_placeholder_for_others(
    newcomer, regular, facilitator, open_cohort, make_entry, make_comment, client_for
):
    entry = make_entry(regular, cohort=open_cohort)
    held = make_comment(entry, newcomer, "Is this the place?")
    make_comment(entry, facilitator, "Welcome! Yes it is.", parent=held)
    page = client_for(regular).get(entry.get_absolute_url()).content.decode()
    assert "Comment waiting for approval" in page
    assert "Is this the place?" not in page
    assert "Welcome! Yes it is." in page


def test_rejecting_from_the_queue_asks_for_a_reason_and_says_what_it_does(
    held_entry, open_cohort, facilitator, client_for
):
    hide = reverse(
        "facilitation:hide_entry",
        kwargs={"cohort": open_cohort.slug, "pk": held_entry.pk},
    )
    asked = client_for(facilitator).post(hide)
    assert asked.status_code == HTTPStatus.OK
    assert "rejecting it hides it rather than deleting it" in asked.content.decode()
    assert Entry.objects.get(pk=held_entry.pk).is_held
    response = client_for(facilitator).post(hide, {"reason": "Advertising."})
    assert response.status_code == HTTPStatus.FOUND
    stored = Entry.objects.get(pk=held_entry.pk)
    assert stored.is_hidden and not stored.is_held
