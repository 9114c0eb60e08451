"""Every URL pattern, asked with hostile path values and query strings.

The URL walker (test_url_walker.py) decides who gets what from each page; this
suite sends the same pages what no form would: NUL bytes, lone surrogates'
bytes, numbers beyond any column, negative pages, right-to-left marks and
strings of ten thousand characters. Whatever arrives, the answer is never a
5xx, and a path value that names nothing is a 404 (a visitor is first sent to
sign in, as for any page that is not public).

`make fuzz` (PONDER_FUZZ=1) asks every page as every persona with every value;
CI asks each page as one persona allowed to see it and as a visitor.
"""

import os
from collections import Counter
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote, urlencode

import pytest
from django.urls import reverse

from tests.images import finish
from tests.security.conftest import PERSONAS, World
from tests.security.test_url_walker import CASES, OK, Case, no_kwargs

FUZZ = bool(os.environ.get("PONDER_FUZZ"))

#: Statuses seen, for the issue note (printed with -s).
SEEN: Counter[str] = Counter()

#: Values no form sends, already percent-encoded where they are raw bytes.
HOSTILE_VALUES: dict[str, str] = {
    "empty": "",
    "nul": "%00",
    "nul inside": "a%00b",
    "lone surrogate bytes": "%ED%A0%80",
    "invalid utf-8": "%FF%FE",
    "zero-width": quote("\u200b\u200d\ufeff"),
    "right-to-left": quote("\u202egnp.exe"),
    "emoji": quote("🦄👩🏽‍💻"),
    "huge number": "9" * 40,
    "beyond bigint": str(2**63),
    "negative": "-1",
    "negative huge": "-" + "9" * 30,
    "zero": "0",
    "float": "1.5e308",
    "infinity": "Infinity",
    "long": "x" * 10_000,
    "dots": "..%2F..%2Fetc%2Fpasswd",
    "other site": quote("//evil.example/", safe=""),
    "javascript": quote("javascript:alert(1)", safe=""),
    "markup": quote("<script>alert(1)</script>", safe=""),
}

#: The query keys the views read (grep request.GET), and some they do not.
QUERY_KEYS = [
    "page",
    "q",
    "tag",
    "year",
    "show",
    "sort",
    "template",
    "autosaved",
    "private",
    "reply_to",
    "next",
    "thing",
    "author",
    "format",
]


def _query_strings() -> dict[str, str]:
    """Every key set to each hostile value at once, and the paging cases alone."""
    queries = {
        name: "&".join(f"{key}={value}" for key in QUERY_KEYS)
        for name, value in HOSTILE_VALUES.items()
    }
    queries["repeated keys"] = "page=1&page=2&q=a&q=&q=%00&show=x&show=all"
    queries["page 2 of nothing"] = urlencode({"q": "zzzqqqxxx", "page": "2"})
    queries["last page beyond"] = urlencode({"q": "reflection", "page": "999999"})
    queries["page last"] = "page=last"
    queries["key without value"] = "page&q&next"
    queries["only separators"] = "&&&==&"
    return queries


QUERY_STRINGS = _query_strings()

GET_CASES = [case for case in CASES if case.method == "GET"]


def _personas_for(case: Case) -> list[str]:
    """One persona allowed to see the page and a visitor; every persona in fuzz."""
    if FUZZ:
        return list(PERSONAS)
    allowed = [name for name, status in case.expect.items() if status == OK]
    return [*allowed[:1], "visitor"] if "visitor" not in allowed[:1] else allowed[:1]


def _query_params() -> Iterator[Any]:
    for case in GET_CASES:
        for persona in _personas_for(case):
            yield pytest.param(case, persona, id=f"{case.label}-{persona}")


#: A NUL in the query string is refused at the edge, whoever asks for what.
BAD_REQUEST = HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(("case", "persona"), list(_query_params()))
def test_hostile_query_strings(
    case: Case, persona: str, world: World, client_as
) -> None:
    url = reverse(case.name, kwargs=case.kwargs(world))
    client = client_as(persona)
    wrong = []
    for name, query in QUERY_STRINGS.items():
        response = client.get(f"{url}?{query}")
        finish(response)  # a streamed file (an image) stays open until then
        SEEN[f"query {response.status_code}"] += 1
        where = f"{case.label} as {persona} [{name}]"
        if response.status_code >= 500:
            wrong.append(f"{where}: {response.status_code}")
        elif response.status_code == HTTPStatus.FOUND:
            # A bad query may be sent elsewhere, but only on this site.
            location = response["Location"]
            if not location.startswith("/") or location.startswith("//"):
                wrong.append(f"{where}: redirects off the site to {location}")
        elif "\x00" in unquote(query) and response.status_code != BAD_REQUEST:
            wrong.append(f"{where}: {response.status_code} for a NUL, not 400")
    assert not wrong, "\n".join(wrong)


# Hostile values in the path ---------------------------------------------------


#: Path values that name nothing: each must be a 404 (after sign-in), never 5xx.
PATH_VALUES: dict[str, str] = {
    name: value
    for name, value in HOSTILE_VALUES.items()
    if name not in {"empty", "dots", "other site"}
}


NAMES_NOTHING = {HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED}
#: A visitor is sent to sign in first, or told 401 by a script's endpoint.
NAMES_NOTHING_TO_VISITOR = NAMES_NOTHING | {HTTPStatus.FOUND, HTTPStatus.UNAUTHORIZED}


def _path_params() -> Iterator[Any]:
    seen: set[tuple[str, str]] = set()
    for case in CASES:
        if case.variant or case.kwargs is no_kwargs or (case.name, case.method) in seen:
            continue
        seen.add((case.name, case.method))
        for persona in _personas_for(case) if FUZZ else ["facilitator", "visitor"]:
            yield pytest.param(case, persona, id=f"{case.label}-{persona}")


def _urls_with_hostile_kwargs(url: str, kwargs: dict[str, Any]) -> Iterator[str]:
    """The URL with one path value at a time replaced by each hostile value."""
    for value in map(str, kwargs.values()):
        for prefix in ("", "@"):
            segment = f"/{prefix}{quote(value, safe=':')}/"
            if segment in url:
                for hostile in PATH_VALUES.values():
                    yield url.replace(segment, f"/{prefix}{hostile}/", 1)
                break


@pytest.mark.parametrize(("case", "persona"), list(_path_params()))
def test_hostile_path_values(case: Case, persona: str, world: World, client_as) -> None:
    kwargs = case.kwargs(world)
    url = reverse(case.name, kwargs=kwargs)
    client = client_as(persona)
    send = client.get if case.method == "GET" else client.post
    expected = NAMES_NOTHING_TO_VISITOR if persona == "visitor" else NAMES_NOTHING
    wrong = []
    for hostile_url in _urls_with_hostile_kwargs(url, kwargs):
        status = send(hostile_url).status_code
        SEEN[f"path {status}"] += 1
        if status not in expected:
            wrong.append(f"{case.label} as {persona}: {status} {hostile_url[:100]}")
    assert not wrong, "\n".join(wrong)


def teardown_module() -> None:
    if SEEN:
        print("\nhostile URLs by status:", dict(sorted(SEEN.items())))
