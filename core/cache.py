"""Our cache backends: Django's Redis cache, keeping its clients, and a
layered cache for values under versioned keys.

Django's Redis cache builds a new `redis.Redis` for every cache call, and redis-py 8's
constructor copies its table of response callbacks each time: about 140 µs
a call here, more than a `GET` to a local Redis takes. One client per
connection pool does the same work (clients are thread-safe and share their
pool's connections).
"""

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient


class LayeredCache(BaseCache):
    """A cache in this process's memory in front of a shared one (LOCATION
    names its alias), for values whose key never changes meaning: everything
    kept under a content version (core/freshness.py). A change makes a new key
    instead of overwriting an old one, so a copy this process kept is never
    stale, and a hit costs no round trip to Redis.

    The local part is a `LocMemCache` bounded by `MAX_ENTRIES`; a value it
    takes from the shared cache is kept there for the default `TIMEOUT`.
    """

    def __init__(self, location: str, params: dict):
        super().__init__(params)
        self._shared_alias = location
        self._local = LocMemCache(f"layered:{location}", params)

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version=version)
        if value is not _MISSING:
            return value
        value = self._shared.get(key, _MISSING, version=version)
        if value is _MISSING:
            return default
        self._local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._shared.set(key, value, timeout, version=version)
        self._local.set(key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._shared.add(key, value, timeout, version=version)
        if added:
            self._local.set(key, value, timeout, version=version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._local.touch(key, timeout, version=version)
        return self._shared.touch(key, timeout, version=version)

    def delete(self, key, version=None):
        self._local.delete(key, version=version)
        return self._shared.delete(key, version=version)

    def clear(self):
        self._local.clear()
        self._shared.clear()


_MISSING = object()


def clear_caches() -> None:
    """Empty every cache, the copies each LayeredCache keeps in this process
    included: what a page renders next is worked out afresh."""
    for each in caches.all():
        each.clear()
