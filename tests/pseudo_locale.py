"""A pseudo-locale: every translatable string of Ponder, Django and its apps
"translated" into itself between ⟦ and ⟧, so that a page served in it shows
at a glance any text that did not pass through a catalogue.

Ponder's strings come from its German catalogue (every msgid `make messages`
found); Django's and the installed apps' (allauth's) from their English
catalogues, so dates, "3 days ago" and allauth's pages are wrapped too.
"""

import re
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings

from core.markdown import plain_text, render_markdown, rendered_text

CODE = "en-xa"
OPEN, CLOSE = "⟦", "⟧"
#: An address in a plain-text e-mail.
LINK = re.compile(rf"https?://[^\s{OPEN}{CLOSE}]+")
WRAPPED = re.compile(f"{re.escape(OPEN)}[^{OPEN}{CLOSE}]*{re.escape(CLOSE)}")
DOMAINS = ("django", "djangojs")


def sources(domain: str) -> list[Path]:
    ours = [Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / f"{domain}.po"]
    django_own = Path(django.__file__).parent / "conf" / "locale"
    app_dirs = [Path(config.path) / "locale" for config in apps.get_app_configs()]
    theirs = [
        folder / "en" / "LC_MESSAGES" / f"{domain}.po"
        for folder in [django_own, *app_dirs]
    ]
    return [path for path in [*ours, *theirs] if path.exists()]


def wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def pseudo_catalogue(domain: str) -> polib.POFile:
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for source in sources(domain):
        for entry in polib.pofile(str(source)):
            key = (entry.msgctxt, entry.msgid)
            if not entry.msgid or entry.obsolete or key in seen:
                continue
            seen.add(key)
            catalogue.append(pseudo_entry(entry))
    return catalogue


def pseudo_entry(entry: polib.POEntry) -> polib.POEntry:
    if entry.msgid_plural:
        return polib.POEntry(
            msgctxt=entry.msgctxt,
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgstr_plural={0: wrap(entry.msgid), 1: wrap(entry.msgid_plural)},
        )
    return polib.POEntry(
        msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=wrap(entry.msgid)
    )


def build(folder: Path) -> Path:
    """Compile the pseudo-locale's catalogues under `folder` (a locale path)."""
    messages = folder / "en_XA" / "LC_MESSAGES"
    messages.mkdir(parents=True, exist_ok=True)
    for domain in DOMAINS:
        pseudo_catalogue(domain).save_as_mofile(str(messages / f"{domain}.mo"))
    return folder


@contextmanager
def served(folder: Path) -> Iterator[None]:
    """Ponder speaking the pseudo-locale (built under `folder`) to whoever
    asks for it."""
    build(folder)
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, (CODE, "Pseudo")],
        LOCALE_PATHS=[folder, *settings.LOCALE_PATHS],
    ):
        yield


# Reading what a page or an e-mail shows ---------------------------------------

#: Elements whose text nobody reads as page text.
UNREAD = {"script", "style"}
#: Attributes a person reads (or hears, from a screen reader).
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
#: Proper names, never translated.
NAMES = {"Ponder"}
#: What may stand around a name or a number on its own: "Ada ·", "(3)".
SEPARATORS = " …⟦⟧,.;:()[]#>\u2013\u2014-+\u2212|/0123456789"
#: A placeholder a facilitator may use in a nudge: "{name}".
PLACEHOLDER = re.compile(r"\{\w+\}")
LETTER = re.compile(r"[^\W\d_]")


class VisibleText(HTMLParser):
    """The page's text nodes (joined, so a translated sentence with a link in
    it is still one string) and the read attributes, apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.attributes: list[str] = []
        self._skipping: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._skipping:
            name, depth = self._skipping
            if tag == name:
                self._skipping = (name, depth + 1)
            return
        if tag in UNREAD or found.get("translate") == "no":
            self._skipping = (tag, 1)
            return
        self.attributes.extend(
            value for name, value in attrs if name in READ_ATTRIBUTES and value
        )
        if tag == "input" and found.get("type") in {"submit", "button"}:
            self.attributes.append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[0]:
            name, depth = self._skipping
            self._skipping = (name, depth - 1) if depth > 1 else None

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.nodes.append(data)


def untranslated(text: str, written: str) -> list[str]:
    """The parts of `text` that are neither wrapped, nor written by people,
    nor free of letters."""
    text = LINK.sub("\n", text)
    while True:
        unwrapped = WRAPPED.sub("\n", text)
        if unwrapped == text:
            break
        text = unwrapped
    found = []
    for line in text.split("\n"):
        for piece in re.split(r"[·,]", line):
            part = " ".join(piece.split()).strip(SEPARATORS)
            part = PLACEHOLDER.sub("", part)
            if LETTER.search(without_names(part)) and part not in written:
                found.append(part)
    return found


def without_names(text: str) -> str:
    for name in NAMES:
        text = text.replace(name, "")
    return text


def read(html: str, written: str) -> list[str]:
    page = VisibleText()
    page.feed(html)
    found = untranslated("\n".join(page.nodes), written)
    for value in page.attributes:
        found.extend(untranslated(value, written))
    return found


def people_s_writing() -> str:
    """Every text the database holds (names, titles, bodies, addresses...),
    each with its spaces collapsed as the page's text is, plus the names of
    time zones and of languages in themselves (proper names people choose
    from)."""
    texts = set(zoneinfo.available_timezones()) | set(dict(settings.LANGUAGES).values())
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            texts.update(as_read(text) for value in row for text in strings_in(value))
    return "\n".join(sorted(texts))


def strings_in(value: object) -> Iterator[str]:
    """The strings in a stored value, a JSON one's included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def as_read(text: str) -> str:
    """A stored text, and the words of it a page may show without markup
    (excerpts, plain-text renderings), spaces collapsed."""
    forms = (text, plain_text(text), rendered_text(render_markdown(text)))
    return "\n".join(" ".join(form.split()) for form in forms)
