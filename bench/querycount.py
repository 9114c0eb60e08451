"""Each page's SQL query count, in the big cohort and a 10-member one (bench/run.py),
rendered afresh: nothing taken from the cache.

Run with the bench environment; prints one JSON line:
{label: {"big": n, "small": n}}.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.cache import clear_caches  # noqa: E402

USERS = {
    "big": {"participant": "bench-p0001", "facilitator": "bench-facilitator"},
    "small": {
        "participant": "bench-small-01-p0001",
        "facilitator": "bench-facilitator-small",
    },
}


def count(path: str, username: str) -> int:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(path)  # the first request warms any per-process caches
    clear_caches()  # count the page rendered afresh (core/freshness.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} as {username}: {response.status_code}")
    return len(queries)


def main() -> None:
    pages = json.loads(sys.argv[1])
    result = {}
    for label, big_path, who, small_path in pages:
        result[label] = {
            "big": count(big_path, USERS["big"][who]),
            "small": count(small_path, USERS["small"][who]),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
