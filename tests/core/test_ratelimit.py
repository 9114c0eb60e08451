"""core/ratelimit.py: per person, per kind, per minute and per day, in the cache."""

import datetime
import subprocess
import sys
from datetime import UTC

import pytest
import time_machine
from django.contrib.auth.models import User

from core import ratelimit
from core.ratelimit import RateLimited, count
from programmes import actions as programme_actions
from programmes.models import Membership
from tests.core.test_cache_settings import run_in_django
from tests.test_deploy import PROJECT

#: 30 s into a minute, 12 hours into a UTC day.
NOON = datetime.datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def small_limits(settings) -> None:
    settings.PONDER_RATE_LIMITS = {
        **settings.PONDER_RATE_LIMITS,
        "comments": (3, 5),
    }


def allowed(kind: str, user: User, times: int) -> int:
    """How many of `times` writes were allowed."""
    done = 0
    for _ in range(times):
        try:
            count(kind, user)
        except RateLimited:
            continue
        done += 1
    return done


def test_the_one_past_the_minute_limit_is_refused_until_the_next_minute(
    clock, small_limits, author
):
    assert allowed("comments", author, 3) == 3
    with pytest.raises(RateLimited) as refused:
        count("comments", author)

    assert refused.value.limit == 3
    assert refused.value.seconds == ratelimit.MINUTE
    assert refused.value.retry_after == 30
    assert "Comments are limited to 3 a minute" in refused.value.message
    assert "Try again in 30 seconds." in refused.value.message
    clock.shift(29)
    assert allowed("comments", author, 1) == 0
    clock.shift(1)
    assert allowed("comments", author, 1) == 1


def test_the_day_limit_holds_until_midnight_utc(clock, small_limits, author):
    assert allowed("comments", author, 3) == 3
    clock.shift(60)
    assert allowed("comments", author, 2) == 2

    with pytest.raises(RateLimited) as refused:
        count("comments", author)

    assert refused.value.limit == 5
    assert refused.value.seconds == ratelimit.DAY
    assert refused.value.retry_after == 12 * 60 * 60 - 90
    assert "Comments are limited to 5 a day" in refused.value.message
    assert "Try again in 11\xa0hours, 58\xa0minutes." in refused.value.message
    clock.shift(12 * 60 * 60)
    assert allowed("comments", author, 1) == 1


def test_refused_writes_use_up_nothing(clock, small_limits, author):
    assert allowed("comments", author, 3) == 3
    assert allowed("comments", author, 20) == 0
    clock.shift(60)

    # Had the 20 refused counted towards the day, none would be left.
    assert allowed("comments", author, 3) == 2


def test_each_person_and_kind_counts_on_its_own(
    clock, small_limits, author, cohort_mate
):
    assert allowed("comments", author, 4) == 3

    assert allowed("comments", cohort_mate, 3) == 3
    assert allowed("likes", author, 3) == 3


def test_zero_means_no_limit(clock, settings, author):
    settings.PONDER_RATE_LIMITS = {**settings.PONDER_RATE_LIMITS, "likes": (0, 0)}

    assert allowed("likes", author, 1000) == 1000


@pytest.mark.parametrize(
    "leader", ["facilitator", "owner"], ids=["facilitator", "programme owner"]
)
def test_facilitators_and_owners_may_do_ten_times_as_much(
    clock, small_limits, request, cohort, leader
):
    user = request.getfixturevalue(leader)

    assert allowed("comments", user, 31) == 30

    with pytest.raises(RateLimited) as refused:
        count("comments", user)
    assert refused.value.limit == 30


def test_a_participant_has_the_plain_limits(clock, small_limits, author, cohort):
    assert allowed("comments", author, 31) == 3


def test_becoming_a_facilitator_raises_the_limits_at_once(
    clock, small_limits, author, cohort
):
    assert allowed("comments", author, 4) == 3

    programme_actions.set_role(
        membership=author.memberships.get(cohort=cohort),
        role=Membership.Role.FACILITATOR,
    )

    assert allowed("comments", author, 1) == 1


def test_the_default_limits(clock, author):
    """What an operator gets without setting anything (config/settings.py)."""
    from config import settings as defaults

    assert defaults.PONDER_RATE_LIMITS == {
        "entries": (10, 100),
        "comments": (10, 200),
        "likes": (30, 500),
        "reports": (5, 50),
        "images": (30, 300),
        "blog_reads": (3, 30),
    }
    assert defaults.PONDER_RATE_LIMIT_LEADER_FACTOR == 10
    assert allowed("comments", author, 11) == 10


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "from config import settings as s; print(s.PONDER_RATE_LIMITS['likes'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_each_limit_is_a_setting_from_the_environment():
    result = run_settings(
        {"PONDER_LIMIT_LIKES_PER_MINUTE": "7", "PONDER_LIMIT_LIKES_PER_DAY": "70"}
    )

    assert result.stdout.strip() == "(7, 70)", result.stderr


def test_a_negative_limit_stops_the_start():
    result = run_settings({"PONDER_LIMIT_LIKES_PER_DAY": "-1"})

    assert result.returncode != 0
    assert "PONDER_LIMIT_LIKES_PER_DAY must be 0 or more" in result.stderr


def test_limits_go_on_counting_in_each_process_while_redis_is_away(
    clock, small_limits, redis_away, author
):
    assert allowed("comments", author, 4) == 3
    clock.shift(30)
    assert allowed("comments", author, 1) == 1


def test_production_keeps_the_counters_in_the_process_while_redis_is_away():
    found = run_in_django(
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']['OPTIONS']['LOCAL_WHILE_AWAY']))",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )

    assert ratelimit.KEY_PREFIX in found
