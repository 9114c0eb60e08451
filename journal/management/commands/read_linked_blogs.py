"""Read the linked blogs whose time has come: run it from cron (every few
minutes) or as a worker with `--loop 60`, beside the `db_worker`s."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from journal import blogs


class Command(BaseCommand):
    help = (
        "Read each participant's linked blog whose next read is due, copying "
        "new and edited posts into its cohort."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Run forever, waiting this long between runs (for a worker).",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help="Read at most this many blogs in one run (default 1000).",
        )

    def handle(self, *args, loop: int | None = None, limit: int = 1000, **options):
        if loop is not None and loop < 1:
            raise CommandError("--loop takes a number of seconds of at least 1.")
        if limit < 1:
            raise CommandError("--limit takes a number of at least 1.")
        while True:
            read = blogs.read_due_blogs(limit=limit)
            self.stdout.write(f"Read {read} linked blog(s).")
            if loop is None:
                return
            time.sleep(loop)
            close_old_connections()
