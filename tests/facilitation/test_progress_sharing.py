"""The progress grid shared by a cohort's facilitators, and what a comment or
an entry re-renders there and on the dashboard (core/freshness.py)."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facilitation import actions as facilitation_actions
from journal import actions as journal_actions
from journal.models import Comment, Entry
from programmes import actions as programme_actions
from programmes.models import Membership
from tests.conftest import thing


def _url(cohort) -> str:
    return reverse("facilitation:progress", kwargs={"cohort": cohort.slug})


@pytest.fixture
def second_facilitator(make_user, cohort, join) -> User:
    user = make_user("hal", display_name="Hal Co-Facilitator")
    programme_actions.set_role(
        membership=join(user, cohort), role=Membership.Role.FACILITATOR
    )
    return user


@pytest.fixture
def entry(programme, cohort, author, make_entry) -> Entry:
    return make_entry(author, cohort=cohort, thing=thing(programme, 1))


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode(), [query["sql"] for query in queries]


def _in_all(html: str, what: str) -> int:
    """A weekly chart's total, from its description; 0 when it is empty."""
    found = re.search(rf"{what} in each week of the cohort so far: (\d+) in all", html)
    return int(found[1]) if found else 0


def _comments_in_all(html: str) -> int:
    return _in_all(html, "Comments")


def _entries_in_all(html: str) -> int:
    return _in_all(html, "Entries")


def _grid_queries(sqls: list[str]) -> list[str]:
    """The grid's page, its cells and the Things' completions."""
    return [
        sql
        for sql in sqls
        if sql.startswith('SELECT "programmes_membership"."id"')
        or 'MIN("journal_entry"."published_at")' in sql
        or "COUNT(DISTINCT" in sql
    ]


def _comment_counts(sqls: list[str]) -> list[str]:
    """The comments chart's counts per day."""
    return [
        sql for sql in sqls if 'FROM "journal_comment"' in sql and "GROUP BY" in sql
    ]


def test_facilitators_share_the_grid_and_participants_still_get_a_404(
    client_for, cohort, facilitator, second_facilitator, author, entry
):
    first, first_sqls = _get(client_for(facilitator), _url(cohort))
    assert _grid_queries(first_sqls)
    second, second_sqls = _get(client_for(second_facilitator), _url(cohort))
    assert not _grid_queries(second_sqls)
    assert not _comment_counts(second_sqls)
    assert "Select Ada Author" in second
    assert second.count("1 of 3") == first.count("1 of 3") == 1
    assert client_for(author).get(_url(cohort)).status_code == HTTPStatus.NOT_FOUND


def test_a_facilitator_of_another_cohort_gets_a_404(
    client_for, cohort, facilitator, other_cohort, other_facilitator
):
    client_for(facilitator).get(_url(cohort))
    response = client_for(other_facilitator).get(_url(cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_comment_re_renders_the_comments_chart_alone_and_shows_at_once(
    client_for, cohort, facilitator, second_facilitator, cohort_mate, entry
):
    html, _sqls = _get(client_for(facilitator), _url(cohort))
    assert _comments_in_all(html) == 0
    journal_actions.add_comment(entry=entry, author=cohort_mate, body="Lovely")
    html, sqls = _get(client_for(second_facilitator), _url(cohort))
    assert _comments_in_all(html) == 1
    assert not _grid_queries(sqls)
    # This hour's comments alone: the earlier spans are kept.
    assert len(_comment_counts(sqls)) == 1


def test_a_published_entry_shows_at_once_in_the_grid_and_the_charts(
    client_for,
    programme,
    cohort,
    facilitator,
    second_facilitator,
    cohort_mate,
    entry,
    make_entry,
):
    html, _sqls = _get(client_for(facilitator), _url(cohort))
    assert _entries_in_all(html) == 1
    assert re.search(r"Select Ben Cohort-Mate.*?0 of 3", html, re.S)
    make_entry(cohort_mate, cohort=cohort, thing=thing(programme, 2))
    html, _sqls = _get(client_for(second_facilitator), _url(cohort))
    assert _entries_in_all(html) == 2
    assert re.search(r"Select Ben Cohort-Mate.*?1 of 3", html, re.S)


def _comment_days_ago(entry: Entry, author: User, days: int) -> Comment:
    comment = journal_actions.add_comment(entry=entry, author=author, body="Then")
    created = timezone.now() - datetime.timedelta(days=days)
    Comment.objects.filter(pk=comment.pk).update(created=created)
    comment.refresh_from_db()
    return comment


def test_the_comments_chart_is_right_after_a_deletion_and_a_moderation(
    client_for, cohort, facilitator, cohort_mate, entry
):
    deleted = _comment_days_ago(entry, cohort_mate, 3)
    held = _comment_days_ago(entry, cohort_mate, 2)
    Comment.objects.filter(pk=held.pk).update(held_at=held.created)
    held.refresh_from_db()
    _comment_days_ago(entry, cohort_mate, 1)
    client = client_for(facilitator)
    html, _sqls = _get(client, _url(cohort))
    assert _comments_in_all(html) == 2
    journal_actions.delete_comment(comment=deleted)
    html, _sqls = _get(client, _url(cohort))
    assert _comments_in_all(html) == 1
    facilitation_actions.approve_item(actor=facilitator, item=held)
    html, _sqls = _get(client, _url(cohort))
    assert _comments_in_all(html) == 2
    journal_actions.unpublish_entry(entry=entry)
    html, _sqls = _get(client, _url(cohort))
    assert _comments_in_all(html) == 0


def test_a_comment_elsewhere_leaves_my_dashboard_progress_as_it_was(
    client_for, cohort, author, cohort_mate, entry, make_entry
):
    mine = make_entry(cohort_mate, cohort=cohort, title="Ben's musings")
    client = client_for(cohort_mate)
    client.get(reverse("home"))
    journal_actions.add_comment(entry=entry, author=author, body="Elsewhere")
    html, sqls = _get(client, reverse("home"))
    assert re.search(r"<strong>0 of \d+</strong>", html)
    # Read next and replies afresh; progress, streak, minutes and drafts kept.
    assert not [sql for sql in sqls if "DATE_TRUNC" in sql]
    journal_actions.add_comment(entry=mine, author=author, body="A reply to Ben")
    html, _sqls = _get(client, reverse("home"))
    assert "A reply to Ben" in html
