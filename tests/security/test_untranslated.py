"""No untranslated text: every page of the URL walker, as every persona,
served in a pseudo-locale (tests/pseudo_locale.py) in which every catalogue
string reads ⟦like this⟧.

What is left of a page's visible text once the wrapped strings are taken out
must be content people wrote (any text the world's database holds), or hold
no letters at all (numbers, times, punctuation). Anything else is a string
that never reached a catalogue: a template literal, a Python string not
marked, or a marked one that `make messages` has not extracted yet.
"""

import re
import zoneinfo
from collections.abc import Iterator
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import reverse

from core.markdown import plain_text, render_markdown, rendered_text
from tests import pseudo_locale
from tests.images import finish
from tests.security.conftest import PERSONAS, World
from tests.security.test_url_walker import (
    CASES,
    OK,
    Case,
    _group_params,
    _group_url,
)

#: Elements whose text nobody reads as page text.
UNREAD = {"script", "style"}
#: Attributes a person reads (or hears, from a screen reader).
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
#: Proper names, never translated.
NAMES = {"Ponder"}
WRAPPED = re.compile(
    f"{re.escape(pseudo_locale.OPEN)}[^{pseudo_locale.OPEN}{pseudo_locale.CLOSE}]*"
    f"{re.escape(pseudo_locale.CLOSE)}"
)
#: What may stand around a name or a number on its own: "Ada ·", "(3)".
SEPARATORS = " …⟦⟧,.;:()[]#\u2013\u2014-+\u2212|/0123456789"
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


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory, world) -> Iterator[str]:
    folder = pseudo_locale.build(tmp_path_factory.mktemp("pseudo-locale"))
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, (pseudo_locale.CODE, "Pseudo")],
        LOCALE_PATHS=[folder, *settings.LOCALE_PATHS],
    ):
        yield people_s_writing()


def pages() -> Iterator[Any]:
    for case in CASES:
        if case.method != "GET":
            continue
        for persona in PERSONAS:
            if case.expect[persona] == OK:
                yield pytest.param(case, persona, id=f"{case.label}-{persona}")


def fetch(client, url: str):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=pseudo_locale.CODE)
    finish(response)
    return response


def assert_translated(response, where: str, written: str) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    assert response["Content-Language"] == pseudo_locale.CODE, where
    found = read(response.content.decode(), written)
    assert not found, f"{where}: untranslated {found}"


@pytest.mark.parametrize(("case", "persona"), list(pages()))
def test_every_page_is_translated(
    case: Case, persona: str, world: World, client_as, pseudo: str
) -> None:
    url = reverse(case.name, kwargs=case.kwargs(world))
    response = fetch(client_as(persona), url)

    assert response.status_code == HTTPStatus.OK, url
    assert_translated(response, f"{case.label} as {persona} {url}", pseudo)


@pytest.mark.parametrize(
    ("pattern", "persona"),
    [
        param
        for param in _group_params("allauth")
        if param.values[1] in {"visitor", "author"}
    ],
)
def test_every_account_page_is_translated(
    pattern, persona: str, world: World, client_as, pseudo: str
) -> None:
    url = _group_url(pattern)
    response = fetch(client_as(persona), url)

    if response.status_code == HTTPStatus.OK:
        assert_translated(response, f"{pattern.key} as {persona} {url}", pseudo)


@pytest.mark.parametrize(
    ("url", "persona"),
    [
        ("/no-such-page/", "visitor"),
        ("/no-such-page/", "author"),
        ("/c/no-such-cohort/", "author"),
        ("/@nobody/no-such-entry/", "author"),
    ],
)
def test_error_pages_are_translated(url, persona, world, client_as, pseudo) -> None:
    response = fetch(client_as(persona), url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert_translated(response, f"{url} as {persona}", pseudo)


def test_the_crawler_finds_an_untranslated_string() -> None:
    html = (
        "<p>⟦Signed in as <a href='/@ada/'>ada</a>⟧</p><button>Save</button>"
        "<img alt='A picture'><script>var x = 'Hidden';</script>"
        "<p translate='no'>Deutsch</p><p>12:30 · 3</p><h1>On feeds</h1>"
        "<title>⟦Write⟧ · Ponder</title><p>Ponder admin</p>"
    )

    assert read(html, written="On feeds\nada") == ["Save", "Ponder admin", "A picture"]
