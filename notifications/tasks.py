"""Background work of notifications: sending recorded e-mails."""

from django_tasks import task

from notifications import delivery


@task()
def send_delivery(delivery_id: int) -> str:
    """Claim, re-check and send one delivery; see `notifications.delivery`."""
    return delivery.deliver(delivery_id)


@task()
def send_deliveries(delivery_ids: list[int]) -> list[str]:
    """`send_delivery` for each of a batch (a fan-out: a Thing opening, a
    nudge, a digest run), one after the other. Should the worker stop half
    way, `sweep` enqueues the rest again once they are overdue."""
    return [delivery.deliver(delivery_id) for delivery_id in delivery_ids]
