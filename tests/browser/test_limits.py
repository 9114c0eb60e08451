"""A long comment in a real browser: counted as it is typed, refused whole."""

import re

from playwright.sync_api import Page, expect

from journal.models import Comment

ENTRY = "/@ada/hello-journal-and-hello-nerves/"


def test_a_comment_over_the_limit_is_counted_and_refused_whole(
    demo, page: Page, sign_in
):
    sign_in(page, "ben@example.org")
    page.goto(f"{demo}{ENTRY}")
    field = page.get_by_label("Your comment")
    limit = page.locator("#id_body_limit")
    expect(limit).to_have_text("0 of 10,000 characters.")
    expect(field).to_have_accessible_description(re.compile("10,000 characters"))

    text = "word" * 5800  # 23,200 characters, pasted in one go
    field.fill(text)

    # Nothing is cut in the box, and the counter says by how much it is over.
    assert len(field.input_value()) == 23_200
    expect(limit).to_have_text("23,200 of 10,000 characters: 13,200 too many.")
    expect(page.locator("[data-limit-live][aria-live=polite]")).to_have_text(
        "23,200 of 10,000 characters: 13,200 too many."
    )

    page.get_by_role("button", name="Post comment").click()
    field = page.get_by_label("Your comment")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("at most 10000"))
    assert len(field.input_value()) == 23_200
    assert not Comment.objects.filter(body__startswith="wordword").exists()
