"""The words of a reply e-mail without what mail programs add below them
(core/mailtext.py); whole messages are in tests/notifications/test_reply_by_email.py."""

from email.message import EmailMessage

import pytest

from core.mailtext import ReplyText, _new_part, html_to_text, reply_text

QUOTE = "\n> quoted"
REPLIES = {
    "signature": (
        "Great point.\n\nBest,\nAda\n-- \nAda Author | Librarian\nCity Library",
        "Great point.\n\nBest,\nAda",
    ),
    "gmail-wrapped": (
        "Thanks!\n\nOn Tue, 8 Dec 2026 at 10:00, Ponder <r@x>\nwrote:\n" + QUOTE,
        "Thanks!",
    ),
    "german-iphone": (
        "Agreed.\n\nVon meinem iPhone gesendet\n\n"
        "> Am 08.12.2026 um 10:00 schrieb P <r@x>:" + QUOTE,
        "Agreed.",
    ),
    "dutch-gmail": (
        "Goed idee\n\nOp di 8 dec 2026 om 10:00 schreef Ponder <r@x>:" + QUOTE,
        "Goed idee",
    ),
    "french-gmail": (
        "Oui.\n\nLe mar. 8 déc. 2026 à 10:00, Ponder <r@x> a écrit :" + QUOTE,
        "Oui.",
    ),
    "outlook-original": (
        "Yes.\r\n\r\n-----Original Message-----\r\nFrom: Ponder\r\nSent: today\r\n",
        "Yes.",
    ),
    "german-outlook": (
        "Ja.\n\n-----Ursprüngliche Nachricht-----\nVon: Ponder\nGesendet: heute\n",
        "Ja.",
    ),
    "markdown-list": ("- one\n- two\n" + QUOTE, "- one\n- two"),
    "only-quote": (QUOTE, ""),
}


@pytest.mark.parametrize(("written", "reply"), REPLIES.values(), ids=REPLIES.keys())
def test_the_reply_is_what_was_written_above_the_quote(written, reply):
    assert _new_part(written) == reply


def test_older_outlook_html_stops_at_its_header_block():
    html = (
        "<div>Hi there<br>second line</div><div><br></div>"
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt">'
        '<p class="MsoNormal"><b>From:</b> Ponder &lt;r@x&gt;<br>'
        "<b>Sent:</b> Tuesday</p></div><p>quoted text</p>"
    )
    assert _new_part(html_to_text(html)) == "Hi there\nsecond line"


def test_html_quotes_styles_and_scripts_are_left_out():
    html = (
        "<html><head><style>p{color:red}</style><title>t</title></head><body>"
        "<p>Mine &amp; yours</p><script>alert(1)</script>"
        '<div class="gmail_quote"><div>nested <div>deeper</div></div>'
        "<blockquote>quoted</blockquote></div><p>after</p></body></html>"
    )
    assert html_to_text(html) == "Mine & yours\n\nafter"


def test_an_empty_plain_part_gives_way_to_the_html():
    message = EmailMessage()
    message.set_content("\n")
    message.add_alternative("<p>Written in HTML only</p>", subtype="html")
    assert reply_text(message).text == "Written in HTML only"


def test_attachments_are_named_and_left_out():
    message = EmailMessage()
    message.set_content("See the picture.")
    message.add_attachment(
        b"\x89PNG", maintype="image", subtype="png", filename="a.png"
    )
    message.add_attachment(b"%PDF", maintype="application", subtype="pdf")
    assert reply_text(message) == ReplyText(
        "See the picture.", ("a.png", "application/pdf")
    )
