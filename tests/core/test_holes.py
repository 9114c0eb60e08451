"""Holes in shared HTML (core/holes.py): each reader's CSRF token and the
parts a view fills per response."""

import re
from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core import holes
from core.holes import FillHolesMiddleware

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def filled(request, body: str) -> HttpResponse:
    return FillHolesMiddleware(lambda _request: HttpResponse(body))(request)


def test_a_form_served_from_cached_html_carries_each_readers_own_token(
    db, make_user, cohort, join, make_entry, author
):
    entry = make_entry(author, cohort=cohort, title="Shared thoughts")
    readers = [make_user(name) for name in ("ceri", "dev")]
    for reader in readers:
        join(reader, cohort)
    for reader in readers:
        client = Client(enforce_csrf_checks=True)
        client.force_login(reader)
        page = client.get(entry.get_absolute_url())
        token = TOKEN.search(page.text)[1]

        posted = client.post(
            reverse(
                "journal:add_comment",
                kwargs={"username": author.username, "slug": entry.slug},
            ),
            {"body": f"A comment from {reader.username}", "csrfmiddlewaretoken": token},
        )

        assert posted.status_code == HTTPStatus.FOUND
        assert holes.hole(holes.CSRF) not in page.text
    assert entry.comments.count() == 2


def test_a_first_visit_served_from_the_cache_still_gets_its_csrf_cookie(
    db, client, cohort, author, make_entry
):
    entry = make_entry(author, cohort=cohort, visibility="public")
    Client().get(entry.get_absolute_url())

    page = client.get(entry.get_absolute_url())

    assert "csrftoken" in page.cookies


def test_the_holes_of_one_name_are_filled_by_one_call_with_every_argument(rf):
    calls = []
    request = rf.get("/")

    def counts(arguments):
        calls.append(arguments)
        return {argument: f"<b>{int(argument) * 2}</b>" for argument in arguments}

    holes.fill_with(request, "double", counts)
    two, five = holes.hole("double", 2), holes.hole("double", 5)
    body = f"{two} and {five}, {two}"

    response = filled(request, body)

    assert response.content == b"<b>4</b> and <b>10</b>, <b>4</b>"
    assert calls == [["2", "5"]]


def test_a_hole_nobody_fills_is_an_error_not_a_marker_left_in_the_page(rf):
    with pytest.raises(LookupError):
        filled(rf.get("/"), holes.hole("forgotten", 1))


def test_text_shaped_like_a_hole_without_the_secret_stays_as_written(rf):
    forged = "hole0123456789abcdef01234567.csrf.."

    response = filled(rf.get("/"), f"<p>{forged}</p>{holes.hole(holes.CSRF)}")

    text = response.content.decode()
    assert text.startswith(f"<p>{forged}</p>")
    assert holes.hole(holes.CSRF) not in text


def test_the_marker_carries_a_digest_of_the_secret_key():
    marker = holes.hole("csrf")

    assert re.fullmatch(r"hole[0-9a-f]{24}\.csrf\.\.", marker)
    assert marker != holes.hole("csrf", "x")


def test_a_filled_response_says_its_new_length(rf):
    request = rf.get("/")
    holes.fill_with(request, "long", lambda args: {a: "x" * 100 for a in args})

    def view(_request):
        response = HttpResponse(holes.hole("long", 1))
        response["Content-Length"] = str(len(response.content))
        return response

    response = FillHolesMiddleware(view)(request)

    assert response["Content-Length"] == "100"


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()
