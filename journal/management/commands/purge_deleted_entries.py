"""Remove entries deleted more than 30 days ago: run it daily (docs/DEPLOY.md)."""

from django.core.management.base import BaseCommand

from journal.actions import purge_deleted_entries
from journal.models import DELETED_ENTRIES_KEPT


class Command(BaseCommand):
    help = (
        "Remove for good the entries their authors deleted more than "
        f"{DELETED_ENTRIES_KEPT.days} days ago, with their comments, likes, "
        "revisions and notifications."
    )

    def handle(self, *args, **options) -> None:
        removed = purge_deleted_entries()
        entries = removed.get("journal.Entry", 0)
        details = ", ".join(
            f"{count} {label}"
            for label, count in sorted(removed.items())
            if count and label != "journal.Entry"
        )
        self.stdout.write(
            f"Purged {entries} deleted entr{'y' if entries == 1 else 'ies'}"
            + (f" ({details})." if details else ".")
        )
