"""axe-core on every main page: signed out and as each persona, desktop and phone.

axe-core comes from npm (package.json, installed by `make test`) and is injected
with `page.evaluate`, since the site's Content-Security-Policy refuses the
inline script tag Playwright's `add_script_tag` would add. A serious or
critical violation fails; each test visits all its pages first and then reports
every violation it found, with the rule, its help text and the elements.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from playwright.sync_api import Browser, Page

from accounts.models import Profile
from journal.models import Comment, Entry
from programmes.models import Cohort, Thing
from tests.browser.conftest import DEMO_PASSWORD

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
FAILING_IMPACTS = {"serious", "critical"}
#: WCAG 2.0, 2.1 and 2.2 at A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        if shutil.which("npm") is None:
            pytest.skip("axe-core needs npm: install Node.js, then run `make test`")
        pytest.fail(f"{AXE_JS} is missing: run `make test` (it runs `npm ci`)")
    return AXE_JS.read_text()


def axe_violations(page: Page, source: str) -> list[dict]:
    """Run axe on the page as it is and return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)[
        "violations"
    ]


def describe(label: str, violations: list[dict]) -> str:
    lines = [label]
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}"
            f" {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def audit(page: Page, base: str, paths: list[str], source: str) -> list[str]:
    """Each path at each width; a report for each page with a serious finding."""
    problems = []
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.ok, (
                f"{path}: HTTP {response and response.status}"
            )
            page.wait_for_load_state("load")
            bad = [
                v
                for v in axe_violations(page, source)
                if v["impact"] in FAILING_IMPACTS
            ]
            if bad:
                problems.append(describe(f"{path} at {width_name} ({width}px):", bad))
    return problems


def assert_no_problems(problems: list[str]) -> None:
    assert not problems, (
        "axe-core found serious or critical violations:\n\n" + "\n\n".join(problems)
    )


@pytest.fixture
def signed_in_page(browser: Browser, sign_in) -> Callable[[str], Page]:
    """A fresh browser context signed in as the person with this e-mail."""
    contexts = []

    def page_for(email: str) -> Page:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        sign_in(page, email)
        return page

    yield page_for
    for context in contexts:
        context.close()


def demo_cohort() -> Cohort:
    return Cohort.objects.select_related("programme").get(slug="demo-cohort")


def open_thing(cohort: Cohort) -> Thing:
    return Thing.objects.filter(
        programme=cohort.programme, status=Thing.Status.PUBLISHED, number=3
    ).get()


def entry_with_thread(cohort: Cohort) -> Entry:
    """A cohort-visible entry by Ada with at least one reply in its comments."""
    reply = (
        Comment.objects.filter(
            parent__isnull=False,
            entry__cohort=cohort,
            entry__author__username="ada",
            entry__status=Entry.Status.PUBLISHED,
        )
        .select_related("entry__author")
        .first()
    ) or Comment.objects.filter(
        parent__isnull=False, entry__cohort=cohort
    ).select_related("entry__author").first()
    assert reply is not None, "the demo should have a threaded conversation"
    return reply.entry


def public_entry() -> Entry:
    entry = (
        Entry.objects.filter(
            status=Entry.Status.PUBLISHED, visibility=Entry.Visibility.PUBLIC
        )
        .select_related("author")
        .first()
    )
    assert entry is not None, "the demo should have a public entry"
    return entry


def adas_published(cohort: Cohort) -> Entry:
    return Entry.objects.filter(
        author__username="ada", cohort=cohort, status=Entry.Status.PUBLISHED
    ).first()


def adas_draft(cohort: Cohort) -> Entry:
    draft = Entry.objects.filter(
        author__username="ada", status=Entry.Status.DRAFT
    ).first()
    if draft is None:
        from journal import actions

        draft = actions.save_entry(
            entry=Entry(
                author=User.objects.get(username="ada"),
                cohort=cohort,
                thing=open_thing(cohort),
                title="Half a thought",
                body="## Notes\n\nStill *thinking*.",
                visibility=Entry.Visibility.COHORT,
            ),
            publish=False,
        )
    return draft


def make_user(username: str, display_name: str, *, facilitator: bool = False) -> str:
    email = f"{username}@example.org"
    user = User.objects.create_user(username, email, DEMO_PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.update_or_create(user=user, defaults={"display_name": display_name})
    if facilitator:
        user.user_permissions.add(
            Permission.objects.get(
                codename="add_programme", content_type__app_label="programmes"
            )
        )
    return email


def test_signed_out_pages(demo, page: Page, axe_source):
    cohort = demo_cohort()
    entry = public_entry()
    paths = [
        reverse("home"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        entry.get_absolute_url(),
        reverse("journal:journal", args=[entry.author.username]),
        cohort.get_join_url(),
        cohort.programme.get_public_url(),
        open_thing(cohort).get_public_url(),
        reverse("accessibility"),
    ]
    assert_no_problems(audit(page, demo, paths, axe_source))


def test_participant_pages(demo, signed_in_page, axe_source):
    cohort = demo_cohort()
    thing = open_thing(cohort)
    threaded = entry_with_thread(cohort)
    draft = adas_draft(cohort)
    ada = signed_in_page("ada@example.org")
    paths = [
        reverse("home"),
        reverse("journal:cohort", args=[cohort.slug]),
        reverse("journal:thing", args=[cohort.slug, thing.slug]),
        reverse("journal:write_on_thing", args=[cohort.slug, thing.slug]),
        reverse("journal:edit_entry", args=["ada", draft.slug]),
        threaded.get_absolute_url(),
        reverse("journal:journal", args=["ada"]),
        reverse("journal:people", args=[cohort.slug]),
        reverse("accounts:profile"),
        reverse("journal:cpd_log"),
        reverse("journal:export"),
        reverse("journal:history", args=[threaded.author.username, threaded.slug])
        if threaded.author.username == "ada"
        else reverse("journal:history", args=["ada", draft.slug]),
        reverse("journal:reflection", args=["ada", adas_published(cohort).slug]),
        reverse("accessibility"),
    ]
    assert_no_problems(audit(ada, demo, paths, axe_source))


def test_facilitator_pages(demo, signed_in_page, axe_source):
    cohort = demo_cohort()
    thing = open_thing(cohort)
    programme = cohort.programme
    fran = signed_in_page("fran@example.org")
    entry = entry_with_thread(cohort)
    paths = [
        reverse("home"),
        reverse("studio:index"),
        reverse("studio:programme", args=[programme.slug]),
        reverse("studio:edit_thing", args=[programme.slug, thing.slug]),
        reverse("studio:cohort", args=[cohort.slug]),
        reverse("studio:schedule", args=[cohort.slug]),
        reverse("facilitation:progress", args=[cohort.slug]),
        reverse("studio:members", args=[cohort.slug]),
        reverse("facilitation:compose_nudge", args=[cohort.slug]),
        entry_with_thread(cohort).get_absolute_url(),
        # The questions asked before acting.
        reverse("studio:unpublish_thing", args=[programme.slug, thing.slug]),
        reverse(
            "studio:release_now", args=[cohort.slug, cohort.next_release().thing.slug]
        ),
        reverse("studio:move_later_dates", args=[cohort.slug]),
        reverse("studio:new_cohort", args=[programme.slug]),
        reverse(
            "studio:remove_member",
            args=[cohort.slug, cohort.memberships.filter(role="participant")[0].pk],
        ),
        reverse("facilitation:hide_entry", args=[cohort.slug, entry.pk]),
    ]
    assert_no_problems(audit(fran, demo, paths, axe_source))


def test_other_personas_pages(demo, signed_in_page, axe_source):
    """A cohort-mate, an outsider and another programme's facilitator: the same
    templates, with what each is allowed to see and do."""
    cohort = demo_cohort()
    thing = open_thing(cohort)
    threaded = entry_with_thread(cohort)
    entry = public_entry()
    mate = "ben" if threaded.author.username != "ben" else "priya"
    pages = {
        f"{mate}@example.org": [
            reverse("home"),
            reverse("journal:thing", args=[cohort.slug, thing.slug]),
            threaded.get_absolute_url(),
        ],
        make_user("oscar", "Oscar Outsider"): [
            reverse("home"),
            reverse("journal:journal", args=[entry.author.username]),
            entry.get_absolute_url(),
        ],
        make_user("gus", "Gus Other-Facilitator", facilitator=True): [
            reverse("home"),
            reverse("studio:index"),
            reverse("studio:new_programme"),
        ],
    }
    problems = []
    for email, paths in pages.items():
        page = signed_in_page(email)
        problems += [f"as {email}: {p}" for p in audit(page, demo, paths, axe_source)]
    assert_no_problems(problems)
