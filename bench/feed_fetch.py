"""What reading 1,000 linked blogs costs the feed worker.

    .venv/bin/python -m bench.feed_fetch [--feeds 1000]

Starts the tests' feed server (tests/feed_server.py) in a process of its own
on loopback, then fetches N feeds of ten posts each (about 3 kB) one after
another through core.fetch (the address guard, the size cap, the deadline),
parsing each with core.feeds_in; then fetches them all again with the ETag
and Last-Modified of the first pass, which the server answers with 304. For
each pass it prints feeds per second (wall clock) and this process's CPU
milliseconds per feed, fetching and parsing apart. The server shares the
machine's cores, so wall-clock rates include its share; CPU is ours only.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pass(urls: list[str], validators: dict[str, tuple[str, str]]) -> dict:
    from core.feeds_in import parse_feed
    from core.fetch import Outcome, fetch

    outcomes: dict[str, int] = {}
    fetch_cpu = parse_cpu = 0.0
    wall = time.perf_counter()
    for url in urls:
        etag, last_modified = validators.get(url, ("", ""))
        started = time.process_time()
        result = fetch(url, etag=etag, last_modified=last_modified)
        fetched = time.process_time()
        fetch_cpu += fetched - started
        outcomes[result.outcome.value] = outcomes.get(result.outcome.value, 0) + 1
        if result.outcome is Outcome.OK:
            validators[url] = (result.etag, result.last_modified)
            parse_feed(result.body, result.url)
            parse_cpu += time.process_time() - fetched
    wall = time.perf_counter() - wall
    return {
        "feeds/s": len(urls) / wall,
        "fetch CPU ms/feed": 1000 * fetch_cpu / len(urls),
        "parse CPU ms/feed": 1000 * parse_cpu / len(urls),
        "wall s": wall,
        "outcomes": outcomes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["PONDER_FETCH_ALLOWED_NETWORKS"] = "127.0.0.1/32"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    server = subprocess.Popen(
        [sys.executable, "-m", "tests.feed_server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(server.stdout.readline())
        urls = [
            f"http://127.0.0.1:{port}/bench/{n}.xml" for n in range(arguments.feeds)
        ]
        validators: dict[str, tuple[str, str]] = {}
        print(f"{arguments.feeds} feeds, one at a time, from 127.0.0.1:{port}")
        for name in ("first pass (200, parsed)", "second pass (304)"):
            figures = run_pass(urls, validators)
            print(
                f"{name:26} {figures['feeds/s']:7.0f} feeds/s  "
                f"fetch {figures['fetch CPU ms/feed']:5.2f} ms CPU/feed  "
                f"parse {figures['parse CPU ms/feed']:5.2f} ms CPU/feed  "
                f"({figures['wall s']:.1f} s; {figures['outcomes']})"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
