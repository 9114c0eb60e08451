"""Times are shown in the reader's time zone (UserTimeZoneMiddleware)."""

import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile

# 20:00 UTC on 15 January 2025: already the 16th in Sydney.
MOMENT = datetime.datetime(2025, 1, 15, 20, 0, tzinfo=datetime.UTC)


@pytest.fixture
def entry_with_comment(author, cohort_mate, cohort, make_entry, make_comment):
    with time_machine.travel(MOMENT, tick=False):
        entry = make_entry(author, cohort=cohort, title="On feeds")
        make_comment(entry, cohort_mate, body="Lovely.")
    return entry


def entry_url(entry) -> str:
    return reverse("journal:entry", args=[entry.author.username, entry.slug])


@pytest.mark.parametrize(
    ("time_zone", "comment_time", "entry_date", "iso"),
    [
        ("Australia/Sydney", "16 Jan 2025, 07:00", "16 January 2025", "+11:00"),
        ("America/Los_Angeles", "15 Jan 2025, 12:00", "15 January 2025", "-08:00"),
        ("Europe/London", "15 Jan 2025, 20:00", "15 January 2025", "+00:00"),
    ],
)
def test_times_are_shown_in_the_readers_zone(
    entry_with_comment,
    facilitator,
    client_for,
    time_zone,
    comment_time,
    entry_date,
    iso,
):
    Profile.objects.filter(user=facilitator).update(time_zone=time_zone)

    response = client_for(facilitator).get(entry_url(entry_with_comment))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert comment_time in page
    assert entry_date in page
    assert f"2025-01-1{6 if iso == '+11:00' else 5}T" in page
    assert iso in page


def test_two_readers_see_the_same_moment_differently(
    entry_with_comment, author, cohort_mate, client_for
):
    Profile.objects.filter(user=author).update(time_zone="Australia/Sydney")
    Profile.objects.filter(user=cohort_mate).update(time_zone="America/Los_Angeles")

    sydney = client_for(author).get(entry_url(entry_with_comment)).content.decode()
    la = client_for(cohort_mate).get(entry_url(entry_with_comment)).content.decode()

    assert "16 Jan 2025, 07:00" in sydney
    assert "15 Jan 2025, 12:00" in la


def test_the_zone_set_on_the_profile_page_is_used(
    entry_with_comment, facilitator, client_for
):
    client = client_for(facilitator)
    client.post(
        reverse("accounts:profile"),
        {"display_name": "Fran", "time_zone": "America/Los_Angeles"},
    )

    page = client.get(entry_url(entry_with_comment)).content.decode()

    assert "15 Jan 2025, 12:00" in page


def test_the_readers_zone_does_not_outlive_the_request(
    entry_with_comment, facilitator, client_for
):
    Profile.objects.filter(user=facilitator).update(time_zone="Australia/Sydney")

    client_for(facilitator).get(entry_url(entry_with_comment))

    assert timezone.get_current_timezone_name() == "UTC"


def test_a_reader_without_a_profile_row_gets_the_sites_zone(
    entry_with_comment, facilitator, client_for
):
    Profile.objects.filter(user=facilitator).delete()

    response = client_for(facilitator).get(entry_url(entry_with_comment))

    assert response.status_code == HTTPStatus.OK
    assert "15 Jan 2025, 20:00" in response.content.decode()
