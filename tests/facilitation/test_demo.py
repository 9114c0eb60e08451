"""The demo loaded by `make run`: built through the real actions, quietly."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from journal.models import Comment
from notifications.models import Delivery, Notification
from programmes.models import Cohort, Programme


@pytest.fixture
def loaded(db, django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def readme_sign_ins() -> set[str]:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Demo sign-ins", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| .+? \| `([^`]+@[^`]+)` \|", section, re.MULTILINE))


def test_prints_every_demo_sign_in(loaded):
    assert "Demo programme and cohort loaded." in loaded
    assert "ponder-demo-2026" in loaded
    emails = set(User.objects.values_list("email", flat=True))
    assert len(emails) > 3
    for email in emails:
        assert email in loaded


def test_the_sign_ins_name_the_address_served(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8100"
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "http://127.0.0.1:8100/accounts/login/" in out.getvalue()


def test_the_readme_lists_every_demo_account(loaded):
    assert readme_sign_ins() == set(User.objects.values_list("email", flat=True))


def test_make_run_takes_a_port():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile
    assert "runserver 127.0.0.1:$(PORT)" in makefile


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


def test_a_self_paced_cohort_opens_each_members_own_things(loaded):
    cohort = Cohort.objects.get(slug="demo-self-paced")
    members = {m.user.username: m for m in cohort.memberships.select_related("user")}

    assert cohort.is_self_paced
    assert len(cohort.open_things(member=members["ada"])) == 3  # days 1, 8, 15
    assert len(cohort.open_things(member=members["ben"])) == 1


def test_the_demo_programme_is_open_with_a_cohort_to_join(loaded, client):
    programme = Programme.objects.get()
    assert programme.is_open
    assert Cohort.objects.open_to_join().filter(programme=programme).exists()
    page = client.get(programme.get_public_url()).content.decode()
    assert "Join Demo cohort</button>" in page
    call_command("load_demo", stdout=StringIO())
    assert Programme.objects.open().count() == 1
