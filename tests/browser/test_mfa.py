"""Two-factor sign-in in a real browser: a facilitator made to set it up reads
the secret off the page, then signs in again with a code."""

import time

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.accounts.test_mfa import totp_code
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_csp import assert_no_violations, watch


def fresh_code(secret: str) -> str:
    """A code with a few seconds left to live, so it is still good when posted."""
    if 30 - time.time() % 30 < 3:
        time.sleep(3)
    return totp_code(secret)


def submit_password(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_facilitator_sets_up_an_authenticator_app_and_signs_in_with_it(
    demo, page, settings
):
    settings.PONDER_REQUIRE_FACILITATOR_MFA = True
    problems = watch(page)
    page.goto(f"{demo}{reverse('account_login')}")
    submit_password(page, "fran@example.org")

    # Sent to set it up, after confirming the password once more.
    expect(page.get_by_text("Facilitators on this site sign in")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    activate_heading = page.get_by_role("heading", name="Activate authenticator app")
    expect(activate_heading).to_be_visible()
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(fresh_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_label("Unused codes")).to_be_visible()
    assert_no_violations(page, problems)

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{demo}{reverse('account_login')}")
    submit_password(page, "fran@example.org")
    second_step = page.get_by_role("heading", name="Two-factor authentication")
    expect(second_step).to_be_visible()
    page.get_by_label("Code").fill(fresh_code(secret))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"{demo}{reverse('studio:index')}")
    assert page.url == f"{demo}{reverse('studio:index')}"
