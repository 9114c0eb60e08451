"""Periodic work as management commands (DESIGN.md): run once from cron, or
forever as a worker with `--loop SECONDS`."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections


class LoopingCommand(BaseCommand):
    """A command whose `run_once` does one round of work."""

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
        self.check_options(**options)
        while True:
            self.run_once(**options)
            if loop is None:
                return
            time.sleep(loop)
            close_old_connections()

    def check_options(self, **options) -> None:
        """Refuse options that make no sense, before the first run."""

    def run_once(self, **options) -> None:
        raise NotImplementedError
