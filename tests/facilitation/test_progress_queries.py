"""The progress grid runs a fixed number of queries whatever the cohort's size."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from facilitation import progress
from journal.models import Comment, Entry
from programmes.models import Membership
from tests.conftest import thing

#: Session, and the user with their profile (accounts/backends.py): 2; the
#: cohort and the reader's role in it (then kept in the cache): 2; its
#: schedule (Things, releases): 2; the page's count and rows: 2; its cells: 1;
#: the weekly entries, the comments before today, today's before this hour
#: (both then kept) and this hour's, each Thing's completions and the number
#: of participants: 6; the bell's counts (unread and all, one query) and the
#: open reports in the cohort's nav: 2.
PAGE_QUERIES = 17
#: Middleware, cohort, role and schedule: 6; the participants: 1; the cells
#: of each chunk of 500 participants: 1 (the test's 500 make one chunk).
CSV_QUERIES = 8


def _bulk_cohort(cohort, programme, facilitator, count: int) -> None:
    """`count` participants, most with entries on Things 1 and 2, some comments."""
    users = User.objects.bulk_create(
        [User(username=f"u{n:04d}", email=f"u{n}@example.org") for n in range(count)]
    )
    Profile.objects.bulk_create(
        [Profile(user=user, display_name=f"User {n}") for n, user in enumerate(users)]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, cohort=cohort) for user in users]
    )
    now = timezone.now()
    entries = []
    for n, user in enumerate(users):
        for number in (1, 2)[: n % 3]:
            entries.append(
                Entry(
                    author=user,
                    cohort=cohort,
                    thing=thing(programme, number),
                    title=f"Entry {n}-{number}",
                    slug=f"entry-{n}-{number}",
                    body="Text",
                    body_html="<p>Text</p>",
                    visibility=Entry.Visibility.PRIVATE
                    if n % 2
                    else Entry.Visibility.COHORT,
                    status=Entry.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(days=n % 15, hours=1),
                )
            )
    entries = Entry.objects.bulk_create(entries)
    Comment.objects.bulk_create(
        [
            Comment(entry=entry, author=facilitator, body="Nice", body_html="Nice")
            for entry in entries[::4]
        ]
    )


@pytest.mark.parametrize("size", [5, 500])
@pytest.mark.parametrize("params", [{}, {"show": "stale", "sort": "-last"}])
def test_the_page_runs_a_fixed_number_of_queries(
    client_for,
    facilitator,
    cohort,
    programme,
    django_assert_num_queries,
    size,
    params,
):
    _bulk_cohort(cohort, programme, facilitator, size)
    client = client_for(facilitator)
    url = reverse("facilitation:progress", kwargs={"cohort": cohort.slug})
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url, params)
    assert len(response.context["rows"]) == min(size, 50) or params
    assert sum(row.done for row in response.context["rows"]) > 0 or params


@pytest.mark.parametrize("size", [5, 500])
def test_the_csv_runs_a_fixed_number_of_queries(
    client_for, facilitator, cohort, programme, django_assert_num_queries, size
):
    _bulk_cohort(cohort, programme, facilitator, size)
    client = client_for(facilitator)
    url = reverse("facilitation:progress_csv", kwargs={"cohort": cohort.slug})
    with django_assert_num_queries(CSV_QUERIES):
        response = client.get(url)
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + size


@pytest.mark.parametrize("size", [5, 500])
def test_the_grid_helpers_run_a_fixed_number_of_queries(
    cohort, programme, facilitator, django_assert_num_queries, size
):
    _bulk_cohort(cohort, programme, facilitator, size)
    # schedule (2), page of participants (1), its cells (1)
    with django_assert_num_queries(4):
        grid = progress.grid_for(cohort)
        members = list(progress.participants(grid, sort="share")[:50])
        rows = progress.rows_for(grid, members)
    assert len(rows) == min(size, 50)
    # The share done is worked out in SQL and sorts there: most done first.
    assert [row.done for row in rows] == sorted(
        (row.done for row in rows), reverse=True
    )
    assert all(
        row.done == sum(cell.done_at is not None for cell in row.cells) for row in rows
    )
    # weekly entries; comments in three spans; completions by Thing,
    # participant count
    with django_assert_num_queries(6):
        progress.entries_chart(cohort)
        progress.comments_chart(cohort)
        things = progress.things_chart(grid)
    assert things.bars[0].value > 0
