"""A facilitator nudges the quiet participants from the progress grid, and one
of them reads the message on their dashboard."""

from playwright.sync_api import Browser, expect

from facilitation import demo_content

SUBJECT = "A nudge from Fran"


def test_nudge_the_quiet_ones_from_the_grid(demo, browser: Browser, sign_in):
    fran = browser.new_context().new_page()
    sign_in(fran, demo_content.FACILITATOR["email"])
    fran.goto(f"{demo}/c/demo-cohort/progress/")
    fran.get_by_label("Show", exact=True).select_option("stale")
    fran.get_by_role("button", name="Show", exact=True).click()
    expect(fran.get_by_text("with nothing published for")).to_be_visible()

    boxes = fran.get_by_role("checkbox", name="Select ")
    names = [
        (boxes.nth(index).get_attribute("aria-label") or "").removeprefix("Select ")
        for index in range(boxes.count())
    ]
    assert names, "the demo cohort has participants who have gone quiet"
    for index in range(boxes.count()):
        boxes.nth(index).check()
    fran.get_by_role("button", name="Message selected").click()

    expect(fran.get_by_role("heading", name="Write to participants")).to_be_visible()
    recipients = fran.locator(".recipients li")
    expect(recipients).to_have_text(sorted(names, key=str.lower), ignore_case=True)
    fran.get_by_label("Subject").fill(SUBJECT)
    fran.get_by_label("Body").fill(
        "Hello {name}, we miss your writing: try *{next_thing}*."
    )
    fran.get_by_role("button", name="Preview").click()
    preview = fran.locator("section.preview")
    expect(preview).to_contain_text("Nothing has been sent yet")
    expect(preview.locator("em")).to_contain_text("Thing")
    fran.get_by_role("button", name="Send", exact=True).click()
    # Writing to several is asked first; nothing has gone yet.
    assert len(names) > 1
    expect(fran.locator("#confirm-send")).to_contain_text(
        f"Send this message to {len(names)} participants?"
    )
    fran.get_by_role("button", name=f"Send to {len(names)} participants").click()
    expect(
        fran.get_by_text(f"Message sent to {len(names)} participant")
    ).to_be_visible()
    expect(fran.get_by_role("heading", name=SUBJECT)).to_be_visible()

    quiet = next(p for p in demo_content.PARTICIPANTS if p["display_name"] == names[0])
    reader = browser.new_context().new_page()
    sign_in(reader, quiet["email"])
    card = reader.locator("section.nudges")
    expect(
        card.get_by_role("heading", name="Messages from your facilitators")
    ).to_be_visible()
    card.get_by_role("link", name=SUBJECT).click()
    expect(reader.get_by_role("heading", name=SUBJECT, level=1)).to_be_visible()
    expect(
        reader.get_by_text(f"Hello {quiet['display_name']}, we miss")
    ).to_be_visible()
