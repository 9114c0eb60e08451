"""FailSoftRedisCache (core/cache.py): a Redis that is away is an empty cache,
reported once per interval, asked again after a short back-off, and put right
when it is back."""

import logging
from collections.abc import Iterator
from unittest import mock

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

import core.cache
from core.cache import FailSoftRedisCache, LayeredCache
from tests.deploy.conftest import PrivateRedis, free_port, needs_redis_server

RETRY_SECONDS = 2
LOG_SECONDS = 60


def fail_soft_cache(url: str, **options) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        url,
        {
            "KEY_PREFIX": "test",
            "OPTIONS": {
                "socket_connect_timeout": 0.1,
                "socket_timeout": 0.1,
                "RETRY_SECONDS": RETRY_SECONDS,
                "LOG_SECONDS": LOG_SECONDS,
                "LOCAL_WHILE_AWAY": ["allauth"],
                **options,
            },
        },
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The cache's idea of time (for back-off and reports), moved by hand."""
    clock = Clock()
    monkeypatch.setattr(core.cache, "monotonic", clock)
    return clock


@pytest.fixture
def closed_port_cache(clock) -> FailSoftRedisCache:
    """Pointed at a port nothing listens on."""
    return fail_soft_cache(f"redis://127.0.0.1:{free_port()}/0")


def warnings_from_the_cache(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "core.cache" and record.levelno == logging.WARNING
    ]


# A closed port ---------------------------------------------------------------


def test_reads_miss(closed_port_cache):
    cache = closed_port_cache

    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key", "other"]) == {}
    assert cache.has_key("key") is False
    assert "key" not in cache
    assert cache.get_or_set("key", lambda: "worked out") == "worked out"


def test_writes_are_skipped_without_an_error(closed_port_cache):
    cache = closed_port_cache

    cache.set("key", "value")
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.delete("key") is False
    cache.delete_many(["a", "b"])
    assert cache.touch("key") is False
    cache.clear()

    assert cache.get("key") is None


def test_add_lets_the_caller_go_on(closed_port_cache):
    """A lock or a "done once" marker nobody else could see: go on."""
    assert closed_port_cache.add("lock", True) is True


def test_incr_finds_no_key(closed_port_cache):
    with pytest.raises(ValueError):
        closed_port_cache.incr("counter")


def test_allauths_keys_are_kept_in_the_process_while_away(closed_port_cache):
    cache = closed_port_cache
    key = "allauth:rl:allauth.account:login_failed:5/300s/key:abc"

    assert cache.add(f"{key}:lock", True) is True
    assert cache.add(f"{key}:lock", True) is False
    cache.delete(f"{key}:lock")
    cache.set(key, [1.0, 2.0], 300)

    assert cache.get(key) == [1.0, 2.0]
    assert cache.get_many([key, "other"]) == {key: [1.0, 2.0]}
    assert cache.add(f"{key}:lock", True) is True
    cache.set("allauth:count", 1)
    assert cache.incr("allauth:count") == 2


def test_it_is_reported_once_per_interval(closed_port_cache, clock, caplog):
    cache = closed_port_cache

    for _ in range(20):
        cache.get("key")
        cache.set("key", "value")
    assert len(warnings_from_the_cache(caplog)) == 1
    assert "does not answer" in warnings_from_the_cache(caplog)[0]

    for _ in range(10):
        clock.advance(RETRY_SECONDS)
        cache.get("key")
    assert len(warnings_from_the_cache(caplog)) == 1

    clock.advance(LOG_SECONDS)
    cache.get("key")
    assert len(warnings_from_the_cache(caplog)) == 2
    assert "still does not answer" in warnings_from_the_cache(caplog)[1]


def test_the_report_names_no_password(clock, caplog):
    port = free_port()
    cache = fail_soft_cache(f"redis://:s3cret@127.0.0.1:{port}/0")

    cache.get("key")

    [warning] = warnings_from_the_cache(caplog)
    assert "s3cret" not in warning
    assert f"redis://127.0.0.1:{port}/0" in warning


def test_it_is_not_asked_again_until_the_back_off_is_over(closed_port_cache, clock):
    cache = closed_port_cache
    with mock.patch.object(
        RedisCache, "get", side_effect=redis.ConnectionError("refused")
    ) as redis_get:
        for _ in range(50):
            cache.get("key")
        assert redis_get.call_count == 1

        clock.advance(RETRY_SECONDS)
        cache.get("key")
        cache.get("key")
        assert redis_get.call_count == 2


def test_other_errors_are_not_hidden(closed_port_cache):
    with (
        mock.patch.object(RedisCache, "get", side_effect=TypeError("a bug")),
        pytest.raises(TypeError),
    ):
        closed_port_cache.get("key")


def test_the_layered_cache_keeps_what_it_works_out_while_away(settings, redis_away):
    from django.core.cache import caches

    layered = caches["versioned"]
    assert isinstance(layered, LayeredCache)
    calls = []

    def work_out() -> str:
        calls.append(1)
        return "<p>Page</p>"

    assert layered.get_or_set("fragment:1", work_out, 600) == "<p>Page</p>"
    assert layered.get_or_set("fragment:1", work_out, 600) == "<p>Page</p>"
    assert calls == [1]


# A private Redis, stopped and started ----------------------------------------


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.remove()


@needs_redis_server
def test_a_stopped_redis_is_a_miss_and_recovers_empty(private_redis, clock, caplog):
    cache = fail_soft_cache(private_redis.url)
    cache.set("key", "before")
    assert cache.get("key") == "before"

    private_redis.stop()
    assert cache.get("key") is None
    cache.set("key", "while away")
    assert cache.get("key") is None

    private_redis.start()
    clock.advance(RETRY_SECONDS)
    assert cache.get("key") is None  # started empty
    cache.set("key", "after")
    assert cache.get("key") == "after"
    assert "answers again" in warnings_from_the_cache(caplog)[-1]


@needs_redis_server
def test_a_hung_redis_costs_one_timeout_per_back_off(private_redis, clock):
    cache = fail_soft_cache(private_redis.url)
    cache.set("key", "before")
    private_redis.pause()

    real_get = RedisCache.get
    with mock.patch.object(
        RedisCache, "get", autospec=True, side_effect=real_get
    ) as redis_get:
        for _ in range(20):
            assert cache.get("key") is None
    assert redis_get.call_count == 1


@needs_redis_server
def test_what_changed_while_away_is_forgotten_when_back(private_redis, clock):
    """A Redis that was unreachable but kept its data must not serve a session
    deleted (signed out) or changed meanwhile."""
    cache = fail_soft_cache(private_redis.url)
    cache.set("session:signed-out", {"user": 1})
    cache.set("session:changed", {"join": "token"})
    cache.set("untouched", "kept")
    private_redis.pause()

    cache.delete("session:signed-out")
    cache.set("session:changed", {})
    private_redis.resume()
    clock.advance(RETRY_SECONDS)

    assert cache.get("session:signed-out") is None
    assert cache.get("session:changed") is None
    assert cache.get("untouched") == "kept"


@needs_redis_server
def test_a_clear_while_away_empties_redis_when_back(private_redis, clock):
    cache = fail_soft_cache(private_redis.url)
    cache.set("key", "value")
    private_redis.pause()

    cache.clear()
    private_redis.resume()
    clock.advance(RETRY_SECONDS)

    assert cache.get("key") is None


@needs_redis_server
def test_too_much_to_forget_empties_redis_when_back(private_redis, clock, monkeypatch):
    monkeypatch.setattr(core.cache, "MOST_KEYS_TO_FORGET", 2)
    cache = fail_soft_cache(private_redis.url)
    cache.set("key", "value")
    private_redis.pause()

    cache.set_many({"a": 1, "b": 2, "c": 3})
    private_redis.resume()
    clock.advance(RETRY_SECONDS)

    assert cache.get("key") is None


@needs_redis_server
def test_rate_limit_counts_kept_while_away_are_dropped_when_back(private_redis, clock):
    cache = fail_soft_cache(private_redis.url)
    private_redis.stop()
    cache.set("allauth:rl:key", [1.0])
    assert cache.get("allauth:rl:key") == [1.0]

    private_redis.start()
    clock.advance(RETRY_SECONDS)

    assert cache.get("allauth:rl:key") is None
