"""No untranslated text: every page of the URL walker, as every persona,
served in a pseudo-locale (tests/pseudo_locale.py) in which every catalogue
string reads ⟦like this⟧.

What is left of a page's visible text once the wrapped strings are taken out
must be content people wrote (any text the world's database holds), or hold
no letters at all (numbers, times, punctuation). Anything else is a string
that never reached a catalogue: a template literal, a Python string not
marked, or a marked one that `make messages` has not extracted yet.
"""

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from django.urls import reverse

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


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory, world) -> Iterator[str]:
    """People's writing in the world, with the pseudo-locale served."""
    with pseudo_locale.served(tmp_path_factory.mktemp("pseudo-locale")):
        yield pseudo_locale.people_s_writing()


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
    found = pseudo_locale.read(response.content.decode(), written)
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

    assert pseudo_locale.read(html, written="On feeds\nada") == [
        "Save",
        "Ponder admin",
        "A picture",
    ]
