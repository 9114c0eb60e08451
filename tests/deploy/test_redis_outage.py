"""Redis stopped, or hung, under load, then back: no server error, every
accepted write stored, pages served (slower) throughout, caches warm again
afterwards (core.cache.FailSoftRedisCache).

The test starts a private redis-server (a free port, nothing kept on disk, so
once stopped it comes back empty, as after a crash) and, as
tests/deploy/test_db_restart.py does, a private PostgreSQL cluster; gunicorn
runs in production settings with REDIS_URL pointing at that Redis. Signed-in
participants read pages, comment through the comment form and autosave drafts
through the editor's endpoint while Redis is away for DOWN_SECONDS; meanwhile
someone signs in and out through allauth's forms, and someone signed in before
signs out. About 70 s, so the suite runs it on PostgreSQL only (CI's second
run); `make faults` runs it whatever the test database.
"""

import json
import os
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings

from tests.deploy.conftest import (
    BIN,
    UNLIMITED_WRITING,
    PrivateRedis,
    Process,
    free_port,
    manage,
    needs_private_postgresql,
    needs_redis_server,
    production_env,
    wait_until,
)

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
        and not os.environ.get("PONDER_FAULT_TESTS"),
        reason="70 s with Redis stopped under load: runs with "
        "DATABASE_URL=postgres://... or `make faults`",
    ),
    *needs_private_postgresql,
    needs_redis_server,
]

#: Seconds of steady load measured before Redis goes away, while it is
#: away, and after it is back.
BEFORE_SECONDS = 5.0
DOWN_SECONDS = 5.0
AFTER_SECONDS = 5.0
WORKERS = 2
COHORT_PAGE = "/c/bench-big/"
ENTRY_PAGE = "/@bench-p0002/a-hundred-comments/"  # build_bench_data's entry
READ_PAGES = [COHORT_PAGE, ENTRY_PAGE, "/", "/@bench-p0002/"]
READERS = ["bench-p0001", "bench-p0002", "bench-p0003"]
COMMENTERS = ["bench-p0004", "bench-p0005"]
AUTOSAVERS = ["bench-p0006", "bench-p0007"]
SIGNING_IN = "bench-p0008"  # while Redis is away
SIGNING_OUT = "bench-p0009"  # signed in before, out while Redis is away
BENCH_PASSWORD = "ponder-bench-2026"
TOKEN = re.compile(r"outage-[0-9a-f]{16}")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EDITOR_KEY = re.compile(r'name="editor_key" value="([^"]+)"')
BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')


def new_token() -> str:
    return f"outage-{uuid.uuid4().hex[:16]}"


@pytest.fixture(scope="module")
def redis_server():
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def app(cluster, redis_server, tmp_path_factory):
    """gunicorn in production settings on the private cluster and Redis, with
    data (build_bench_data, small) and signed-in sessions by username."""
    env = production_env(
        DATABASE_URL=cluster.url,
        DATABASE_CONN_MAX_AGE="60",  # docs/DEPLOY.md's value
        REDIS_URL=redis_server.url,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        **UNLIMITED_WRITING,
        DJANGO_LOG_LEVEL="WARNING",  # the cache's reports, and any error
    )
    manage(env, "manage.py", "migrate", "--noinput")
    manage(env, "manage.py", "collectstatic", "--noinput")
    manage(
        env, "manage.py", "build_bench_data", "--participants", "9",
        "--entries-per-participant", "1", "--comments", "0", "--small-cohorts", "0",
    )  # fmt: skip
    sessions = json.loads(
        manage(env, "-m", "bench.sessions", *READERS, *COMMENTERS, *AUTOSAVERS)
    )
    port = free_port()
    server = Process(
        "gunicorn",
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env,
        tmp_path_factory.mktemp("gunicorn"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: server.assert_running() or Browser(base).get("/healthz").status,
            seconds=30,
            what="gunicorn",
        )
        yield server, base, sessions
    finally:
        server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int  # 0: no HTTP answer
    text: str = ""
    location: str = ""


class Browser:
    """urllib keeping one site's cookies by name; redirects left to the test."""

    def __init__(self, base: str, **cookies: str):
        self.base = base
        self.cookies = cookies
        self.opener = urllib.request.build_opener(NoRedirect)

    def get(self, path: str) -> Answer:
        return self.open(path)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Answer:
        return self.open(path, urllib.parse.urlencode(data).encode(), headers)

    def open(self, path: str, body: bytes | None = None, headers=None) -> Answer:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        request = urllib.request.Request(
            f"{self.base}{path}", body, {"Cookie": cookie, **(headers or {})}
        )
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        except OSError:
            return Answer(0)
        with response:
            text = response.read().decode(errors="replace")
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return Answer(response.status, text, response.headers.get("Location", ""))

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)


@dataclass
class Outcome:
    at: float  # when the request started, time.monotonic()
    done: float
    kind: str
    status: int
    ok: bool
    token: str = ""


@dataclass
class Load:
    """Readers, commenters and autosavers, each sending one request after
    another, every answer recorded."""

    base: str
    sessions: dict[str, str]
    outcomes: list[Outcome] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def send(
        self, kind: str, expected: int, request: Callable[..., Answer], *args, token=""
    ) -> Answer:
        """`request(*args)`, recorded as `kind`: ok if its status is `expected`."""
        at = time.monotonic()
        answer = request(*args)
        ok = answer.status == expected
        self.outcomes.append(
            Outcome(at, time.monotonic(), kind, answer.status, ok, token)
        )
        return answer

    def browser(self, username: str) -> Browser:
        return Browser(self.base, sessionid=self.sessions[username])

    def read(self, username: str) -> None:
        browser = self.browser(username)
        turn = 0
        while not self.stopping.is_set():
            path = READ_PAGES[turn % len(READ_PAGES)]
            turn += 1
            self.send("read", 200, browser.get, path)
            time.sleep(0.02)

    def comment(self, username: str) -> None:
        browser = self.browser(username)
        page = self.send("read", 200, browser.get, ENTRY_PAGE)
        csrf = CSRF.search(page.text).group(1)
        while not self.stopping.is_set():
            token = new_token()
            data = {"csrfmiddlewaretoken": csrf, "body": f"Noted. {token}"}
            path = f"{ENTRY_PAGE}comments/"
            self.send("comment", 302, browser.post, path, data, token=token)
            time.sleep(0.02)

    def autosave(self, username: str) -> None:
        """The editor's script: the first autosave makes a draft (201), the
        next ones continue it (200); each adds a token to the body."""
        browser = self.browser(username)
        editor = self.send("read", 200, browser.get, "/write/").text
        csrf = CSRF.search(editor).group(1)
        form = {
            "csrfmiddlewaretoken": csrf,
            "editor_key": EDITOR_KEY.search(editor).group(1),
            "base_version": BASE_VERSION.search(editor).group(1),
            "title": f"Written through an outage {uuid.uuid4().hex[:8]}",
            "body": "Notes.",
            "action": "",
            "minutes": "",
            "visibility": "private",
            "tags": "",
        }
        path, expected = "/write/autosave/", 201
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}
        while not self.stopping.is_set():
            token = new_token()
            form["body"] += f"\n\n{token}"
            answer = self.send(
                "autosave", expected, browser.post, path, form, headers, token=token
            )
            if answer.status == expected:
                saved = json.loads(answer.text)
                form["base_version"] = str(saved["version"])
                path, expected = saved["autosave_url"], 200
            time.sleep(0.05)

    def sign_in(self, username: str) -> Browser:
        """Through allauth's form, as a person would."""
        browser = Browser(self.base)
        page = self.send("sign-in", 200, browser.get, "/accounts/login/")
        data = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "login": f"{username}@bench.example",
            "password": BENCH_PASSWORD,
        }
        self.send("sign-in", 302, browser.post, "/accounts/login/", data)
        home = self.send("sign-in", 200, browser.get, "/")
        assert username in home.text, "not signed in after signing in"
        return browser

    def sign_out(self, browser: Browser) -> str:
        """The key of the session signed out."""
        session = browser.cookies["sessionid"]
        home = self.send("sign-out", 200, browser.get, "/")
        data = {"csrfmiddlewaretoken": CSRF.search(home.text).group(1)}
        self.send("sign-out", 302, browser.post, "/accounts/logout/", data)
        assert "sessionid" not in browser.cookies
        return session

    def __enter__(self):
        work = [(self.read, name) for name in READERS]
        work += [(self.comment, name) for name in COMMENTERS]
        work += [(self.autosave, name) for name in AUTOSAVERS]
        self.threads = [
            threading.Thread(target=target, args=(name,), daemon=True)
            for target, name in work
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def successes(self, kind: str, since: float = 0.0) -> int:
        return sum(o.ok for o in self.outcomes if o.kind == kind and o.at >= since)


def percentile_seconds(outcomes: list[Outcome], percent: int) -> float:
    took = sorted(o.done - o.at for o in outcomes)
    if len(took) < 2:
        return took[0] if took else 0.0
    return statistics.quantiles(took, n=100)[percent - 1]


def figures(name: str, outcomes: list[Outcome]) -> str:
    took = sorted(1000 * (o.done - o.at) for o in outcomes)
    if len(took) < 2:
        return f"{name}: {len(took)} requests"
    cuts = statistics.quantiles(took, n=100)
    errors = sum(not o.ok for o in outcomes)
    return (
        f"{name}: {len(outcomes)} requests, {errors} errors, "
        f"p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms"
    )


@pytest.mark.parametrize("how", ["stopped", "hung"])
def test_pages_and_writes_go_on_while_redis_is_away(app, redis_server, cluster, how):
    """Stopped: refused at once, back empty. Hung (SIGSTOP): it takes
    connections and answers nothing, each try costs a timeout, and it comes
    back with what it held, a session signed out meanwhile included."""
    server, base, sessions = app
    go_away, come_back = {
        "stopped": (redis_server.stop, redis_server.start),
        "hung": (redis_server.pause, redis_server.resume),
    }[how]
    log_before = server.log()
    health = Browser(base)
    with Load(base, sessions) as load:
        started = time.monotonic()
        wait_until(
            lambda: (
                min(load.successes(k, started) for k in ("read", "comment", "autosave"))
                >= 5
            ),
            seconds=30,
            what="a steady stream of reads, comments and autosaves",
        )
        measured_from = time.monotonic()
        time.sleep(BEFORE_SECONDS)
        early = load.sign_in(SIGNING_OUT)
        warm_keys = redis_server.client().dbsize()

        stopped_at = time.monotonic()
        go_away()
        health_during = health.get("/healthz")
        strict_during = health.get("/healthz?strict=1")
        load.sign_out(load.sign_in(SIGNING_IN))
        signed_out = load.sign_out(early)
        time.sleep(max(0.0, stopped_at + DOWN_SECONDS - time.monotonic()))
        come_back()
        back_at = time.monotonic()

        time.sleep(AFTER_SECONDS)
        wait_until(
            lambda: health.get("/healthz?strict=1").status == 200,
            seconds=10,
            what="/healthz?strict=1 to say the cache is back",
        )
    server.assert_running()  # the same gunicorn, never restarted
    keys = [key.decode() for key in redis_server.client().keys("*")]

    outcomes = load.outcomes
    before = [o for o in outcomes if measured_from <= o.at < stopped_at]
    during = [o for o in outcomes if stopped_at <= o.at < back_at]
    after = [o for o in outcomes if o.at >= back_at]
    summary = "\n".join(
        [
            f"Redis {how} {back_at - stopped_at:.1f} s; "
            f"{warm_keys} keys before, {len(keys)} after",
            figures("before", before),
            figures("during", during),
            figures("after", after),
            *(
                figures(f"  during, {kind}", [o for o in during if o.kind == kind])
                for kind in ("read", "comment", "autosave", "sign-in", "sign-out")
            ),
        ]
    )
    print(f"\n{summary}")

    server_errors = [o for o in outcomes if o.status >= 500 or o.status == 0]
    assert not server_errors, f"{server_errors[:4]}\n{summary}"
    refused = [o for o in outcomes if not o.ok]
    assert not refused, f"{refused[:4]}\n{summary}"

    # Served throughout: in every stretch of the outage as long as twice the
    # slowest usual answer (p95 before it; at least a second), reads, comments
    # and autosaves were answered. Measured against the same run's own speed,
    # so a busy machine widens the stretches instead of failing the test, while
    # requests stuck until Redis answers again would leave them empty.
    stretch = max(1.0, 2 * percentile_seconds(before, 95))
    stretches = max(1, int(DOWN_SECONDS // stretch))
    length = DOWN_SECONDS / stretches
    for number in range(stretches):
        start = stopped_at + number * length
        answered = {o.kind for o in during if o.ok and start <= o.done < start + length}
        assert {"read", "comment", "autosave"} <= answered, (
            f"{length:.1f} s from {start - stopped_at:.1f} s into the outage, "
            f"answered only {answered}\n{summary}"
        )

    assert health_during.status == 200
    assert json.loads(health_during.text) == {"database": "ok", "cache": "degraded"}
    assert strict_during.status == 503

    # Warm again: sessions, signed-in users and rendered HTML back in Redis.
    for kind in ("sessions.cached_db", "signed-in-user:", "template.cache."):
        assert any(kind in key for key in keys), f"no {kind} key: {keys[:20]}"

    # Signed out while Redis was away is signed out when it is back.
    home = Browser(base, sessionid=signed_out).get("/")
    assert home.status == 200
    assert SIGNING_OUT not in home.text, "a session signed out came back"

    # Reported once by each worker when Redis went away and when it came back.
    log = server.log().removeprefix(log_before)
    assert 1 <= log.count("does not answer") <= WORKERS, log
    assert 1 <= log.count("answers again") <= WORKERS, log
    assert "Traceback" not in log, log

    with cluster.connect() as db:
        comments = " ".join(
            row[0] for row in db.execute("SELECT body FROM journal_comment")
        )
        entries = " ".join(
            row[0] for row in db.execute("SELECT body FROM journal_entry")
        )
    accepted = {
        kind: {o.token for o in outcomes if o.kind == kind and o.ok}
        for kind in ("comment", "autosave")
    }
    assert accepted["comment"] <= set(TOKEN.findall(comments)), "a comment was lost"
    assert accepted["autosave"] <= set(TOKEN.findall(entries)), "an autosave was lost"
    print(
        f"{len(accepted['comment'])} comments and {len(accepted['autosave'])} "
        "autosaves accepted, all stored"
    )
