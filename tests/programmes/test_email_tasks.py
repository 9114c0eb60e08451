"""Background e-mail (core/tasks.py): rendered now, enqueued once committed."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks import TaskResultStatus

from core.tasks import send_email, send_templated_email_on_commit


def welcome(cohort, user) -> None:
    send_templated_email_on_commit(
        to=[user.email],
        template="programmes/email/welcome",
        context={
            "user": user,
            "cohort": cohort,
            "open_things": cohort.open_things(),
            "next_release": cohort.next_release(),
        },
        language="en-gb",
    )


@pytest.fixture
def nina(make_user):
    return make_user("nina", display_name="Nina Newcomer")


def test_nothing_is_sent_before_the_commit(
    cohort, nina, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        welcome(cohort, nina)

    assert mail.outbox == []
    [enqueue] = callbacks
    result = enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.errors == []
    assert result.return_value == 1
    [email] = mail.outbox
    assert email.to == ["nina@example.org"]
    assert email.subject == "Welcome to Spring cohort"
    assert "Hello Nina Newcomer," in email.body


def test_it_is_sent_once_committed(
    cohort, nina, django_capture_on_commit_callbacks, task_results
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        welcome(cohort, nina)

    assert len(mail.outbox) == 1
    assert [result.status for result in task_results] == [TaskResultStatus.SUCCESSFUL]
    assert task_results[0].task.name == "send_email"


def test_nothing_is_sent_if_the_transaction_rolls_back(
    cohort, nina, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                welcome(cohort, nina)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []


def test_the_subject_is_one_line(cohort, nina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        welcome(cohort, nina)

    subject = callbacks[0].keywords["subject"]
    assert "\n" not in subject
    assert subject == subject.strip()


def test_the_task_carries_plain_strings(
    cohort, nina, django_capture_on_commit_callbacks
):
    """A database worker must be able to serialise the task's arguments."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        welcome(cohort, nina)

    kwargs = callbacks[0].keywords
    assert set(kwargs) <= {"to", "subject", "text", "html"}
    assert all(isinstance(value, str) for value in [*kwargs["to"], kwargs["text"]])


def test_a_failing_send_is_reported_on_the_result(settings):
    """The immediate backend swallows the exception: only the result tells."""
    settings.EMAIL_BACKEND = "tests.programmes.test_email_tasks.BrokenBackend"

    result = send_email.enqueue(to=["x@example.org"], subject="S", text="T")

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path.endswith("ConnectionRefusedError")


class BrokenBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise ConnectionRefusedError("no SMTP server here")
