"""One rule says when a Thing is done (DESIGN.md, Completion), and every page
that counts done Things agrees with it: the progress grid, the people page, the
dashboard, nudges' "next Thing" and certificates.

A participant has completed a Thing once they publish an entry on it, whatever
its visibility, while the Thing is published.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from facilitation import certificates, dashboard, nudges, progress
from journal.models import Entry
from programmes import actions as programme_actions
from programmes.models import Membership, Thing
from tests.conftest import thing


def _entry(make_entry, author, cohort, number: int, **options) -> Entry:
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, number),
        title=f"On Thing {number}",
        **options,
    )


CASES: dict[str, tuple[Callable, set[int]]] = {
    "a published entry": (
        lambda make, author, cohort: _entry(make, author, cohort, 1),
        {1},
    ),
    "an only-me entry": (
        lambda make, author, cohort: _entry(
            make, author, cohort, 1, visibility=Entry.Visibility.PRIVATE
        ),
        {1},
    ),
    "a draft": (
        lambda make, author, cohort: _entry(make, author, cohort, 1, publish=False),
        set(),
    ),
    "an entry on a Thing taken back to draft": (
        lambda make, author, cohort: (
            _entry(make, author, cohort, 2),
            programme_actions.set_thing_published(
                thing=thing(cohort.programme, 2), published=False
            ),
        ),
        set(),
    ),
    "a free reflection": (
        lambda make, author, cohort: make(author, cohort=cohort, title="Free"),
        set(),
    ),
}


@pytest.fixture(params=list(CASES))
def case(request, make_entry, author, cohort) -> set[int]:
    make, expected_numbers = CASES[request.param]
    make(make_entry, author, cohort)
    return {thing(cohort.programme, n).pk for n in expected_numbers}


def test_the_rule_itself(case, author, cohort) -> None:
    done = Entry.objects.filter(cohort=cohort).things_done()
    assert done.get(author.pk, set()) == case


def test_the_progress_grid(case, author, cohort) -> None:
    grid = progress.grid_for(cohort)
    membership = progress.participants(grid).get(user=author)
    row = progress.rows_for(grid, [membership])[0]
    assert {cell.thing.pk for cell in row.cells if cell.done_at} == case
    assert row.done == len(case)
    assert membership.done_all == len(case)


def test_the_people_page(case, author, cohort, facilitator, client_for) -> None:
    response = client_for(facilitator).get(
        reverse("journal:people", kwargs={"cohort": cohort.slug})
    )
    membership = next(m for m in response.context["page"] if m.user_id == author.pk)
    assert membership.things_done == len(case)


def test_the_dashboard(case, author, cohort) -> None:
    mine = next(p for p in dashboard.cohort_progress(author) if p.cohort == cohort)
    assert mine.done == len(case)


def test_nudges_next_thing(case, author, cohort) -> None:
    schedule = [r for r in cohort.schedule() if r.is_open]
    expected = next((r.thing for r in schedule if r.thing.pk not in case), None)
    assert nudges.next_things(cohort, [author])[author.pk] == str(expected)


def test_certificates(case, author, cohort) -> None:
    cohort.completion_target = 1
    cohort.save(update_fields=["completion_target"])
    membership = Membership.objects.select_related("cohort__programme").get(
        user=author, cohort=cohort
    )
    assert certificates.has_finished(membership) == bool(case)


def test_a_thing_taken_back_to_draft_is_done_again_once_republished(
    make_entry, author, cohort
) -> None:
    second = thing(cohort.programme, 2)
    _entry(make_entry, author, cohort, 2)
    programme_actions.set_thing_published(thing=second, published=False)
    assert Entry.objects.filter(cohort=cohort).things_done() == {}

    programme_actions.set_thing_published(thing=second, published=True)

    assert Entry.objects.filter(cohort=cohort).things_done()[author.pk] == {second.pk}
    assert second.status == Thing.Status.PUBLISHED
