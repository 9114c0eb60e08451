"""Read next from what a cohort's members share (journal/reading.py): the week's
candidates and which of them wait are kept per cohort, each reader's own list is
ranked from them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import Entry, Reading
from journal.reading import cohort_queue, read_next
from programmes.models import Cohort


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def fresh(cohort: Cohort) -> Cohort:
    """The cohort as the next request reads it, its versions moved on."""
    return Cohort.objects.get(pk=cohort.pk)


def published_days_ago(entry: Entry, days: float) -> None:
    Entry.objects.filter(pk=entry.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=days)
    )


def read(reader, entry: Entry) -> None:
    Reading.objects.create(reader=reader, entry=entry, author=entry.author)


@pytest.fixture
def week(author, cohort, make_members, make_entry):
    """Ada's three entries and Dora's one, the oldest first."""
    (dora,) = make_members(cohort, 1, prefix="dora")
    entries = {
        "Ada 1": make_entry(author, cohort=cohort, title="Ada 1"),
        "Ada 2": make_entry(author, cohort=cohort, title="Ada 2"),
        "Dora": make_entry(dora, cohort=cohort, title="Dora"),
        "Ada 3": make_entry(author, cohort=cohort, title="Ada 3"),
    }
    for days, entry in zip((4, 3, 2, 1), entries.values(), strict=True):
        published_days_ago(entry, days)
    return entries


def test_two_readers_rank_the_same_candidates_their_own_way(
    cohort, cohort_mate, make_members, make_comment, week
):
    (carl,) = make_members(cohort, 1, prefix="carl")
    everyone = ["Ada 1", "Ada 2", "Dora", "Ada 3"]
    assert titles(read_next(cohort_mate, cohort)) == everyone

    # Ben answered Ada's second entry; Carl has read Ada before.
    make_comment(week["Ada 2"], cohort_mate, "Lovely")
    read(carl, week["Ada 3"])
    cohort = fresh(cohort)

    assert titles(read_next(cohort_mate, cohort)) == ["Ada 1", "Dora", "Ada 3"]
    assert titles(read_next(carl, cohort)) == ["Dora", "Ada 1", "Ada 3", "Ada 2"]
    assert [e.waiting for e in read_next(carl, cohort)] == [True, True, True, False]
    # The dashboard ranks from the same shared candidates.
    assert titles(read_next(carl)) == ["Dora", "Ada 1", "Ada 3", "Ada 2"]


def test_a_new_comment_reorders_everyone_s_list_at_once(
    cohort, cohort_mate, facilitator, make_members, make_comment, week
):
    (carl,) = make_members(cohort, 1, prefix="carl")
    for reader in (cohort_mate, carl):
        assert titles(read_next(reader, cohort))[0] == "Ada 1"

    make_comment(week["Ada 1"], facilitator, "Welcome!")
    cohort = fresh(cohort)

    for reader in (cohort_mate, carl):
        assert titles(read_next(reader, cohort)) == ["Ada 2", "Dora", "Ada 3", "Ada 1"]


def test_a_new_comment_reorders_the_cohort_page_and_the_dashboard(
    client_for, cohort, cohort_mate, facilitator, make_members, make_comment, week
):
    (carl,) = make_members(cohort, 1, prefix="carl")
    pages = [reverse("journal:cohort", kwargs={"cohort": cohort.slug}), reverse("home")]
    clients = [client_for(cohort_mate), client_for(carl)]

    def first_suggested(client, url) -> str:
        box = client.get(url).content.decode().split('id="read-next-heading"')[1]
        return next(title for title in week if f">{title}</a>" in box.split("</li>")[0])

    for client in clients:
        for url in pages:
            assert first_suggested(client, url) == "Ada 1"
            assert first_suggested(client, url) == "Ada 1"  # now cached

    make_comment(week["Ada 1"], facilitator, "Welcome!")

    for client in clients:
        for url in pages:
            assert first_suggested(client, url) == "Ada 2"


def test_a_private_hidden_held_or_draft_entry_is_never_a_candidate(
    author, cohort, cohort_mate, facilitator, make_entry
):
    make_entry(author, cohort=cohort, title="Shared")
    make_entry(author, cohort=cohort, title="Public", visibility="public")
    make_entry(author, cohort=cohort, title="Only me", visibility="private")
    make_entry(author, cohort=cohort, title="Draft", publish=False)
    hidden = make_entry(author, cohort=cohort, title="Hidden")
    held = make_entry(author, cohort=cohort, title="Held")
    Entry.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    Entry.objects.filter(pk=held.pk).update(held_at=timezone.now())

    queue = cohort_queue(cohort, timezone.now())
    candidates = Entry.objects.filter(
        pk__in=[c.pk for c in (*queue.waiting, *queue.answered)]
    )

    assert set(titles(candidates)) == {"Shared", "Public"}
    for reader in (cohort_mate, facilitator):
        assert set(titles(read_next(reader, cohort))) == {"Shared", "Public"}
    assert read_next(author, cohort) == []


def test_an_entry_hidden_after_the_list_was_kept_leaves_it(
    client_for, author, cohort, cohort_mate, facilitator, make_entry
):
    entry = make_entry(author, cohort=cohort, title="Soon hidden")
    assert titles(read_next(cohort_mate, cohort)) == ["Soon hidden"]

    response = client_for(facilitator).post(
        reverse(
            "facilitation:hide_entry", kwargs={"cohort": cohort.slug, "pk": entry.pk}
        ),
        {"reason": "Off topic"},
    )

    assert response.status_code < 400
    assert Entry.objects.get(pk=entry.pk).hidden_at is not None
    assert read_next(cohort_mate, fresh(cohort)) == []


@pytest.mark.parametrize("where", ["cohort", "all cohorts"])
def test_a_reader_s_own_queries_do_not_grow_with_the_cohort(
    author, cohort, cohort_mate, make_members, make_entry, make_comment, where
):
    def own_queries() -> int:
        """The queries of a reader's list once what members share is kept."""
        current = fresh(cohort)
        read_next(author, current)  # keeps the shared candidates
        current.cached_role_of(cohort_mate)  # as the cohort page finds it
        with CaptureQueriesContext(connection) as context:
            suggested = (
                read_next(cohort_mate, current)
                if where == "cohort"
                else read_next(cohort_mate, cohorts=[current])
            )
        assert len(suggested) == 5
        return len(context.captured_queries)

    def grow(count: int, prefix: str) -> None:
        for index, member in enumerate(make_members(cohort, count, prefix=prefix)):
            entry = make_entry(member, cohort=cohort, title=f"{prefix} {index}")
            if index % 3 == 1:
                make_comment(entry, cohort_mate, "Answered")
            if index % 3 == 2:
                make_comment(entry, author, "Answered")
            read(cohort_mate, entry)

    grow(9, "early")
    small = own_queries()
    grow(40, "late")

    assert own_queries() == small <= 4
