"""A small cohort writing at once: four gunicorn workers, twenty members each
starting two entries by autosave, autosaving them, commenting and liking, all
at the same moment, through the real endpoints. Every write is accepted and
stored, on the embedded SQLite default (a file this test migrates and fills)
and on PostgreSQL (the test database)."""

import json
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie

import pytest

from tests.deploy.conftest import (
    BIN,
    PROJECT,
    Process,
    free_port,
    needs_postgresql,
    production_env,
    shared_database_url,
    wait_until,
)

WRITERS = 20
WORKERS = 4
NEW_ON_THING = "blogging"


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), *args], cwd=PROJECT, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def server_env(database_url: str) -> dict:
    return production_env(
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_LOG_LEVEL="WARNING",
    )


@pytest.fixture(scope="module")
def static_files() -> None:
    """The manifest whitenoise serves in production (STATIC_ROOT)."""
    manage(server_env("sqlite:///:memory:"), "manage.py", "collectstatic", "--noinput")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[needs_postgresql, pytest.mark.django_db(transaction=True)],
        ),
    ]
)
def database_url(request, tmp_path) -> str:
    """A SQLite file migrated here (pytest-django's SQLite database is in
    memory, no other process can open it), or the PostgreSQL test database."""
    if request.param == "postgresql":
        return shared_database_url()
    url = f"sqlite:///{tmp_path / 'ponder.sqlite3'}"
    manage(server_env(url), "manage.py", "migrate", "--noinput")
    return url


@pytest.fixture
def cohort_at_work(database_url, static_files, processes) -> tuple[str, dict, Process]:
    """gunicorn with four workers on the database, and the cohort's members."""
    env = server_env(database_url)
    members = json.loads(
        manage(env, "-m", "tests.deploy.writers_cohort", "build", str(WRITERS))
    )
    port = free_port()
    server = processes(
        "gunicorn",
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"],
        env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_until(
        lambda: server.assert_running() or answers(f"{base}/healthz"),
        seconds=30,
        what="gunicorn",
    )
    return base, members, server


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == HTTPStatus.OK
    except OSError:
        return False


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None


@dataclass
class Writer:
    """One member: opens a cohort-mate's entry, then, once all are ready,
    sends their writes one after another, noting each answer."""

    base: str
    username: str
    session: str
    other_entry: str
    cohort: str
    answers: list[tuple[str, int]] = field(default_factory=list)
    expected: dict = field(default_factory=dict)
    csrf: str = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=body)
        cookies = f"sessionid={self.session}"
        if self.csrf:
            cookies += f"; csrftoken={self.csrf}"
            request.add_header("X-CSRFToken", self.csrf)
        request.add_header("Cookie", cookies)
        opener = urllib.request.build_opener(NoRedirects)
        try:
            with opener.open(request, timeout=30) as response:
                self._keep_csrf(response.headers)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            return 0, b""

    def _keep_csrf(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            if "csrftoken" in cookie:
                self.csrf = cookie["csrftoken"].value

    def post(self, kind: str, path: str, data: dict, expected: int) -> bytes:
        status, body = self.request(path, data)
        self.answers.append((kind, status if status != expected else "ok"))
        return body if status == expected else b""

    def open_page(self) -> None:
        status, _ = self.request(self.other_entry)
        assert status == HTTPStatus.OK and self.csrf, (self.username, status)

    def write(self) -> None:
        me = self.username
        on_thing = f"/write/{self.cohort}/{NEW_ON_THING}/autosave/"
        started = self.post(
            "first autosave on a Thing",
            on_thing,
            {"title": "Blogging", "body": f"{me} 1", "editor_key": uuid.uuid4().hex,
             "visibility": "cohort"},
            HTTPStatus.CREATED,
        )  # fmt: skip
        if started:
            self.autosave_twice(json.loads(started), f"{me} on the Thing")
        self.post(
            "first autosave of a free reflection",
            "/write/autosave/",
            {"title": "Free", "body": f"{me} free", "editor_key": uuid.uuid4().hex,
             "visibility": "private"},
            HTTPStatus.CREATED,
        )  # fmt: skip
        comment = f"{me} read this at once."
        self.post("comment", f"{self.other_entry}comments/", {"body": comment}, 302)
        self.post("like", f"{self.other_entry}like/", {}, 302)
        self.expected = {
            "entries": {NEW_ON_THING: [f"{me} on the Thing 3"], "": [f"{me} free"]},
            "comments": [comment],
            "likes": [self.other_entry],
        }

    def autosave_twice(self, first: dict, body: str) -> None:
        version = first["version"]
        for n in (2, 3):
            saved = self.post(
                "autosave",
                first["autosave_url"],
                {"body": f"{body} {n}", "base_version": version},
                HTTPStatus.OK,
            )
            if not saved:
                return
            version = json.loads(saved)["version"]


def test_a_cohort_writing_at_once_gets_no_errors_and_keeps_every_write(
    cohort_at_work, database_url
):
    base, cohort, server = cohort_at_work
    names = sorted(cohort["members"])
    members = cohort["members"]
    writers = [
        Writer(
            base=base,
            username=name,
            session=members[name]["session"],
            other_entry=members[names[(n + 1) % len(names)]]["entry"],
            cohort=cohort["cohort"],
        )
        for n, name in enumerate(names)
    ]
    for writer in writers:
        writer.open_page()
    start = threading.Barrier(len(writers))

    def run(writer: Writer) -> None:
        start.wait()
        writer.write()

    threads = [threading.Thread(target=run, args=(w,)) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    answers = Counter(answer for writer in writers for answer in writer.answers)
    errors = {answer: count for answer, count in answers.items() if answer[1] != "ok"}
    assert not errors, f"{errors} of {answers.total()} writes\n{server.log()[-3000:]}"
    assert answers.total() == WRITERS * 6
    stored = json.loads(
        manage(server_env(database_url), "-m", "tests.deploy.writers_cohort", "stored")
    )
    assert stored == {writer.username: writer.expected for writer in writers}
