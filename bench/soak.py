"""`make soak`: 50 signed-in participants read, write and comment for 5 minutes.

    .venv/bin/python -m bench.soak [--seconds 300] [--users 50] [--workers 3]
    SOAK_SECONDS=60 make soak        # a shorter try

1. PostgreSQL `ponder_soak` (SOAK_DATABASE_URL): created if missing, migrated,
   `build_bench_data` at 50 participants (one cohort, `bench-big`, 17 open
   Things, ~150 entries, 400 comments), collectstatic (bench/run.py's helpers).
2. A session for each participant straight in the session store
   (bench/sessions.py: 50 sign-ins through allauth from one address would hit
   its per-IP rate limit), and the highest entry and comment ids so far.
3. gunicorn in production settings (bench/run.py's environment) on a free port.
4. locust headless (bench/locustfile.py): each simulated participant reads the
   cohort page, Things, entries, the dashboard, notifications and search, writes
   entries through the editor (autosave, then the form's Publish, with CSRF)
   and comments through the comment form; each write carries a unique token.
5. Stops gunicorn, then compares what the server accepted with what the
   database holds: every accepted token stored exactly once, nothing else new.
6. Prints a table (requests, failures, p50/p95 per page; entries and comments
   posted and stored) and exits 1 on any failed request or lost/extra write.
"""

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.run import (
    BIN,
    PYTHON,
    ROOT,
    bench_env,
    ensure_database,
    mem_gib,
    run,
    start_gunicorn,
    wait_for,
)
from bench.sessions import setup_django, signed_in

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ponder_soak"
COHORT = "bench-big"  # build_bench_data's big cohort, here of --users members
TOKEN = re.compile(r"soak-[0-9a-f]{16}")


def log(message: str) -> None:
    print(f"[soak] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_data(env: dict, users: int) -> None:
    log("migrate")
    run([PYTHON, "manage.py", "migrate", "--noinput"], env, stdout=subprocess.DEVNULL)
    log(f"build_bench_data --participants {users} --skip-existing")
    run(
        [PYTHON, "manage.py", "build_bench_data", "--participants", str(users),
         "--entries-per-participant", "3", "--comments", "400",
         "--small-cohorts", "0", "--skip-existing"],
        env,
    )  # fmt: skip
    log("collectstatic")
    run(
        [PYTHON, "manage.py", "collectstatic", "--noinput"],
        env,
        stdout=subprocess.DEVNULL,
    )


def in_django(command: str, *args: str, env: dict) -> None:
    """Run this module's `prepare` or `verify` in a process with Django set up."""
    run([PYTHON, "-m", "bench.soak", command, *args], env)


# Both run inside Django (`python -m bench.soak prepare|verify FILE`).


def prepare(plan_path: Path) -> None:
    """The plan for locust: sessions, open Things, readable entries, and the
    highest ids before the run (so the check counts only what the run made)."""
    from journal.models import Comment, Entry
    from programmes.models import Cohort, Membership

    cohort = Cohort.objects.get(slug=COHORT)
    usernames = sorted(
        cohort.memberships.filter(role=Membership.Role.PARTICIPANT).values_list(
            "user__username", flat=True
        )
    )
    sessions = signed_in(usernames)
    open_things = [thing.slug for thing in cohort.open_things()]
    written = set(
        Entry.objects.filter(cohort=cohort).values_list(
            "author__username", "thing__slug"
        )
    )
    readable = (
        Entry.objects.filter(cohort=cohort, hidden_at=None)
        .published()
        .exclude(visibility=Entry.Visibility.PRIVATE)
        .select_related("author")
    )
    plan = {
        "cohort": cohort.slug,
        "cohort_id": cohort.pk,
        "things": open_things,
        "participants": [
            {
                "username": name,
                "session": sessions[name],
                "unwritten": [t for t in open_things if (name, t) not in written],
            }
            for name in usernames
        ],
        "entries": [entry.get_absolute_url() for entry in readable],
        "last_entry_id": Entry.objects.order_by("-pk").values_list("pk", flat=True)[0],
        "last_comment_id": Comment.objects.order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0,
    }
    plan_path.write_text(json.dumps(plan))


def verify(plan_path: Path, record_path: Path, result_path: Path) -> None:
    """What the database holds of the run's writes, against what was accepted."""
    from journal.models import Comment, Entry

    plan = json.loads(plan_path.read_text())
    record = json.loads(record_path.read_text())
    new_entries = Entry.objects.filter(pk__gt=plan["last_entry_id"])
    stored_entries = Counter()
    untokened_entries = 0
    published = set()
    for title, body, status in new_entries.values_list("title", "body", "status"):
        tokens = set(TOKEN.findall(f"{title} {body}"))
        untokened_entries += not tokens
        stored_entries.update(tokens)
        if status == Entry.Status.PUBLISHED:
            published |= tokens
    stored_comments = Counter()
    untokened_comments = 0
    for body in Comment.objects.filter(pk__gt=plan["last_comment_id"]).values_list(
        "body", flat=True
    ):
        tokens = TOKEN.findall(body)
        untokened_comments += not tokens
        stored_comments.update(tokens)
    result_path.write_text(
        json.dumps(
            {
                "entries": compare(record["entries"], stored_entries),
                "entries_untokened": untokened_entries,
                "entries_not_published": sorted(
                    t
                    for t, state in record["entries"].items()
                    if state == "published" and t not in published
                ),
                "comments": compare(record["comments"], stored_comments),
                "comments_untokened": untokened_comments,
            }
        )
    )


def compare(accepted, stored: Counter) -> dict:
    accepted = set(accepted)
    return {
        "accepted": len(accepted),
        "stored": sum(stored.values()),
        "missing": sorted(accepted - set(stored)),
        "extra": sorted(set(stored) - accepted),
        "twice": sorted(t for t, n in stored.items() if n > 1),
    }


def run_locust(host: str, args, plan: Path, record: Path, env: dict) -> int:
    locust_env = dict(env, SOAK_PLAN=str(plan), SOAK_RECORD=str(record))
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--users", str(args.users), "--spawn-rate", "10",
        "--run-time", f"{args.seconds}s", "--stop-timeout", "30",
        "--host", host, "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    log(f"locust: {args.users} users for {args.seconds}s against {host}")
    return subprocess.run(command, env=locust_env, cwd=ROOT).returncode


def report(record: dict, stored: dict, args, load: tuple[float, float]) -> bool:
    """Print the summary; True when the run is clean."""
    print()
    print(
        f"Machine: {os.cpu_count()} CPUs, {mem_gib():.0f} GiB; load average "
        f"before {load[0]:.2f}, after {load[1]:.2f} (1 min). {args.users} users, "
        f"{args.seconds}s, gunicorn --workers {args.workers}, "
        f"DATABASE_CONN_MAX_AGE={args.conn_max_age}, "
        f"REDIS_URL={args.redis_url or '(none)'}"
    )
    print()
    print("| Request | Requests | Failures | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in record["stats"]:
        print(
            f"| {row['name']} | {row['requests']} | {row['failures']} | "
            f"{row['p50']:.0f} | {row['p95']:.0f} | {row['max']:.0f} |"
        )
    print()
    print("| Writes | Accepted | Stored | Missing | Extra | Stored twice |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("entries", "comments"):
        c = stored[kind]
        extra = len(c["extra"]) + stored[f"{kind}_untokened"]
        print(
            f"| {kind.capitalize()} | {c['accepted']} | {c['stored']} | "
            f"{len(c['missing'])} | {extra} | {len(c['twice'])} |"
        )
    problems = [
        f"{e['occurrences']} x {e['method']} {e['name']}: {e['error']}"
        for e in record["errors"]
    ]
    for kind in ("entries", "comments"):
        c = stored[kind]
        for label in ("missing", "extra", "twice"):
            if c[label]:
                problems.append(f"{kind} {label}: {', '.join(c[label][:10])}")
        if stored[f"{kind}_untokened"]:
            problems.append(f"{stored[f'{kind}_untokened']} new {kind} without token")
    if stored["entries_not_published"]:
        problems.append(
            "accepted as published but not: "
            + ", ".join(stored["entries_not_published"][:10])
        )
    if not record["stats"] or not sum(row["requests"] for row in record["stats"]):
        problems.append("no requests were made")
    print()
    for problem in problems:
        print(f"FAIL {problem}")
    print("Soak run clean." if not problems else "Soak run FAILED.")
    return not problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("SOAK_DATABASE_URL", DATABASE_URL)
    )
    parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("SOAK_SECONDS", "300"))
    )
    parser.add_argument("--users", type=int, default=50)
    # The defaults are docs/DEPLOY.md's production set-up, as in bench/run.py.
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="REDIS_URL (the cache and sessions); empty for a cache in each process",
    )
    args = parser.parse_args()
    env = bench_env(args)
    load_before = os.getloadavg()[0]

    ensure_database(args.database_url)
    build_data(env, args.users)
    work = Path(tempfile.mkdtemp(prefix="ponder-soak-"))
    plan, record, stored = work / "plan.json", work / "record.json", work / "db.json"
    in_django("prepare", str(plan), env=env)

    port = free_port()
    log(f"gunicorn config.wsgi on :{port}, --workers {args.workers}")
    server = start_gunicorn("config.wsgi", port, env, args.workers)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        locust_status = run_locust(f"http://127.0.0.1:{port}", args, plan, record, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log("gunicorn stopped")
    if not record.exists():
        sys.exit(f"locust wrote no record (exit status {locust_status})")
    in_django("verify", str(plan), str(record), str(stored), env=env)
    load = (load_before, os.getloadavg()[0])
    clean = report(
        json.loads(record.read_text()), json.loads(stored.read_text()), args, load
    )
    log(f"plan, record and database check kept in {work}")
    sys.exit(0 if clean and locust_status == 0 else 1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"prepare", "verify"}:
        setup_django()
        paths = [Path(p) for p in sys.argv[2:]]
        prepare(*paths) if sys.argv[1] == "prepare" else verify(*paths)
    else:
        started = time.monotonic()
        try:
            main()
        finally:
            log(f"total {time.monotonic() - started:.0f}s")
