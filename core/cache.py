"""Our cache backends: Django's Redis cache, keeping its clients and failing
soft, and a layered cache for values under versioned keys.

Django's Redis cache builds a new `redis.Redis` for every cache call, and redis-py 8's
constructor copies its table of response callbacks each time: about 140 µs
a call here, more than a `GET` to a local Redis takes. One client per
connection pool does the same work (clients are thread-safe and share their
pool's connections).

Redis holds nothing of record (sessions are written through to the database),
so a Redis that is away must slow Ponder down, never take it down:
`FailSoftRedisCache` answers as if the cache were empty while it is away.
"""

import logging
import re
import threading
from time import monotonic, sleep

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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


#: Past this many keys to forget when Redis is back, it is emptied instead.
MOST_KEYS_TO_FORGET = 10_000


class _Outage:
    """What one process knows of one Redis, shared by the cache objects of
    its threads: whether it is away, and what to put right when it is back.

    A write skipped while Redis was away may leave an older value there (a
    Redis that was only unreachable keeps its data): a signed-out session, or
    the copy of a user whose password changed. Such keys are deleted before
    this process uses Redis again.
    """

    def __init__(self, where: str, retry_seconds: float, log_seconds: float):
        self.where = where
        self.retry_seconds = retry_seconds
        self.log_seconds = log_seconds
        self.since: float | None = None
        self._retry_at = 0.0
        self._logged_at = 0.0
        self._skipped = 0
        self._to_forget: set[str] = set()
        self._forget_everything = False
        self._lock = threading.Lock()

    def skipping(self) -> bool:
        """Away, and not yet time to try again."""
        if self.since is None or monotonic() >= self._retry_at:
            return False
        self._skipped += 1
        return True

    def failed(self, error: Exception) -> None:
        now = monotonic()
        with self._lock:
            first = self.since is None
            if first:
                self.since = now
            self._retry_at = now + self.retry_seconds
            due = first or now - self._logged_at >= self.log_seconds
            if due:
                self._logged_at = now
                skipped, self._skipped = self._skipped, 0
        if first:
            logger.warning(
                "The cache at %s does not answer (%s): reads miss and writes are "
                "skipped, trying again every %g s; until it answers, sign-in rate "
                "limits count in each process on its own.",
                self.where,
                error,
                self.retry_seconds,
            )
        elif due:
            logger.warning(
                "The cache at %s still does not answer after %.0f s (%s); %d calls "
                "skipped since the last report.",
                self.where,
                now - self.since,
                error,
                skipped,
            )

    def forget_later(self, keys: list[str]) -> None:
        with self._lock:
            if not self._forget_everything:
                self._to_forget.update(keys)
        if len(self._to_forget) > MOST_KEYS_TO_FORGET:
            self.forget_everything()

    def forget_everything(self) -> None:
        with self._lock:
            self._forget_everything = True
            self._to_forget.clear()

    def take_what_to_forget(self) -> tuple[list[str], bool]:
        with self._lock:
            keys, everything = list(self._to_forget), self._forget_everything
            self._to_forget.clear()
            self._forget_everything = False
        return keys, everything

    def ended(self, forgot: str) -> None:
        since, self.since = self.since, None
        if since is not None:
            logger.warning(
                "The cache at %s answers again after %.1f s away; %s.",
                self.where,
                monotonic() - since,
                forgot,
            )


_outages: dict[str, _Outage] = {}

#: The stand-in for keys not kept in the process while Redis is away: every
#: read misses, every write is skipped, and `add` says yes (a lock or a
#: "done once" marker nobody else can see lets the caller go on).
_NOWHERE = DummyCache("nowhere", {})


class FailSoftRedisCache(KeptClientRedisCache):
    """The Redis cache, answering as if it were empty while Redis is away.

    A call that fails (connection refused, a timeout: give the client short
    ones) marks Redis away for `RETRY_SECONDS`, during which calls do not try
    it at all, so a hung Redis costs one timeout per interval, not one per
    call. It is reported once, then at most every `LOG_SECONDS`, and again
    when Redis answers. While it is away, keys starting with one of
    `LOCAL_WHILE_AWAY` (allauth's rate limits and one-time codes) are kept in
    this process's memory instead, so rate limits go on counting, per process.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = options.pop("RETRY_SECONDS", 2)
        log_seconds = options.pop("LOG_SECONDS", 60)
        self._local_prefixes = tuple(options.pop("LOCAL_WHILE_AWAY", ()))
        super().__init__(server, {**params, "OPTIONS": options})
        where = re.sub(r"//[^@/]*@", "//", str(server))  # no password in the log
        self._outage = _outages.setdefault(
            str(server), _Outage(where, retry_seconds, log_seconds)
        )
        self._local = LocMemCache(
            f"while-away:{server}", {**params, "OPTIONS": {"MAX_ENTRIES": 10_000}}
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._ask("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._ask("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._ask("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._ask("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        return self._ask("delete", key, version=version)

    def has_key(self, key, version=None):
        return self._ask("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._ask("incr", key, delta, version=version)

    def get_many(self, keys, version=None):
        return self._ask("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._ask("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._ask("delete_many", keys, version=version)

    def clear(self):
        return self._ask("clear")

    def _ask(self, name: str, *args, **kwargs):
        """Redis's answer to the call, or while it is away the stand-in's."""
        outage = self._outage
        if not outage.skipping():
            try:
                forgot = self._put_right() if outage.since is not None else None
                answer = getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                outage.failed(error)
            else:
                if forgot is not None:
                    self._local.clear()
                    outage.ended(forgot)
                return answer
        return self._answer_away(name, *args, **kwargs)

    def _answer_away(self, name: str, *args, **kwargs):
        if name in {"get_many", "set_many", "delete_many"}:
            # One key at a time, each to its stand-in.
            return getattr(BaseCache, name)(self, *args, **kwargs)
        if name == "clear":
            self._outage.forget_everything()
            return self._local.clear()
        key = args[0]
        if name in {"set", "delete"}:
            made = self.make_and_validate_key(key, version=kwargs["version"])
            self._outage.forget_later([made])
        stand_in = self._local if key.startswith(self._local_prefixes) else _NOWHERE
        return getattr(stand_in, name)(*args, **kwargs)

    def _put_right(self) -> str:
        """Forget in Redis what was written while it was away; say what."""
        keys, everything = self._outage.take_what_to_forget()
        try:
            if everything:
                self._cache.clear()
            elif keys:
                self._cache.delete_many(keys)
        except RedisError:
            if everything:
                self._outage.forget_everything()
            self._outage.forget_later(keys)
            raise
        if everything:
            return "emptied it, as too much was written meanwhile"
        return f"forgot the {len(keys)} key(s) written meanwhile"


class LayeredCache(BaseCache):
    """A cache in this process's memory in front of a shared one (LOCATION
    names its alias), for values whose key never changes meaning: everything
    kept under a content version (core/freshness.py). A change makes a new key
    instead of overwriting an old one, so a copy this process kept is never
    stale, and a hit costs no round trip to Redis.

    The local part is a `LocMemCache` bounded by `MAX_ENTRIES`; a value it
    takes from the shared cache is kept there for the default `TIMEOUT`.
    While Redis is away (`FailSoftRedisCache`) it goes on serving what it
    holds and keeping what is worked out meanwhile.

    A miss is worked out once: the first to miss a key works it out (the
    caller sets it), and whoever asks for it meanwhile waits for that value,
    up to `WAIT_SECONDS` (option, 0: no waiting), rather than every process
    rendering the same shared HTML at once when a version moves on.
    """

    def __init__(self, location: str, params: dict):
        super().__init__(params)
        self._shared_alias = location
        self._local = LocMemCache(f"layered:{location}", params)
        self._wait_seconds = params.get("OPTIONS", {}).get("WAIT_SECONDS", 0)

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version=version)
        if value is not _MISSING:
            return value
        value = self._shared.get(key, _MISSING, version=version)
        if value is _MISSING and self._wait_seconds:
            value = self._wait_unless_first(key, version)
        if value is _MISSING:
            return default
        self._local.set(key, value, version=version)
        return value

    def _wait_unless_first(self, key, version):
        """Missing: ours to work out if no one else is, else theirs once set."""
        working = f"working-out:{key}"
        if self._shared.add(working, True, self._wait_seconds, version=version):
            return _MISSING
        deadline = monotonic() + self._wait_seconds
        while monotonic() < deadline:
            sleep(WAIT_POLL_SECONDS)
            value = self._shared.get(key, _MISSING, version=version)
            if value is not _MISSING:
                return value
        return _MISSING

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
#: How often a process waiting for another's value looks for it.
WAIT_POLL_SECONDS = 0.005


def clear_caches() -> None:
    """Empty every cache, the copies each LayeredCache keeps in this process
    included: what a page renders next is worked out afresh."""
    for each in caches.all():
        each.clear()
