"""The dashboard: progress per cohort, CPD minutes by month, the weekly streak."""

from __future__ import annotations

import datetime
import html
import re
import zoneinfo
from collections.abc import Callable
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from facilitation import dashboard
from journal import actions
from journal.models import Entry
from programmes.models import Thing
from tests.conftest import thing

UTC = datetime.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# A Wednesday; this week began on Monday 9 March 2026.
NOW = datetime.datetime(2026, 3, 11, 15, 0, tzinfo=UTC)


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def publish_at(db) -> Callable[..., Entry]:
    """An entry saved through the real action at a given moment (UTC)."""

    def publish(
        author: User,
        moment: datetime.datetime,
        *,
        minutes: int | None = None,
        publish: bool = True,
        title: str = "",
    ) -> Entry:
        with time_machine.travel(moment, tick=False):
            entry = Entry(
                author=author,
                title=title or f"Written at {moment:%Y-%m-%d %H:%M:%S.%f}",
                body="Some thoughts.",
                minutes=minutes,
                visibility=Entry.Visibility.PRIVATE,
            )
            return actions.save_entry(entry=entry, publish=publish)

    return publish


def live_in(user: User, time_zone: str) -> None:
    Profile.objects.filter(user=user).update(time_zone=time_zone)


def page_text(page: str) -> str:
    """The words of a page, tags stripped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


def chart_rows(page: str) -> dict[str, str]:
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="numeric">([^<]+)</td></tr>', page
    )
    return {html.unescape(label): value for label, value in rows}


# --- progress ----------------------------------------------------------------


def test_progress_counts_published_entries_on_published_things(
    author, cohort, make_entry
):
    programme = cohort.programme
    make_entry(author, cohort=cohort, thing=thing(programme, 1), visibility="private")
    make_entry(author, cohort=cohort, thing=thing(programme, 2), visibility="public")
    make_entry(author, cohort=cohort, thing=thing(programme, 3), publish=False)
    make_entry(author, cohort=cohort, title="A free reflection")

    [progress] = dashboard.cohort_progress(author)

    assert progress.cohort == cohort
    # Things 1 to 4 are published (5 is a draft); 1 to 3 are open.
    assert (progress.done, progress.total, progress.open) == (2, 4, 3)
    assert progress.this_week.thing == thing(programme, 3)
    assert not progress.this_week_done
    assert progress.to_catch_up == []
    assert progress.next_release.thing == thing(programme, 4)


def test_this_weeks_thing_and_what_is_left_to_catch_up(author, cohort, make_entry):
    programme = cohort.programme
    make_entry(author, cohort=cohort, thing=thing(programme, 1))
    make_entry(author, cohort=cohort, thing=thing(programme, 2), publish=False)

    [progress] = dashboard.cohort_progress(author)

    # Thing 3 opened yesterday; Thing 2 is open, only a draft on it.
    assert progress.this_week.thing == thing(programme, 3)
    assert [r.thing for r in progress.to_catch_up] == [thing(programme, 2)]


def test_this_weeks_thing_done_is_not_to_catch_up(author, cohort, make_entry):
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 3))

    [progress] = dashboard.cohort_progress(author)

    assert progress.this_week_done
    assert [r.thing.number for r in progress.to_catch_up] == [1, 2]


def test_no_thing_this_week_once_the_last_opened_a_week_ago(author, cohort):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        [progress] = dashboard.cohort_progress(author)

    assert progress.this_week is None
    assert [r.thing.number for r in progress.to_catch_up] == [1, 2, 3, 4]


def test_a_thing_taken_back_to_draft_leaves_both_counts(author, cohort, make_entry):
    first = thing(cohort.programme, 1)
    make_entry(author, cohort=cohort, thing=first)
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 2))
    Thing.objects.filter(pk=first.pk).update(status=Thing.Status.DRAFT)

    [progress] = dashboard.cohort_progress(author)

    assert (progress.done, progress.total) == (1, 3)


def test_progress_is_per_cohort_and_mine_alone(
    author, cohort, cohort_mate, other_cohort, join, make_entry
):
    join(author, other_cohort)
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    make_entry(cohort_mate, cohort=cohort, thing=thing(cohort.programme, 2))

    by_cohort = {p.cohort.slug: p.done for p in dashboard.cohort_progress(author)}

    assert by_cohort == {"spring": 1, "autumn": 0}


def test_the_dashboard_shows_progress_and_the_next_thing(
    client_for, author, cohort, make_entry
):
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))

    response = client_for(author).get(reverse("home"))

    assert response.status_code == HTTPStatus.OK
    text = html.unescape(response.text)
    assert "1 of 4" in text
    assert 'value="1"' in text and 'max="4"' in text
    assert "Open this week" in text
    assert "Thing 3: Feeds" in text
    assert "1 Thing to catch up on" in text
    assert "Thing 2: Blogging" in text
    assert "Thing 4: Networks opens on" in text


# --- minutes by month --------------------------------------------------------


@pytest.fixture
def minutes_across_new_years_eve(author, cohort_mate, publish_at) -> None:
    """Entries either side of month ends in New York (UTC-5 in winter)."""
    # 22:30 on 31 January in New York, already 1 February in UTC.
    publish_at(author, at(2026, 2, 1, 3, 30), minutes=40)
    # 00:30 on 1 February in New York.
    publish_at(author, at(2026, 2, 1, 5, 30), minutes=25)
    # 23:00 on 31 March 2025 in New York (UTC-4): the 13th month back, left out.
    publish_at(author, at(2025, 4, 1, 3, 0), minutes=500)
    # 01:00 on 1 April 2025 in New York: the first month charted.
    publish_at(author, at(2025, 4, 1, 5, 0), minutes=15)
    # This month, twice: minutes add up.
    publish_at(author, at(2026, 3, 2, 12, 0), minutes=30)
    publish_at(author, at(2026, 3, 9, 12, 0), minutes=45)
    # None of these count: a draft, no minutes, someone else's.
    publish_at(author, at(2026, 3, 3, 12, 0), minutes=600, publish=False)
    publish_at(author, at(2026, 3, 4, 12, 0), minutes=None)
    publish_at(cohort_mate, at(2026, 3, 4, 12, 0), minutes=700)


@pytest.mark.usefixtures("minutes_across_new_years_eve")
def test_minutes_by_month_in_my_time_zone(author):
    with time_machine.travel(NOW, tick=False):
        months = dashboard.minutes_by_month(author, zone=NEW_YORK)

    assert len(months) == 12
    assert months[0][0] == datetime.date(2025, 4, 1)
    assert months[-1][0] == datetime.date(2026, 3, 1)
    totals = {month: minutes for month, minutes in months if minutes}
    assert totals == {
        datetime.date(2025, 4, 1): 15,
        datetime.date(2026, 1, 1): 40,
        datetime.date(2026, 2, 1): 25,
        datetime.date(2026, 3, 1): 75,
    }


@pytest.mark.usefixtures("minutes_across_new_years_eve")
def test_minutes_by_month_in_utc_fall_on_the_other_side(author):
    with time_machine.travel(NOW, tick=False):
        months = dict(dashboard.minutes_by_month(author, zone=UTC))

    assert months[datetime.date(2026, 1, 1)] == 0
    assert months[datetime.date(2026, 2, 1)] == 65
    assert months[datetime.date(2025, 4, 1)] == 515


@pytest.mark.usefixtures("minutes_across_new_years_eve")
def test_the_dashboard_charts_my_minutes_in_my_time_zone(client_for, author):
    live_in(author, "America/New_York")

    with time_machine.travel(NOW, tick=False):
        response = client_for(author).get(reverse("home"))

    rows = chart_rows(response.text)
    months = list(rows)
    assert (months[0], months[-1]) == ("April 2025", "March 2026")
    assert rows["January 2026"] == "40"
    assert rows["February 2026"] == "25"
    assert rows["March 2026"] == "75"
    assert rows["December 2025"] == "0"
    assert 'role="img"' in response.text
    assert "155 in all" in response.text


def test_no_minutes_yet(client_for, author, publish_at):
    publish_at(author, at(2026, 3, 2, 12, 0), minutes=None)

    with time_machine.travel(NOW, tick=False):
        response = client_for(author).get(reverse("home"))

    assert "No minutes recorded yet." in response.text
    assert 'class="chart__svg' not in response.text


# --- the streak --------------------------------------------------------------


def test_streak_counts_back_from_this_week_until_a_gap(author, publish_at):
    publish_at(author, at(2026, 3, 10, 9, 0))  # this week
    publish_at(author, at(2026, 3, 2, 9, 0))  # last week
    publish_at(author, at(2026, 3, 8, 9, 0))  # last week again
    # The week of 23 February has nothing: the gap.
    publish_at(author, at(2026, 2, 18, 9, 0))
    publish_at(author, at(2026, 2, 11, 9, 0))
    publish_at(author, at(2026, 2, 25, 9, 0), publish=False)  # a draft is no entry

    with time_machine.travel(NOW, tick=False):
        streak = dashboard.weekly_streak(author, zone=UTC)

    assert streak == dashboard.Streak(
        weeks=2, includes_this_week=True, since=datetime.date(2026, 3, 2)
    )


def test_streak_runs_to_last_week_while_this_week_is_empty(
    client_for, author, publish_at
):
    # 23:00 on Sunday 8 March in New York (summer time began that day);
    # already Monday 9 March in UTC.
    publish_at(author, at(2026, 3, 9, 3, 0))
    live_in(author, "America/New_York")

    with time_machine.travel(NOW, tick=False):
        in_new_york = dashboard.weekly_streak(author, zone=NEW_YORK)
        in_utc = dashboard.weekly_streak(author, zone=UTC)
        response = client_for(author).get(reverse("home"))

    assert in_new_york == dashboard.Streak(
        weeks=1, includes_this_week=False, since=datetime.date(2026, 3, 2)
    )
    assert in_utc.includes_this_week
    text = page_text(response.text)
    assert "1 week in a row" in text
    assert "Nothing published yet this week" in text


def test_weeks_start_on_monday(author, publish_at):
    publish_at(author, at(2026, 3, 1, 12, 0))  # Sunday: the week of 23 February
    publish_at(author, at(2026, 2, 23, 0, 30))  # Monday: the same week

    with time_machine.travel(at(2026, 3, 2, 12, 0), tick=False):  # Monday
        streak = dashboard.weekly_streak(author, zone=UTC)

    assert streak == dashboard.Streak(
        weeks=1, includes_this_week=False, since=datetime.date(2026, 2, 23)
    )


def test_no_streak_after_a_week_without_entries(client_for, author, publish_at):
    publish_at(author, at(2026, 2, 25, 12, 0))

    with time_machine.travel(NOW, tick=False):
        streak = dashboard.weekly_streak(author, zone=UTC)
        response = client_for(author).get(reverse("home"))

    assert streak == dashboard.Streak(weeks=0, includes_this_week=False, since=None)
    assert "No streak running" in response.text


def test_a_streak_this_week_says_since_when(client_for, author, publish_at):
    for day in (23, 2, 9):
        month = 2 if day == 23 else 3
        publish_at(author, at(2026, month, day, 12, 0))

    with time_machine.travel(NOW, tick=False):
        response = client_for(author).get(reverse("home"))

    text = page_text(response.text)
    assert "3 weeks in a row" in text
    assert "since 23 February, this week included" in text


# --- bounded work ------------------------------------------------------------


def test_the_dashboard_runs_the_same_queries_whatever_the_data(
    client_for,
    author,
    cohort,
    other_cohort,
    join,
    make_members,
    make_entry,
    make_comment,
    publish_at,
    django_assert_num_queries,
):
    join(author, other_cohort)  # the same two cohorts at both sizes
    live_in(author, "Europe/Paris")
    members = make_members(cohort, 3)
    client = client_for(author)
    url = reverse("home")

    def write(count: int, start: int) -> None:
        for index in range(start, start + count):
            # Spread over more than a year of weeks and months, some drafts.
            moment = NOW - datetime.timedelta(days=9 * index + 1)
            entry = publish_at(
                author, moment, minutes=10 + index, publish=index % 4 != 3
            )
            if entry.is_published:
                shared = make_entry(author, cohort=cohort, title=f"Shared {index}")
                make_comment(shared, members[index % 3], "Replying to Ada")
        things = cohort.programme.things.published().order_by("number")
        for number, item in enumerate(things[: min(start + count, 3)], start=1):
            if not Entry.objects.filter(author=author, thing=item).exists():
                make_entry(author, cohort=cohort, thing=item, title=f"On {number}")

    def count_queries() -> int:
        with time_machine.travel(NOW, tick=False):
            client.get(url)
            cache.clear()  # count the work of rendering it all afresh
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        return len(context.captured_queries)

    write(5, 0)
    small = count_queries()

    write(50, 5)

    cache.clear()
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert len(chart_rows(response.text)) == 12
