"""The demo loaded by `make run`: built through the real actions, quietly."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from journal.models import Comment
from notifications.models import Delivery, Notification


@pytest.fixture
def loaded(db, django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def test_prints_the_sign_ins(loaded):
    assert "Demo programme and cohort loaded." in loaded
    assert "ada@example.org" in loaded


def test_the_past_conversations_are_in_the_app_but_nobody_is_emailed(loaded):
    assert Notification.objects.filter(comment__isnull=False).exists()
    assert mail.outbox == []
    assert not Delivery.objects.exclude(status=Delivery.Status.SKIPPED).exists()


def test_notifications_take_the_dates_of_their_comments(loaded):
    for notification in Notification.objects.filter(comment__isnull=False):
        assert notification.created == notification.comment.created
    oldest = Comment.objects.order_by("created").first().created
    assert oldest < timezone.now() - datetime.timedelta(days=30)


def test_loading_twice_changes_nothing(loaded):
    count = Notification.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Notification.objects.count() == count
