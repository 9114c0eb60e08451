"""A visitor finds the open demo programme from the home page, reads Thing 1,
presses Join, signs up, verifies, and lands in the cohort as a member."""

import re

from playwright.sync_api import expect

from programmes.models import Cohort, Membership, Programme
from tests.browser.test_journey import verification_link

VISITOR = {
    "email": "olu@example.org",
    "username": "olu",
    "password": "a long walk by the river",
}


def test_a_visitor_finds_an_open_programme_reads_and_joins(demo, page):
    programme = Programme.objects.get()
    first = programme.things.get(number=1)

    page.goto(demo)
    page.get_by_role("link", name=programme.title).click()
    expect(page.get_by_role("heading", name=programme.title, level=1)).to_be_visible()

    page.get_by_role("link", name=str(first)).click()
    expect(page.get_by_role("heading", name=first.title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Questions to consider")).to_be_visible()

    page.get_by_role("link", name=programme.title).click()
    page.get_by_role("button", name="Join Demo cohort").click()
    expect(page.get_by_role("heading", name="Join Demo cohort")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Olu Visitor")
    page.get_by_label("Email").fill(VISITOR["email"])
    page.get_by_label("Username").fill(VISITOR["username"])
    page.get_by_label("Password", exact=True).fill(VISITOR["password"])
    page.get_by_label("Password (again)").fill(VISITOR["password"])
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=re.compile("verify", re.I))).to_be_visible()

    page.goto(verification_link(VISITOR["email"]))
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(f"{demo}/c/demo-cohort/")
    expect(page.get_by_text("Welcome to Demo cohort!")).to_be_visible()
    cohort = Cohort.objects.get(slug="demo-cohort")
    assert cohort.memberships.get(user__username="olu").role == (
        Membership.Role.PARTICIPANT
    )
