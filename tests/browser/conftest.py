"""Browser tests: pytest-playwright driving Debian's Chromium against live_server.

Every test in this folder gets the `browser` marker, so `pytest -m "not browser"`
skips them on machines without Chromium.
"""

import os
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

# Django refuses ORM calls from inside Playwright's event loop without this; the
# live server and the test share the process, so it is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps reaching for hosts this network
# refuses; without --no-sandbox it does not start as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "ponder-demo-2026"

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def demo(transactional_db, live_server) -> str:
    """The demo programme and cohort, committed so the live server sees them."""
    call_command("load_demo", stdout=StringIO())
    return live_server.url


@pytest.fixture
def sign_in(live_server) -> Callable[..., None]:
    """Sign in through the real form, as a person would."""

    def sign_in_as(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    return sign_in_as
