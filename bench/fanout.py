"""Fan-out at the size of a whole cohort: a Thing opening, a nudge to everyone
and a digest run, each timed with its SQL queries and peak Python memory.

    .venv/bin/python -m bench.fanout --people 500 5000
    .venv/bin/python -m bench.fanout --people 50 500 --database-url \\
        postgres://postgres@127.0.0.1:5432/ponder_fanout_me  # an existing database

Without `--database-url` it builds a throwaway SQLite file in a temporary
folder. Each size gets its own cohort, built with bulk inserts; then the real
actions run in production settings, tasks going to the database queue (each
enqueue is a query, as in production; nothing is sent here):

- Thing opening: `release_now` opens the next Thing to the whole cohort.
  A tenth of the people want that news at once, a tenth daily, the rest weekly.
- Nudge: `send_nudge` from the facilitator to every participant, with both
  placeholders (a message is e-mailed at once by default).
- Digest run: `make_digests` on the next Monday at noon, UTC.

Queries are counted by a wrapper round every execute (CaptureQueriesContext
keeps at most 9,000, too few here); memory is tracemalloc's peak, so the wall
times are those of Python under tracemalloc (slower than without).
"""

import argparse
import datetime
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WEEKS_UNDER_WAY = 16


def configure(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        DJANGO_LOG_LEVEL="WARNING",
        PONDER_TESTING="false",
        PONDER_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def build(size: int):
    """A programme and a cohort of `size` participants and one facilitator,
    Things 1-17 open (recorded, long ago), Thing 18 next."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.utils import timezone

    from accounts.models import Profile
    from facilitation import demo_content
    from notifications.models import Frequency, Kind, Preference
    from programmes import actions
    from programmes.models import Cohort, Membership, Programme, Thing

    prefix = f"fanout-{size}"
    password = make_password("fanout-bench-only")
    names = [f"{prefix}-lead"] + [f"{prefix}-p{i:05d}" for i in range(size)]
    User.objects.bulk_create(
        [
            User(username=n, email=f"{n}@fanout.example", password=password)
            for n in names
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(username__in=names).order_by("pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
        ],
        batch_size=1000,
    )
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=f"Person {u.pk}") for u in users],
        batch_size=1000,
    )
    lead, participants = users[0], users[1:]
    programme = Programme.objects.create(slug=prefix, title=prefix, summary="-")
    Thing.objects.bulk_create(
        [
            Thing(
                programme=programme,
                number=number,
                title=spec["title"],
                slug=spec["slug"],
                introduction=spec["introduction"],
                questions=spec["questions"],
                action=spec["action"],
                estimated_minutes=spec["minutes"],
                status=Thing.Status.PUBLISHED,
            )
            for number, spec in enumerate(demo_content.THINGS, start=1)
        ]
    )
    start = timezone.localdate() - datetime.timedelta(weeks=WEEKS_UNDER_WAY, days=3)
    cohort = Cohort.objects.create(
        programme=programme, name=prefix, slug=prefix, start_date=start
    )
    Membership.objects.bulk_create(
        [Membership(user=lead, cohort=cohort, role=Membership.Role.FACILITATOR)]
        + [Membership(user=u, cohort=cohort) for u in participants],
        batch_size=1000,
    )
    chosen = {0: Frequency.IMMEDIATELY, 1: Frequency.DAILY}  # a tenth each
    Preference.objects.bulk_create(
        [
            Preference(user=u, kind=Kind.THING_OPENED, frequency=frequency)
            for index, u in enumerate(participants)
            if (frequency := chosen.get(index % 10))
        ],
        batch_size=1000,
    )
    # Things 1-17 opened days or weeks ago: recorded now, told to nobody.
    actions.record_openings(cohorts=[cohort])
    return cohort, lead, participants


@contextmanager
def counting():
    """The number of queries run inside, in `counter[0]`."""
    from django.db import connection

    counter = [0]

    def count(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def measure(operation: Callable[[], object]) -> tuple[int, float, float]:
    """(queries, seconds, peak MiB) of running `operation` once."""
    gc.collect()
    with counting() as counter:
        tracemalloc.start()
        started = time.perf_counter()
        operation()
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return counter[0], seconds, peak / 2**20


def next_monday_noon() -> datetime.datetime:
    today = datetime.datetime.now(datetime.UTC).date()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    return datetime.datetime.combine(monday, datetime.time(12), tzinfo=datetime.UTC)


def run_size(size: int) -> list[tuple[str, int, int, float, float]]:
    from facilitation import actions as facilitation_actions
    from notifications import digests
    from programmes import actions

    cohort, lead, participants = build(size)
    thing = cohort.programme.things.get(number=WEEKS_UNDER_WAY + 2)
    rows = []

    def opening():
        actions.release_now(cohort=cohort, thing=thing)

    def nudge():
        facilitation_actions.send_nudge(
            cohort=cohort,
            sender=lead,
            recipients=participants,
            subject="Hello {name}",
            body="Dear {name},\n\nyour next Thing is **{next_thing}**. See you!",
        )

    def digest():
        digests.make_digests(next_monday_noon())

    for label, operation in (
        ("Thing opening", opening),
        ("Nudge to everyone", nudge),
        ("Digest run", digest),
    ):
        queries, seconds, peak = measure(operation)
        rows.append((label, size, queries, seconds, peak))
        print(
            f"  {label:<18} {size:>6} people: {queries:>7} queries "
            f"{seconds:>8.2f} s  peak {peak:>7.1f} MiB",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--people",
        type=int,
        nargs="+",
        default=[500, 5000],
        help="Cohort sizes, each a cohort of its own (default: 500 and 5,000).",
    )
    parser.add_argument("--database-url", help="An existing, empty database.")
    args = parser.parse_args()
    sizes = sorted(set(args.people))
    with tempfile.TemporaryDirectory(prefix="ponder-fanout-") as folder:
        url = args.database_url or f"sqlite:///{folder}/fanout.sqlite3"
        configure(url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"Fan-out on {connection.vendor} ({url})", flush=True)
        rows = [row for size in sizes for row in run_size(size)]
        print("\n| Operation | People | Queries | Seconds | Peak MiB |")
        print("|---|---:|---:|---:|---:|")
        for label, size, queries, seconds, peak in rows:
            print(f"| {label} | {size:,} | {queries:,} | {seconds:.2f} | {peak:.1f} |")


if __name__ == "__main__":
    main()
