"""Single sign-on's settings and rules without a browser (the flows through
a real provider are in tests/browser/test_sso.py)."""

from http import HTTPStatus
from types import SimpleNamespace

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts import sso
from config.settings import oidc_providers
from tests.accounts.test_allauth_voice import title_case_phrases
from tests.oidc import provider_app, use_providers

ISSUER = "https://login.uni.example/realms/staff"


@pytest.fixture
def one_provider(db, settings) -> dict:
    app = provider_app(ISSUER)
    use_providers(settings, [app])
    return app


def configure(monkeypatch, **variables: str) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


# Settings -------------------------------------------------------------------


def test_no_providers_by_default(monkeypatch):
    monkeypatch.delenv("PONDER_OIDC_PROVIDERS", raising=False)
    assert oidc_providers() == []


def test_each_named_provider_comes_from_its_own_variables(monkeypatch):
    configure(
        monkeypatch,
        PONDER_OIDC_PROVIDERS="entra, key-cloak",
        PONDER_OIDC_ENTRA_ISSUER="https://login.microsoftonline.com/t/v2.0/",
        PONDER_OIDC_ENTRA_CLIENT_ID="entra-client",
        PONDER_OIDC_ENTRA_SECRET="entra-secret",
        PONDER_OIDC_ENTRA_LABEL="Example University",
        PONDER_OIDC_ENTRA_TRUST_MFA="true",
        PONDER_OIDC_KEY_CLOAK_ISSUER=ISSUER,
        PONDER_OIDC_KEY_CLOAK_CLIENT_ID="kc-client",
        PONDER_OIDC_KEY_CLOAK_SECRET="kc-secret",
    )

    entra, keycloak = oidc_providers()

    assert entra["provider_id"] == "entra"
    assert entra["name"] == "Example University"
    assert entra["client_id"] == "entra-client"
    assert entra["secret"] == "entra-secret"
    assert entra["settings"]["server_url"] == "https://login.microsoftonline.com/t/v2.0"
    assert entra["settings"]["trust_mfa"] is True
    assert keycloak["provider_id"] == "key-cloak"
    assert keycloak["name"] == "key-cloak"
    assert keycloak["settings"]["trust_mfa"] is False


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"PONDER_OIDC_PROVIDERS": "Entra"}, "lower-case"),
        ({"PONDER_OIDC_PROVIDERS": "a/b"}, "lower-case"),
        ({"PONDER_OIDC_PROVIDERS": "uni,uni"}, "twice"),
        ({"PONDER_OIDC_PROVIDERS": "uni"}, "PONDER_OIDC_UNI_ISSUER"),
        (
            {
                "PONDER_OIDC_PROVIDERS": "uni",
                "PONDER_OIDC_UNI_ISSUER": "login.uni.example",
                "PONDER_OIDC_UNI_CLIENT_ID": "c",
                "PONDER_OIDC_UNI_SECRET": "s",
            },
            "issuer URL",
        ),
        (
            {
                "PONDER_OIDC_PROVIDERS": "uni",
                "PONDER_OIDC_UNI_ISSUER": ISSUER,
                "PONDER_OIDC_UNI_CLIENT_ID": "c",
                "PONDER_OIDC_UNI_SECRET": "s",
                "PONDER_OIDC_UNI_TRUST_MFA": "maybe",
            },
            "true or false",
        ),
    ],
)
def test_a_half_configured_provider_stops_the_start(monkeypatch, variables, message):
    configure(monkeypatch, **variables)

    with pytest.raises(ImproperlyConfigured, match=message):
        oidc_providers()


# Pages ----------------------------------------------------------------------


def test_without_providers_there_is_no_sign_in_section_and_no_provider_pages(
    client, make_user
):
    assert "organisation" not in client.get(reverse("account_login")).content.decode()
    client.force_login(make_user("ada"))

    profile = client.get(reverse("accounts:profile")).content.decode()

    assert "organisation" not in profile
    response = client.get(reverse("socialaccount_connections"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_sign_in_page_has_a_button_for_each_provider(client, db, settings):
    use_providers(
        settings,
        [provider_app(ISSUER), provider_app("https://other.example", "other")],
    )

    page = client.get(reverse("account_login")).content.decode()

    assert 'action="/accounts/oidc/uni/login/?process=login"' in page
    assert 'action="/accounts/oidc/other/login/?process=login"' in page
    assert page.count("Sign in with Example University") == 2
    assert 'name="password"' in page


def test_the_policy_lets_the_sign_in_forms_lead_to_the_providers(client, one_provider):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]

    assert f"form-action 'self' {ISSUER}" in policy


def test_sso_only_removes_the_password_pages(client, make_user, one_provider, settings):
    settings.PONDER_SSO_ONLY = True

    page = client.get(reverse("account_login")).content.decode()

    assert 'name="password"' not in page
    assert "Sign in with Example University" in page
    assert f'href="{reverse("account_signup")}"' not in page
    for name in ["account_signup", "account_reset_password"]:
        assert client.get(reverse(name)).status_code == HTTPStatus.NOT_FOUND
    password_sign_in = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": "x"}
    )
    assert password_sign_in.status_code == HTTPStatus.NOT_FOUND
    client.force_login(make_user("ada"))
    response = client.get(reverse("account_change_password"))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_profile_lists_the_linked_providers(client, make_user, one_provider):
    ada = make_user("ada")
    SocialAccount.objects.create(user=ada, provider="uni", uid="ada-at-uni")
    client.force_login(ada)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Linked: Example University" in page
    assert reverse("socialaccount_connections") in page


# Two-factor at the provider -------------------------------------------------


def sign_in_through(app: dict, id_token: dict) -> SimpleNamespace:
    return SimpleNamespace(
        provider=SimpleNamespace(app=SimpleNamespace(settings=app["settings"])),
        account=SocialAccount(extra_data={"id_token": id_token}),
    )


@pytest.mark.parametrize(
    ("trusted", "amr", "two_factor"),
    [
        (False, ["pwd"], False),
        (False, None, False),
        (False, "mfa", False),
        (False, ["pwd", "mfa"], True),
        (True, ["pwd"], True),
    ],
)
def test_a_provider_sign_in_is_two_factor_if_trusted_or_the_amr_says_so(
    trusted, amr, two_factor
):
    app = provider_app(ISSUER, trust_mfa=trusted)

    assert sso.did_two_factor(sign_in_through(app, {"amr": amr})) is two_factor


@pytest.mark.parametrize("two_factor", [True, False])
def test_a_facilitator_signed_in_with_two_factor_at_the_provider_needs_no_app(
    client, facilitator, settings, two_factor
):
    settings.PONDER_REQUIRE_FACILITATOR_MFA = True
    client.force_login(facilitator)
    session = client.session
    session[sso.TWO_FACTOR_SESSION_KEY] = two_factor
    session.save()

    response = client.get(reverse("studio:index"))

    if two_factor:
        assert response.status_code == HTTPStatus.OK
    else:
        assert response.url == reverse("mfa_activate_totp")


def test_a_provider_that_cannot_be_reached_is_our_page_not_a_500(client, db, settings):
    # Nothing listens on port 9 of loopback: the connection is refused at once.
    use_providers(settings, [provider_app("http://127.0.0.1:9")])

    response = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": "uni"})
    )

    assert response.status_code == HTTPStatus.BAD_GATEWAY
    assert "sign-in cannot be reached just now" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("account_login", {}),
        ("socialaccount_connections", {}),
        ("socialaccount_login_cancelled", {}),
        ("socialaccount_login_error", {}),
        ("openid_connect_login", {"provider_id": "uni"}),
    ],
)
def test_single_sign_on_pages_speak_in_our_voice(
    client, make_user, settings, name, kwargs
):
    # A name in lower case: the check looks for title-cased phrases.
    use_providers(settings, [{**provider_app(ISSUER), "name": "unispace"}])
    client.force_login(make_user("ada", display_name="ada"))
    if name == "account_login":
        client.logout()

    page = client.get(reverse(name, kwargs=kwargs)).content.decode()

    assert title_case_phrases(page) == []
    assert "third-party" not in page.lower()
