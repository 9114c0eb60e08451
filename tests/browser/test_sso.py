"""Single sign-on through a real OpenID Connect provider on loopback
(tests/oidc/provider.mjs): first sign-in, matching an account, refusals."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, Route, expect

from accounts.models import Profile
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_csp import watch
from tests.oidc import provider_app, running_provider, use_providers

CALLBACK = "/accounts/oidc/uni/login/callback/"


@pytest.fixture(scope="module")
def issuer(live_server) -> Iterator[str]:
    with running_provider(live_server.url + CALLBACK) as url:
        yield url


@pytest.fixture
def site(issuer, live_server, transactional_db, settings) -> str:
    use_providers(settings, [provider_app(issuer)])
    return live_server.url


def make_person(username: str, email: str, *, verified: bool = True) -> User:
    user = User.objects.create_user(username, email, DEMO_PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    Profile.objects.create(user=user, display_name=username.title())
    return user


def press_sign_in_with(page: Page, site: str) -> None:
    page.goto(f"{site}{reverse('account_login')}")
    page.get_by_role("button", name="Sign in with Example University").click()


def sign_in_at_provider(page: Page, site: str, login: str) -> None:
    press_sign_in_with(page, site)
    page.get_by_label("Login name").fill(login)
    page.get_by_role("button", name="Sign in at the university").click()


def expect_signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def expect_signed_out(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_a_first_sign_in_makes_an_account_named_by_the_provider(site, page):
    watch(page)

    sign_in_at_provider(page, site, "newperson")

    expect_signed_in(page)
    user = User.objects.get(email="newperson@uni.example")
    assert user.profile.display_name == "Newperson Example"
    assert user.username == "newperson-example"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).provider == "uni"
    assert page.evaluate("window.cspViolations") == []

    page.get_by_role("button", name="Sign out").click()
    expect_signed_out(page)
    # Still signed in at the provider: straight back, into the same account.
    press_sign_in_with(page, site)
    expect_signed_in(page)
    assert User.objects.filter(email="newperson@uni.example").count() == 1


def test_a_verified_address_signs_into_the_account_that_has_it(site, page):
    ada = make_person("ada", "ada@uni.example")

    sign_in_at_provider(page, site, "ada")

    expect_signed_in(page)
    page.goto(f"{site}{reverse('accounts:profile')}")
    expect(page.get_by_text("Signed in as ada@uni.example")).to_be_visible()
    expect(page.get_by_text("Linked: Example University")).to_be_visible()
    assert SocialAccount.objects.get(provider="uni").user == ada
    assert User.objects.count() == 1
    ada.refresh_from_db()
    assert ada.check_password(DEMO_PASSWORD)


def test_an_unverified_address_does_not_take_over_an_account(site, page):
    ben = make_person("ben", "ben@uni.example")

    sign_in_at_provider(page, site, "unverified.ben")

    expect(
        page.get_by_role("heading", name="Verify your email address")
    ).to_be_visible()
    expect_signed_out(page)
    assert not SocialAccount.objects.filter(user=ben).exists()
    assert list(User.objects.all()) == [ben]


def test_an_address_unverified_here_is_not_matched(site, page):
    """Whoever added the address here has not shown they own it."""
    cleo = make_person("cleo", "cleo@uni.example", verified=False)

    sign_in_at_provider(page, site, "cleo")

    expect_signed_out(page)
    assert not SocialAccount.objects.filter(user=cleo).exists()
    assert list(User.objects.all()) == [cleo]


def test_cancelling_at_the_provider_says_so_in_our_words(site, page):
    press_sign_in_with(page, site)
    page.get_by_role("button", name="Cancel").click()

    expect(page.get_by_role("heading", name="Sign-in cancelled")).to_be_visible()
    expect_signed_out(page)
    assert not User.objects.exists()


def test_a_forged_state_is_refused(site, page):
    press_sign_in_with(page, site)
    expect(page.get_by_label("Login name")).to_be_visible()

    response = page.goto(f"{site}{CALLBACK}?code=forged&state=forged")

    assert response.status == 401
    expect(page.get_by_role("heading", name="Sign-in failed")).to_be_visible()
    expect_signed_out(page)
    assert not User.objects.exists()


def test_a_tampered_code_is_refused(site, issuer, page):
    """The provider's answer comes back to us with another code. The browser
    follows redirects unseen, so the test follows the provider's itself."""

    def tamper(route: Route) -> None:
        location = route.fetch(max_redirects=0).headers["location"]
        while CALLBACK not in location:
            answer = page.request.get(location, max_redirects=0)
            location = answer.headers["location"]
        parts = urlsplit(location)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        query["code"] = query["code"][::-1]
        forged = f"{site}{CALLBACK}?{urlencode(query)}"
        route.fulfill(status=303, headers={"location": forged})

    page.route(f"{issuer}/interaction/**", tamper)

    sign_in_at_provider(page, site, "newperson")

    expect(page.get_by_role("heading", name="Sign-in failed")).to_be_visible()
    expect_signed_out(page)
    assert not User.objects.exists()


def test_a_person_links_and_unlinks_a_provider_in_their_profile(site, page, sign_in):
    make_person("dora", "dora@example.org")
    sign_in(page, "dora@example.org")
    page.goto(f"{site}{reverse('accounts:profile')}")
    page.get_by_role("link", name="Link or unlink an account").click()
    expect(page.get_by_text("No account at an organisation is linked")).to_be_visible()

    page.get_by_role("button", name="Link Example University").click()
    page.get_by_label("Login name").fill("dora.at.uni")
    page.get_by_role("button", name="Sign in at the university").click()

    expect(page.get_by_text("Linked: you can sign in through it")).to_be_visible()
    page.get_by_label("Example University: dora.at.uni@uni.example").check()
    page.get_by_role("button", name="Unlink").click()
    expect(page.get_by_text("Unlinked: it no longer signs you in")).to_be_visible()
    assert not SocialAccount.objects.exists()


def test_the_last_way_to_sign_in_cannot_be_unlinked(site, page):
    sign_in_at_provider(page, site, "newperson")
    expect_signed_in(page)
    page.goto(f"{site}{reverse('socialaccount_connections')}")

    page.get_by_label("Example University: newperson@uni.example").check()
    page.get_by_role("button", name="Unlink").click()

    expect(page.get_by_text("This is your only way to sign in")).to_be_visible()
    assert SocialAccount.objects.count() == 1


def test_sso_only_offers_the_providers_alone(site, page, settings):
    settings.PONDER_SSO_ONLY = True
    page.goto(f"{site}{reverse('account_login')}")

    expect(
        page.get_by_role("button", name="Sign in with Example University")
    ).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="sign up")).to_have_count(0)
    assert page.goto(f"{site}{reverse('account_signup')}").status == 404
    assert page.goto(f"{site}{reverse('account_reset_password')}").status == 404

    sign_in_at_provider(page, site, "newperson")
    expect_signed_in(page)


def test_a_second_step_at_the_provider_counts_for_facilitators(
    issuer, demo, page, browser, settings
):
    """PONDER_REQUIRE_FACILITATOR_MFA: the ID token's amr says "mfa"."""
    use_providers(settings, [provider_app(issuer)])
    settings.PONDER_REQUIRE_FACILITATOR_MFA = True
    studio = f"{demo}{reverse('studio:index')}"

    sign_in_at_provider(page, demo, "mfa.fran@example.org")
    expect_signed_in(page)
    page.goto(studio)
    assert page.url == studio

    without = browser.new_context().new_page()
    sign_in_at_provider(without, demo, "fran@example.org")
    expect(without.get_by_text("Facilitators on this site sign in")).to_be_visible()
    without.goto(studio)
    assert without.url != studio
    without.context.close()
