"""The journey with the keyboard alone: no clicks, no fills, no mouse.

After the first `page.goto`, Ada moves with Tab and Shift+Tab, acts with Enter,
Space and the arrow keys, and types. On the way the test checks the skip link,
that whatever has focus is visibly outlined, that fields are found by their
labels, and that an error message is tied to its field.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from journal.models import Comment, Entry
from tests.browser.conftest import DEMO_PASSWORD

MAX_TABS = 150

#: What has focus: its tag, type, accessible-ish name, id and whether it shows.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const labels = el.labels ? Array.from(el.labels).map(l => l.innerText.trim()) : [];
  const labelledby = (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
    .map(id => document.getElementById(id)).filter(Boolean)
    .map(e => e.innerText.trim());
  const name = (el.getAttribute('aria-label') || labels.join(' ')
    || labelledby.join(' ') || el.innerText || el.value || '').trim();
  // A radio's ring is drawn on its label (ponder.css), so look there as well.
  const ringed = [el, el.closest('label')].filter(Boolean);
  const ring = ringed.some(e => {
    const style = getComputedStyle(e);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
  });
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id,
    name: name.replace(/\\s+/g, ' '), focusVisible: el.matches(':focus-visible'),
    ring: ring, checked: !!el.checked,
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED_JS)


def assert_focus_visible(page: Page) -> dict:
    now = focused(page)
    assert now is not None, "nothing has focus"
    assert now["focusVisible"], f"{now} does not match :focus-visible"
    assert now["ring"], f"{now} has focus but no outline or box-shadow"
    return now


def tab_to(page: Page, name: str | re.Pattern, *, tag: str = "", back=False) -> dict:
    """Press Tab (Shift+Tab with back) until the focused element's name matches."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if now and pattern.search(now["name"]) and (not tag or now["tag"] == tag):
            return assert_focus_visible(page)
        seen.append(now and f"{now['tag']}:{now['name'][:40]}")
    raise AssertionError(f"Tab never reached {name!r}; passed {seen[-30:]}")


def test_keyboard_only_journey(demo, page: Page):
    keys = page.keyboard
    page.goto(demo + "/")

    # The first Tab is the skip link, visible when focused; Enter moves to main.
    keys.press("Tab")
    first = assert_focus_visible(page)
    assert first["name"] == "Skip to content"
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Sign in through the form.
    tab_to(page, re.compile(r"^Sign in$"), tag="a")
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    tab_to(page, re.compile(r"^Email"), tag="input")
    keys.type("ada@example.org")
    tab_to(page, re.compile(r"^Password"), tag="input")
    keys.type(DEMO_PASSWORD)
    tab_to(page, re.compile(r"^Sign in$", re.I), tag="button")
    keys.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    # From the dashboard to the cohort, then to an open Thing with no entry yet.
    tab_to(page, re.compile(r"^Demo cohort$"), tag="a")
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Demo cohort", level=1)).to_be_visible()
    tab_to(page, "Presenting and slides", tag="a")
    keys.press("Enter")
    expect(
        page.get_by_role("heading", name="Presenting and slides", level=1)
    ).to_be_visible()
    tab_to(page, "Write your entry", tag="a")
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Write your entry")).to_be_visible()

    # Title and body by their labels; the body starts from the Thing's questions.
    tab_to(page, re.compile(r"^Title"), tag="input")
    keys.type("Slides I could read from the back")
    tab_to(page, re.compile(r"^Your reflection"), tag="textarea")
    keys.press("Control+End")
    keys.type("\nOne idea a slide, and large type.")
    assert_focus_visible(page)

    # "Who can read it": into the radio group, then arrows choose "My cohort".
    radio = tab_to(page, re.compile(r"Only me|My cohort|Everyone"), tag="input")
    assert radio["type"] == "radio"
    cohort_radio = page.get_by_role("radio", name="My cohort")
    for _ in range(4):
        if cohort_radio.is_checked():
            break
        keys.press("ArrowDown")
    expect(cohort_radio).to_be_checked()
    expect(cohort_radio).to_be_focused()
    assert_focus_visible(page)

    tab_to(page, re.compile(r"^Publish$"), tag="button")
    keys.press("Enter")
    expect(
        page.get_by_role("heading", name="Slides I could read from the back")
    ).to_be_visible()
    expect(page.get_by_text("Published.")).to_be_visible()
    entry = Entry.objects.get(author__username="ada", title__startswith="Slides I")
    assert entry.visibility == Entry.Visibility.COHORT
    assert "One idea a slide" in entry.body

    # An entry with comments: follow a comment's "Reply" link with Enter.
    comment = (
        Comment.objects.filter(entry__author__username="ada", parent__isnull=True)
        .exclude(author__username="ada")
        .select_related("entry__author", "author")
        .first()
    )
    if comment is None:
        pytest.fail("the demo should have a comment on one of Ada's entries")
    page.goto(demo + comment.entry.get_absolute_url())
    keys.press("Tab")  # the skip link again
    keys.press("Enter")
    reply_name = f"Reply to {comment.author.profile.display_name}"
    reply_link = page.locator(f"#{comment.anchor} a.reply-link")
    for _ in range(20):  # past the other comments' Reply links
        tab_to(page, re.compile(r"^Reply$"), tag="a")
        if reply_link.evaluate("el => el === document.activeElement"):
            break
    keys.press("Enter")
    # The form takes the link's place, its text box focused.
    expect(page.get_by_label(reply_name)).to_be_focused()
    assert_focus_visible(page)
    keys.type("Thank you: I will try the large type next week.")
    tab_to(page, "Post reply", tag="button")
    keys.press("Enter")
    reply = page.get_by_role("listitem").filter(
        has=page.get_by_text("Thank you: I will try the large type next week.")
    )
    expect(reply).to_be_visible()
    expect(reply).to_have_attribute("aria-level", "2")

    # An empty comment (only spaces pass the browser's own check) is refused, and
    # the error is tied to its field for a screen reader.
    tab_to(page, re.compile(r"^Your comment"), tag="textarea")
    keys.type("   ")
    tab_to(page, "Post comment", tag="button")
    keys.press("Enter")
    field = page.get_by_label("Your comment")
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    messages = [
        page.locator(f"[id='{ident}']").inner_text() for ident in described_by.split()
    ]
    assert any(re.search("required|empty|write", m, re.I) for m in messages), (
        f"aria-describedby={described_by!r} points at {messages!r}"
    )
