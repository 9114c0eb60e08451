"""A visitor finds the open demo programme from the home page, reads Thing 1,
presses Join, signs up, verifies, and lands in the cohort as a member; then
links the blog they already write on, and its posts join the cohort."""

import re

import pytest
from playwright.sync_api import expect

from journal.models import Entry
from programmes.models import Cohort, Membership, Programme
from tests.browser.test_journey import verification_link
from tests.feed_server import running_feed_server
from tests.journal.test_linked_blogs import item, rss

VISITOR = {
    "email": "olu@example.org",
    "username": "olu",
    "password": "a long walk by the river",
}


@pytest.fixture
def blog_server(settings):
    settings.PONDER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with running_feed_server() as server:
        server.live["/live/olu.xml"] = rss(
            item("olu-1", "Thing 1: my first steps"),
            item("olu-2", "Notes from the week"),
        )
        yield server


def test_a_visitor_finds_an_open_programme_reads_joins_and_links_their_blog(
    demo, page, blog_server
):
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

    page.get_by_role("link", name="Your blog").click()
    page.get_by_label("Your blog's address, or its feed's").fill(
        blog_server.url("/live/olu.xml")
    )
    page.get_by_role("button", name="Link my blog").click()
    expect(page.get_by_text("Linked.")).to_be_visible()
    matched = page.locator(".linked-post", has_text="Thing 1: my first steps")
    expect(matched.get_by_label("Answers")).to_have_value(
        str(programme.things.get(number=1).pk)
    )
    # The other post: its Thing chosen in one click, the form sends itself.
    second = programme.things.get(number=2)
    unmatched = page.locator(".linked-post", has_text="Notes from the week")
    unmatched.get_by_label("Answers").select_option(str(second.pk))
    expect(page.get_by_text("Saved: “Notes from the week”.")).to_be_visible()
    assert Entry.objects.get(title="Notes from the week").thing == second

    page.get_by_role("link", name="Entries").click()
    page.get_by_role("link", name=programme.things.get(number=1).title).click()
    mine = page.locator(".my-entry")
    expect(mine.get_by_role("link", name="Thing 1: my first steps")).to_be_visible()
    expect(mine.get_by_text("From your blog")).to_be_visible()
