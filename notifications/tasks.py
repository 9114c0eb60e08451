"""Background work of notifications: sending one recorded e-mail."""

from django_tasks import task

from notifications import delivery


@task()
def send_delivery(delivery_id: int) -> str:
    """Claim, re-check and send one delivery; see `notifications.delivery`."""
    return delivery.deliver(delivery_id)
