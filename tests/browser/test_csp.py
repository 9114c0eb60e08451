"""Ponder works under its Content-Security-Policy: no page trips a violation.

The policy allows no inline script or style, so a stray `style=` attribute, an
inline handler or htmx's own indicator <style> would show up here as a console
error ("Refused to apply inline style ...") or a securitypolicyviolation event.
"""

from django.urls import reverse
from playwright.sync_api import Page, expect

from journal.models import Entry
from programmes.models import Cohort

# Chromium reports each blocked resource on the console and fires this event;
# an init script runs before the page's own and is not subject to the policy.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


def assert_no_violations(page: Page, problems: list[str]) -> None:
    assert page.evaluate("window.cspViolations") == []
    assert problems == []


def test_the_policy_is_on_for_the_live_server(demo, page):
    response = page.goto(f"{demo}/accounts/login/")

    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_reading_and_commenting_through_htmx_trip_no_violation(demo, page, sign_in):
    problems = watch(page)
    sign_in(page, "ben@example.org")
    entry = Entry.objects.filter(author__username="ada", comments__isnull=False)[0]

    page.goto(demo + entry.get_absolute_url())
    page.evaluate("window.ponderMarker = 'same page'")
    page.get_by_label("Your comment").fill("Read under a strict policy.")
    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_text("Read under a strict policy.", exact=True)).to_be_visible()
    assert page.evaluate("window.ponderMarker") == "same page"
    assert_no_violations(page, problems)


def test_the_editor_and_its_htmx_preview_trip_no_violation(demo, page, sign_in):
    problems = watch(page)
    sign_in(page, "ada@example.org")

    page.goto(demo + reverse("journal:write"))
    page.get_by_label("Title").fill("Under policy")
    page.get_by_label("Your reflection").fill("## Heading\n\nSome *emphasis*.")

    preview = page.locator("#preview")
    expect(preview.get_by_role("heading", name="Heading")).to_be_visible()
    expect(preview.locator("em")).to_have_text("emphasis")
    assert_no_violations(page, problems)


def test_the_facilitators_pages_trip_no_violation(demo, page, sign_in):
    problems = watch(page)
    sign_in(page, "fran@example.org")
    cohort = Cohort.objects.get(slug="demo-cohort")
    thing = cohort.programme.things.get(number=1)

    for path in [
        reverse("home"),
        reverse("studio:index"),
        f"/c/{cohort.slug}/",
        f"/c/{cohort.slug}/progress/",
    ]:
        page.goto(demo + path)
        assert_no_violations(page, problems)

    page.goto(
        demo
        + reverse(
            "studio:edit_thing",
            kwargs={"slug": cohort.programme.slug, "thing_slug": thing.slug},
        )
    )
    page.get_by_label("Introduction").fill("Now with **bold** words.")
    expect(page.locator("#preview")).to_have_text("Now with bold words.")
    expect(page.locator("#preview strong")).to_have_text("bold")
    assert_no_violations(page, problems)
