"""E-mail queued in the database is sent by `manage.py db_worker`."""

import pytest
from django.core import mail
from django.core.management import call_command

from core.tasks import send_templated_email_on_commit
from programmes.models import Cohort

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings) -> None:
    settings.TASKS = DATABASE_TASKS


# The worker closes database connections between tasks, as in production, so
# the data must be committed rather than wrapped in a test transaction.
@pytest.mark.django_db(transaction=True)
def test_queued_email_waits_for_the_worker(
    database_tasks, cohort: Cohort, owner
) -> None:
    mail.outbox.clear()
    send_templated_email_on_commit(
        to=["ada@example.org"],
        template="programmes/email/welcome",
        context={"user": owner, "cohort": cohort, "open_things": []},
        language="en-gb",
    )
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert mail.outbox[0].subject == "Welcome to Spring cohort"
