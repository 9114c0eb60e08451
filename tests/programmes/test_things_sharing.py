"""A cohort's visible Things (`Cohort.visible_things`) are kept once for its
participants and once for its facilitators; an owner and a self-paced
participant get their own. Warmed by one reader, read by another."""

import pytest
import time_machine

from programmes import actions as programme_actions
from programmes.models import Membership
from tests.self_paced import at, self_paced_cohort


def numbers(cohort, user) -> list[int]:
    return [release.thing.number for release in cohort.visible_things(user)]


@pytest.fixture
def participants(make_user, cohort, join):
    first, second = make_user("pia"), make_user("pete")
    join(first, cohort)
    join(second, cohort)
    return first, second


def test_participants_share_what_opened_and_facilitators_see_ahead(
    cohort, participants, facilitator
):
    first, second = participants

    assert numbers(cohort, first) == [1, 2, 3]
    assert numbers(cohort, second) == [1, 2, 3]
    assert numbers(cohort, facilitator) == [1, 2, 3, 4]
    assert numbers(cohort, first) == [1, 2, 3]


def test_an_owner_who_is_also_a_participant_still_sees_the_drafts(
    cohort, participants, owner, join
):
    join(owner, cohort)
    assert numbers(cohort, participants[0]) == [1, 2, 3]

    assert numbers(cohort, owner) == [1, 2, 3, 4, 5]
    assert cohort.visible_thing(participants[0], "podcasts") is None
    assert cohort.visible_thing(owner, "podcasts") is not None


def test_a_non_member_sees_none_after_a_participant_warmed_the_list(
    cohort, participants, make_user
):
    assert numbers(cohort, participants[0]) == [1, 2, 3]

    assert numbers(cohort, make_user("stranger")) == []
    assert cohort.visible_thing(make_user("passer"), "getting-started") is None


def test_a_promoted_participant_sees_what_facilitators_see(cohort, participants):
    first, _second = participants
    assert numbers(cohort, first) == [1, 2, 3]

    programme_actions.set_role(
        membership=cohort.memberships.get(user=first),
        role=Membership.Role.FACILITATOR,
    )
    cohort.refresh_from_db()

    assert numbers(cohort, first) == [1, 2, 3, 4]


def test_self_paced_participants_each_see_their_own_things(
    programme, facilitator_user, make_user
):
    cohort = self_paced_cohort(programme, facilitator_user)
    early, late = make_user("early"), make_user("late")
    with time_machine.travel(at(6), tick=False):
        programme_actions.join_cohort(cohort=cohort, user=early)
    with time_machine.travel(at(20), tick=False):
        programme_actions.join_cohort(cohort=cohort, user=late)

    with time_machine.travel(at(21), tick=False):
        cohort.refresh_from_db()
        assert len(numbers(cohort, early)) > len(numbers(cohort, late))
        assert numbers(cohort, late) == [1]
