"""Helpers for the deploy tests: real processes (gunicorn, `db_worker`) run
against the test database, which only PostgreSQL can share with them, or
against private servers (PostgreSQL, Redis) that a fault test stops."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
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


#: Our per-person limits of writing (core/ratelimit.py) switched off, for load
#: tests in which a few people write far faster than anyone would.
UNLIMITED_WRITING = {
    f"PONDER_LIMIT_{kind}_PER_{window}": "0"
    for kind in ("ENTRIES", "COMMENTS", "LIKES", "REPORTS", "IMAGES")
    for window in ("MINUTE", "DAY")
}


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


# A private PostgreSQL cluster (the fault tests) ------------------------------

PG_BINARIES = [shutil.which("initdb"), shutil.which("pg_ctl")]


def cluster_owner_prefix() -> list[str] | None:
    """How to run initdb and pg_ctl: as ourselves, or (initdb refuses to run
    as root) as the `postgres` user through runuser; None if neither works."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else None


OWNER = cluster_owner_prefix()

#: Marks for a test that starts a private cluster.
needs_private_postgresql = [
    pytest.mark.skipif(
        None in PG_BINARIES, reason="initdb and pg_ctl (PostgreSQL server) not on PATH"
    ),
    pytest.mark.skipif(
        OWNER is None,
        reason="running as root, and initdb refuses root: needs a `postgres` "
        "user and runuser",
    ),
]


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, trust auth on
    127.0.0.1 only, its socket in that folder too."""

    def __init__(self, port: int):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="ponder-pg-"))
        if OWNER:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/ponder"

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        subprocess.run(
            [*OWNER, "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"),
             "-w", "-t", "30", "-o", options, *args],
            check=True, capture_output=True,
        )  # fmt: skip

    def create(self) -> None:
        subprocess.run(
            [*OWNER, "initdb", "-D", str(self.data), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True, capture_output=True,
        )  # fmt: skip
        self.pg_ctl("start")
        with self.connect("postgres") as admin:
            admin.execute("CREATE DATABASE ponder")

    def connect(self, name: str = "ponder") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=name,
            autocommit=True,
        )  # fmt: skip

    def log(self) -> str:
        path = self.folder / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(free_port())
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.remove()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), *args], cwd=PROJECT, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


# A private Redis -------------------------------------------------------------


class PrivateRedis:
    """redis-server on a free port, keeping nothing on disk: started again,
    it is empty."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, seconds=10, what=f"redis-server on {self.port}")

    def answers(self) -> bool:
        try:
            with redis.Redis(port=self.port, socket_timeout=1) as client:
                return client.ping()
        except redis.ConnectionError:
            return False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def pause(self) -> None:
        """Hung: it takes connections and answers nothing."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def remove(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.stop()


needs_redis_server = pytest.mark.skipif(
    # CI installs it (.ci/run): there a missing server is a failure, not a skip.
    not os.environ.get("CI") and not shutil.which("redis-server"),
    reason="redis-server is not installed",
)
