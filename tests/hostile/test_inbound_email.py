"""Hostile e-mail at the reply address: whatever arrives, `receive` answers with
an outcome (never an exception), posts nothing it should not, and a reply's
HTML reaches the page only through the one sanitiser."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal import actions
from journal.models import Comment
from notifications.inbound import receive
from notifications.models import InboundMessage
from notifications.reply_address import reply_address
from tests.notifications import mail_samples

pytestmark = pytest.mark.usefixtures("replies_on")

HEADER_NOISE = [
    b"From: \r\n",
    b"From: <>\r\n",
    b"From: a@b, c@d\r\n",
    b"From: =?utf-8?B?////?= <x@y>\r\n",
    b"To: reply+\r\n",
    b"To: reply+...@ponder.test\r\n",
    b"To: reply+zzzzzzzzzzzzzzzzzzzzzzzzzz.1.1.aaaa@ponder.test\r\n",
    b"Message-ID: \r\n",
    b"Message-ID: <\x00>\r\n",
    b"Content-Type: multipart/mixed; boundary=\r\n",
    b"Content-Type: text/plain; charset=no-such-charset\r\n",
    b"Content-Type: text/html; charset=utf-7\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Subject: =?x?q?broken?=\r\n",
    b"\xff\xfe\r\n",
    b"\r\n",
]


@pytest.fixture
def replies_on(settings) -> None:
    settings.PONDER_REPLY_ADDRESS = "reply@ponder.test"


@pytest.fixture
def address(author, cohort, make_entry, cohort_mate) -> str:
    entry = make_entry(author, cohort=cohort, title="Feeds")
    comment = actions.add_comment(entry=entry, author=cohort_mate, body="Good one.")
    return reply_address(author.pk, comment.pk)


@given(
    headers=st.lists(st.sampled_from(HEADER_NOISE), max_size=6),
    body=st.binary(max_size=300),
)
def test_any_bytes_get_an_outcome(address, headers, body):
    raw = b"".join(headers) + b"To: " + address.encode() + b"\r\n\r\n" + body
    received = receive(raw)
    assert received.outcome in InboundMessage.Outcome.values


@given(text=st.text(min_size=1, max_size=200))
def test_any_reply_text_is_stored_as_written_and_shown_sanitised(address, text):
    raw = mail_samples.shaped(
        mail_samples.HTML_ONLY,
        to=address,
        sender="ada@example.org",
        message_id=f"{abs(hash(text))}@fuzz",
        text=text.replace("{", "(").replace("}", ")"),
    )
    received = receive(raw)
    if received.comment is not None:
        shown = Comment.objects.get(pk=received.comment.pk).body_html
        assert "<script" not in shown.lower()
        assert "onerror" not in shown.lower()


def test_script_in_an_html_reply_is_text_not_markup(address):
    raw = mail_samples.shaped(
        mail_samples.HTML_ONLY,
        to=address,
        sender="ada@example.org",
        message_id="script@x",
        text="Fine &lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script>",
    )
    received = receive(raw)
    assert "<script>" not in received.comment.body_html
