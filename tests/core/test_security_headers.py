"""Every response carries the security headers; the policy allows no inline code."""

from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_deploy import PROJECT

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: value for name, value in directives}


@pytest.fixture
def pages(author, make_entry, cohort) -> list[str]:
    entry = make_entry(author, cohort=cohort)
    return [
        reverse("home"),
        reverse("accounts:profile"),
        reverse("journal:write"),
        entry.get_absolute_url(),
    ]


def test_pages_send_the_content_security_policy(client_for, author, pages):
    client = client_for(author)
    for url in pages:
        response = client.get(url)

        assert response.status_code == HTTPStatus.OK, url
        assert parse_csp(response.headers["Content-Security-Policy"]) == EXPECTED_CSP


def test_the_policy_allows_no_inline_code_or_eval(client):
    header = client.get(reverse("account_login")).headers["Content-Security-Policy"]

    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "nonce-" not in header


def test_error_pages_send_the_policy_too(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Content-Security-Policy" in response.headers


def test_pages_send_the_other_security_headers(client, db):
    response = client.get(reverse("account_login"))

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in permissions


def test_hsts_and_the_https_redirect_when_switched_on(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000

    plain = client.get(reverse("account_login"))
    secure = client.get(reverse("account_login"), secure=True)

    assert plain.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert plain.headers["Location"].startswith("https://")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_session_and_csrf_cookies_are_http_only(client, author):
    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": "a long enough passphrase"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["csrftoken"]["httponly"]


TEMPLATES = PROJECT / "templates"
STATIC_JS = PROJECT / "static" / "js"
INLINE_PATTERNS = [
    "<script>",
    "<style",
    " style=",
    " onclick=",
    " onload=",
    " onsubmit=",
]
# Downloaded exports are standalone files with a policy of their own.
STANDALONE = {"journal/export_entry.html", "journal/export_index.html"}


def inline_code(path: Path) -> list[str]:
    text = path.read_text().lower()
    return [pattern for pattern in INLINE_PATTERNS if pattern in text]


def test_no_template_has_inline_script_style_or_handlers():
    offenders = {
        str(path.relative_to(TEMPLATES)): found
        for path in TEMPLATES.rglob("*.html")
        if str(path.relative_to(TEMPLATES)) not in STANDALONE
        and (found := inline_code(path))
    }

    assert offenders == {}


def test_no_script_writes_style_attributes_or_evaluates_strings():
    # Setting element.style from a script is allowed; a style attribute in
    # markup, setAttribute("style") and eval are not.
    patterns = [
        "setattribute('style'",
        'setattribute("style"',
        "eval(",
        "new function(",
    ]
    offenders = {
        path.name: [p for p in patterns if p in path.read_text().lower()]
        for path in STATIC_JS.glob("*.js")
    }

    assert {name: found for name, found in offenders.items() if found} == {}
