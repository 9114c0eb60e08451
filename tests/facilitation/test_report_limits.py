"""Reports past their limit (core/ratelimit.py): a 429 with the details kept."""

import datetime
from datetime import UTC
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse

from journal.models import Comment, Report
from tests.conftest import thing


@pytest.fixture
def comments(make_entry, make_comment, author, cohort) -> list[Comment]:
    entry = make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    return [make_comment(entry, author, f"Buy now {n}") for n in range(3)]


def report_url(comment: Comment) -> str:
    return reverse("facilitation:report_comment", kwargs={"pk": comment.pk})


def test_the_third_report_in_a_minute_comes_back_with_its_details(
    settings, client_for, cohort_mate, comments
):
    settings.PONDER_RATE_LIMITS = {**settings.PONDER_RATE_LIMITS, "reports": (2, 10)}
    client = client_for(cohort_mate)
    at = datetime.datetime(2026, 3, 2, 12, 0, 45, tzinfo=UTC)
    with time_machine.travel(at, tick=False) as clock:
        for comment in comments[:2]:
            response = client.post(report_url(comment), {"reason": "spam"})
            assert response.status_code == HTTPStatus.FOUND

        response = client.post(
            report_url(comments[2]), {"reason": "spam", "details": "The same advert"}
        )

        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
        assert response["Retry-After"] == "15"
        assert "Reports are limited to 2 a minute for each person." in response.text
        assert "The same advert</textarea>" in response.text
        assert Report.objects.count() == 2
        clock.shift(15)
        response = client.post(report_url(comments[2]), {"reason": "spam"})
        assert response.status_code == HTTPStatus.FOUND
        assert Report.objects.count() == 3


def test_the_default_report_limit_is_five_a_minute(
    client_for, make_entry, make_comment, author, cohort_mate, cohort
):
    entry = make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    client = client_for(cohort_mate)
    at = datetime.datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)
    with time_machine.travel(at, tick=False):
        statuses = [
            client.post(
                report_url(make_comment(entry, author, f"Advert {n}")),
                {"reason": "spam"},
            ).status_code
            for n in range(6)
        ]

    assert statuses == [HTTPStatus.FOUND] * 5 + [HTTPStatus.TOO_MANY_REQUESTS]
