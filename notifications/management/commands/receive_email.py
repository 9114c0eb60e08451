"""Read one e-mail on standard input and post it as a reply (or refuse it):
for an MTA's pipe, such as Postfix's (docs/DEPLOY.md).

Exit status as sendmail's pipes expect (sysexits.h): 0 when the message was
handled, posted or refused with an answer to its sender; 75 (EX_TEMPFAIL) when
it could not be handled now, so the MTA keeps it and tries again."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from notifications.inbound import receive

EX_TEMPFAIL = 75
CHUNK = 64 * 1024


class Command(BaseCommand):
    help = "Post the e-mail on standard input as a reply to a comment, or refuse it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            metavar="ADDRESS",
            help="The envelope recipient (Postfix: ${original_recipient}); "
            "without it the message's Delivered-To, X-Original-To, To and Cc.",
        )

    def handle(self, *args, recipient: list[str], **options) -> None:
        if not settings.PONDER_REPLY_ADDRESS:
            raise CommandError(
                "Replies by e-mail are off: set PONDER_REPLY_ADDRESS.",
                returncode=EX_TEMPFAIL,
            )
        raw = read_at_most(sys.stdin.buffer, settings.PONDER_INBOUND_MAX_BYTES + 1)
        try:
            received = receive(raw, envelope_recipients=recipient)
        except DatabaseError as error:
            raise CommandError(
                f"Could not reach the database, try again later: {error}",
                returncode=EX_TEMPFAIL,
            ) from error
        said = "seen before: " if received.duplicate else ""
        posted = f" (comment {received.comment.pk})" if received.comment else ""
        answered = f"; answered {received.answered_to}" if received.answered_to else ""
        self.stdout.write(f"{said}{received.outcome}{posted}{answered}")


def read_at_most(stream, limit: int) -> bytes:
    """The first `limit` bytes; the rest is read and dropped, so the MTA's
    pipe does not break."""
    kept = stream.read(limit)
    while stream.read(CHUNK):
        pass
    return kept
