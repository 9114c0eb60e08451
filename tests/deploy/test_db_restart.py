"""PostgreSQL restarted under load: the app answers errors while the database
is down, recovers by itself once it is back (gunicorn is not restarted), and
keeps every comment it accepted.

The test starts a private PostgreSQL cluster of its own (`initdb` + `pg_ctl` in
a temporary folder, on a free port; never the machine's shared server), so it
can stop and start it. About 30 s, so the suite runs it on PostgreSQL only (CI's
second run); `make faults` runs it alone, whatever the test database.
"""

import http.cookiejar
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from tests.deploy.conftest import (
    BIN,
    UNLIMITED_WRITING,
    Process,
    free_port,
    manage,
    needs_private_postgresql,
    production_env,
    wait_until,
)

#: How long the database stays down mid-run.
DOWN_SECONDS = 2.0
#: How soon after PostgreSQL is back requests must succeed again.
RECOVERY_SECONDS = 5.0
COHORT_PAGE = "/c/bench-big/"
ENTRY_PAGE = "/@bench-p0002/a-hundred-comments/"  # build_bench_data's entry
TOKEN = re.compile(r"fault-[0-9a-f]{16}")


pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
        and not os.environ.get("PONDER_FAULT_TESTS"),
        reason="30 s of PostgreSQL restarts: runs with DATABASE_URL=postgres://... "
        "or `make faults`",
    ),
    *needs_private_postgresql,
]


@pytest.fixture(scope="module")
def app(cluster, tmp_path_factory):
    """gunicorn in production settings on the private cluster, with data
    (build_bench_data, small) and a signed-in participant's session key."""
    env = production_env(
        DATABASE_URL=cluster.url,
        DATABASE_CONN_MAX_AGE="60",  # docs/DEPLOY.md's value: connections reused
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        **UNLIMITED_WRITING,
        DJANGO_LOG_LEVEL="CRITICAL",  # the 500s while it is down are expected
    )
    manage(env, "manage.py", "migrate", "--noinput")
    manage(env, "manage.py", "collectstatic", "--noinput")
    manage(
        env, "manage.py", "build_bench_data", "--participants", "2",
        "--entries-per-participant", "1", "--comments", "0", "--small-cohorts", "0",
    )  # fmt: skip
    session = re.search(
        r'"bench-p0001": "(\w+)"', manage(env, "-m", "bench.sessions", "bench-p0001")
    ).group(1)
    port = free_port()
    server = Process(
        "gunicorn",
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        env,
        tmp_path_factory.mktemp("gunicorn"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: server.assert_running() or fetch(base, "/healthz").ok,
            seconds=30,
            what="gunicorn",
        )
        yield server, base, session
    finally:
        server.stop()


@dataclass
class Outcome:
    at: float  # when the request started, time.monotonic()
    done: float
    kind: str
    status: int  # 0: no HTTP answer
    ok: bool
    token: str = ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    ok: bool
    text: str


def fetch(base: str, path: str, opener=None, data: dict | None = None) -> Answer:
    """One request; ok means 200, or for a POST (a form) its 302."""
    opener = opener or urllib.request.build_opener(NoRedirect)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(f"{base}{path}", data=body, timeout=10) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, ""
    except OSError:
        status, text = 0, ""
    expected = 302 if data is not None else 200
    return Answer(status, status == expected, text)


@dataclass
class Load:
    """A reader and a commenter, each sending one request after another."""

    base: str
    session: str
    outcomes: list[Outcome] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def opener(self, **cookies: str):
        opener = urllib.request.build_opener(NoRedirect)
        cookies["sessionid"] = self.session
        header = "; ".join(f"{name}={value}" for name, value in cookies.items())
        opener.addheaders = [("Cookie", header)]
        return opener

    def read(self) -> None:
        opener = self.opener()
        while not self.stopping.is_set():
            at = time.monotonic()
            answer = fetch(self.base, COHORT_PAGE, opener)
            self.outcomes.append(
                Outcome(at, time.monotonic(), "read", answer.status, answer.ok)
            )
            time.sleep(0.02)

    def comment(self) -> None:
        jar = http.cookiejar.CookieJar()
        page_opener = self.opener()
        page_opener.add_handler(urllib.request.HTTPCookieProcessor(jar))
        at = time.monotonic()
        page = fetch(self.base, ENTRY_PAGE, page_opener)
        self.outcomes.append(
            Outcome(at, time.monotonic(), "entry", page.status, page.ok)
        )
        if not page.ok:
            return
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        opener = self.opener(
            csrftoken=next(c.value for c in jar if c.name == "csrftoken")
        )
        while not self.stopping.is_set():
            token = f"fault-{uuid.uuid4().hex[:16]}"
            data = {"csrfmiddlewaretoken": csrf.group(1), "body": f"Noted. {token}"}
            at = time.monotonic()
            answer = fetch(self.base, f"{ENTRY_PAGE}comments/", opener, data)
            self.outcomes.append(
                Outcome(
                    at, time.monotonic(), "comment", answer.status, answer.ok, token
                )
            )
            time.sleep(0.02)

    def __enter__(self):
        self.threads = [
            threading.Thread(target=self.read, daemon=True),
            threading.Thread(target=self.comment, daemon=True),
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=15)


def successes_since(load: Load, since: float, kind: str) -> int:
    return sum(o.ok for o in load.outcomes if o.at >= since and o.kind == kind)


def test_app_recovers_from_a_database_restart_without_losing_writes(cluster, app):
    server, base, session = app
    with Load(base, session) as load:
        started = time.monotonic()
        wait_until(
            lambda: (
                min(successes_since(load, started, k) for k in ("read", "comment")) >= 5
            ),
            seconds=20,
            what="a steady stream of reads and comments",
        )
        stopped_at = time.monotonic()
        cluster.pg_ctl("stop", "-m", "fast")
        time.sleep(DOWN_SECONDS)
        cluster.pg_ctl("start")
        back_at = time.monotonic()
        wait_until(
            lambda: (
                min(successes_since(load, back_at, k) for k in ("read", "comment")) >= 5
            ),
            seconds=RECOVERY_SECONDS + 10,
            what="reads and comments to succeed again",
        )
    server.assert_running()  # the same gunicorn, never restarted

    outcomes = load.outcomes
    before = [o for o in outcomes if o.done < stopped_at]
    assert before, "no requests before the restart"
    assert all(o.ok for o in before), [o for o in before if not o.ok][:4]
    failed = [o for o in outcomes if not o.ok]
    assert failed, "no request failed while the database was down"
    recovered_at = min(o.at for o in outcomes if o.at >= back_at and o.ok)
    failing_for = max(o.done for o in failed) - min(o.at for o in failed)
    summary = (
        f"{len(failed)} of {len(outcomes)} requests failed "
        f"(statuses {sorted({o.status for o in failed})}) within "
        f"{failing_for:.2f} s; database down "
        f"{back_at - stopped_at:.2f} s; first success {recovered_at - back_at:.2f} s "
        "after it was back"
    )
    print(f"\n{summary}")
    assert recovered_at - back_at < RECOVERY_SECONDS, summary
    assert all(o.ok for o in outcomes if o.at > recovered_at), (
        f"failures after recovery: {summary}"
    )

    with cluster.connect() as db:
        bodies = [row[0] for row in db.execute("SELECT body FROM journal_comment")]
    stored = [t for body in bodies for t in TOKEN.findall(body)]
    accepted = {o.token for o in outcomes if o.kind == "comment" and o.ok}
    assert accepted <= set(stored), f"lost: {accepted - set(stored)}"
    assert len(stored) == len(set(stored)), "a comment was stored twice"
    refused_but_stored = set(stored) - accepted
    print(
        f"{len(accepted)} comments accepted, all stored; "
        f"{len(refused_but_stored)} answered with an error were stored anyway"
    )


def test_connections_broken_by_a_restart_are_replaced_before_use(cluster, app):
    """CONN_HEALTH_CHECKS: after a restart while the app is idle, each gunicorn
    worker still holds a connection to the old server; the first request must
    not fail on it."""
    _server, base, session = app
    with Load(base, session) as load:
        wait_until(lambda: len(load.outcomes) >= 20, seconds=20, what="warm workers")
    cluster.pg_ctl("restart", "-m", "fast")
    with Load(base, session) as load:
        wait_until(lambda: len(load.outcomes) >= 20, seconds=20, what="requests")
    failed = [o for o in load.outcomes if not o.ok]
    assert not failed, f"{len(failed)} failed after a quiet restart: {failed[:4]}"
