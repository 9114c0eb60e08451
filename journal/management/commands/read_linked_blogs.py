"""Read the linked blogs whose time has come: run it from cron (every few
minutes) or as a worker with `--loop 60`, beside the `db_worker`s."""

from django.core.management.base import CommandError, CommandParser

from core.commands import LoopingCommand
from journal import blogs


class Command(LoopingCommand):
    help = (
        "Read each participant's linked blog whose next read is due, copying "
        "new and edited posts into its cohort."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--limit",
            type=int,
            default=1000,
            help="Read at most this many blogs in one run (default 1000).",
        )

    def check_options(self, *, limit: int, **options) -> None:
        if limit < 1:
            raise CommandError("--limit takes a number of at least 1.")

    def run_once(self, *, limit: int, **options) -> None:
        read = blogs.read_due_blogs(limit=limit)
        self.stdout.write(f"Read {read} linked blog(s).")
