"""Images in a real browser: paste one into the editor, describe it, publish;
a cohort-mate sees it, and an outsider asking for its address is refused."""

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from accounts.models import Profile
from tests.browser.conftest import DEMO_PASSWORD

ALT = "A red square drawn for the test"

PASTE_AN_IMAGE = """async (selector) => {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 200;
  const context = canvas.getContext("2d");
  context.fillStyle = "#c0392b";
  context.fillRect(0, 0, 320, 200);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const data = new DataTransfer();
  data.items.add(new File([blob], "image.png", { type: "image/png" }));
  const textarea = document.querySelector(selector);
  textarea.focus();
  textarea.dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: data, bubbles: true })
  );
}"""


def make_outsider() -> None:
    user = User.objects.create_user(
        username="oscar", email="oscar@example.org", password=DEMO_PASSWORD
    )
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    Profile.objects.create(user=user, display_name="Oscar Outsider")


def test_paste_describe_publish_and_who_sees_it(demo, new_context, sign_in):
    ada: Page = new_context().new_page()
    sign_in(ada, "ada@example.org")
    ada.goto(f"{demo}/write/")
    ada.get_by_label("Title").fill("A slide, before and after")
    body = ada.locator("#id_body")
    body.fill("Here is my slide.\n\n")

    ada.evaluate(PASTE_AN_IMAGE, "#id_body")

    dialog = ada.get_by_role("dialog", name="Describe your image")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Insert image").click()
    expect(
        dialog.get_by_text("Describe the image, or mark it decorative.")
    ).to_be_visible()
    dialog.get_by_label("Alt text").fill(ALT)
    dialog.get_by_role("button", name="Insert image").click()
    expect(dialog).to_be_hidden()
    expect(body).to_have_value(re.compile(re.escape(f"![{ALT}](/images/")))
    # The live preview shows it too.
    expect(ada.locator("#preview").get_by_role("img", name=ALT)).to_be_visible()

    ada.get_by_role("combobox", name="Cohort (optional)").select_option(
        label="Demo cohort"
    )
    ada.get_by_role("radio", name="My cohort").check()
    ada.get_by_role("button", name="Publish").click()
    expect(ada.get_by_role("heading", name="A slide, before and after")).to_be_visible()
    image = ada.locator("article").get_by_role("img", name=ALT).first
    expect(image).to_be_visible()
    entry_url = ada.url
    src = image.get_attribute("src")
    assert src.startswith("/images/")
    assert image.get_attribute("srcset")

    ben = new_context().new_page()
    sign_in(ben, "ben@example.org")
    ben.goto(entry_url)
    seen = ben.get_by_role("img", name=ALT).first
    expect(seen).to_be_visible()
    # Loaded and decoded, not just laid out: a lazy image may still be on its way.
    ben.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=seen.element_handle()
    )

    make_outsider()
    oscar = new_context().new_page()
    sign_in(oscar, "oscar@example.org")
    assert oscar.request.get(f"{demo}{src}").status == 404
    assert oscar.goto(entry_url).status == 404
