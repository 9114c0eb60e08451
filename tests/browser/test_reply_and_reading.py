"""Issue 20's two journeys in a real browser.

Ben comments on Ada's entry; the e-mail Ada gets carries a signed Reply-To; her
phone's reply arrives over SMTP at the listener, and Ben sees it under his
comment. Ada asks how reflective her entry is; Ben, at the same address, gets
the not-found page, and no link to it.
"""

import smtplib

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from journal.models import Entry
from notifications.management.commands.smtp_listener import listener
from tests.deploy.conftest import free_port
from tests.notifications.mail_samples import APPLE_MAIL, shaped

REPLY = "Yes, on my phone in the car park. I will try the good recorder next."


@pytest.fixture
def replies_on(settings) -> None:
    settings.PONDER_REPLY_ADDRESS = "reply@ponder.test"


@pytest.fixture
def smtp_port(replies_on):
    controller = listener("127.0.0.1", free_port())
    controller.start()
    yield controller.port
    controller.stop()


def adas_entry() -> Entry:
    return (
        Entry.objects.filter(
            author__username="ada",
            cohort__slug="demo-cohort",
            status=Entry.Status.PUBLISHED,
            visibility=Entry.Visibility.COHORT,
        )
        .order_by("pk")
        .first()
    )


def test_a_reply_by_email_appears_under_the_comment(
    demo, page: Page, sign_in, smtp_port
):
    entry = adas_entry()
    sign_in(page, "ben@example.org")
    page.goto(demo + entry.get_absolute_url())
    page.get_by_label("Your comment").fill("Did you record it on your phone?")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Did you record it on your phone?")).to_be_visible()

    (told,) = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    (address,) = told.reply_to
    raw = shaped(
        APPLE_MAIL,
        to=address,
        sender="ada@example.org",
        message_id="iphone-1@icloud.test",
        text=REPLY,
    )
    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        smtp.sendmail("ada@example.org", [address], raw)

    page.reload()
    reply = page.locator("li.comment--depth-2", has_text=REPLY)
    expect(reply).to_be_visible()
    expect(reply).to_contain_text("Ada Whitfield")
    answered = reply.locator("xpath=preceding-sibling::li[1]")
    expect(answered).to_contain_text("Did you record it on your phone?")
    expect(page.get_by_text("Sent from my iPhone")).to_have_count(0)


def test_only_the_author_reads_how_reflective_an_entry_is(demo, browser, sign_in):
    entry = adas_entry()
    ada = browser.new_page()
    sign_in(ada, "ada@example.org")
    ada.goto(demo + entry.get_absolute_url())
    ada.get_by_role("link", name="How reflective is this?").click()
    expect(ada.get_by_role("heading", name="How reflective is this?")).to_be_visible()
    expect(ada.get_by_role("heading", name="The six stages")).to_be_visible()
    expect(ada.get_by_text("Covered").first).to_be_visible()
    reading_url = ada.url

    ben = browser.new_page()
    sign_in(ben, "ben@example.org")
    ben.goto(demo + entry.get_absolute_url())
    expect(ben.get_by_role("link", name="How reflective is this?")).to_have_count(0)
    response = ben.goto(reading_url)
    assert response.status == 404
