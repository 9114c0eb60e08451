"""Workflows of programmes/actions.py and Cohort methods that change rows."""

import pytest

from programmes import actions
from programmes.models import Thing


def order(programme) -> list[tuple[int, str]]:
    return list(programme.things.order_by("number").values_list("number", "slug"))


ORIGINAL = [
    (1, "getting-started"),
    (2, "blogging"),
    (3, "feeds"),
    (4, "networks"),
    (5, "podcasts"),
]


def test_moving_a_thing_up_swaps_it_with_the_one_before(programme):
    actions.move_thing(thing=programme.things.get(slug="feeds"), offset=-1)

    assert order(programme) == [
        (1, "getting-started"),
        (2, "feeds"),
        (3, "blogging"),
        (4, "networks"),
        (5, "podcasts"),
    ]


def test_moving_a_thing_down_swaps_it_with_the_one_after(programme):
    actions.move_thing(thing=programme.things.get(slug="getting-started"), offset=1)

    assert order(programme) == [
        (1, "blogging"),
        (2, "getting-started"),
        (3, "feeds"),
        (4, "networks"),
        (5, "podcasts"),
    ]


def test_moving_keeps_each_things_content(programme):
    feeds = programme.things.get(slug="feeds")

    actions.move_thing(thing=feeds, offset=-1)

    moved = Thing.objects.get(pk=feeds.pk)
    assert (moved.number, moved.slug, moved.title) == (2, "feeds", "Feeds")


@pytest.mark.parametrize(("slug", "offset"), [("getting-started", -1), ("podcasts", 1)])
def test_moving_past_either_end_changes_nothing(programme, slug, offset):
    actions.move_thing(thing=programme.things.get(slug=slug), offset=offset)

    assert order(programme) == ORIGINAL


def test_moving_renumbers_after_a_gap(programme):
    """Numbers stay 1..n even if a Thing was deleted from the middle."""
    programme.things.get(slug="blogging").delete()

    actions.move_thing(thing=programme.things.get(slug="podcasts"), offset=-1)

    assert order(programme) == [
        (1, "getting-started"),
        (2, "feeds"),
        (3, "podcasts"),
        (4, "networks"),
    ]


def test_moving_leaves_other_programmes_alone(programme, owner):
    other = actions.create_programme(
        owner=owner, title="Other", slug="other", summary=""
    )
    actions.add_thing(programme=other, title="Alone", slug="alone")

    actions.move_thing(thing=programme.things.get(slug="feeds"), offset=-1)

    assert order(other) == [(1, "alone")]


def test_add_thing_goes_to_the_end(programme):
    new = actions.add_thing(programme=programme, title="Video", slug="video")

    assert new.number == 6
    assert new.status == Thing.Status.DRAFT


def test_rotate_join_token_changes_the_token(cohort):
    old = cohort.join_token

    cohort.rotate_join_token()

    cohort.refresh_from_db()
    assert cohort.join_token != old
    assert len(cohort.join_token) >= 20
    assert cohort.get_join_url() == f"/join/{cohort.join_token}/"


def test_create_cohort_makes_its_creator_facilitator(cohort, facilitator):
    assert cohort.role_of(facilitator) == "facilitator"
    assert cohort.memberships.count() == 1
