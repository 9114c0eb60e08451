"""A conversation told through notifications, in two browsers.

Ben comments on Ada's entry; Ada sees the bell and gets the e-mail, follows its
link to the comment and replies inline (no reload); Ben is told in turn.
"""

import re

from django.core import mail
from django.db.models import Q
from playwright.sync_api import Page, expect

from journal.models import Entry

SITE_URL = "http://127.0.0.1:8000"


def bell(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Notifications")
    )


def unread(page: Page) -> int:
    count = bell(page).locator(".bell__count")
    if not count.count():
        return 0
    return int(count.inner_text().split()[0])


def last_mail_to(address: str):
    messages = [message for message in mail.outbox if address in message.to]
    assert messages, f"no e-mail to {address}"
    return messages[-1]


def comment_link(body: str) -> str:
    match = re.search(re.escape(SITE_URL) + r"(/@\S+#comment-\d+)", body)
    assert match, f"no link to a comment in:\n{body}"
    return match.group(1)


def test_comment_bell_email_reply_and_back(demo, new_context, sign_in):
    entry = Entry.objects.filter(
        Q(visibility=Entry.Visibility.COHORT) | Q(visibility=Entry.Visibility.PUBLIC),
        author__username="ada",
        status=Entry.Status.PUBLISHED,
    ).first()
    ada = new_context().new_page()
    sign_in(ada, "ada@example.org")
    adas_unread = unread(ada)

    # Ben comments on Ada's entry.
    ben = new_context().new_page()
    sign_in(ben, "ben@example.org")
    bens_unread = unread(ben)
    ben.goto(demo + entry.get_absolute_url())
    ben_says = "Your second paragraph changed my mind about feeds."
    ben.get_by_label("Your comment").fill(ben_says)
    ben.get_by_role("button", name="Post comment").click()
    expect(ben.get_by_text(ben_says, exact=True)).to_be_visible()

    # Ada's bell counts it; her list says who and where.
    ada.reload()
    assert unread(ada) == adas_unread + 1
    bell(ada).click()
    newest = ada.locator(".notification").first
    expect(newest).to_contain_text(f"commented on your entry “{entry.title}”")
    expect(newest).to_contain_text(ben_says)

    # The e-mail quotes the comment and links to it; Ada follows the link.
    message = last_mail_to("ada@example.org")
    assert ben_says in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    ada.goto(demo + comment_link(message.body))
    bens_comment = ada.get_by_role("listitem").filter(
        has=ada.get_by_text(ben_says, exact=True)
    )
    expect(bens_comment).to_be_visible()

    # She replies inline, without a reload.
    ada.evaluate("window.ponderMarker = 'same page'")
    bens_comment.get_by_text("Reply", exact=True).click()
    ada_says = "Thank you, Ben: that is what I hoped."
    bens_comment.get_by_label(re.compile("Reply to Ben")).fill(ada_says)
    bens_comment.get_by_role("button", name="Post reply").click()
    expect(ada.get_by_text(ada_says, exact=True)).to_be_visible()
    assert ada.evaluate("window.ponderMarker") == "same page"

    # Ben is told in turn: bell, list and e-mail.
    ben.reload()
    assert unread(ben) == bens_unread + 1
    bell(ben).click()
    expect(ben.locator(".notification").first).to_contain_text(
        "replied to your comment"
    )
    reply_mail = last_mail_to("ben@example.org")
    assert ada_says in reply_mail.body
    ben.goto(demo + comment_link(reply_mail.body))
    expect(ben.get_by_text(ada_says, exact=True)).to_be_visible()
