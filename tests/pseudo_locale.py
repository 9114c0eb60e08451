"""A pseudo-locale: every translatable string of Ponder, Django and its apps
"translated" into itself between ⟦ and ⟧, so that a page served in it shows
at a glance any text that did not pass through a catalogue.

Ponder's strings come from its German catalogue (every msgid `make messages`
found); Django's and the installed apps' (allauth's) from their English
catalogues, so dates, "3 days ago" and allauth's pages are wrapped too.
"""

from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings

CODE = "en-xa"
OPEN, CLOSE = "⟦", "⟧"
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
