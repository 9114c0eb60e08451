"""The German and Dutch catalogues are complete, sound, and compiled.

Whether every string on a page reached a catalogue at all is the pseudo-locale
crawl's question (tests/security/test_untranslated.py).
"""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [
    ("de", "django"),
    ("de", "djangojs"),
    ("nl", "django"),
    ("nl", "djangojs"),
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^>]*)?/?>")


def catalogue(language: str, domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize(("language", "domain"), TRANSLATED)
def test_every_string_is_translated(language, domain) -> None:
    entries = catalogue(language, domain)
    missing = [
        entry.msgid
        for entry in entries
        if not all(translations(entry)) or "fuzzy" in entry.flags
    ]

    assert len(entries) > 0
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert not entries.obsolete_entries()


@pytest.mark.parametrize(("language", "domain"), TRANSLATED)
def test_translations_keep_placeholders_and_markup(language, domain) -> None:
    wrong = []
    for entry in catalogue(language, domain):
        sources = [entry.msgid, entry.msgid_plural or entry.msgid]
        for index, text in enumerate(translations(entry)):
            source = sources[min(index, 1)]
            # A singular may say "one" instead of its count.
            wanted = set(PLACEHOLDER.findall(source))
            found = set(PLACEHOLDER.findall(text))
            if found - wanted or (wanted - found - {"%(counter)s", "%d", "%s"}):
                wrong.append((entry.msgid, text))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                wrong.append((entry.msgid, text))

    assert not wrong, wrong[:5]


def test_german_and_dutch_have_the_same_strings() -> None:
    for domain in ("django", "djangojs"):
        german = {(e.msgctxt, e.msgid) for e in catalogue("de", domain)}
        dutch = {(e.msgctxt, e.msgid) for e in catalogue("nl", domain)}
        assert german == dutch, german ^ dutch


@pytest.mark.parametrize(
    "source", sorted(LOCALE.glob("*/LC_MESSAGES/*.po")), ids=lambda path: str(path)
)
def test_the_committed_mo_matches_its_po(source: Path) -> None:
    """`make messages` compiles them; a fresh checkout has no gettext tools."""
    compiled = source.with_suffix(".mo")
    with compiled.open("rb") as file:
        in_mo = gettext.GNUTranslations(file)._catalog
    in_po = {}
    for entry in polib.pofile(str(source)).translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                in_po[(key, int(index))] = text
        else:
            in_po[key] = entry.msgstr

    assert {key: text for key, text in in_mo.items() if key != ""} == in_po
