"""LayeredCache (core/cache.py): a copy in the process in front of the shared
cache, for values under keys that never change meaning."""

import threading
import time

import pytest
from django.core.cache import caches

import core.cache
from core.cache import clear_caches


@pytest.fixture
def layered(settings):
    """`versioned` in front of `default`, both in memory, as with Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-layered-shared",
        },
        "versioned": {
            "BACKEND": "core.cache.LayeredCache",
            "LOCATION": "default",
            "TIMEOUT": 600,
        },
    }
    layered = caches["versioned"]
    yield layered
    layered.clear()


def test_a_value_it_set_is_read_from_the_process(layered):
    layered.set("fragment:1", "<p>Hello</p>")
    caches["default"].clear()

    assert layered.get("fragment:1") == "<p>Hello</p>"


def test_a_value_another_process_shared_is_read_and_kept(layered):
    caches["default"].set("fragment:2", "<p>From elsewhere</p>")

    assert layered.get("fragment:2") == "<p>From elsewhere</p>"
    caches["default"].clear()
    assert layered.get("fragment:2") == "<p>From elsewhere</p>"


def test_a_missing_value_is_computed_once_and_shared(layered):
    calls = []

    def compute():
        calls.append(1)
        return 42

    assert layered.get_or_set("count:3", compute, 600) == 42
    assert layered.get_or_set("count:3", compute, 600) == 42
    assert calls == [1]
    assert caches["default"].get("count:3") == 42


def test_get_gives_the_default_when_neither_has_it(layered):
    assert layered.get("nothing", "fallback") == "fallback"
    assert layered.get("nothing") is None


def test_add_keeps_what_the_shared_cache_holds(layered):
    caches["default"].set("count:4", "first")

    assert layered.add("count:4", "second") is False
    assert layered.get("count:4") == "first"


def test_delete_and_clear_reach_both(layered):
    layered.set("a", 1)
    layered.set("b", 2)

    layered.delete("a")
    assert layered.get("a") is None
    assert caches["default"].get("a") is None

    layered.clear()
    assert layered.get("b") is None
    assert caches["default"].get("b") is None


def test_clear_caches_empties_the_copies_kept_in_the_process(layered):
    layered.set("fragment:5", "<p>Kept</p>")
    caches["default"].delete("fragment:5")

    clear_caches()

    assert layered.get("fragment:5") is None


@pytest.fixture
def waiting(settings):
    """`layered`, with a miss someone is working out waited for."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-layered-waiting",
        },
        "versioned": {
            "BACKEND": "core.cache.LayeredCache",
            "LOCATION": "default",
            "TIMEOUT": 600,
            "OPTIONS": {"WAIT_SECONDS": 1},
        },
    }
    yield caches["versioned"]
    clear_caches()


def test_a_miss_someone_else_is_working_out_waits_for_their_value(waiting):
    assert waiting.get("fragment:busy") is None  # ours to work out
    answers = []
    other = threading.Thread(
        target=lambda: answers.append(caches["versioned"].get("fragment:busy"))
    )
    other.start()
    time.sleep(0.05)
    waiting.set("fragment:busy", "<p>Worked out once</p>")
    other.join()

    assert answers == ["<p>Worked out once</p>"]


@pytest.fixture
def naps(monkeypatch) -> list[float]:
    """The waits of a LayeredCache, each moving its clock on by that much."""
    taken = []
    clock = [0.0]
    monkeypatch.setattr(core.cache, "monotonic", lambda: clock[0])

    def nap(seconds: float) -> None:
        taken.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(core.cache, "sleep", nap)
    return taken


def test_a_miss_nobody_sets_is_worked_out_again_after_the_wait(waiting, naps):
    assert waiting.get("fragment:dropped") is None

    assert waiting.get("fragment:dropped", "default") == "default"
    assert sum(naps) == pytest.approx(1, abs=0.01)


def test_the_first_to_miss_does_not_wait(waiting, naps):
    assert waiting.get("fragment:new") is None
    assert naps == []
