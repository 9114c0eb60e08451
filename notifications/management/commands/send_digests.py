"""Make the daily and weekly digests that are due, and keep deliveries moving:
run it from cron (every few minutes) or as a worker with `--loop 300`."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from notifications import delivery, digests


class Command(BaseCommand):
    help = (
        "Send the notification digests that are due (07:00 in each person's time "
        "zone) and requeue stalled or overdue e-mail deliveries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            type=int,
            metavar="SECONDS",
            help="Run forever, waiting this long between runs (for a worker).",
        )

    def handle(self, *args, loop: int | None = None, **options) -> None:
        if loop is not None and loop < 1:
            raise CommandError("--loop takes a number of seconds of at least 1.")
        while True:
            self.run_once()
            if loop is None:
                return
            time.sleep(loop)
            close_old_connections()

    def run_once(self) -> None:
        stalled, requeued = delivery.sweep()
        made = digests.make_digests(timezone.now())
        self.stdout.write(
            f"Made {len(made)} digest(s); {stalled} stalled and {requeued} "
            "waiting delivery(ies) sent to the queue again."
        )
