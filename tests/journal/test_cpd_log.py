"""The CPD log: my published entries with minutes and action, totals, CSV, print."""

import csv
import datetime
import io
import re
from collections.abc import Callable
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import actions, cpd
from journal.models import Entry
from programmes import actions as programme_actions
from programmes.models import Cohort, Thing
from tests.conftest import thing
from tests.journal.helpers import PERSONAS, assert_sent_to_sign_in
from tests.journal.test_queries import LARGE, SMALL, count_queries

UTC = datetime.UTC
LOG_URL = "journal:cpd_log"
CSV_URL = "journal:cpd_log_csv"


@pytest.fixture
def log_entry(db) -> Callable[..., Entry]:
    """A published entry with minutes and an action, published at a given moment."""

    def make(
        author: User,
        *,
        at: datetime.datetime,
        cohort: Cohort | None = None,
        thing: Thing | None = None,
        title: str = "A reflection",
        minutes: int | None = 30,
        action: str = "",
        visibility: str = Entry.Visibility.PRIVATE,
        publish: bool = True,
    ) -> Entry:
        entry = Entry(
            author=author,
            cohort=cohort,
            thing=thing,
            title=title,
            body="Some thoughts.",
            minutes=minutes,
            action=action,
            visibility=visibility,
        )
        with time_machine.travel(at, tick=False):
            return actions.save_entry(entry=entry, publish=publish)

    return make


@pytest.fixture
def data_programme(owner, facilitator_user, author, join) -> Cohort:
    """A second programme, with a cohort the author also belongs to."""
    programme = programme_actions.create_programme(
        owner=owner, title="Data Skills", slug="data-skills", summary=""
    )
    programme_actions.add_thing(
        programme=programme,
        title="Spreadsheets",
        slug="spreadsheets",
        status=Thing.Status.PUBLISHED,
    )
    cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=facilitator_user,
        name="Data 2024",
        slug="data-2024",
        time_zone="Europe/London",
        start_date=datetime.date(2024, 9, 1),
    )
    join(author, cohort)
    return cohort


@pytest.fixture
def in_auckland(author) -> User:
    """Auckland is UTC+13 over New Year: 11:30 UTC on 31 December is already
    00:30 on 1 January there."""
    author.profile.time_zone = "Pacific/Auckland"
    author.profile.save()
    return author


@pytest.fixture
def a_log(in_auckland, cohort, data_programme, log_entry) -> dict[str, Entry]:
    """Entries of the author in two programmes and free, across New Year in Auckland."""
    author = in_auckland
    return {
        "feeds": log_entry(
            author,
            cohort=cohort,
            thing=thing(cohort.programme, 1),
            title="Getting started",
            minutes=45,
            action="Set up a feed reader",
            at=datetime.datetime(2024, 12, 31, 10, 30, tzinfo=UTC),  # 23:30, 2024
        ),
        "data": log_entry(
            author,
            cohort=data_programme,
            thing=data_programme.programme.things.get(),
            title="Spreadsheets",
            minutes=60,
            at=datetime.datetime(2024, 12, 31, 11, 30, tzinfo=UTC),  # 00:30, 2025
        ),
        "free": log_entry(
            author,
            title="A free reflection",
            minutes=20,
            at=datetime.datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        ),
        "untimed": log_entry(
            author,
            cohort=cohort,
            thing=thing(cohort.programme, 2),
            title="Blogging",
            minutes=None,
            at=datetime.datetime(2025, 3, 2, 9, 0, tzinfo=UTC),
        ),
        "draft": log_entry(
            author,
            cohort=cohort,
            thing=thing(cohort.programme, 3),
            title="A draft on feeds",
            minutes=90,
            publish=False,
            at=datetime.datetime(2025, 3, 3, 9, 0, tzinfo=UTC),
        ),
    }


# Who may see it -------------------------------------------------------------


@pytest.mark.parametrize("name", [LOG_URL, CSV_URL])
def test_visitors_are_sent_to_sign_in(client, db, name):
    url = reverse(name)

    response = client.get(url)

    assert_sent_to_sign_in(response, url)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "visitor"])
def test_everyone_sees_only_their_own_log(client_as, everyone, persona, log_entry):
    at = datetime.datetime(2025, 1, 10, tzinfo=UTC)
    log_entry(everyone["author"], title="Ada's secret entry", at=at)
    if persona != "author":
        log_entry(everyone[persona], title=f"Entry of {persona}", at=at)

    client = client_as(persona)
    page = client.get(reverse(LOG_URL)).text
    rows = client.get(reverse(CSV_URL)).getvalue().decode()

    if persona == "author":
        assert "Ada&#x27;s secret entry" in page
        assert "Ada's secret entry" in rows
    else:
        assert f"Entry of {persona}" in page
        assert "secret" not in page
        assert "secret" not in rows


def test_it_offers_no_way_to_ask_for_someone_elses_log(client_as, author, log_entry):
    log_entry(author, title="Ada's entry", at=datetime.datetime(2025, 1, 1, tzinfo=UTC))

    response = client_as("cohort_mate").get(
        reverse(LOG_URL), {"user": author.pk, "username": author.username}
    )

    assert response.status_code == HTTPStatus.OK
    assert "Ada&#x27;s entry" not in response.text


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client_as, author, method):
    response = getattr(client_as("author"), method)(reverse(LOG_URL))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# What it shows --------------------------------------------------------------


def test_it_lists_published_entries_oldest_first_without_drafts(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL))

    assert response.status_code == HTTPStatus.OK
    rows = response.context["page"].object_list
    assert [entry.title for entry in rows] == [
        "Getting started",
        "Spreadsheets",
        "A free reflection",
        "Blogging",
    ]
    assert "A draft on feeds" not in response.text
    assert "Set up a feed reader" in response.text
    assert 'href="/@ada/getting-started/"' in response.text


def test_dates_are_in_my_time_zone(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL))

    # Published at 11:30 UTC on 31 December: already New Year's Day in Auckland.
    assert "1 Jan 2025" in response.text
    assert "31 Dec 2024" in response.text
    assert "Pacific/Auckland" in response.text


def test_totals_per_programme(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL))

    totals = [
        (row["title"], row["entries"], row["minutes"])
        for row in response.context["by_programme"]
    ]
    assert totals == [
        ("23 Things", 2, 45),
        ("Data Skills", 1, 60),
        (None, 1, 20),
    ]
    assert "Free reflections (no programme)" in response.text


def test_totals_per_year_follow_my_time_zone_across_new_year(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL))

    totals = [
        (row["year"], row["entries"], row["minutes"])
        for row in response.context["by_year"]
    ]
    # In UTC both December entries would fall in 2024.
    assert totals == [(2024, 1, 45), (2025, 3, 80)]


def test_the_grand_total_covers_every_published_entry(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL))

    total = response.context["total"]
    assert (total["entries"], total["minutes"]) == (4, 125)
    assert total["hours"] == "2 h 5 min"
    assert "<strong>125</strong> minutes (2 h 5 min)" in response.text


def test_a_year_narrows_the_log_and_its_programme_totals(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL), {"year": "2025"})

    assert [entry.title for entry in response.context["page"]] == [
        "Spreadsheets",
        "A free reflection",
        "Blogging",
    ]
    assert response.context["total"]["minutes"] == 80
    assert [
        (row["title"], row["entries"], row["minutes"])
        for row in response.context["by_programme"]
    ] == [("23 Things", 1, 0), ("Data Skills", 1, 60), (None, 1, 20)]
    # Every year stays listed, to move between them.
    assert [row["year"] for row in response.context["by_year"]] == [2024, 2025]


@pytest.mark.parametrize("year", ["", "20x5", "99999", "0000", "²⁰²⁵", "-2025"])
def test_a_bad_year_shows_every_year(client_as, a_log, year):
    response = client_as("author").get(reverse(LOG_URL), {"year": year})

    assert response.status_code == HTTPStatus.OK
    assert response.context["year"] is None
    assert response.context["total"]["entries"] == 4


def test_it_is_paginated_while_totals_cover_everything(
    client_as, author, log_entry, monkeypatch
):
    monkeypatch.setattr(cpd, "LOG_ROWS_PER_PAGE", 2)
    for day in range(1, 6):
        log_entry(
            author,
            title=f"Day {day}",
            minutes=10,
            at=datetime.datetime(2025, 1, day, 12, tzinfo=UTC),
        )

    response = client_as("author").get(reverse(LOG_URL), {"page": 3})

    assert [entry.title for entry in response.context["page"]] == ["Day 5"]
    assert response.context["total"]["entries"] == 5
    assert response.context["total"]["minutes"] == 50
    assert "Page 3 of 3" in response.text


def test_with_nothing_published_it_says_so(client_as, author):
    response = client_as("author").get(reverse(LOG_URL))

    assert response.status_code == HTTPStatus.OK
    assert "You have not published an entry yet." in response.text
    assert response.context["total"]["entries"] == 0


def test_it_prints_as_a_plain_record(client_as, a_log):
    response = client_as("author").get(reverse(LOG_URL))

    # The buttons sit in a block hidden on paper; a heading shows only there.
    assert re.search(r'class="actions no-print">\s*<a class="button"', response.text)
    assert 'class="print-only cpd-print-heading">CPD record of Ada Author' in (
        response.text
    )


def test_the_stylesheet_hides_navigation_and_buttons_in_print(settings):
    css = (settings.BASE_DIR / "static" / "css" / "ponder.css").read_text()

    print_blocks = re.findall(r"@media print \{(.*?)\n\}", css, re.DOTALL)
    hidden = " ".join(print_blocks)
    for selector in [".site-header", ".no-print", ".pagination", ".button"]:
        assert selector in hidden


# CSV ------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    content = response.getvalue().decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def test_the_csv_holds_the_whole_log(client_as, a_log, monkeypatch):
    monkeypatch.setattr(cpd, "LOG_ROWS_PER_PAGE", 1)

    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=UTC)):
        response = client_as("author").get(reverse(CSV_URL))

    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ponder-cpd-log-ada-2025-06-02.csv"'  # in Auckland
    )
    rows = read_csv(response)
    assert rows[0] == cpd.CSV_HEADER
    assert rows[1] == [
        "2024-12-31",
        "23 Things",
        "Spring cohort",
        "Thing 1: Getting started",
        "Getting started",
        "45",
        "Set up a feed reader",
        "Only me",
        "http://127.0.0.1:8000/@ada/getting-started/",
    ]
    assert [row[0] for row in rows[1:]] == [
        "2024-12-31",
        "2025-01-01",
        "2025-03-01",
        "2025-03-02",
    ]
    assert rows[4][5] == ""  # no minutes recorded
    assert "A draft on feeds" not in {row[4] for row in rows}


def test_the_csv_for_one_year(client_as, a_log):
    response = client_as("author").get(reverse(CSV_URL), {"year": "2024"})

    rows = read_csv(response)
    assert [row[4] for row in rows[1:]] == ["Getting started"]
    assert "ponder-cpd-log-2024-ada-" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+44 20 7946 0000",
        "-1+1",
        "@SUM(A1:A9)",
        "\t=1+1",
    ],
)
def test_the_csv_defuses_formulas(client_as, author, log_entry, text):
    log_entry(
        author,
        title=text,
        action=text,
        at=datetime.datetime(2025, 1, 1, 12, tzinfo=UTC),
    )

    rows = read_csv(client_as("author").get(reverse(CSV_URL)))

    title, action = rows[1][4], rows[1][6]
    assert title == action == "'" + text


def test_the_csv_keeps_commas_quotes_newlines_and_accents(client_as, author, log_entry):
    title = 'Café, "quoted"\nand on two lines'
    log_entry(author, title=title, at=datetime.datetime(2025, 1, 1, 12, tzinfo=UTC))

    rows = read_csv(client_as("author").get(reverse(CSV_URL)))

    assert rows[1][4] == title


# Bounded work ---------------------------------------------------------------


def test_the_log_runs_the_same_queries_for_5_and_50_entries(
    client_as, author, cohort, data_programme, log_entry
):
    def add(count: int) -> None:
        start = Entry.objects.filter(author=author).count()
        for index in range(start, start + count):
            log_entry(
                author,
                cohort=(cohort, data_programme, None)[index % 3],
                title=f"Entry {index}",
                minutes=index,
                action="Do it",
                at=datetime.datetime(2020 + index % 6, 6, 1, tzinfo=UTC),
            )

    client = client_as("author")
    url = reverse(LOG_URL)
    add(SMALL)
    small = count_queries(client, url)
    add(LARGE - SMALL)

    assert count_queries(client, url) == small
    assert len(client.get(url).context["page"].object_list) == LARGE


def test_the_csv_reads_entries_in_chunks(client_as, author, cohort, log_entry):
    for index in range(SMALL):
        log_entry(
            author,
            cohort=cohort,
            title=f"Entry {index}",
            at=datetime.datetime(2025, 1, 1 + index, tzinfo=UTC),
        )
    client = client_as("author")

    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(CSV_URL))
        rows = read_csv(response)

    assert len(rows) == SMALL + 1
    selects_of_entries = [
        q for q in context.captured_queries if 'FROM "journal_entry"' in q["sql"]
    ]
    assert len(selects_of_entries) == 1
