"""Full-page screenshots of Ponder's main screens, for looking at the design.

Run against a server that has the demo loaded (`python manage.py load_demo`):

    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000 \
        --out screenshots/

It signs in as the demo users through the sign-in form (ada and ben,
participants; fran, the facilitator) and saves PNGs named
`<screen>-<width>.png` at 1280 and 390 px wide. Pages wider than the window are
reported: nothing should scroll sideways. Uses Debian's Chromium (`--chromium`
to change it); screenshots/ is git-ignored. `--only NAME` (repeatable) takes
just the screens whose names start with NAME. `--sign-up` also signs up a
throwaway account (shot<timestamp>@example.org) to show the "verify your
e-mail" page; it then shows on the people page, so it is off by default.

Screens: landing, sign-in, sign-up, password reset, an invalid confirmation
link, the join link signed out, the most-commented entry signed out; as ada the
dashboard, cohort page, Things 12 and 3, the editor (her Thing 11 draft, a new
entry on Thing 12, a free reflection), the most-commented entry, her journal,
the people page, her profile, e-mail and password pages; as fran the dashboard,
people page, studio, the programme and the cohort's studio page, schedule,
progress grid and members page; ada's CPD log and export page; and the
sign-in and sign-up forms with errors.

The community screens: the most-commented entry (the demo's long thread) as
ben, who must not see its private exchange, and as fran; who liked it; the
report form for one of its comments; ada's notifications and e-mail settings;
search results; the cohort page filtered and waiting for a first comment, and
as fran (with the count still waiting); fran's moderation queue and log; and
the feeds page.
"""

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

PASSWORD = "ponder-demo-2026"
COHORT = "demo-cohort"
WIDTHS = (1280, 390)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def sign_in(context: BrowserContext, base: str, email: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    page.close()


def most_commented_entry(page: Page, base: str) -> str:
    """Walk the cohort's pages of entries; the URL of the most commented one."""
    best, best_count = "", -1
    url = f"{base}/c/{COHORT}/"
    while url:
        page.goto(url)
        for card in page.locator(".entry-card").all():
            found = re.search(r"(\d+) comments?", card.inner_text())
            count = int(found.group(1)) if found else 0
            if count > best_count:
                link = card.get_by_role("link").first.get_attribute("href")
                best, best_count = link, count
        older = page.get_by_role("link", name=re.compile("Older"))
        # Pagination links are relative: "?page=2".
        url = (
            f"{base}/c/{COHORT}/{older.first.get_attribute('href')}"
            if (older.count())
            else ""
        )
    return base + best


def first_link(page: Page, url: str, section: str) -> str:
    """The first link in the section headed `section` of the page at `url`."""
    page.goto(url)
    heading = page.get_by_role("heading", name=section)
    link = page.locator("section", has=heading).get_by_role("link").first
    return link.get_attribute("href")


def screens(browser: Browser, base: str) -> list[tuple[str, str, BrowserContext]]:
    """(name, url, context) for every screen, each context signed in as needed."""
    visitor = browser.new_context()
    ada = browser.new_context()
    sign_in(ada, base, "ada@example.org")
    fran = browser.new_context()
    sign_in(fran, base, "fran@example.org")
    ben = browser.new_context()
    sign_in(ben, base, "ben@example.org")

    page = ada.new_page()
    thread = most_commented_entry(page, base)
    page.goto(f"{base}/")
    drafts = page.locator("section", has=page.get_by_role("heading", name="Drafts"))
    thing_11 = drafts.get_by_role("listitem").filter(has_text="Thing 11")
    draft = thing_11.get_by_role("link").first.get_attribute("href")
    page.close()
    page = ben.new_page()
    page.goto(thread)
    report = page.get_by_role("link", name=re.compile("^Report the comment")).first
    report_comment = report.get_attribute("href")
    page.close()
    page = fran.new_page()
    programme = first_link(page, f"{base}/studio/", "Your programmes")
    page.goto(base + programme)
    thing = page.get_by_role("link", name="Presenting and slides").get_attribute("href")
    page.goto(f"{base}/studio/cohorts/{COHORT}/")
    join = page.get_by_role("textbox", name="Join link").input_value()
    page.close()

    return [
        ("landing", f"{base}/", visitor),
        ("sign-in", f"{base}/accounts/login/", visitor),
        ("sign-up", f"{base}/accounts/signup/", visitor),
        ("password-reset", f"{base}/accounts/password/reset/", visitor),
        ("confirm-email-invalid", f"{base}/accounts/confirm-email/nope/", visitor),
        ("join-signed-out", join, visitor),
        ("entry-signed-out", thread, visitor),
        ("dashboard", f"{base}/", ada),
        ("cohort", f"{base}/c/{COHORT}/", ada),
        ("thing-12", f"{base}/c/{COHORT}/things/presenting-and-slides/", ada),
        ("thing-3", f"{base}/c/{COHORT}/things/blogging/", ada),
        ("editor-draft", base + draft, ada),
        ("editor-new", f"{base}/write/{COHORT}/presenting-and-slides/", ada),
        ("editor-free", f"{base}/write/", ada),
        ("entry-thread", thread, ada),
        ("journal", f"{base}/@ada/", ada),
        ("people", f"{base}/c/{COHORT}/people/", ada),
        ("profile", f"{base}/accounts/profile/", ada),
        ("email", f"{base}/accounts/email/", ada),
        ("password-change", f"{base}/accounts/password/change/", ada),
        ("dashboard-fran", f"{base}/", fran),
        ("people-fran", f"{base}/c/{COHORT}/people/", fran),
        ("studio", f"{base}/studio/", fran),
        ("studio-programme", base + programme, fran),
        ("studio-cohort", f"{base}/studio/cohorts/{COHORT}/", fran),
        ("studio-thing", base + thing, fran),
        ("schedule", f"{base}/studio/cohorts/{COHORT}/schedule/", fran),
        ("progress", f"{base}/c/{COHORT}/progress/", fran),
        ("members", f"{base}/studio/cohorts/{COHORT}/members/", fran),
        ("cpd-log", f"{base}/cpd/", ada),
        ("export", f"{base}/export/", ada),
        ("entry-thread-ben", thread, ben),
        ("entry-thread-fran", thread, fran),
        ("likers", f"{thread}likes/", ada),
        ("report-comment", base + report_comment, ben),
        ("notifications", f"{base}/notifications/", ada),
        ("notification-settings", f"{base}/notifications/settings/", ada),
        ("search", f"{base}/search/?q=captions", ada),
        ("search-filtered", f"{base}/search/?q=video&person=ada", ben),
        ("search-empty", f"{base}/search/?q=zeppelin", ada),
        ("cohort-filtered", f"{base}/c/{COHORT}/?person=ben", ada),
        ("cohort-waiting", f"{base}/c/{COHORT}/?waiting=1", ada),
        ("cohort-fran", f"{base}/c/{COHORT}/", fran),
        ("moderation", f"{base}/c/{COHORT}/moderation/", fran),
        ("moderation-log", f"{base}/c/{COHORT}/moderation/log/", fran),
        ("feeds", f"{base}/feeds/", ada),
    ]


def form_states(base: str, sign_up: bool) -> list[tuple[str, Callable]]:
    """Screens that need a form filled in first: errors, verification sent."""

    def bad_sign_in(page: Page) -> None:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill("ada@example.org")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in").click()

    def bad_sign_up(page: Page) -> None:
        page.goto(f"{base}/accounts/signup/")
        page.get_by_label("Email").fill("ada@example.org")
        page.get_by_label("Username").fill("a")
        page.get_by_label("Password", exact=True).fill("short")
        page.get_by_label("Password (again)").fill("shorter")
        page.get_by_role("button", name="Sign up").click()

    def verification_sent(page: Page) -> None:
        stamp = int(time.time() * 1000)
        page.goto(f"{base}/accounts/signup/")
        page.get_by_label("Email").fill(f"shot{stamp}@example.org")
        page.get_by_label("Username").fill(f"shot{stamp}")
        page.get_by_label("Password", exact=True).fill("a quiet harbour at dawn")
        page.get_by_label("Password (again)").fill("a quiet harbour at dawn")
        page.get_by_role("button", name="Sign up").click()

    states = [("sign-in-error", bad_sign_in), ("sign-up-errors", bad_sign_up)]
    if sign_up:
        states.append(("verification-sent", verification_sent))
    return states


def shoot(page: Page, out: Path, name: str, width: int) -> None:
    page.wait_for_load_state("networkidle")
    path = out / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    note = f"  OVERFLOWS by {overflow}px" if overflow > 0 else ""
    print(f"{path}{note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument(
        "--sign-up",
        action="store_true",
        help="also sign up a throwaway account to show 'verify your e-mail'",
    )
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)

    def wanted(name: str) -> bool:
        return not args.only or any(name.startswith(o) for o in args.only)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=CHROMIUM_ARGS
        )
        for name, url, context in screens(browser, base):
            if not wanted(name):
                continue
            page = context.new_page()
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(url)
                shoot(page, args.out, name, width)
            page.close()
        visitor = browser.new_context()
        for name, fill in form_states(base, args.sign_up):
            if not wanted(name):
                continue
            for width in WIDTHS:
                page = visitor.new_page()
                page.set_viewport_size({"width": width, "height": 900})
                fill(page)
                shoot(page, args.out, name, width)
                page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
