"""The bell, the notification list, reading notifications and e-mail settings."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Profile
from core import freshness
from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.models import Comment, Entry
from notifications.models import (
    Frequency,
    Kind,
    Notification,
    Preference,
)
from programmes.models import ThingOpening
from tests.conftest import thing
from tests.queries import assert_same_queries, count_queries

LIST = reverse("notifications:list")
SETTINGS = reverse("notifications:settings")


def notify(recipient, kind, **targets) -> Notification:
    """The notification, whether or not an action already made it."""
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, kind=kind, **targets
    )
    if created:
        freshness.notifications_changed([recipient.pk])
    return notification


@pytest.fixture
def commented(author, cohort_mate, cohort, make_entry, make_comment):
    entry = make_entry(author, cohort=cohort, title="Trying podcasts")
    comment = make_comment(entry, cohort_mate, "I *loved* this one")
    return notify(
        author,
        Kind.COMMENT,
        actor=cohort_mate,
        cohort=cohort,
        entry=entry,
        comment=comment,
    )


@pytest.mark.django_db
def test_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_list_shows_my_notifications_with_what_they_are_about(
    client_for, author, commented
):
    response = client_for(author).get(LIST)
    page = response.content.decode()
    assert "commented on your entry “Trying podcasts”" in page
    assert "I loved this one" in page  # the comment quoted as text
    assert reverse("notifications:open", args=[commented.pk]) in page


def test_nobody_else_sees_my_notifications(client_for, cohort_mate, commented):
    client = client_for(cohort_mate)
    assert "Trying podcasts" not in client.get(LIST).content.decode()
    url = reverse("notifications:open", args=[commented.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    url = reverse("notifications:mark_read", args=[commented.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    commented.refresh_from_db()
    assert commented.is_unread


def test_opening_marks_read_and_goes_to_the_comment(client_for, author, commented):
    response = client_for(author).get(
        reverse("notifications:open", args=[commented.pk])
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == commented.comment.get_absolute_url()
    commented.refresh_from_db()
    assert not commented.is_unread


def test_each_kind_leads_to_its_subject(
    client_for, author, cohort_mate, facilitator, cohort, make_entry
):
    entry = make_entry(cohort_mate, cohort=cohort, body="Thanks @ada")
    mention = notify(author, Kind.MENTION, actor=cohort_mate, entry=entry)
    opening = ThingOpening.objects.create(
        cohort=cohort, thing=thing(cohort.programme, 2)
    )
    opened = notify(author, Kind.THING_OPENED, cohort=cohort, opening=opening)
    nudge = facilitation_actions.send_nudge(
        cohort=cohort,
        sender=facilitator,
        recipients=[author],
        subject="Hello",
        body="Keep going",
    )
    message = notify(
        author,
        Kind.MESSAGE,
        actor=facilitator,
        cohort=cohort,
        message=nudge.deliveries.get(),
    )
    client = client_for(author)
    page = client.get(LIST).content.decode()
    assert "mentioned you in “My reflection”" in page
    assert "is open in" in page and thing(cohort.programme, 2).title in page
    assert "Message from" in page and "Hello" in page
    expected = {
        mention: entry.get_absolute_url(),
        opened: reverse("journal:thing", args=[cohort.slug, opening.thing.slug]),
        message: reverse("facilitation:nudge", args=[message.message_id]),
    }
    for notification, url in expected.items():
        response = client.get(reverse("notifications:open", args=[notification.pk]))
        assert response.url == url


def test_mark_one_read_without_javascript(client_for, author, commented):
    response = client_for(author).post(
        reverse("notifications:mark_read", args=[commented.pk])
    )
    assert response.status_code == HTTPStatus.FOUND
    commented.refresh_from_db()
    assert not commented.is_unread


def test_mark_one_read_with_htmx_returns_the_item(client_for, author, commented):
    response = client_for(author).post(
        reverse("notifications:mark_read", args=[commented.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == HTTPStatus.OK
    item = response.content.decode()
    assert f'id="notification-{commented.pk}"' in item
    assert "notification--unread" not in item


def test_mark_all_read_marks_only_mine(
    client_for, author, cohort_mate, commented, cohort, make_entry, make_comment
):
    theirs_entry = make_entry(cohort_mate, cohort=cohort)
    theirs = notify(
        cohort_mate,
        Kind.COMMENT,
        actor=author,
        entry=theirs_entry,
        comment=make_comment(theirs_entry, author),
    )
    response = client_for(author).post(reverse("notifications:mark_all_read"))
    assert response.status_code == HTTPStatus.FOUND
    assert not Notification.objects.filter(recipient=author).unread().exists()
    theirs.refresh_from_db()
    assert theirs.is_unread


def bell(client) -> str:
    page = client.get(reverse("accessibility")).content.decode()
    start = page.index('class="bell')
    return page[start : page.index("</a>", start)]


def test_the_bell_counts_unread(client_for, author, commented):
    client = client_for(author)
    assert 'bell__count">1<' in bell(client)
    client.post(reverse("notifications:mark_all_read"))
    assert "bell__count" not in bell(client)


def test_with_nothing_unread_the_bell_asks_the_database_nothing(
    client_for, author, commented
):
    """Its count is cached under the version loaded with the profile."""
    client = client_for(author)
    client.post(reverse("notifications:mark_all_read"))
    client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as context:
        page = client.get(reverse("accessibility")).content.decode()

    assert "bell__count" not in page
    assert not any("notifications_notification" in q["sql"] for q in context)


def test_the_bell_counts_what_was_made_or_read_since_it_was_cached(
    client_for, author, cohort_mate, cohort, commented
):
    client = client_for(author)
    client.post(reverse("notifications:mark_all_read"))
    assert "bell__count" not in bell(client)
    mention = notify(
        author, Kind.MENTION, actor=cohort_mate, cohort=cohort, entry=commented.entry
    )
    assert 'bell__count">1<' in bell(client)
    client.get(reverse("notifications:open", args=[mention.pk]))
    assert "bell__count" not in bell(client)


def test_a_profile_saved_from_an_older_copy_keeps_the_newer_version(author):
    stale = Profile.objects.get(user=author)
    freshness.notifications_changed([author.pk])
    stale.display_name = "Ada L."
    stale.save()

    assert Profile.objects.get(user=author).notifications_version == 1


def test_the_bell_stops_counting_at_99(
    client_for, author, cohort_mate, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort)
    comments = Comment.objects.bulk_create(
        [Comment(entry=entry, author=cohort_mate, body=f"c{n}") for n in range(101)]
    )
    Notification.objects.bulk_create(
        [
            Notification(recipient=author, kind=Kind.COMMENT, entry=entry, comment=c)
            for c in comments
        ],
        ignore_conflicts=True,
    )
    assert 'bell__count">99+<' in bell(client_for(author))


@pytest.mark.parametrize("change", ["entry made private", "comment hidden"])
def test_what_i_may_no_longer_read_leaves_list_and_bell(
    client_for,
    cohort_mate,
    author,
    facilitator,
    cohort,
    make_entry,
    make_comment,
    change,
):
    """The notification was about something the recipient could read then."""
    entry = make_entry(author, cohort=cohort, title="Secret after all")
    comment = make_comment(entry, author, "Replying to myself @ben")
    mention = notify(
        cohort_mate, Kind.MENTION, actor=author, entry=entry, comment=comment
    )
    client = client_for(cohort_mate)
    assert "Secret after all" in client.get(LIST).content.decode()
    assert 'bell__count">1<' in bell(client)
    if change == "entry made private":
        entry.visibility = Entry.Visibility.PRIVATE
        journal_actions.save_entry(entry=entry, publish=False)
    else:
        facilitation_actions.hide_item(actor=facilitator, item=comment)
    assert "Secret after all" not in client.get(LIST).content.decode()
    assert "bell__count" not in bell(client)
    url = reverse("notifications:open", args=[mention.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_list_queries_do_not_grow(
    client_for,
    author,
    cohort_mate,
    facilitator,
    cohort,
    make_entry,
    make_comment,
    django_assert_num_queries,
):
    def add(count: int) -> None:
        for n in range(count):
            entry = make_entry(cohort_mate, cohort=cohort, title=f"E{n} {count}")
            comment = make_comment(entry, cohort_mate, f"@ada look {n}")
            notify(
                author, Kind.MENTION, actor=cohort_mate, entry=entry, comment=comment
            )
            own = make_entry(author, cohort=cohort, title=f"Mine {n} {count}")
            notify(
                author,
                Kind.COMMENT,
                actor=cohort_mate,
                entry=own,
                comment=make_comment(own, cohort_mate),
            )
        nudge = facilitation_actions.send_nudge(
            cohort=cohort,
            sender=facilitator,
            recipients=[author],
            subject=f"Hi {count}",
            body="Go",
        )
        notify(author, Kind.MESSAGE, actor=facilitator, message=nudge.deliveries.get())

    client = client_for(author)
    add(2)
    small = count_queries(client, LIST)
    add(20)
    assert Notification.objects.filter(recipient=author).count() > 30
    assert_same_queries(django_assert_num_queries, client, LIST, small)


def test_settings_show_the_defaults(client_for, author):
    form = client_for(author).get(SETTINGS).context["form"]
    assert form[Kind.REPLY].value() == Frequency.IMMEDIATELY
    assert form[Kind.MENTION].value() == Frequency.WEEKLY
    assert form[Kind.THING_OPENED].value() == Frequency.WEEKLY


def test_settings_are_saved(client_for, author):
    choices = {kind.value: Frequency.DAILY for kind in Kind}
    choices[Kind.REPLY] = Frequency.NEVER
    response = client_for(author).post(SETTINGS, choices)
    assert response.status_code == HTTPStatus.FOUND
    assert Preference.objects.frequency_for(author, Kind.REPLY) == Frequency.NEVER
    assert Preference.objects.frequency_for(author, Kind.COMMENT) == Frequency.DAILY


def test_bad_settings_come_back_with_the_error_and_change_nothing(client_for, author):
    choices = {kind.value: Frequency.DAILY for kind in Kind}
    choices[Kind.REPLY] = "hourly"
    response = client_for(author).post(SETTINGS, choices)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'id="id_{Kind.REPLY.value}_error"' in page
    assert "Select a valid choice" in page
    assert not Preference.objects.filter(user=author).exists()
