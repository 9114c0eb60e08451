"""Sign-up in a real browser with a minimum time (5 s here, 3 by default):
sent at once it comes back with a message and the details kept; sent again
later it goes through. The field for robots stays empty and out of the
keyboard's way."""

import re

from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

NEWCOMER = {"email": "kit@example.org", "username": "kit", "password": "tea at four"}


def test_a_person_signing_up_too_fast_is_asked_again_and_gets_in(
    live_server, transactional_db, page, settings
):
    settings.PONDER_SIGNUP_MIN_SECONDS = 5
    page.goto(live_server.url + reverse("account_signup"))
    page.get_by_label("Your name").fill("Kit Quick")
    page.get_by_label("Email").fill(NEWCOMER["email"])
    page.get_by_label("Username").fill(NEWCOMER["username"])
    page.get_by_label("Password", exact=True).fill(NEWCOMER["password"])
    page.get_by_label("Password (again)").fill(NEWCOMER["password"])
    page.get_by_label("Password (again)").press("Tab")
    expect(page.get_by_role("button", name="Sign up")).to_be_focused()
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_text("sooner than anyone can fill in the form")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Kit Quick")
    assert not User.objects.exists()

    page.wait_for_timeout(5000)
    page.get_by_label("Password", exact=True).fill(NEWCOMER["password"])
    page.get_by_label("Password (again)").fill(NEWCOMER["password"])
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", name=re.compile("verify", re.I))).to_be_visible()
    assert User.objects.filter(username="kit").exists()
