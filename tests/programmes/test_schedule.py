"""Cohort.schedule, visible_things and visible_thing: when Things open, to whom."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from programmes import actions
from programmes.models import ThingRelease
from tests.conftest import thing

UTC = datetime.UTC
ONE_SECOND = datetime.timedelta(seconds=1)


def visible_numbers(cohort, user) -> list[int]:
    return [release.thing.number for release in cohort.visible_things(user)]


@pytest.mark.parametrize(
    ("time_zone", "start_date", "midnight_utc"),
    [
        # Thing 2 opens on 13 January 2025 at 00:00 AEDT (UTC+11): still the
        # 12th in UTC.
        (
            "Australia/Sydney",
            datetime.date(2025, 1, 6),
            datetime.datetime(2025, 1, 12, 13, 0, tzinfo=UTC),
        ),
        # At 00:00 PST (UTC-8) on the 13th it has been the 13th in UTC for 8 hours.
        (
            "America/Los_Angeles",
            datetime.date(2025, 1, 6),
            datetime.datetime(2025, 1, 13, 8, 0, tzinfo=UTC),
        ),
        # London springs forward on 30 March 2025: midnight on the 31st is BST.
        (
            "Europe/London",
            datetime.date(2025, 3, 24),
            datetime.datetime(2025, 3, 30, 23, 0, tzinfo=UTC),
        ),
        # London falls back on 26 October 2025: the week began in BST, the
        # Thing opens at midnight GMT, not an hour early.
        (
            "Europe/London",
            datetime.date(2025, 10, 20),
            datetime.datetime(2025, 10, 27, 0, 0, tzinfo=UTC),
        ),
    ],
    ids=["sydney", "los-angeles", "london-spring-forward", "london-fall-back"],
)
def test_thing_opens_at_local_midnight(
    make_cohort, make_user, join, time_zone, start_date, midnight_utc
):
    cohort = make_cohort(slug="tz", time_zone=time_zone, start_date=start_date)
    participant = make_user("pat")
    join(participant, cohort)

    with time_machine.travel(midnight_utc - ONE_SECOND, tick=False):
        assert visible_numbers(cohort, participant) == [1]
        release = cohort.schedule()[1]
        assert release.thing.number == 2
        assert not release.is_open

    with time_machine.travel(midnight_utc, tick=False):
        assert visible_numbers(cohort, participant) == [1, 2]
        release = cohort.schedule()[1]
        assert release.is_open
        assert release.opens_on == start_date + datetime.timedelta(weeks=1)
        assert release.opens_at == midnight_utc
        local = release.opens_at.astimezone(zoneinfo.ZoneInfo(time_zone))
        assert (local.hour, local.minute) == (0, 0)


def test_each_thing_opens_a_week_after_the_one_before(make_cohort):
    cohort = make_cohort(
        slug="weekly", time_zone="Europe/London", start_date=datetime.date(2025, 1, 6)
    )

    schedule = cohort.schedule()

    assert [release.opens_on for release in schedule] == [
        datetime.date(2025, 1, 6),
        datetime.date(2025, 1, 13),
        datetime.date(2025, 1, 20),
        datetime.date(2025, 1, 27),
    ]
    assert not any(release.is_scheduled_by_hand for release in schedule)


def test_nothing_is_open_before_the_cohort_starts(make_cohort, make_user, join):
    cohort = make_cohort(
        slug="later", time_zone="Europe/London", start_date=datetime.date(2025, 1, 6)
    )
    participant = make_user("pat")
    join(participant, cohort)

    with time_machine.travel(datetime.datetime(2025, 1, 5, 23, 59, 59, tzinfo=UTC)):
        assert cohort.visible_things(participant) == []
        assert cohort.open_things() == []
        assert cohort.next_release().thing.number == 1


def test_an_override_opens_a_thing_earlier(cohort, author):
    networks = thing(cohort.programme, 4)
    assert 4 not in visible_numbers(cohort, author)

    actions.save_schedule(
        cohort=cohort,
        dates={networks: timezone.localdate() - datetime.timedelta(days=2)},
    )

    assert visible_numbers(cohort, author) == [1, 2, 3, 4]
    release = cohort.visible_thing(author, "networks")
    assert release.is_scheduled_by_hand
    assert release.opens_on == timezone.localdate() - datetime.timedelta(days=2)


def test_an_override_holds_a_thing_back(cohort, author):
    blogging = thing(cohort.programme, 2)
    ThingRelease.objects.create(
        cohort=cohort,
        thing=blogging,
        opens_on=timezone.localdate() + datetime.timedelta(days=3),
    )

    assert visible_numbers(cohort, author) == [1, 3]
    assert cohort.visible_thing(author, "blogging") is None


def test_a_slug_longer_than_any_thing_has_is_no_thing(client_for, cohort, author):
    long_slug = "networks-" * 40

    assert cohort.visible_thing(author, long_slug) is None
    url = f"/c/{cohort.slug}/things/{long_slug}/"
    assert client_for(author).get(url).status_code == 404


def test_an_override_is_local_midnight_in_the_cohorts_zone(
    make_cohort, make_user, join
):
    cohort = make_cohort(
        slug="syd", time_zone="Australia/Sydney", start_date=datetime.date(2025, 1, 6)
    )
    participant = make_user("pat")
    join(participant, cohort)
    ThingRelease.objects.create(
        cohort=cohort,
        thing=thing(cohort.programme, 4),
        opens_on=datetime.date(2025, 1, 8),
    )
    midnight = datetime.datetime(2025, 1, 7, 13, 0, tzinfo=UTC)  # 8 Jan, AEDT

    with time_machine.travel(midnight - ONE_SECOND, tick=False):
        assert visible_numbers(cohort, participant) == [1]
    with time_machine.travel(midnight, tick=False):
        assert visible_numbers(cohort, participant) == [1, 4]


def test_an_override_of_another_cohort_changes_nothing(cohort, other_cohort, author):
    ThingRelease.objects.create(
        cohort=other_cohort,
        thing=thing(cohort.programme, 4),
        opens_on=timezone.localdate() - datetime.timedelta(days=2),
    )

    assert visible_numbers(cohort, author) == [1, 2, 3]


def test_participants_see_the_open_published_things(cohort, author):
    assert visible_numbers(cohort, author) == [1, 2, 3]


def test_facilitators_see_published_things_before_release(cohort, facilitator):
    releases = cohort.visible_things(facilitator)

    assert [release.thing.number for release in releases] == [1, 2, 3, 4]
    assert not releases[3].is_open


def test_owners_see_drafts_too(cohort, owner):
    releases = cohort.visible_things(owner)

    assert [release.thing.number for release in releases] == [1, 2, 3, 4, 5]
    assert not releases[4].thing.is_published
    assert not releases[4].is_open


@pytest.mark.parametrize("persona", ["author", "facilitator"])
def test_a_draft_is_never_visible_to_members(request, cohort, persona):
    user = request.getfixturevalue(persona)
    podcasts = thing(cohort.programme, 5)
    # Even with its opening date long past, a draft stays hidden.
    ThingRelease.objects.create(
        cohort=cohort,
        thing=podcasts,
        opens_on=timezone.localdate() - datetime.timedelta(days=30),
    )

    assert 5 not in visible_numbers(cohort, user)
    assert cohort.visible_thing(user, "podcasts") is None
    assert podcasts not in cohort.open_things()


def test_an_unpublished_thing_disappears_for_participants(cohort, author):
    feeds = thing(cohort.programme, 3)
    feeds.status = feeds.Status.DRAFT
    feeds.save()

    assert visible_numbers(cohort, author) == [1, 2]


@pytest.mark.parametrize("persona", ["outsider", "other_facilitator"])
def test_non_members_see_nothing(request, cohort, persona):
    user = request.getfixturevalue(persona)

    assert cohort.visible_things(user) == []
    assert cohort.visible_thing(user, "getting-started") is None


def test_visitors_see_nothing(cohort):
    assert cohort.visible_things(AnonymousUser()) == []
    assert cohort.visible_thing(AnonymousUser(), "getting-started") is None


def test_owner_of_another_programme_sees_nothing(cohort, make_user):
    stranger = make_user("sam")
    actions.create_programme(owner=stranger, title="Other", slug="other", summary="")

    assert cohort.visible_things(stranger) == []


@pytest.mark.parametrize(
    ("persona", "slug", "visible"),
    [
        ("author", "feeds", True),
        ("author", "networks", False),
        ("author", "podcasts", False),
        ("author", "no-such-thing", False),
        ("facilitator", "networks", True),
        ("facilitator", "podcasts", False),
        ("owner", "podcasts", True),
        ("outsider", "feeds", False),
    ],
)
def test_visible_thing_by_slug(request, cohort, persona, slug, visible):
    user = request.getfixturevalue(persona)

    release = cohort.visible_thing(user, slug)

    if visible:
        assert release.thing.slug == slug
        assert release.thing.programme_id == cohort.programme_id
    else:
        assert release is None
