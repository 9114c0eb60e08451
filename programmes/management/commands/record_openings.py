"""Record the Things that have opened to each cohort, once: run it from cron
(say every five minutes) or a worker loop. The notifications issue tells
members about each recorded opening."""

from django.core.management.base import BaseCommand, CommandParser

from programmes.actions import record_openings
from programmes.models import Cohort


class Command(BaseCommand):
    help = "Record each Thing that has opened to a cohort (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cohort", help="Only this cohort (its slug).", metavar="SLUG"
        )

    def handle(self, *args, cohort: str | None = None, **options) -> None:
        cohorts = Cohort.objects.filter(paused_since__isnull=True)
        if cohort:
            cohorts = cohorts.filter(slug=cohort)
        openings = record_openings(cohorts=cohorts.order_by("slug"))
        for opening in openings:
            self.stdout.write(f"{opening.cohort.slug}: {opening.thing} opened")
        self.stdout.write(f"Recorded {len(openings)} opening(s).")
