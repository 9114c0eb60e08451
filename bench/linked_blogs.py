"""What the `read_linked_blogs` worker costs for 1,000 linked blogs.

    .venv/bin/python -m bench.linked_blogs [--blogs 1000] [--threads 8]

Builds a throwaway database (SQLite in a temporary folder, or the database
DATABASE_URL names, which it must be allowed to fill: use a scratch one) with
one cohort of N participants, each with a linked blog on the tests' feed
server (tests/feed_server.py, in a process of its own on loopback): ten posts,
"Thing 1" to "Thing 10", each copied as an entry and matched to its Thing.
Then runs `journal.blogs.read_due_blogs` as the worker does: the first run
copies every post (ten entries a blog), the second finds every feed unchanged
(304). Prints, for each run, blogs per second, this process's CPU
milliseconds and SQL queries per blog, and the entries made.
"""

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(blogs: int, port: int) -> None:
    from django.contrib.auth.models import User

    from journal.models import LinkedBlog
    from programmes import actions
    from programmes.models import Membership, Thing

    owner = User.objects.create_user("bench-owner")
    programme = actions.create_programme(
        owner=owner, title="Bench", slug="bench", summary="Bench."
    )
    for number in range(1, 11):
        actions.add_thing(
            programme=programme,
            title=f"Thing {number}",
            slug=f"thing-{number}",
            introduction="Read.",
            questions=[],
            action="",
            estimated_minutes=10,
            status=Thing.Status.PUBLISHED,
        )
    cohort = actions.create_cohort(
        programme=programme,
        facilitator=owner,
        name="Bench",
        slug="bench",
        time_zone="UTC",
        start_date=datetime.date(2011, 1, 1),
    )
    users = User.objects.bulk_create(
        [User(username=f"blogger{n}") for n in range(blogs)]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, cohort=cohort) for user in users]
    )
    LinkedBlog.objects.bulk_create(
        [
            LinkedBlog(
                owner=user,
                cohort=cohort,
                address=f"http://127.0.0.1:{port}/bench/{n}.xml",
                feed_url=f"http://127.0.0.1:{port}/bench/{n}.xml",
            )
            for n, user in enumerate(users)
        ]
    )


def run(blogs: int, threads: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from journal import blogs as linked
    from journal.models import Entry, LinkedBlog

    LinkedBlog.objects.update(next_read_at=timezone.now())
    entries_before = Entry.objects.count()
    cpu, wall = time.process_time(), time.perf_counter()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        read = linked.read_due_blogs(limit=blogs, threads=threads)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    outcomes = Counter(LinkedBlog.objects.values_list("last_outcome", flat=True))
    return {
        "read": read,
        "blogs/s": read / wall,
        "wall": wall,
        "cpu ms/blog": 1000 * cpu / read,
        "queries/blog": len(queries) / read,
        "entries made": Entry.objects.count() - entries_before,
        "outcomes": dict(outcomes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blogs", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["PONDER_FETCH_ALLOWED_NETWORKS"] = "127.0.0.1/32"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    server = subprocess.Popen(
        [sys.executable, "-m", "tests.feed_server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(server.stdout.readline())
        build(arguments.blogs, port)
        print(
            f"{arguments.blogs} linked blogs of 10 posts, {arguments.threads} "
            f"fetching at once, feeds from 127.0.0.1:{port}"
        )
        for name in ("first run (copies every post)", "second run (all 304)"):
            figures = run(arguments.blogs, arguments.threads)
            print(
                f"{name:31} {figures['blogs/s']:6.0f} blogs/s  "
                f"{figures['cpu ms/blog']:6.1f} ms CPU/blog  "
                f"{figures['queries/blog']:5.1f} queries/blog  "
                f"({figures['wall']:.1f} s; {figures['entries made']} entries "
                f"made; {figures['outcomes']})"
            )
    finally:
        server.terminate()
        server.wait()
        scratch.cleanup()


if __name__ == "__main__":
    main()
