"""What every request pays, with production's kinds of cache (sessions and
the signed-in user kept): a warm page of a signed-in member asks the database
little or nothing, and still no one signed out, made inactive or removed
gets it on their next request."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilitation import actions as facilitation_actions
from programmes import actions as programme_actions

NOTIFICATIONS = reverse("notifications:list")


@pytest.fixture(autouse=True)
def kept_sessions_and_users(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SIGNED_IN_USER_SECONDS = 60


def people(cohort) -> str:
    return reverse("journal:people", kwargs={"cohort": cohort.slug})


def warm_queries(client, url: str) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return [query["sql"] for query in context.captured_queries]


def test_the_warm_notifications_page_asks_the_database_nothing(client_for, cohort_mate):
    assert warm_queries(client_for(cohort_mate), NOTIFICATIONS) == []


def test_a_warm_cohort_page_reads_only_the_cohort(client_for, cohort, cohort_mate):
    for url in (people(cohort), reverse("journal:cohort", args=[cohort.slug])):
        queries = warm_queries(client_for(cohort_mate), url)
        assert len(queries) == 1
        assert 'FROM "programmes_cohort"' in queries[0]


def test_a_comment_keeps_the_readers_role(
    client_for, author, cohort, cohort_mate, make_entry, make_comment
):
    """The role is kept under `entries_state`: a conversation does not move it."""
    client = client_for(cohort_mate)
    client.get(people(cohort))

    make_comment(make_entry(author, cohort=cohort), author, "Busy thread")

    queries = warm_queries(client, people(cohort))
    assert not any("programmes_membership" in sql for sql in queries)


def test_a_signed_out_session_is_not_served_the_warm_page(
    client_for, cohort, cohort_mate
):
    client = client_for(cohort_mate)
    warm_queries(client, people(cohort))

    client.post(reverse("account_logout"))

    response = client.get(people(cohort))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_a_member_removed_as_spam_is_signed_out_of_the_warm_page(
    client_for, cohort, facilitator, cohort_mate
):
    client = client_for(cohort_mate)
    warm_queries(client, NOTIFICATIONS)
    warm_queries(client, people(cohort))

    facilitation_actions.remove_spammer(
        actor=facilitator, membership=cohort_mate.memberships.get()
    )

    for url in (NOTIFICATIONS, people(cohort)):
        assert client.get(url).status_code == HTTPStatus.FOUND


def test_a_removed_member_is_not_served_the_warm_page(client_for, cohort, cohort_mate):
    client = client_for(cohort_mate)
    warm_queries(client, people(cohort))

    programme_actions.remove_member(membership=cohort_mate.memberships.get())

    assert client.get(people(cohort)).status_code == HTTPStatus.NOT_FOUND


def test_a_deleted_account_is_signed_out_of_the_warm_page(client_for, cohort_mate):
    client = client_for(cohort_mate)
    warm_queries(client, NOTIFICATIONS)

    facilitation_actions.delete_account(user=cohort_mate)

    assert client.get(NOTIFICATIONS).status_code == HTTPStatus.FOUND
