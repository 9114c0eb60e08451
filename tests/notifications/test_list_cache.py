"""The list of notifications is kept for its reader alone, under their
`notifications_version` and the versions of the cohorts it is about."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilitation import actions as facilitation_actions
from programmes import actions as programme_actions

LIST = reverse("notifications:list")


def shown(client) -> str:
    return client.get(LIST).content.decode()


def test_a_list_warmed_by_one_reader_is_never_anothers(
    client_for, author, cohort_mate, cohort, make_entry, make_comment
):
    entry = make_entry(author, cohort=cohort, title="Trying podcasts")
    make_comment(entry, cohort_mate, "Lovely")
    assert "Trying podcasts" in shown(client_for(author))

    assert "Trying podcasts" not in shown(client_for(cohort_mate))
    assert "Nothing yet" in shown(client_for(cohort_mate))


def test_a_first_notification_shows_on_the_next_request(
    client_for, author, cohort_mate, cohort, make_entry, make_comment
):
    client = client_for(author)
    assert "Nothing yet" in shown(client)

    make_comment(make_entry(author, cohort=cohort, title="Podcasts"), cohort_mate)

    assert "commented on your entry “Podcasts”" in shown(client)


def test_a_hidden_comment_leaves_the_kept_list(
    client_for, author, cohort_mate, facilitator, cohort, make_entry, make_comment
):
    entry = make_entry(author, cohort=cohort, title="Podcasts")
    comment = make_comment(entry, cohort_mate, "Rude words")
    client = client_for(author)
    assert "Rude words" in shown(client)

    facilitation_actions.hide_item(actor=facilitator, item=comment)

    assert "Rude words" not in shown(client)


def test_a_former_member_loses_what_they_may_no_longer_read(
    client_for, author, cohort_mate, cohort, make_entry, make_comment
):
    entry = make_entry(author, cohort=cohort, title="For the cohort")
    mine = make_comment(entry, cohort_mate, "A question")
    make_comment(entry, author, "An answer", parent=mine)
    client = client_for(cohort_mate)
    assert "replied to your comment on “For the cohort”" in shown(client)

    programme_actions.remove_member(membership=cohort_mate.memberships.get())

    assert "For the cohort" not in shown(client)


def test_the_warm_empty_list_asks_nothing_of_notifications(client_for, author):
    client = client_for(author)
    shown(client)
    with CaptureQueriesContext(connection) as context:
        shown(client)
    assert not any(
        "notifications_notification" in query["sql"]
        for query in context.captured_queries
    )


def test_the_empty_list_one_reader_warmed_is_not_shown_to_one_with_notifications(
    client_for, author, cohort_mate, cohort, make_entry, make_comment
):
    assert "Nothing yet" in shown(client_for(cohort_mate))
    make_comment(make_entry(author, cohort=cohort, title="Podcasts"), cohort_mate)

    mine = shown(client_for(author))

    assert "commented on your entry “Podcasts”" in mine
    assert "Nothing yet" not in mine


def test_a_cold_empty_list_only_counts(client_for, author):
    """No readability filter, no page of notifications: one count, kept."""
    client = client_for(author)
    with CaptureQueriesContext(connection) as context:
        assert "Nothing yet" in shown(client)
    asked = [
        query["sql"]
        for query in context.captured_queries
        if "notifications_notification" in query["sql"]
    ]
    assert len(asked) == 1
    assert not any("journal_" in sql for sql in asked)
