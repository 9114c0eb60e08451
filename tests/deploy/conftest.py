"""Helpers for the deploy tests: real processes (gunicorn, `db_worker`) run
against the test database, which only PostgreSQL can share with them."""

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

PROJECT = Path(__file__).resolve().parents[2]
BIN = PROJECT / ".venv" / "bin"

needs_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="other processes share the test database only on PostgreSQL: "
    "set DATABASE_URL=postgres://...",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_database_url() -> str:
    """DATABASE_URL of the test database pytest-django created."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a production process on loopback: this process's
    settings variables left out, the test database in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PONDER_", "REDIS_", "EMAIL_", "PYTEST"))
    }
    env.update(
        DATABASE_URL=shared_database_url(),
        PONDER_TESTING="false",
        DJANGO_SECRET_KEY="deploy-test-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(0.1)


class Process:
    """A subprocess whose output goes to a log file, shown when a test fails."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def assert_running(self) -> None:
        assert self.popen.poll() is None, f"{self.name} exited:\n{self.log()}"

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()


@pytest.fixture
def processes(tmp_path) -> Iterator[Callable[..., Process]]:
    """`processes(name, command, env)` starts one; all are stopped afterwards."""
    started: list[Process] = []

    def start(name: str, command: list[str], env: dict) -> Process:
        process = Process(name, command, env, tmp_path)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
