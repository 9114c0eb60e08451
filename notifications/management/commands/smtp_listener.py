"""A small SMTP server that takes replies by e-mail, for a site without a mail
server of its own (docs/DEPLOY.md): it accepts mail only for the reply
addresses, so it relays nothing, and posts each message as `receive_email`
does. Put it behind the MX record's host, or let a mail relay forward to it."""

import logging
import signal
import threading

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from notifications.inbound import receive
from notifications.reply_address import is_reply_address


def _receive(content: bytes, recipients: list[str]):
    close_old_connections()
    try:
        return receive(content, envelope_recipients=recipients)
    finally:
        close_old_connections()


class ReplyHandler:
    """aiosmtpd's handler: RCPT only to a reply address, DATA posted."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not is_reply_address(address):
            return "550 5.1.1 This server takes replies to Ponder e-mails only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        try:
            await sync_to_async(_receive)(content, list(envelope.rcpt_tos))
        except DatabaseError:
            return "451 4.3.0 Could not take the message now, try again later"
        return "250 Message accepted"


def listener(host: str, port: int) -> Controller:
    return Controller(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.PONDER_INBOUND_MAX_BYTES,
    )


class Command(BaseCommand):
    help = "Take replies by e-mail over SMTP (for a site with no mail server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, host: str, port: int, **options) -> None:
        if not settings.PONDER_REPLY_ADDRESS:
            raise CommandError("Replies by e-mail are off: set PONDER_REPLY_ADDRESS.")
        # aiosmtpd logs every connection at INFO, its own start-up probe too.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        controller = listener(host, port)
        controller.start()
        self.stdout.write(f"Taking replies by e-mail on {host}:{port}.")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        stop.wait()
        controller.stop()
