"""Make the daily and weekly digests that are due, keep deliveries moving and
forget the records of old replies by e-mail: run it from cron (every few
minutes) or as a worker with `--loop 300`."""

from django.utils import timezone

from core.commands import LoopingCommand
from notifications import delivery, digests
from notifications.models import InboundMessage


class Command(LoopingCommand):
    help = (
        "Send the notification digests that are due (07:00 in each person's time "
        "zone) and requeue stalled or overdue e-mail deliveries."
    )

    def run_once(self, **options) -> None:
        stalled, requeued = delivery.sweep()
        now = timezone.now()
        made = digests.make_digests(now)
        forgotten, _ = InboundMessage.objects.forgettable(now).delete()
        self.stdout.write(
            f"Made {len(made)} digest(s); {stalled} stalled and {requeued} "
            f"waiting delivery(ies) sent to the queue again; {forgotten} old "
            "reply record(s) forgotten."
        )
