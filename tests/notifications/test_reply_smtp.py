"""Replies by e-mail through a real SMTP conversation on loopback with the
listener (`manage.py smtp_listener`), and through `manage.py receive_email` run
as an MTA's pipe runs it: a process of its own reading standard input."""

import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest

from journal import actions
from journal.models import Comment
from notifications.management.commands.smtp_listener import listener
from notifications.reply_address import reply_address
from tests.deploy.conftest import free_port, needs_postgresql, shared_database_url
from tests.notifications.mail_samples import GMAIL, OUTLOOK, shaped

ROOT = Path(__file__).resolve().parents[2]
REPLY = "Thanks, that helps.\n\nI will try it tonight."

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def replies_on(settings) -> None:
    settings.PONDER_REPLY_ADDRESS = "reply@ponder.test"


@pytest.fixture
def comment(author, cohort, make_entry, cohort_mate) -> Comment:
    entry = make_entry(author, cohort=cohort, title="Feeds")
    return actions.add_comment(entry=entry, author=cohort_mate, body="Good one.")


@pytest.fixture
def smtp_port():
    controller = listener("127.0.0.1", free_port())
    controller.start()
    yield controller.port
    controller.stop()


def gmail(to: str, *, sender: str = "ada@example.org", message_id="smtp-1@x") -> bytes:
    return shaped(GMAIL, to=to, sender=sender, message_id=message_id, text=REPLY)


def test_a_reply_over_smtp_is_posted_once(author, comment, smtp_port):
    address = reply_address(author.pk, comment.pk)
    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        smtp.sendmail("ada@example.org", [address], gmail(address))
        smtp.sendmail("ada@example.org", [address], gmail(address))  # a retry
    (reply,) = Comment.objects.filter(in_reply_to=comment)
    assert reply.author == author
    assert reply.body == REPLY


def test_the_listener_takes_mail_for_reply_addresses_only(smtp_port):
    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        smtp.ehlo()
        smtp.mail("spammer@example.com")
        code, said = smtp.rcpt("someone@example.com")
    assert code == 550
    assert b"replies to Ponder" in said


def test_a_forged_sender_over_smtp_is_refused(author, comment, smtp_port, mailoutbox):
    address = reply_address(author.pk, comment.pk)
    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        smtp.sendmail("x@evil.test", [address], gmail(address, sender="x@evil.test"))
    assert not Comment.objects.filter(in_reply_to=comment).exists()
    (answer,) = [m for m in mailoutbox if m.to == ["x@evil.test"]]
    assert "not posted" in answer.subject


def test_a_message_over_the_size_limit_is_refused_in_the_conversation(
    author, comment, settings
):
    settings.PONDER_INBOUND_MAX_BYTES = 1000
    controller = listener("127.0.0.1", free_port())
    controller.start()
    try:
        address = reply_address(author.pk, comment.pk)
        with (
            smtplib.SMTP("127.0.0.1", controller.port) as smtp,
            pytest.raises(smtplib.SMTPResponseException) as refused,
        ):
            smtp.sendmail("ada@example.org", [address], gmail(address) + b"x" * 2000)
    finally:
        controller.stop()
    assert refused.value.smtp_code == 552


def manage_receive_email(raw: bytes, env: dict, *args: str):
    return subprocess.run(
        [sys.executable, "manage.py", "receive_email", *args],
        input=raw,
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )


def pipe_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PONDER_REPLY_ADDRESS": "reply@ponder.test",
        "DJANGO_DEBUG": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


@needs_postgresql
def test_the_command_as_a_pipe_posts_once(author, comment):
    address = reply_address(author.pk, comment.pk)
    raw = shaped(OUTLOOK, to=address, sender="ada@example.org", message_id="p@x",
                 text=REPLY)  # fmt: skip
    env = pipe_env(shared_database_url())
    first = manage_receive_email(raw, env, "--recipient", address)
    again = manage_receive_email(raw, env, "--recipient", address)
    assert first.returncode == 0, first.stderr
    assert first.stdout.decode().startswith("posted (comment ")
    assert again.stdout.decode().startswith("seen before: posted")
    assert Comment.objects.filter(in_reply_to=comment).count() == 1


def test_the_command_asks_the_mta_to_retry_while_the_database_is_away(author, comment):
    address = reply_address(author.pk, comment.pk)
    away = f"postgres://postgres@127.0.0.1:{free_port()}/ponder"
    ran = manage_receive_email(gmail(address), pipe_env(away))
    assert ran.returncode == 75, ran.stderr
    assert b"try again later" in ran.stderr
