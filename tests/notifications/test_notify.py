"""Who is told what, for each kind, and what is e-mailed at once: never about
what the recipient may not read (notifications/notify.py, journal/actions.py,
programmes/actions.py, facilitation/actions.py)."""

import datetime

import time_machine
from django.conf import settings
from django.utils import timezone

from accounts.models import Profile
from facilitation import actions as facilitation_actions
from journal import actions
from journal.models import Comment, Entry
from notifications import notify
from notifications.models import Delivery, Frequency, Kind, Notification, Preference
from programmes import actions as programme_actions
from programmes import schedule
from tests.conftest import thing


def told() -> set[tuple[str, str]]:
    return set(Notification.objects.values_list("recipient__username", "kind"))


def comment_on(entry, author, body="Nice!", **extra) -> Comment:
    return actions.add_comment(entry=entry, author=author, body=body, **extra)


# Comments and replies


def test_a_comment_on_my_entry_is_emailed_at_once_quoting_it_with_its_permalink(
    author, cohort_mate, cohort, make_entry, committed, outbox, task_results
):
    entry = make_entry(author, cohort=cohort, title="Blogging and me")

    with committed():
        comment = comment_on(entry, cohort_mate, "I **loved** the part about feeds.")

    assert told() == {("ada", Kind.COMMENT)}
    [email] = outbox
    assert email.to == ["ada@example.org"]
    assert email.subject == "Ben Cohort-Mate commented on your entry “Blogging and me”"
    assert "> I loved the part about feeds." in email.body
    assert "In reply to the entry “Blogging and me”." in email.body
    permalink = settings.SITE_URL + comment.get_absolute_url()
    assert permalink.endswith(f"/@ada/blogging-and-me/#comment-{comment.pk}")
    assert permalink in email.body
    [(html, _mime)] = email.alternatives
    assert f'href="{permalink}"' in html
    assert [result.status for result in task_results] == ["SUCCESSFUL"]


def test_a_reply_is_emailed_at_once_quoting_the_comment_it_answers(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    entry = make_entry(author, cohort=cohort)
    question = comment_on(entry, cohort_mate, "Have you tried podcasts?")

    with committed():
        reply = comment_on(entry, author, "Not yet, which one?", parent=question)

    assert Notification.objects.get(recipient=cohort_mate).kind == Kind.REPLY
    [email] = outbox
    assert email.to == ["ben@example.org"]
    assert email.subject == ("Ada Author replied to your comment on “My reflection”")
    assert "> Not yet, which one?" in email.body
    assert "In reply to Ben Cohort-Mate:\n> Have you tried podcasts?" in email.body
    assert settings.SITE_URL + reply.get_absolute_url() in email.body


def test_a_reply_beside_a_deepest_comment_tells_and_quotes_the_one_it_answers(
    author,
    cohort_mate,
    facilitator,
    make_user,
    join,
    cohort,
    make_entry,
    committed,
    outbox,
):
    """At the deepest level a reply is filed under the comment's parent (Fran's):
    the person replied to is still Greta."""
    carol, greta = make_user("carol"), make_user("greta")
    join(carol, cohort)
    join(greta, cohort)
    entry = make_entry(author, cohort=cohort)
    top = comment_on(entry, carol, "Feeds, anyone?")
    second = comment_on(entry, facilitator, "Try a reader.", parent=top)
    third = comment_on(entry, greta, "Which reader do you use?", parent=second)
    Notification.objects.all().delete()
    outbox.clear()

    with committed():
        reply = comment_on(entry, cohort_mate, "A free one.", parent=third)

    assert reply.parent == second
    assert told() == {("greta", Kind.REPLY), ("ada", Kind.COMMENT)}
    by_address = {email.to[0]: email for email in outbox}
    assert set(by_address) == {"greta@example.org", "ada@example.org"}
    assert "In reply to Greta:\n> Which reader do you use?" in (
        by_address["greta@example.org"].body
    )
    assert "Try a reader." not in by_address["greta@example.org"].body


def test_a_deep_reply_in_a_private_conversation_stays_in_it(
    author, cohort_mate, facilitator, make_user, join, cohort, make_entry, committed
):
    carol = make_user("carol")
    join(carol, cohort)
    entry = make_entry(author, cohort=cohort)
    private = comment_on(entry, carol, "Between us.", private=True)
    second = comment_on(entry, author, "Of course.", parent=private)
    third = comment_on(entry, carol, "Thanks.", parent=second)
    Notification.objects.all().delete()

    with committed():
        reply = comment_on(entry, facilitator, "Thanks, @ben.", parent=third)

    assert reply.private
    assert reply.in_reply_to == third
    # Ben is mentioned but may not read it.
    assert told() == {("carol", Kind.REPLY), ("ada", Kind.COMMENT)}


def test_an_email_never_quotes_a_hidden_comment_to_those_who_may_not_read_it(
    author, cohort_mate, make_user, join, cohort, make_entry, committed, outbox
):
    carol = make_user("carol")
    join(carol, cohort)
    entry = make_entry(author, cohort=cohort)
    rude = comment_on(entry, carol, "Something rude")
    Comment.objects.filter(pk=rude.pk).update(hidden_at=timezone.now())

    with committed():
        comment_on(entry, cohort_mate, "Please be kind.", parent=rude)

    by_address = {email.to[0]: email for email in outbox}
    # The entry's author is told of the reply, not of what it answers.
    assert "Something rude" not in by_address["ada@example.org"].body
    assert (
        "In reply to the entry “My reflection”." in by_address["ada@example.org"].body
    )
    # Carol reads her own hidden comment.
    assert "> Something rude" in by_address["carol@example.org"].body


def test_a_private_comment_tells_only_those_who_may_read_it(
    author,
    cohort_mate,
    facilitator,
    make_user,
    join,
    cohort,
    make_entry,
    committed,
    outbox,
):
    carol = make_user("carol")
    join(carol, cohort)
    entry = make_entry(author, cohort=cohort)

    with committed():
        private = comment_on(
            entry, carol, "Between us, @ben and @fran agree.", private=True
        )
        comment_on(entry, author, "Thanks, @ben knows.", parent=private)

    # Ben is mentioned twice but may read neither comment.
    assert told() == {
        ("ada", Kind.COMMENT),
        ("fran", Kind.MENTION),
        ("carol", Kind.REPLY),
    }
    assert sorted(email.to[0] for email in outbox) == [
        "ada@example.org",
        "carol@example.org",
    ]


# Mentions


def test_a_mention_reaches_only_members_who_may_read_the_entry(
    author, cohort_mate, outsider, cohort, make_entry, committed, outbox
):
    with committed():
        make_entry(author, cohort=cohort, body="Thanks @oscar and @ben!")
        make_entry(
            author,
            cohort=cohort,
            title="Note to self",
            body="Ask @ben later.",
            visibility=Entry.Visibility.PRIVATE,
        )

    # Oscar is not in the cohort; the private entry is for Ada alone.
    assert list(
        Notification.objects.values_list("recipient__username", "kind", "entry__title")
    ) == [("ben", Kind.MENTION, "My reflection")]
    # Mentions wait for the weekly digest unless chosen otherwise.
    assert Notification.objects.get().delivery is None
    assert outbox == []


def test_a_mention_is_emailed_at_once_when_chosen_quoting_the_entry(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    Preference.objects.choose(cohort_mate, Kind.MENTION, Frequency.IMMEDIATELY)

    with committed():
        entry = make_entry(author, cohort=cohort, body="I agree with @ben here.")

    [email] = outbox
    assert email.subject == "Ada Author mentioned you in “My reflection”"
    assert "> I agree with @ben here." in email.body
    assert settings.SITE_URL + entry.get_absolute_url() in email.body


def test_drafts_and_autosaves_never_notify_publishing_and_restoring_do(
    author, cohort_mate, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, body="Hi @ben", publish=False)
    entry.body = "Hi @ben, again"
    actions.autosave_entry(entry=entry, base_version=None, session=None)
    assert told() == set()

    entry.body = "Hi all"
    actions.save_entry(entry=entry, publish=True)
    assert told() == set()
    entry.body = "Hi @ben, published"
    actions.autosave_entry(entry=entry, base_version=None, session=None)
    assert told() == set()

    first = entry.revisions.order_by("created", "pk").first()
    actions.restore_revision(entry=entry, revision=first)
    assert told() == {("ben", Kind.MENTION)}


def test_an_edit_tells_the_newly_mentioned_once(
    author, cohort_mate, facilitator, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort)
    comment = comment_on(entry, cohort_mate, "Nice.")

    actions.edit_comment(comment=comment, body="Nice, @fran should see this.")
    actions.edit_comment(comment=comment, body="Nice, @fran and @ada should see.")

    assert sorted(Notification.objects.values_list("recipient__username", "kind")) == [
        ("ada", Kind.COMMENT),
        ("fran", Kind.MENTION),
    ]


def test_never_means_no_email_but_the_notification_is_in_the_app(
    author, cohort_mate, cohort, make_entry, committed, outbox
):
    Preference.objects.choose(author, Kind.COMMENT, Frequency.NEVER)
    entry = make_entry(author, cohort=cohort)

    with committed():
        comment_on(entry, cohort_mate)

    assert told() == {("ada", Kind.COMMENT)}
    assert not Delivery.objects.exists()
    assert outbox == []


# Things opened


def test_record_openings_tells_members_once_and_not_of_an_old_backlog(
    author, cohort_mate, facilitator, outsider, cohort, committed, outbox
):
    Preference.objects.choose(author, Kind.THING_OPENED, Frequency.IMMEDIATELY)

    with committed():
        programme_actions.record_openings()
        programme_actions.record_openings()

    # Things 1 and 2 opened a week and more ago: old news. Thing 3, yesterday.
    spring = Notification.objects.filter(cohort=cohort)
    assert set(spring.values_list("recipient__username", "opening__thing__number")) == {
        ("ada", 3),
        ("ben", 3),
        ("fran", 3),
    }
    # The other cohort hears of its own openings only.
    assert set(
        Notification.objects.filter(recipient=outsider).values_list("cohort", flat=True)
    ) == {outsider.memberships.get().cohort_id}
    [email] = outbox
    assert email.to == ["ada@example.org"]
    assert email.subject == "Thing 3: Feeds is open in Spring cohort"
    assert f"{settings.SITE_URL}/c/spring/things/feeds/" in email.body

    next_week = timezone.now() + datetime.timedelta(days=7)
    with time_machine.travel(next_week), committed():
        programme_actions.record_openings()
    assert spring.filter(opening__thing__number=4).count() == 3


def test_a_thing_opening_moves_each_members_notifications_version_on(
    author, cohort_mate, cohort
):
    """The bell's cached count is keyed on it (notifications/context_processors.py)."""
    before = dict(
        Profile.objects.values_list("user__username", "notifications_version")
    )

    programme_actions.record_openings()

    after = dict(Profile.objects.values_list("user__username", "notifications_version"))
    assert after["ada"] > before["ada"]
    assert after["ben"] > before["ben"]


def test_a_thing_released_now_is_announced(author, cohort, facilitator):
    programme_actions.release_now(cohort=cohort, thing=thing(cohort.programme, 4))

    assert (
        Notification.objects.filter(
            kind=Kind.THING_OPENED, opening__thing__number=4
        ).count()
        == 2
    )


# Facilitators' messages


def test_a_nudge_is_a_message_notification_and_is_emailed(
    author, cohort_mate, facilitator, cohort, committed, outbox, task_results
):
    with committed():
        nudge = facilitation_actions.send_nudge(
            cohort=cohort,
            sender=facilitator,
            recipients=[author],
            subject="How is it going, {name}?",
            body="Hello {name}, *keep going* & write about {next_thing}.",
        )

    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (author, Kind.MESSAGE)
    assert notification.message == nudge.deliveries.get()
    assert notification.actor == facilitator
    [email] = outbox
    assert email.subject == "How is it going, Ada Author?"
    assert (
        "Hello Ada Author, *keep going* & write about Thing 1: Getting started."
        in email.body
    )
    assert "Fran Facilitator, facilitator of Spring cohort" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [result.status for result in task_results] == ["SUCCESSFUL"]


# Idempotence


def test_each_notify_function_makes_nothing_new_when_called_again(
    author, cohort_mate, facilitator, cohort, make_entry, committed, outbox
):
    for kind in Kind:
        Preference.objects.choose(author, kind, Frequency.IMMEDIATELY)
    entry = make_entry(author, cohort=cohort, body="Hello @ben")
    comment = comment_on(entry, cohort_mate, "Hi @ada and @fran")
    nudge = facilitation_actions.send_nudge(
        cohort=cohort, sender=facilitator, recipients=[author], subject="s", body="b"
    )
    programme_actions.release_now(cohort=cohort, thing=thing(cohort.programme, 4))
    opening = cohort.openings.get(thing__number=4)
    release = next(r for r in cohort.schedule() if r.thing == opening.thing)
    counts = (Notification.objects.count(), Delivery.objects.count())

    with committed():
        assert notify.comment_posted(comment) == []
        assert notify.comment_edited(comment) == []
        assert notify.entry_saved(entry) == []
        assert notify.thing_opened(opening, release, schedule.local_today(cohort)) == 0
        assert notify.message_sent(nudge.deliveries.all()) == []

    assert (Notification.objects.count(), Delivery.objects.count()) == counts
    assert outbox == []
