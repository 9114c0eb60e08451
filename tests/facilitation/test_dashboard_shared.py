"""The dashboard's parts worked out once for a whole cohort: its schedule,
kept under `entries_state`, shared by members but never their progress."""

import html

from django.urls import reverse

from programmes import actions as programme_actions
from tests.conftest import thing

HOME = reverse("home")


def dashboard_of(client) -> str:
    return html.unescape(client.get(HOME).text)


def test_a_schedule_warmed_by_one_member_shows_another_their_own_progress(
    client_for, author, cohort_mate, cohort, make_entry
):
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    assert "1 of 4" in dashboard_of(client_for(author))

    theirs = dashboard_of(client_for(cohort_mate))

    assert "0 of 4" in theirs
    assert "1 of 4" not in theirs
    assert "3 Things to catch up on" not in theirs
    assert "2 Things to catch up on" in theirs


def test_a_thing_renamed_shows_at_once_to_every_member(
    client_for, author, cohort_mate, cohort
):
    assert "Thing 3: Feeds" in dashboard_of(client_for(author))

    programme_actions.update_thing(thing=thing(cohort.programme, 3), title="RSS")

    assert "Thing 3: RSS" in dashboard_of(client_for(cohort_mate))
    assert "Thing 3: RSS" in dashboard_of(client_for(author))


def test_a_thing_released_early_shows_at_once_to_every_member(
    client_for, author, cohort_mate, cohort
):
    assert "3 open so far" in dashboard_of(client_for(author))

    programme_actions.release_now(cohort=cohort, thing=thing(cohort.programme, 4))

    assert "4 open so far" in dashboard_of(client_for(cohort_mate))
    assert "4 open so far" in dashboard_of(client_for(author))


def test_a_facilitator_sees_the_shared_schedule_without_progress(
    client_for, author, facilitator, cohort
):
    dashboard_of(client_for(author))

    theirs = dashboard_of(client_for(facilitator))

    assert "you facilitate this cohort" in theirs
    assert "open so far" not in theirs
    assert "Thing 4: Networks opens on" in theirs


def test_a_participant_who_reaches_the_target_gets_their_certificate(
    client_for, author, cohort_mate, cohort, make_entry
):
    cohort.completion_target = 2
    cohort.save(update_fields=["completion_target"])
    client = client_for(author)
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    assert "See your certificate" not in dashboard_of(client)

    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 2))

    assert "See your certificate" in dashboard_of(client)
    assert "See your certificate" not in dashboard_of(client_for(cohort_mate))
