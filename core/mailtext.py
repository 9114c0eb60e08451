"""What a person wrote in a reply e-mail, without what their mail program added.

The text part is preferred; a message with only HTML is turned into text with
its quotation (Gmail's gmail_quote, Apple Mail's blockquote, Outlook's
divRplyFwdMsg and everything after it) left out. email-reply-parser then drops
quoted lines, "On … wrote:" headers, Outlook's From/Sent header block and
signatures; before it, quote headers in the languages Ponder speaks and the
Outlook separator cut the text, since the library knows only English ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser

from email_reply_parser import EmailReplyParser

#: Lines where the quoted message starts: everything from them on is dropped.
QUOTE_STARTS = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Oorspronkelijk bericht)"
    r"\s*-{2,}"
    r"|_{8,}"
    r"|Am\s.+schrieb\s.+:"
    r"|Op\s.+schreef\s.+:"
    r"|Le\s.+a écrit\s?:"
    r"|(?:Von|Van|De)\s?:\s.+"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: Where a signature starts: the "-- " line (RFC 3676), which the library
#: misses right under the text, and phones' lines it knows only in English.
SIGNATURES = re.compile(
    r"^(?:--[ \t]*|\s*(?:Von meinem \S+(?:\s\S+)? gesendet"
    r"|Verzonden (?:vanaf|met) mijn \S+|Envoyé de mon \S+|Get Outlook for \S+)\s*)$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class ReplyText:
    text: str
    #: Files and pictures the message carried, by name (or type), all ignored.
    attachments: tuple[str, ...]


def reply_text(message: EmailMessage) -> ReplyText:
    """The new text of a reply: its plain text, or the text of its HTML when
    it has none (some programs send an empty plain part)."""
    attachments = tuple(_attachment_names(message))
    for subtype in ("plain", "html"):
        body = message.get_body(preferencelist=(subtype,))
        if body is None:
            continue
        content = _content(body)
        text = _new_part(html_to_text(content) if subtype == "html" else content)
        if text:
            return ReplyText(text, attachments)
    return ReplyText("", attachments)


def _content(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError):  # an unknown or broken charset
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _new_part(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    quote = QUOTE_STARTS.search(text)
    if quote:
        text = text[: quote.start()]
    signature = SIGNATURES.search(text)
    if signature:
        text = text[: signature.start()]
    return EmailReplyParser.parse_reply(text).strip()


def _attachment_names(message: EmailMessage):
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        is_text = part.get_content_maintype() == "text" and disposition != "attachment"
        if not is_text:
            yield part.get_filename() or part.get_content_type()


class _ReplyHTML(HTMLParser):
    """The text of an HTML reply, without the message it quotes."""

    SKIPPED = {"head", "style", "script", "title", "blockquote"}
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    QUOTE_CLASSES = {"gmail_quote", "gmail_extra", "yahoo_quoted", "moz-cite-prefix"}
    OUTLOOK_MARKERS = {"divrplyfwdmsg", "appendonsend", "mail-editor-reference-message"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.finished = False

    def handle_starttag(self, tag, attrs):
        if self.finished:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if (attributes.get("id") or "").lower() in self.OUTLOOK_MARKERS or tag == "hr":
            self.finished = True
            return
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        if tag in self.SKIPPED or classes & self.QUOTE_CLASSES:
            self.skipping.append(tag)
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skipping and not self.finished:
            self.parts.append("\n")
        elif tag == "hr":
            self.finished = True

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in self.BREAKS and not self.skipping and not self.finished:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping and not self.finished:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _ReplyHTML()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
