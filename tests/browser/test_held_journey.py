"""A newcomer joins the open demo cohort, publishes an entry and sees that it
waits for approval; the facilitator approves it from the moderation queue;
a cohort-mate then reads it."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from playwright.sync_api import expect

from accounts.models import Profile
from programmes.models import Programme

PASSWORD = "a long walk by the river"
TITLE = "What I learnt from feeds"


def test_a_newcomers_first_entry_waits_for_the_facilitators_approval(
    demo, new_context, sign_in
):
    programme = Programme.objects.get()
    user = User.objects.create_user("olu", "olu@example.org", PASSWORD)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    Profile.objects.create(user=user, display_name="Olu Newcomer")

    olu = new_context().new_page()
    sign_in(olu, "olu@example.org", PASSWORD)
    olu.goto(demo + programme.get_public_url())
    olu.get_by_role("button", name="Join Demo cohort").click()
    expect(olu.get_by_text("Welcome to Demo cohort!")).to_be_visible()
    first = programme.things.get(number=1)
    olu.get_by_role("link", name=first.title).first.click()
    olu.get_by_role("link", name="Write your entry").click()
    olu.get_by_label("Title").fill(TITLE)
    olu.get_by_label("Your reflection").fill("Feeds bring the news to me.")
    olu.get_by_role("radio", name="My cohort").check()
    olu.get_by_role("button", name="Publish").click()
    expect(olu.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(olu.get_by_text("Waiting for approval.")).to_be_visible()

    ben = new_context().new_page()
    sign_in(ben, "ben@example.org")
    ben.goto(f"{demo}/c/demo-cohort/")
    expect(ben.get_by_role("link", name=TITLE)).to_have_count(0)

    fran = new_context().new_page()
    sign_in(fran, "fran@example.org")
    fran.goto(f"{demo}/c/demo-cohort/moderation/")
    waiting = fran.get_by_role("region", name="Waiting for approval")
    expect(waiting.get_by_role("link", name=TITLE)).to_be_visible()
    waiting.get_by_role("button", name=f"Approve the entry “{TITLE}”").click()
    expect(fran.get_by_text("Approved: everyone who may read it")).to_be_visible()
    expect(fran.get_by_text("Nothing is waiting for approval.")).to_be_visible()

    ben.reload()
    expect(ben.get_by_role("link", name=TITLE).first).to_be_visible()
