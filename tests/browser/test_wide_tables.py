"""Wide tables scroll inside their own box, at a laptop's width and a phone's:
no column is clipped, and the page itself never scrolls sideways (issue 16)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from facilitation.management.commands.load_demo import DEMO_COHORT_SLUG

WIDTHS = [1280, 390]

#: Pages with a wide table, as the demo's facilitator sees them.
PAGES = [
    reverse("facilitation:progress", kwargs={"cohort": DEMO_COHORT_SLUG}),
    reverse("facilitation:certificates", kwargs={"cohort": DEMO_COHORT_SLUG}),
    reverse("studio:schedule", kwargs={"slug": DEMO_COHORT_SLUG}),
    reverse("studio:members", kwargs={"slug": DEMO_COHORT_SLUG}),
    reverse("journal:people", kwargs={"cohort": DEMO_COHORT_SLUG}),
]

PAGE_SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def assert_no_sideways_page_scroll(page: Page) -> None:
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS), page.url


@pytest.fixture
def fran(demo, sign_in, page: Page) -> Page:
    sign_in(page, "fran@example.org")
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_every_wide_table_scrolls_in_its_own_box(demo, fran: Page, width):
    fran.set_viewport_size({"width": width, "height": 800})
    for path in PAGES:
        fran.goto(demo + path)
        region = fran.locator(".table-scroll").first
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_attribute("role", "region")
        assert region.get_attribute("aria-labelledby") or region.get_attribute(
            "aria-label"
        )
        assert_no_sideways_page_scroll(fran)
        last_column = region.locator("thead th").last
        last_column.scroll_into_view_if_needed()
        expect(last_column).to_be_in_viewport()
        assert_no_sideways_page_scroll(fran)


def test_the_progress_grid_scrolls_sideways_by_keyboard_on_a_phone(demo, fran: Page):
    fran.set_viewport_size({"width": 390, "height": 844})
    fran.goto(demo + PAGES[0])
    region = fran.get_by_role("region", name="Things done by each participant")
    last_column = region.locator("thead th").last
    expect(last_column).to_have_text("Last entry")
    # Too wide for the phone: the last column starts out of view.
    expect(last_column).not_to_be_in_viewport()

    region.focus()
    for _ in range(60):
        fran.keyboard.press("ArrowRight")
        if last_column.evaluate(
            "th => th.getBoundingClientRect().right <= window.innerWidth"
        ):
            break

    expect(last_column).to_be_in_viewport(ratio=1)
    assert_no_sideways_page_scroll(fran)
    # The names column stays in view while the grid scrolls.
    first_name = region.locator("tbody th").first
    expect(first_name).to_be_in_viewport(ratio=1)
