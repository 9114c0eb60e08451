"""The journey through Ponder in a real browser, with and without JavaScript.

A newcomer follows the demo cohort's join link, signs up, verifies, writes on a
Thing with the live preview, publishes to the cohort; Ben comments (htmx, no
reload); the newcomer replies inline and the reply nests under Ben's comment.
Locators are by role and label, so they double as accessibility checks.
"""

import re

from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect

from facilitation.actions import approve_item
from journal.models import Entry
from programmes.models import Cohort, Thing

NEWCOMER = {
    "email": "nia@example.org",
    "username": "nia",
    "password": "a quiet harbour at dawn",
}
THING_12 = "Presenting and slides"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def verification_link(email: str) -> str:
    for message in reversed(mail.outbox):
        if email in message.to and (match := CONFIRM_LINK.search(message.body)):
            return match.group(0)
    raise AssertionError(f"No verification e-mail to {email} in the outbox")


def sign_up_through_join_link(page: Page, join_url: str) -> None:
    page.goto(join_url)
    expect(page.get_by_role("heading", name="Join Demo cohort")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Email").fill(NEWCOMER["email"])
    page.get_by_label("Username").fill(NEWCOMER["username"])
    page.get_by_label("Password", exact=True).fill(NEWCOMER["password"])
    page.get_by_label("Password (again)").fill(NEWCOMER["password"])
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=re.compile("verify", re.I))).to_be_visible()

    page.goto(verification_link(NEWCOMER["email"]))
    page.get_by_role("button", name="Confirm").click()


def comment_item(page: Page, text: str):
    return page.get_by_role("listitem").filter(has=page.get_by_text(text, exact=True))


def test_join_write_comment_and_reply(demo, new_context, sign_in):
    cohort = Cohort.objects.get(slug="demo-cohort")
    thing = Thing.objects.get(programme=cohort.programme, number=12)

    # A newcomer joins through the link, signed out, and creates an account.
    nia = new_context().new_page()
    sign_up_through_join_link(nia, demo + cohort.get_join_url())
    expect(nia).to_have_url(f"{demo}/c/demo-cohort/")
    expect(nia.get_by_role("heading", name="Demo cohort", level=1)).to_be_visible()
    expect(nia.get_by_text("Welcome to Demo cohort!")).to_be_visible()

    # They open Thing 12 and start an entry from its questions.
    nia.get_by_role("link", name=THING_12).click()
    expect(nia.get_by_role("heading", name=THING_12, level=1)).to_be_visible()
    nia.get_by_role("link", name="Write your entry").click()
    body = nia.get_by_label("Your reflection")
    starter = body.input_value()
    for question in thing.questions:
        assert f"## {question}" in starter

    # They write; the preview follows through htmx, questions as headings.
    nia.get_by_label("Title").fill("Half the words, twice the point")
    answer = "The best talk I saw had *one* picture per slide."
    body.fill(starter.replace("\n\n\n\n", f"\n\n{answer}\n\n", 1))
    preview = nia.locator("#preview")
    expect(preview.get_by_role("heading", name=thing.questions[0])).to_be_visible()
    expect(preview.get_by_text("one", exact=True)).to_have_js_property("tagName", "EM")
    nia.get_by_role("radio", name="My cohort").check()
    nia.get_by_role("button", name="Publish").click()
    expect(
        nia.get_by_role("heading", name="Half the words, twice the point")
    ).to_be_visible()
    # A newcomer's first entry in the open demo cohort waits for Fran
    # (test_held_journey.py walks through her queue); she approves it.
    expect(nia.get_by_text("Waiting for approval.")).to_be_visible()
    entry_url = nia.url
    approve_item(
        actor=User.objects.get(username="fran"),
        item=Entry.objects.get(title="Half the words, twice the point"),
    )

    # Ben, a cohort-mate, comments in his own browser; the page is not reloaded.
    ben = new_context().new_page()
    sign_in(ben, "ben@example.org")
    ben.goto(entry_url)
    ben.evaluate("window.ponderMarker = 'same page'")
    ben_says = "Half the words is brave. Which slide was hardest to cut?"
    ben.get_by_label("Your comment").fill(ben_says)
    ben.get_by_role("button", name="Post comment").click()
    expect(comment_item(ben, ben_says)).to_be_visible()
    expect(comment_item(ben, ben_says)).to_be_focused()
    assert ben.evaluate("window.ponderMarker") == "same page"
    expect(ben.get_by_label("Your comment")).to_have_value("")

    # The newcomer replies inline under Ben's comment, again without a reload.
    nia.goto(entry_url)
    nia.evaluate("window.ponderMarker = 'same page'")
    bens_comment = comment_item(nia, ben_says)
    bens_comment.get_by_text("Reply", exact=True).click()
    nia_says = "The one with the budget table, of course."
    reply_box = bens_comment.get_by_label(re.compile("Reply to Ben"))
    expect(reply_box).to_be_focused()
    reply_box.fill(nia_says)
    bens_comment.get_by_role("button", name="Post reply").click()
    reply = nia.get_by_role("listitem", level=2).filter(
        has=nia.get_by_text(nia_says, exact=True)
    )
    expect(reply).to_be_visible()
    assert nia.evaluate("window.ponderMarker") == "same page"
    # Replies follow their parent in the thread, one level deeper.
    following = comment_item(nia, ben_says).locator("xpath=following-sibling::li[1]")
    expect(following).to_contain_text(nia_says)
    expect(comment_item(nia, ben_says)).to_have_attribute("aria-level", "1")


def test_writing_and_commenting_work_without_javascript(demo, new_context, sign_in):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "ada@example.org")

    # Ada writes on Thing 12; Preview is a plain form post that keeps her text.
    page.goto(f"{demo}/c/demo-cohort/")
    page.get_by_role("link", name=THING_12).click()
    page.get_by_role("link", name="Write your entry").click()
    page.get_by_label("Title").fill("Slides for the induction talk")
    page.get_by_label("Your reflection").fill("## Before\n\nNine bullets a slide.")
    page.get_by_role("button", name="Preview").click()
    expect(
        page.locator("#preview").get_by_role("heading", name="Before")
    ).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Slides for the induction talk")
    page.get_by_role("radio", name="My cohort").check()
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_role("heading", name="Slides for the induction talk")
    ).to_be_visible()
    expect(page.get_by_text("Nine bullets a slide.")).to_be_visible()

    # She comments and replies on her own entry by plain form posts.
    page.get_by_label("Your comment").fill("A note to self: ask Fran for a slot.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Comment posted.")).to_be_visible()
    first = comment_item(page, "A note to self: ask Fran for a slot.")
    expect(first).to_be_visible()
    first.get_by_text("Reply", exact=True).click()
    first.get_by_label(re.compile("Reply to")).fill("Booked for June.")
    first.get_by_role("button", name="Post reply").click()
    expect(
        page.get_by_role("listitem", level=2).filter(
            has=page.get_by_text("Booked for June.", exact=True)
        )
    ).to_be_visible()


def test_a_blank_comment_gets_its_error_beside_the_field(demo, page, sign_in):
    """The server answers 422 with the thread; htmx must swap it in, not drop it."""
    sign_in(page, "ben@example.org")
    page.goto(f"{demo}/@ada/hello-journal-and-hello-nerves/")
    page.evaluate("window.ponderMarker = 'same page'")
    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()
    field = page.get_by_label("Your comment")
    # The error is shown above the field and read out with it.
    expect(field).to_have_accessible_description(re.compile("required|write", re.I))
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    assert page.evaluate("window.ponderMarker") == "same page"
