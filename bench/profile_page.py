"""Profile one page of the bench data with pyinstrument (docs/PERFORMANCE.md).

    .venv/bin/python -m bench.profile_page /c/bench-big/ [--user bench-p0001]
        [--requests 50] [--cold] [--rotate] [--flat]

Runs in bench/run.py's environment (production settings, the bench database,
Redis) through Django's test client, signed in as --user. Prints the time per
request, the queries of one request with their time, and pyinstrument's tree
(or its flat list). The first request warms the caches; --cold empties the
cache before each request, so every fragment is rendered afresh. --rotate
reads as a different participant each request (bench-p0001, bench-p0002, ...),
as the mixed bench does: what one reader rendered for everyone is shared, and
what is theirs alone is rendered afresh.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.run import bench_env

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ponder_bench_1000"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="bench-p0001")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--rotate", action="store_true")
    parser.add_argument("--flat", action="store_true")
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    os.environ.update(bench_env(args), DJANGO_ALLOWED_HOSTS="testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from core.cache import clear_caches

    handler = Client().handler

    def signed_in(user: User) -> Client:
        client = Client()
        client.handler = handler  # one middleware chain, as in one server process
        client.force_login(user)
        return client

    if args.rotate:
        participants = User.objects.filter(username__startswith="bench-p")
        readers = participants.order_by("username")[: 3 * args.requests + 2]
        clients = iter([signed_in(user) for user in readers])
    else:
        client = signed_in(User.objects.get(username=args.user))
        clients = iter(lambda: client, None)

    def get():
        if args.cold:
            clear_caches()
        response = next(clients).get(args.path)
        if response.status_code != 200:
            sys.exit(f"{args.path} answered {response.status_code}, not 200")

    get()
    started = time.perf_counter()
    for _ in range(args.requests):
        get()
    took = (time.perf_counter() - started) / args.requests
    reader = "a different participant each" if args.rotate else args.user
    print(f"{args.path} as {reader}: {took * 1000:.1f} ms a request")

    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(timed):
        get()
    total = sum(took for took, _sql in queries)
    print(f"{len(queries)} queries, {total * 1000:.2f} ms:")
    for took, sql in queries:
        print(f"  {took * 1000:5.2f} ms  {sql[:110]}")

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        get()
    profiler.stop()
    print(profiler.output_text(color=False, flat=args.flat))


if __name__ == "__main__":
    main()
