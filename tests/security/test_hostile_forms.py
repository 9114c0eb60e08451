"""Every form the site renders, sent hostile values one field at a time.

Each page of the URL walker's table is read as a persona allowed to see it,
and every POST form on it is found in its HTML, as a browser would see it.
Each field in turn is then given each value of ``FIELD_VALUES`` (the others
keep what the page filled in), every field is sent twice, and the form is sent
without its CSRF token. Whatever arrives:

- the answer is never a 5xx;
- a refused request (4xx) changes no row in the database;
- a form that comes back with an error keeps the text that was typed;
- a request without its CSRF token is a 403.

Each post runs in a savepoint rolled back after it, with the caches cleared,
so every value meets the same world. `make fuzz` (PONDER_FUZZ=1) reads every
page as every persona allowed to see it.
"""

import hashlib
import html
import os
from collections import Counter
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.socialaccount.providers.openid_connect.views import (
    OpenIDConnectOAuth2Adapter,
)
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms import HONEYPOT
from core.cache import clear_caches
from tests.images import finish
from tests.oidc import provider_app, use_providers
from tests.security.conftest import World
from tests.security.forms import TEXT_TYPES, Field, Form, post_forms
from tests.security.test_url_walker import CASES, OK, no_kwargs

FUZZ = bool(os.environ.get("PONDER_FUZZ"))

FIELD_VALUES: dict[str, str | bytes] = {
    "empty": "",
    "whitespace": "  \t \n ",
    "over-long": "x" * 100_000,
    "nul": "a\x00b",
    "lone surrogate bytes": b"\xed\xa0\x80",
    "invalid utf-8": b"\xff\xfe",
    "zero-width and right-to-left": "\u200b\u200dtxt.\u202eexe",
    "emoji": "🦄 👩🏽‍💻",
    "huge number": "9" * 40,
    "beyond int": str(2**31),
    "beyond bigint": str(2**63),
    "negative": "-1",
    "impossible date": "2026-02-30",
    "far date": "99999-12-31",
    "unknown choice": "no-such-choice",
    "markup": "<script>alert(1)</script>",
    "other site": "//evil.example/",
    "other site by scheme": "https://evil.example/",
    "other site by backslash": "/\\evil.example/",
}

#: Values a form that comes back must show again as they were typed.
KEPT_VALUES = {"emoji", "zero-width and right-to-left", "markup"}
#: Fields emptied on purpose when their form comes back: the sign-up form's
#: field for robots, filled in only by them.
EMPTIED_FIELDS = {HONEYPOT}

#: Personas in the order a page is read as, the first allowed one in CI.
PREFERRED = ["author", "facilitator", "owner", "cohort_mate", "outsider", "visitor"]

#: allauth's pages with forms, and who reads them.
ALLAUTH_PAGES = [
    ("account_login", "visitor"),
    ("account_signup", "visitor"),
    ("account_reset_password", "visitor"),
    ("account_email", "author"),
    ("account_change_password", "author"),
    # With a provider configured (PROVIDER).
    ("socialaccount_connections", "author"),
]
#: What an OpenID Connect provider says of itself, without asking one.
PROVIDER = {
    "issuer": "https://login.uni.example",
    "authorization_endpoint": "https://login.uni.example/auth",
    "token_endpoint": "https://login.uni.example/token",
    "userinfo_endpoint": "https://login.uni.example/me",
    "jwks_uri": "https://login.uni.example/jwks",
}

#: Tables a refused request may still touch: the session of the one asking.
UNTRACKED_MODELS = {Session}

#: Status classes seen, for the issue note (printed with -s).
SEEN: Counter[str] = Counter()
TRIED: set[tuple[str, tuple[str, ...]]] = set()


def _pages() -> Iterator[Any]:
    for case in CASES:
        if case.method != "GET":
            continue
        allowed = [p for p in PREFERRED if case.expect.get(p) == OK]
        for persona in allowed if FUZZ else allowed[:1]:
            yield pytest.param(
                case.name, case.kwargs, persona, id=f"{case.label}-{persona}"
            )
    for name, persona in ALLAUTH_PAGES:
        yield pytest.param(name, no_kwargs, persona, id=f"{name}-{persona}")


def fingerprint() -> str:
    """A digest of every row the site keeps, to tell that nothing changed."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model in UNTRACKED_MODELS:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


def _encode(pairs: list[tuple[str, str | bytes]]) -> str:
    return urlencode([(k, v) for k, v in pairs])


class Poster:
    """Posts a form and undoes what the post did, so each post meets the same
    world and the same signed-in client."""

    def __init__(self, client: Client, form: Form, baseline: str) -> None:
        self.client = client
        self.form = form
        self.baseline = baseline
        self.path = urlsplit(form.action).path

    def post(self, pairs: list[tuple[str, str | bytes]], *, csrf: bool = True):
        cookies = self.client.cookies
        self.client.cookies = type(cookies)(cookies)
        client = self.client if csrf else self._without_csrf()
        try:
            with transaction.atomic():
                response = self._send(client, pairs)
                changed = (
                    response.status_code >= HTTPStatus.BAD_REQUEST
                    and fingerprint() != self.baseline
                )
                transaction.set_rollback(True)
        finally:
            self.client.cookies = cookies
            clear_caches()
        SEEN[f"{response.status_code // 100}xx {response.status_code}"] += 1
        return response, changed

    def _without_csrf(self) -> Client:
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.cookies = self.client.cookies
        return client

    def _send(self, client: Client, pairs: list[tuple[str, str | bytes]]):
        if self.form.enctype == "multipart/form-data":
            data: dict[str, list[str]] = {}
            for key, value in pairs:
                text = value if isinstance(value, str) else value.decode("latin-1")
                data.setdefault(key, []).append(text)
            return client.post(self.path, data)
        return client.post(
            self.path, _encode(pairs), content_type="application/x-www-form-urlencoded"
        )


def _with(form: Form, name: str, value: str | bytes) -> list[tuple[str, Any]]:
    pairs = [(k, v) for k, v in form.data() if k != name]
    return [*pairs, (name, value)]


def _kept(response, item: Field, value: str) -> bool:
    """The typed text is shown again where a form came back with an error."""
    content = response.content.decode(errors="replace")
    if 'class="errorlist"' not in content or f'name="{item.name}"' not in content:
        return True
    if item.kind not in TEXT_TYPES or item.kind == "password":
        return True
    if item.name in EMPTIED_FIELDS:
        return True
    SEEN["form came back, text checked"] += 1
    return html.escape(value) in content or html.escape(value, quote=False) in content


def _stays_on_site(response) -> bool:
    if response.status_code != HTTPStatus.FOUND:
        return True
    location = response["Location"]
    return url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"})


def _try_field(poster: Poster, item: Field) -> list[str]:
    wrong = []
    for label, value in FIELD_VALUES.items():
        response, changed = poster.post(_with(poster.form, item.name, value))
        where = f"{poster.path} {item.name}={label}: {response.status_code}"
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            wrong.append(where)
        if changed:
            wrong.append(f"{where} refused, yet the database changed")
        if label in KEPT_VALUES and not _kept(response, item, str(value)):
            wrong.append(f"{where} came back without the text typed")
        if not _stays_on_site(response):
            wrong.append(f"{where} redirects off the site: {response['Location']}")
    return wrong


def _try_form(poster: Poster) -> list[str]:
    wrong = []
    for item in poster.form.editable():
        wrong += _try_field(poster, item)
    twice = [*poster.form.data(), *[(k, "other") for k, _ in poster.form.data()]]
    response, changed = poster.post(twice)
    if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR or changed:
        wrong.append(f"{poster.path} every field twice: {response.status_code}")
    unsigned = [(k, v) for k, v in poster.form.data() if k != "csrfmiddlewaretoken"]
    response, changed = poster.post(unsigned, csrf=False)
    if getattr(resolve(poster.path).func, "csrf_exempt", False):
        pass  # One-click unsubscribing (RFC 8058) posts from a mail client.
    elif response.status_code != HTTPStatus.FORBIDDEN or changed:
        wrong.append(f"{poster.path} without CSRF: {response.status_code}")
    return wrong


@pytest.mark.parametrize(("name", "kwargs", "persona"), list(_pages()))
def test_every_form_refuses_hostile_values(
    name: str, kwargs, persona: str, world: World, client_as, settings, monkeypatch
) -> None:
    if name.startswith("socialaccount"):
        use_providers(settings, [provider_app(PROVIDER["issuer"])])
        monkeypatch.setattr(OpenIDConnectOAuth2Adapter, "openid_config", PROVIDER)
    url = reverse(name, kwargs=kwargs(world))
    client = client_as(persona)
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK, f"{url} as {persona}"
    if not page["Content-Type"].startswith("text/html"):
        finish(page)  # a streamed file (an image) stays open until then
        return
    forms = [
        form
        for form in post_forms(page.content.decode(), f"http://testserver{url}")
        if form.signature not in TRIED
    ]
    baseline = fingerprint()
    wrong = []
    for form in forms:
        TRIED.add(form.signature)
        wrong += _try_form(Poster(client, form, baseline))
    assert not wrong, "\n".join(wrong)


def test_the_suite_finds_the_forms(world: World, client_as) -> None:
    """So a change in how forms are read cannot empty the suite unseen."""
    case = next(c for c in CASES if c.label == "GET journal:entry[my cohort]")
    url = reverse(case.name, kwargs=case.kwargs(world))
    forms = post_forms(client_as("cohort_mate").get(url).content.decode(), url)
    names = {f.name for form in forms for f in form.fields}
    assert {"csrfmiddlewaretoken", "body"} <= names


def teardown_module() -> None:
    if SEEN:
        print("\nhostile form posts by status:", dict(sorted(SEEN.items())))
        print("forms:", len(TRIED), sorted({path for path, _ in TRIED}))
