"""Hostile bodies for the JSON endpoints (autosave): each refusal is the right
status, in JSON, with nothing changed; never a 5xx, on SQLite and PostgreSQL."""

import json
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from journal.models import Entry, Revision


def stored() -> tuple:
    """Everything an autosave may change."""
    entries = Entry.objects.order_by("pk").values_list(
        "pk", "version", "title", "body", "action", "minutes", "status"
    )
    return list(entries), Revision.objects.count()


def post_json(client: Client, url: str, body: bytes, **extra):
    # The test client leaves out the content type of an empty body; a script
    # that posts nothing as JSON sends it.
    return client.generic(
        "POST",
        url,
        body,
        content_type="application/json",
        CONTENT_TYPE="application/json",
        **extra,
    )


def assert_refused(response, status: HTTPStatus, before: tuple) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert stored() == before
    data = response.json()
    assert data["message"]
    return data


def nested(depth: int, open_: str = "[", close: str = "]") -> bytes:
    return (open_ * depth + close * depth).encode()


MALFORMED = {
    "not json": b"{not json",
    "empty": b"",
    "cut short": b'{"body": "Half a',
    "not utf-8": b'{"body": "\xff\xfe"}',
    "utf-8 of a surrogate": b'{"body": "\xed\xa0\x80"}',
    "a byte-order mark": b'\xef\xbb\xbf{"body": "x"}',
    "a 5,000-digit number": b'{"minutes": ' + b"9" * 5000 + b"}",
    "nested 1,000 deep": nested(1000),
    "nested 100,000 deep": nested(100_000),
    "objects nested 1,000 deep": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "deep inside a field": b'{"body": ' + nested(21) + b"}",
}


@pytest.mark.parametrize("endpoint", ["existing", "new", "new_on_thing"])
@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_bodies_are_a_400(client_for, author, urls, endpoint, body):
    before = stored()

    response = post_json(client_for(author), urls[endpoint], body)

    assert assert_refused(response, HTTPStatus.BAD_REQUEST, before)["error"] == (
        "bad_request"
    )


def test_brackets_inside_text_are_not_nesting(client_for, author, draft, urls):
    body = json.dumps({"body": "[" * 5000 + "{", "base_version": draft.version})

    response = post_json(client_for(author), urls["existing"], body.encode())

    assert response.status_code == HTTPStatus.OK
    draft.refresh_from_db()
    assert draft.body == "[" * 5000 + "{"


def test_nesting_up_to_the_limit_is_read(client_for, author, urls):
    body = b'{"title": "Deep", "x": ' + nested(19) + b"}"

    response = post_json(client_for(author), urls["new"], body)

    # Read, then refused for the list inside: a form takes strings and numbers.
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "form-encoded or as a JSON object" in response.json()["message"]


WRONG_TYPES = {
    "a list": [1, 2],
    "a string": "body",
    "a number": 42,
    "null": None,
    "an object in a field": {"body": {"nested": 1}},
    "an object in a list": {"body": ["a", {"x": 1}]},
}


@pytest.mark.parametrize("endpoint", ["existing", "new", "new_on_thing"])
@pytest.mark.parametrize("payload", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_wrong_types_are_a_400(client_for, author, urls, endpoint, payload):
    before = stored()

    response = post_json(client_for(author), urls[endpoint], json.dumps(payload))

    assert_refused(response, HTTPStatus.BAD_REQUEST, before)


WRONG_VALUES = {
    "minutes not a number": {"title": "T", "minutes": "many"},
    "minutes beyond the column": {"title": "T", "minutes": 10**30},
    "minutes negative": {"title": "T", "minutes": -5},
    "minutes a float": {"title": "T", "minutes": 1.5e300},
    "an unknown visibility": {"title": "T", "visibility": "everyone"},
    "a title too long": {"title": "T" * 201},
}


@pytest.mark.parametrize("endpoint", ["new", "new_on_thing"])
@pytest.mark.parametrize("payload", WRONG_VALUES.values(), ids=WRONG_VALUES.keys())
def test_wrong_values_are_a_422(client_for, author, urls, endpoint, payload):
    before = stored()

    response = post_json(client_for(author), urls[endpoint], json.dumps(payload))

    assert assert_refused(response, HTTPStatus.UNPROCESSABLE_ENTITY, before)["errors"]


UNSTORABLE = {
    "a lone surrogate": (r'{"title": "T", "body": "a\ud800b"}', "U+D800"),
    "a low surrogate": (r'{"title": "T", "body": "\udfff"}', "U+DFFF"),
    "NUL": (r'{"title": "T", "body": "a\u0000b"}', "Null characters"),
    "NUL in the title": (r'{"title": "T\u0000"}', "Null characters"),
    "a surrogate in a key": (r'{"title": "T", "\ud800": "x"}', "U+D800"),
    "a surrogate in a list": (r'{"title": "T", "tags": ["a", "\udc00"]}', "U+DC00"),
}


@pytest.mark.parametrize("endpoint", ["existing", "new", "new_on_thing"])
@pytest.mark.parametrize(("body", "reason"), UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_unstorable_text_is_a_422_with_the_reason(
    client_for, author, draft, urls, endpoint, body, reason
):
    before = stored()
    payload = json.loads(body) | {"base_version": draft.version}

    response = post_json(
        client_for(author), urls[endpoint], json.dumps(payload).encode()
    )

    data = assert_refused(response, HTTPStatus.UNPROCESSABLE_ENTITY, before)
    assert reason in data["message"]


def test_a_whole_character_written_as_two_escapes_is_stored(
    client_for, author, draft, urls
):
    escapes = r"Feeds \ud83d\ude00"
    body = f'{{"body": "{escapes}", "base_version": {draft.version}}}'

    response = post_json(client_for(author), urls["existing"], body.encode())

    assert response.status_code == HTTPStatus.OK
    draft.refresh_from_db()
    assert draft.body == "Feeds \N{GRINNING FACE}"


def test_a_body_over_the_limit_is_a_413_before_it_is_read(client_for, author, urls):
    before = stored()
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"title": "T", "body": "x" * limit}).encode()

    response = post_json(client_for(author), urls["new"], body)

    assert assert_refused(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, before)[
        "error"
    ] == ("too_large")


def test_a_declared_length_over_the_limit_is_refused_unread(client_for, author, urls):
    before = stored()
    declared = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = post_json(
        client_for(author), urls["new"], b'{"title": "T"}', CONTENT_LENGTH=declared
    )

    assert_refused(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, before)


def test_an_oversized_form_post_from_the_editor_is_a_413_in_json(
    client_for, author, draft, urls
):
    """Django refuses it while checking CSRF, before the view: handler400."""
    before = stored()
    body = "body=" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = client_for(author).generic(
        "POST",
        urls["existing"],
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"Accept": "application/json"},
    )

    assert_refused(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, before)


@pytest.mark.parametrize("endpoint", ["existing", "new", "new_on_thing"])
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "form-encoded"])
def test_a_missing_csrf_token_is_a_403_in_json(author, urls, endpoint, as_json):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    before = stored()

    if as_json:
        response = post_json(client, urls[endpoint], b'{"title": "T"}')
    else:
        response = client.post(urls[endpoint], {"title": "T"})

    assert assert_refused(response, HTTPStatus.FORBIDDEN, before)["error"] == "csrf"


def test_a_page_without_csrf_still_gets_the_html_page(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post(reverse("journal:write"), {"title": "T"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
@pytest.mark.parametrize("endpoint", ["existing", "new", "new_on_thing"])
def test_other_methods_are_a_405_in_json(client_for, author, urls, endpoint, method):
    before = stored()

    response = getattr(client_for(author), method)(urls[endpoint])

    assert_refused(response, HTTPStatus.METHOD_NOT_ALLOWED, before)
    assert response["Allow"] == "POST"


def test_an_address_that_matches_no_endpoint_is_a_404_in_json(client_for, author):
    response = post_json(
        client_for(author), "/@ada/no such slug/autosave/", b'{"title": "T"}'
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["error"] == "not_found"


def test_someone_elses_entry_is_a_404_in_json(client_for, cohort_mate, draft, urls):
    before = stored()
    body = json.dumps({"body": "Mine now", "base_version": draft.version})

    response = post_json(client_for(cohort_mate), urls["existing"], body.encode())

    assert_refused(response, HTTPStatus.NOT_FOUND, before)


def test_a_visitor_gets_a_401_in_json(urls):
    before = stored()

    response = post_json(Client(), urls["new"], b"{not json")

    assert assert_refused(response, HTTPStatus.UNAUTHORIZED, before)["error"] == (
        "signed_out"
    )
