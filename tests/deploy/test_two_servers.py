"""Two gunicorn app servers in production settings, one PostgreSQL, one
Redis: what one writes the other serves, a session started on one is valid
on the other, and sign-in rate limits and ours count across both."""

import http.cookiejar
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.utils.crypto import get_random_string

from tests.conftest import PASSWORD
from tests.deploy.conftest import (
    BIN,
    PROJECT,
    Process,
    free_port,
    needs_postgresql,
    production_env,
    wait_until,
)

# A Redis database of its own, emptied by the test (never REDIS_URL, which may
# be someone's real one); tests/core/test_cache_settings.py uses 15.
REDIS_URL = os.environ.get("PONDER_TEST_REDIS_URL") or "redis://127.0.0.1:6379/14"


def redis_answers() -> bool:
    host = urllib.parse.urlsplit(REDIS_URL)
    try:
        socket.create_connection((host.hostname, host.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = [
    needs_postgresql,
    pytest.mark.skipif(
        # CI machines run Redis: there a missing server is a failure, not a skip.
        not os.environ.get("CI") and not redis_answers(),
        reason=f"no Redis answers at {REDIS_URL}",
    ),
    pytest.mark.django_db(transaction=True),
]

PUBLIC_HOST = "ponder.test"
PROXIED = {"Host": PUBLIC_HOST}
WRONG_PASSWORD = "not the passphrase at all"
TOO_MANY = "Too many failed login attempts"
MISMATCH = "password you specified are not correct"
#: Low, so that a test reaches it; the first test posts two comments.
COMMENTS_PER_MINUTE = 4


@dataclass
class Page:
    status: int
    location: str
    text: str


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None


class Browser:
    """urllib with a cookie jar, redirects left to the test.

    As behind a load balancer, both servers get the same cookies (a cookie
    does not depend on the port) and the same Host header. That matters:
    allauth keys the failed-login limit on `get_current_site(request).domain`,
    which without django.contrib.sites is the Host header, port included.
    """

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects
        )
        self.csrf_token = ""

    def get(self, url: str) -> Page:
        page = self._open(urllib.request.Request(url, headers=PROXIED))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if token:
            self.csrf_token = token.group(1)
        return page

    def post(self, url: str, fields: dict[str, str]) -> Page:
        data = {"csrfmiddlewaretoken": self.csrf_token, **fields}
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, body, PROXIED, method="POST")
        return self._open(request)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            text = response.read().decode()
            return Page(response.status, response.headers.get("Location", ""), text)


@pytest.fixture(scope="module")
def static_files() -> None:
    """The manifest whitenoise serves in production (STATIC_ROOT)."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def servers(django_db_setup, static_files, tmp_path_factory):
    """Two gunicorns on their own ports: [http://127.0.0.1:<a>, ...<b>]."""
    env = production_env(
        REDIS_URL=REDIS_URL,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_ALLOWED_HOSTS=f"127.0.0.1,{PUBLIC_HOST}",
        PONDER_LIMIT_COMMENTS_PER_MINUTE=str(COMMENTS_PER_MINUTE),
    )
    log_dir = tmp_path_factory.mktemp("gunicorn")
    started = []
    for name in ("server-a", "server-b"):
        port = free_port()
        command = [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}",
                   "--workers", "1", "--log-level", "warning"]  # fmt: skip
        started.append(
            (Process(name, command, env, log_dir), f"http://127.0.0.1:{port}")
        )
    try:
        for process, url in started:
            wait_until(
                lambda process=process, url=url: (
                    process.assert_running() or healthy(url)
                ),
                seconds=30,
                what=f"{url}/healthz",
            )
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.stop()


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status == HTTPStatus.OK
    except OSError:
        return False


@pytest.fixture
def shared_redis():
    """The Redis both servers use, empty before and after."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def servers_know_the_password(*users: User) -> None:
    """Tests hash passwords with MD5, which production does not accept. Few
    iterations: the server upgrades the hash on sign-in."""
    hasher = PBKDF2PasswordHasher()
    for user in users:
        user.password = hasher.encode(PASSWORD, get_random_string(12), iterations=1000)
        user.save(update_fields=["password"])


def sign_in(browser: Browser, server: str, email: str, password: str) -> Page:
    browser.get(f"{server}/accounts/login/")
    return browser.post(
        f"{server}/accounts/login/", {"login": email, "password": password}
    )


def comment(browser: Browser, server: str, entry_path: str, body: str) -> Page:
    browser.get(f"{server}{entry_path}")
    return browser.post(f"{server}{entry_path}comments/", {"body": body})


def test_what_one_server_writes_the_other_serves_and_sessions_travel(
    servers, shared_redis, author, cohort_mate, cohort, make_entry
):
    server_a, server_b = servers
    servers_know_the_password(cohort_mate)
    entry_path = make_entry(author, cohort=cohort).get_absolute_url()
    browser = Browser()
    assert browser.get(f"{server_b}/cpd/").status == HTTPStatus.FOUND

    signed_in = sign_in(browser, server_a, cohort_mate.email, PASSWORD)
    assert (signed_in.status, signed_in.location) == (HTTPStatus.FOUND, "/")
    session_key = browser.cookie("sessionid")
    assert session_key
    assert shared_redis.keys(f"*{session_key}"), "the session is not in Redis"
    assert browser.get(f"{server_b}/cpd/").status == HTTPStatus.OK

    posted = comment(browser, server_a, entry_path, "Written through server A.")
    assert posted.status == HTTPStatus.FOUND
    assert "Written through server A." in browser.get(f"{server_b}{entry_path}").text
    posted = comment(browser, server_b, entry_path, "And this through server B.")
    assert posted.status == HTTPStatus.FOUND
    assert "And this through server B." in browser.get(f"{server_a}{entry_path}").text

    browser.get(f"{server_b}/")
    assert browser.post(f"{server_b}/accounts/logout/", {}).status == (HTTPStatus.FOUND)
    assert browser.get(f"{server_a}/cpd/").status == HTTPStatus.FOUND


def test_sign_in_rate_limits_count_across_both_servers(servers, shared_redis, author):
    """allauth allows 5 failed sign-ins per address in 5 minutes and 30
    sign-in POSTs per IP a minute. Alternating servers, each alone would
    have seen only half of them."""
    servers_know_the_password(author)
    browser = Browser()
    browser.get(f"{servers[0]}/accounts/login/")
    posts = 0

    def post_to_next_server(password: str) -> Page:
        nonlocal posts
        posts += 1
        server = servers[posts % 2]
        return browser.post(
            f"{server}/accounts/login/", {"login": author.email, "password": password}
        )

    failed = [post_to_next_server(WRONG_PASSWORD) for _ in range(6)]
    assert [page.status for page in failed] == [HTTPStatus.OK] * 6
    assert [MISMATCH in page.text for page in failed] == [True] * 5 + [False]
    assert TOO_MANY in failed[5].text
    right_password = post_to_next_server(PASSWORD)
    assert right_password.status == HTTPStatus.OK
    assert TOO_MANY in right_password.text

    statuses = [post_to_next_server(WRONG_PASSWORD).status for _ in range(posts, 31)]
    assert posts == 31
    assert HTTPStatus.TOO_MANY_REQUESTS not in statuses[:-1]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS


def test_our_rate_limits_count_across_both_servers(
    servers, shared_redis, author, cohort_mate, cohort, make_entry
):
    """Comments alternate between the servers: each saw only half of them,
    yet the one past the limit is refused, by the counter they share."""
    servers_know_the_password(cohort_mate)
    entry_path = make_entry(author, cohort=cohort).get_absolute_url()
    browser = Browser()
    sign_in(browser, servers[0], cohort_mate.email, PASSWORD)
    into_the_minute = time.time() % 60
    if into_the_minute > 40:  # all the posts in one window of the limit
        time.sleep(60.5 - into_the_minute)

    posted = [
        comment(browser, servers[number % 2], entry_path, f"Comment {number}")
        for number in range(COMMENTS_PER_MINUTE + 1)
    ]

    statuses = [page.status for page in posted]
    assert statuses == [HTTPStatus.FOUND] * COMMENTS_PER_MINUTE + [
        HTTPStatus.TOO_MANY_REQUESTS
    ]
    assert f"Comment {COMMENTS_PER_MINUTE}</textarea>" in posted[-1].text
    assert shared_redis.keys("ponder:*:limits:comments:*"), "not counted in Redis"
