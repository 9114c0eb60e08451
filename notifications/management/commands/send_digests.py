"""Make the daily and weekly digests that are due, and keep deliveries moving:
run it from cron (every few minutes) or as a worker with `--loop 300`."""

from django.utils import timezone

from core.commands import LoopingCommand
from notifications import delivery, digests


class Command(LoopingCommand):
    help = (
        "Send the notification digests that are due (07:00 in each person's time "
        "zone) and requeue stalled or overdue e-mail deliveries."
    )

    def run_once(self, **options) -> None:
        stalled, requeued = delivery.sweep()
        made = digests.make_digests(timezone.now())
        self.stdout.write(
            f"Made {len(made)} digest(s); {stalled} stalled and {requeued} "
            "waiting delivery(ies) sent to the queue again."
        )
