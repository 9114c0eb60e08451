"""REDIS_URL picks the cache and the session engine; without it, local defaults.

Each case starts a fresh process, as settings are read once at start-up.
"""

import json
import os
import socket
import subprocess
import sys
import uuid

import pytest

from tests.test_deploy import PROJECT

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_is_listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    # CI machines run Redis: there a missing server is a failure, not a skip.
    not os.environ.get("CI") and not redis_is_listening(),
    reason="no Redis on 127.0.0.1:6379",
)


def run_in_django(code: str, **env: str) -> dict:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PONDER_", "REDIS_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT,
        env={**base, "PONDER_TESTING": "true", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


DESCRIBE = """
import json
from django.conf import settings
from django.core.cache import caches
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "backend": type(caches["default"]).__name__,
    "versioned": type(caches["versioned"]).__name__,
    "user_seconds": settings.SIGNED_IN_USER_SECONDS,
}))
"""


def test_without_redis_url_the_cache_is_local_memory() -> None:
    found = run_in_django(DESCRIBE)

    assert found == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "sessions": "django.contrib.sessions.backends.db",
        "backend": "LocMemCache",
        "versioned": "LocMemCache",
        "user_seconds": 0,
    }


def test_with_redis_url_the_cache_is_redis_and_sessions_are_cached_db() -> None:
    found = run_in_django(DESCRIBE, REDIS_URL=REDIS_URL)

    assert found == {
        "cache": "core.cache.FailSoftRedisCache",
        "sessions": "django.contrib.sessions.backends.cached_db",
        "backend": "FailSoftRedisCache",
        "versioned": "LayeredCache",
        "user_seconds": 60,
    }


@needs_redis
def test_the_redis_cache_keeps_one_client_for_its_calls() -> None:
    from core.cache import KeptClientRedisCache

    cache = KeptClientRedisCache(REDIS_URL, {"KEY_PREFIX": uuid.uuid4().hex})
    cache.set("greeting", "hello", 60)

    assert cache.get("greeting") == "hello"
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("greeting")


@needs_redis
def test_what_one_process_caches_another_reads() -> None:
    """Two app servers share the cache, and so allauth's rate limits."""
    key = f"test-cache-settings:{uuid.uuid4().hex}"
    write = (
        "import json; from django.core.cache import cache;"
        f"cache.set({key!r}, 'shared', 60);"
        f"print(json.dumps(cache.get({key!r})))"
    )
    read = (
        "import json; from django.core.cache import cache;"
        f"value = cache.get({key!r}); cache.delete({key!r});"
        "print(json.dumps(value))"
    )

    assert run_in_django(write, REDIS_URL=REDIS_URL) == "shared"
    assert run_in_django(read, REDIS_URL=REDIS_URL) == "shared"
