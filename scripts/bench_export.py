"""Benchmark "Export my journal" on a large journal, in a throwaway SQLite database.

    .venv/bin/python scripts/bench_export.py            # 1,000 entries
    .venv/bin/python scripts/bench_export.py --entries 200 --comments 5

Creates one author with N entries (a quarter of them drafts, each with a
realistic body of about 4,000 characters, tags, and a thread of comments from
three cohort-mates), then downloads the export through the real view with
Django's test client, reading the streamed zip piece by piece. Prints the
seconds to the first byte and to the last, the size of the zip, the number of
SQL queries, and the peak of Python memory allocated during the export
(tracemalloc, in a second run: it slows Python down) beside the process's
peak resident size. Also times the CPD log CSV.

Nothing touches the development database: the data lives in a temporary file
that is removed afterwards.
"""

import argparse
import datetime
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BODY = """## What did I do?

I spent the afternoon with the **feed reader** the Thing suggested, and
subscribed to [a dozen blogs](https://example.org/blogs) from the sector. Some
of them post every day; some have not posted since 2019.

## What did I learn?

- Feeds turn the web into something that comes to you.
- Most of the library blogs I follow still publish one.
- A reader needs pruning, like any garden.

> The point is not to read everything, but to notice what matters.

## What next?

I will share three of the best posts with my team on Monday, and ask them
which they read. `RSS` is older than most of my colleagues' phones.
"""


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ["PONDER_TESTING"] = "true"  # plain HTTP settings, no e-mail sent
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(entries: int, comments: int) -> "User":  # noqa: F821
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db.models import Min
    from django.utils import timezone

    from accounts.models import Profile
    from core.markdown import render_markdown
    from journal.models import Comment, Entry, Tag
    from programmes import actions as programme_actions
    from programmes.models import Membership

    call_command("migrate", verbosity=0)
    people = []
    for name in ["ada", "ben", "cleo", "dev"]:
        user = User.objects.create_user(name, f"{name}@example.org", "x")
        Profile.objects.create(user=user, display_name=name.title())
        people.append(user)
    ada, *mates = people
    programme = programme_actions.create_programme(
        owner=ada, title="23 Things", slug="23-things", summary=""
    )
    cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=ada,
        name="Bench cohort",
        slug="bench",
        time_zone="Europe/London",
        start_date=datetime.date(2024, 1, 1),
    )
    Membership.objects.bulk_create(Membership(user=m, cohort=cohort) for m in mates)
    tags = [
        Tag.objects.create(owner=ada, name=f"tag {n}", slug=f"tag-{n}")
        for n in range(8)
    ]

    # Rendered once and stored, as saving would: the export reads stored HTML.
    body_html = render_markdown(BODY)
    comment_html = render_markdown("I *agree*: see https://example.org/post")
    start = timezone.now() - datetime.timedelta(days=entries)
    rows = []
    for n in range(entries):
        draft = n % 4 == 3
        moment = start + datetime.timedelta(days=n)
        rows.append(
            Entry(
                author=ada,
                cohort=cohort,
                title=f"Reflection {n}: what I learnt",
                slug=f"reflection-{n}",
                body=BODY * 2,
                body_html=body_html * 2,
                action="Share three posts with the team",
                minutes=30 + n % 60,
                visibility=("cohort", "public", "private")[n % 3],
                status="draft" if draft else "published",
                created=moment,
                published_at=None if draft else moment,
            )
        )
    created = Entry.objects.bulk_create(rows, batch_size=500)
    Through = Entry.tags.through
    Through.objects.bulk_create(
        (Through(entry_id=e.pk, tag_id=tags[i % 8].pk) for i, e in enumerate(created)),
        batch_size=1000,
    )
    published = [entry for entry in created if entry.status == "published"]
    tops = (comments + 1) // 2  # the rest are replies to the first comment

    def comment(entry, c: int, **extra) -> Comment:
        return Comment(
            entry=entry,
            author=mates[c % 3],
            body="I *agree*: see https://example.org/post",
            body_html=comment_html,
            created=entry.published_at + datetime.timedelta(hours=c),
            **extra,
        )

    Comment.objects.bulk_create(
        (comment(e, c) for e in published for c in range(tops)), batch_size=1000
    )
    firsts = dict(
        Comment.objects.values("entry_id")
        .annotate(first=Min("pk"))
        .values_list("entry_id", "first")
    )
    Comment.objects.bulk_create(
        (
            comment(e, c, parent_id=firsts[e.pk], in_reply_to_id=firsts[e.pk], depth=2)
            for e in published
            for c in range(tops, comments)
        ),
        batch_size=1000,
    )
    return ada


def download(user, path: str, *, post: bool, keep: bool = True) -> dict:
    from django.db import connection, reset_queries
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    connection.force_debug_cursor = True
    reset_queries()
    started = time.perf_counter()
    response = client.post(path) if post else client.get(path)
    first = None
    size = 0
    buffer = io.BytesIO()
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        if keep:
            buffer.write(chunk)
    total = time.perf_counter() - started
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return {
        "first": first,
        "total": total,
        "size": size,
        "queries": queries,
        "body": buffer,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=3, help="per published entry")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup_django(str(Path(folder) / "bench.sqlite3"))
        from django.urls import reverse

        from journal.models import Comment, Entry

        started = time.perf_counter()
        user = build(args.entries, args.comments)
        print(
            f"built {Entry.objects.count()} entries, "
            f"{Comment.objects.count()} comments "
            f"in {time.perf_counter() - started:.1f} s"
        )

        export = download(user, reverse("journal:export"), post=True)
        archive = zipfile.ZipFile(export["body"])
        assert archive.testzip() is None
        members = len(archive.namelist())
        print(
            f"export: first byte {export['first'] * 1000:.0f} ms, "
            f"complete {export['total']:.2f} s, {export['size'] / 1e6:.1f} MB zip "
            f"({members} files), {export['queries']} queries"
        )
        csv = download(user, reverse("journal:cpd_log_csv"), post=False)
        print(
            f"CPD CSV: complete {csv['total'] * 1000:.0f} ms, "
            f"{csv['size'] / 1e3:.0f} kB, {csv['queries']} queries"
        )

        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        download(user, reverse("journal:export"), post=True, keep=False)
        peak = tracemalloc.get_traced_memory()[1] - baseline
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"export peak Python memory {peak / 1e6:.1f} MB while streaming "
            f"(pieces thrown away as a server would send them); "
            f"process peak RSS {rss:.0f} MB (including building the data)"
        )


if __name__ == "__main__":
    main()
