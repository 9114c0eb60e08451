"""No lost writing, in a real browser: offline, an expired session, two tabs.

The editor autosaves about two seconds after the writer stops typing; the tests
shorten that wait through the form's data-autosave-delay, the one knob the
script reads on every keystroke, so each scenario runs in a few seconds.
"""

import re

from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from journal import actions as journal_actions
from journal.models import Entry

MINUS = "\N{MINUS SIGN}"  # what the diff marks removed lines with
SAVED = re.compile(r"^Saved at \d")
OFFLINE = "Not saved: offline, kept on this device"
SIGNED_OUT = (
    "Not saved: signed out — sign in again in another tab; "
    "your text is kept on this device"
)


def open_editor(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("form[data-autosave-url]").evaluate(
        "form => { form.dataset.autosaveDelay = '250'; }"
    )


def status(page: Page):
    return page.locator("[data-autosave-status]")


def local_copy(page: Page) -> dict | None:
    return page.evaluate(
        """() => {
          const form = document.querySelector("form[data-autosave-url]");
          return JSON.parse(localStorage.getItem(form.dataset.localCopyKey));
        }"""
    )


def start_free_reflection(page: Page, demo: str, title: str, body: str) -> Entry:
    """Write a new reflection until its first autosave creates the draft."""
    open_editor(page, f"{demo}/write/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your reflection").fill(body)
    expect(status(page)).to_have_text(SAVED)
    entry = Entry.objects.get(author__username="ada", title=title)
    # The page moved to the new draft's address without a reload.
    expect(page).to_have_url(f"{demo}{entry.get_edit_url()}")
    return entry


def test_offline_writing_is_kept_and_saved_once_back_online(demo, new_context, sign_in):
    context = new_context()
    page = context.new_page()
    sign_in(page, "ada@example.org")
    entry = start_free_reflection(
        page, demo, "Notes from the train", "Online, the first paragraph."
    )
    body = page.get_by_label("Your reflection")

    context.set_offline(True)
    body.fill("Online, the first paragraph.\n\nOffline, the second.")
    expect(status(page)).to_have_text(OFFLINE)
    body.fill("Online, the first paragraph.\n\nOffline, the second.\n\nAnd a third.")
    expect(status(page)).to_have_text(OFFLINE)
    page.wait_for_timeout(600)  # longer than the autosave delay: still offline
    expect(status(page)).to_have_text(OFFLINE)
    assert local_copy(page)["words"]["body"].endswith("And a third.")
    entry.refresh_from_db()
    assert entry.body == "Online, the first paragraph."

    context.set_offline(False)
    expect(status(page)).to_have_text(SAVED)
    entry.refresh_from_db()
    assert entry.body == (
        "Online, the first paragraph.\n\nOffline, the second.\n\nAnd a third."
    )
    # The server has it: the copy on this device is gone.
    assert local_copy(page) is None


def stored_keys(page: Page) -> list[str]:
    return page.evaluate("() => Object.keys(localStorage)")


def test_copies_go_after_a_plain_save_and_on_signing_out(demo, new_context, sign_in):
    page = new_context().new_page()
    sign_in(page, "ada@example.org")
    entry = start_free_reflection(page, demo, "Plain saves", "Autosaved words.")
    key = f"ponder:{entry.author_id}:{entry.pk}"
    never = "form => { form.dataset.autosaveDelay = '600000'; }"

    # Words typed and published by the button before any autosave: the entry
    # page that follows the publication clears the copy the server now has.
    page.locator("form[data-autosave-url]").evaluate(never)
    page.get_by_label("Your reflection").fill("Published by the button.")
    page.wait_for_function(f"() => localStorage.getItem('{key}') !== null")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published.")).to_be_visible()
    assert key not in stored_keys(page)

    # Words typed, then signing out on a shared computer: asked, then removed.
    open_editor(page, f"{demo}{entry.get_edit_url()}")
    page.locator("form[data-autosave-url]").evaluate(never)
    page.get_by_label("Your reflection").fill("Not sent anywhere yet.")
    page.wait_for_function(f"() => localStorage.getItem('{key}') !== null")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign out").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    assert stored_keys(page) == []
    entry.refresh_from_db()
    assert entry.body == "Published by the button."


def test_an_expired_session_keeps_the_text_to_offer_it_back(demo, new_context, sign_in):
    context = new_context()
    page = context.new_page()
    sign_in(page, "ada@example.org")
    entry = start_free_reflection(
        page, demo, "Before the meeting", "Written before the session expired."
    )
    edit_url = page.url
    body = page.get_by_label("Your reflection")

    Session.objects.all().delete()  # the session expires on the server
    body.fill("Written before the session expired.\n\nWritten after it.")
    expect(status(page)).to_have_text(SIGNED_OUT)
    whole = "Written before the session expired.\n\nWritten after it.\n\nAnd more."
    body.fill(whole)  # the writer keeps typing
    expect(status(page)).to_have_text(SIGNED_OUT)
    entry.refresh_from_db()
    assert entry.body == "Written before the session expired."

    # Signing in again, then back to the editor: the text is offered back whole.
    sign_in(page, "ada@example.org")
    open_editor(page, edit_url)
    offer = page.get_by_role(
        "region", name="This device kept a copy that differs from the saved version"
    )
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("changes the server never received")
    expect(page.get_by_label("Your reflection")).to_have_value(
        "Written before the session expired."
    )
    offer.get_by_text("Show the copy on this device").click()
    expect(offer.get_by_label("The copy kept on this device")).to_have_value(whole)

    offer.get_by_role("button", name="Restore the copy").click()
    expect(offer).to_be_hidden()
    expect(page.get_by_label("Your reflection")).to_have_value(whole)
    expect(status(page)).to_have_text(SAVED)
    entry.refresh_from_db()
    assert entry.body == whole
    assert local_copy(page) is None


def test_two_tabs_the_older_cannot_overwrite_the_newer(demo, new_context, sign_in):
    context = new_context()
    tab_a = context.new_page()
    sign_in(tab_a, "ada@example.org")
    entry = start_free_reflection(tab_a, demo, "Two tabs", "The first words.")
    tab_b = context.new_page()
    open_editor(tab_b, tab_a.url)

    tab_a.get_by_label("Your reflection").fill("Tab A's newer words.")
    expect(status(tab_a)).to_have_text(SAVED)
    tab_b.get_by_label("Your reflection").fill("Tab B's words, from the older version.")

    conflict = tab_b.get_by_role("region", name="This entry was changed somewhere else")
    expect(conflict).to_be_visible()
    expect(status(tab_b)).to_contain_text("Not saved: a newer version was saved")
    expect(conflict.locator("del")).to_have_text(f"{MINUS} Tab A's newer words.")
    expect(conflict.locator("ins")).to_have_text(
        "+ Tab B's words, from the older version."
    )
    entry.refresh_from_db()
    assert entry.body == "Tab A's newer words."
    assert entry.version == 2

    # Tab B keeps its own text, saved on top of A's as a newer version.
    conflict.get_by_role("button", name="Keep mine").click()
    expect(conflict).to_be_hidden()
    expect(status(tab_b)).to_have_text(SAVED)
    entry.refresh_from_db()
    assert entry.body == "Tab B's words, from the older version."
    assert entry.version == 3
    assert entry.revisions.filter(body="Tab A's newer words.").exists()

    # Now tab A is the older one; a plain "Save draft" gets the conflict page.
    tab_a.get_by_label("Your reflection").fill("Tab A again.")
    tab_a.locator("form[data-autosave-url]").evaluate(
        "form => { form.dataset.autosaveDelay = '60000'; }"
    )
    # The live preview posts too, to /preview/: wait for the save itself.
    with tab_a.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/edit/")
    ) as posted:
        tab_a.get_by_role("button", name="Save draft").click()
    assert posted.value.status == 409
    expect(
        tab_a.get_by_role("heading", name="This entry changed since you opened it")
    ).to_be_visible()
    entry.refresh_from_db()
    assert entry.body == "Tab B's words, from the older version."


def test_an_entry_deleted_in_another_tab_says_how_to_restore_it(
    demo, new_context, sign_in
):
    page = new_context().new_page()
    sign_in(page, "ada@example.org")
    entry = start_free_reflection(page, demo, "Soon deleted", "The first words.")
    journal_actions.delete_entry(entry=entry)

    page.get_by_label("Your reflection").fill("The first words.\n\nStill typing.")

    expect(status(page)).to_have_text(
        "Not saved: This entry was deleted; your text is kept in this browser; "
        "restore it from Deleted entries."
    )
    assert local_copy(page)["words"]["body"].endswith("Still typing.")


def test_a_new_entry_past_the_limit_is_kept_and_saved_when_allowed(
    demo, new_context, sign_in, settings
):
    """The first autosave of one new entry too many gets a 429: the editor
    says why, keeps the words on the device, and tries again once Retry-After
    has passed (the page's clock is moved on rather than waited for)."""
    settings.PONDER_RATE_LIMITS = {**settings.PONDER_RATE_LIMITS, "entries": (1, 10)}
    page = new_context().new_page()
    page.clock.install()
    sign_in(page, "ada@example.org")
    start_free_reflection(page, demo, "The first today", "Allowed.")

    open_editor(page, f"{demo}/write/")
    page.get_by_label("Title").fill("One too many")
    page.get_by_label("Your reflection").fill("Words past the limit.")

    expect(status(page)).to_contain_text(
        "Not saved: New and published entries are limited to 1 a minute"
    )
    expect(status(page)).to_contain_text("kept on this device")
    assert local_copy(page)["words"]["body"] == "Words past the limit."
    assert not Entry.objects.filter(title="One too many").exists()

    settings.PONDER_RATE_LIMITS = {**settings.PONDER_RATE_LIMITS, "entries": (0, 0)}
    page.clock.fast_forward("01:01")
    expect(status(page)).to_have_text(SAVED)
    assert Entry.objects.get(title="One too many").body == "Words past the limit."
