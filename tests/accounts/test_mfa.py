"""Two-factor sign-in with allauth's MFA (an authenticator app and recovery
codes), and the site switch that makes facilitators turn it on.

Codes are computed here per RFC 6238 from the secret the activation page shows,
not with allauth's own helpers, so a broken check in allauth would show. The
clock stands still in each test (time-machine), so a code cannot expire between
being computed and posted; allauth takes each code once per 30-second period.
"""

import base64
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Callable
from functools import partial
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.middleware import MFA_REQUIRED_MESSAGE
from tests.conftest import PASSWORD

TOO_MANY_FAILED = "Too many failed login attempts"
MIDDLEWARE = "programmes.middleware.FacilitatorMFAMiddleware"


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 with the defaults authenticator apps use: SHA-1, 30 s, 6 digits."""
    counter = int(time.time() if at is None else at) // 30
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def wrong_code(secret: str) -> str:
    return f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"


@pytest.fixture(autouse=True)
def still_clock(time_machine) -> None:
    time_machine.move_to(time.time(), tick=False)


def sign_in(client: Client, user: User) -> None:
    """The password step of the real sign-in form."""
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def activate_totp(client: Client) -> str:
    """Turn on the authenticator app through allauth's pages; return its secret.

    allauth asks for the password again first, even right after signing in: only
    a "reauthenticated" record in the session counts.
    """
    activate_url = reverse("mfa_activate_totp")
    client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate_url}
    )
    page = client.get(activate_url)
    assert page.status_code == HTTPStatus.OK
    secret = re.search(
        r'id="authenticator_secret"\s+value="([A-Z2-7]+)"', page.content.decode()
    ).group(1)
    response = client.post(activate_url, {"code": totp_code(secret)})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def recovery_codes_of(user: User):
    return Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).wrap()


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def second_step(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


# Turning it on -----------------------------------------------------------------


def test_activating_takes_a_code_from_the_shown_secret(make_user, client):
    ada = make_user("ada")
    sign_in(client, ada)

    secret = activate_totp(client)

    authenticator = Authenticator.objects.get(user=ada, type=Authenticator.Type.TOTP)
    assert authenticator.wrap().validate_code(totp_code(secret))
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert len(codes_page.context["unused_codes"]) == 10


def test_a_wrong_code_does_not_activate(make_user, client):
    ada = make_user("ada")
    sign_in(client, ada)
    activate_url = reverse("mfa_activate_totp")
    client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate_url}
    )
    client.get(activate_url)
    secret = client.session["mfa.totp.secret"]

    response = client.post(activate_url, {"code": wrong_code(secret)})

    assert response.status_code == HTTPStatus.OK
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=ada).exists()


def test_activation_page_shows_the_qr_code_as_an_image_our_csp_allows(
    make_user, client
):
    sign_in(client, make_user("ada"))
    activate_url = reverse("mfa_activate_totp")
    client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate_url}
    )

    response = client.get(activate_url)

    page = response.content.decode()
    assert '<img class="qr-code" src="data:image/svg+xml;base64,' in page
    assert 'alt="QR code for your authenticator app' in page
    img_src = re.search(r"img-src ([^;]*)", response["Content-Security-Policy"])
    assert "data:" in img_src.group(1).split()


def test_the_profile_links_to_two_factor_sign_in(make_user, client_for):
    response = client_for(make_user("ada")).get(reverse("accounts:profile"))

    assert f'href="{reverse("mfa_index")}">Two-factor sign-in</a>' in (
        response.content.decode()
    )


# Signing in with it ------------------------------------------------------------


@pytest.fixture
def ada_with_totp(make_user) -> tuple[User, str]:
    ada = make_user("ada")
    client = Client()
    sign_in(client, ada)
    return ada, activate_totp(client)


def test_the_password_alone_stops_at_the_second_step(ada_with_totp, client):
    ada, _ = ada_with_totp

    response = client.post(
        reverse("account_login"), {"login": ada.email, "password": PASSWORD}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get(reverse("home")).status_code == HTTPStatus.OK  # the public home
    assert not is_signed_in(client)


def test_a_wrong_code_is_refused_and_the_right_one_signs_in(ada_with_totp, client):
    ada, secret = ada_with_totp
    sign_in(client, ada)

    refused = second_step(client, wrong_code(secret))
    assert refused.status_code == HTTPStatus.OK
    assert "Incorrect code." in refused.content.decode()
    assert not is_signed_in(client)

    accepted = second_step(client, totp_code(secret))
    assert accepted.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(ada.pk)


def test_the_second_step_page_is_styled_and_labelled(ada_with_totp, client):
    ada, _ = ada_with_totp
    sign_in(client, ada)

    page = client.get(reverse("mfa_authenticate")).content.decode()

    assert '<div class="card auth-card">' in page
    assert '<label for="id_code">' in page
    assert '<button class="button button--primary"' in page


def test_a_code_signs_in_once_per_period(ada_with_totp):
    ada, secret = ada_with_totp
    first, second = Client(), Client()
    sign_in(first, ada)
    second_step(first, totp_code(secret))

    sign_in(second, ada)
    replayed = second_step(second, totp_code(secret))

    assert is_signed_in(first)
    assert "Incorrect code." in replayed.content.decode()
    assert not is_signed_in(second)


def test_a_recovery_code_works_once_and_only_once(ada_with_totp):
    ada, _ = ada_with_totp
    code = recovery_codes_of(ada).get_unused_codes()[0]
    first, second = Client(), Client()

    sign_in(first, ada)
    second_step(first, code)
    sign_in(second, ada)
    again = second_step(second, code)

    assert first.session["_auth_user_id"] == str(ada.pk)
    assert "Incorrect code." in again.content.decode()
    assert not is_signed_in(second)
    unused = recovery_codes_of(ada).get_unused_codes()
    assert code not in unused
    assert len(unused) == 9


def test_a_flood_of_wrong_codes_is_refused_even_with_the_right_one_after(
    ada_with_totp, client
):
    """allauth counts wrong codes as failed logins of the account: 5 in 5 minutes."""
    ada, secret = ada_with_totp
    sign_in(client, ada)
    for _ in range(5):
        response = second_step(client, wrong_code(secret))
        assert "Incorrect code." in response.content.decode()

    response = second_step(client, totp_code(secret))

    assert TOO_MANY_FAILED in response.content.decode()
    assert not is_signed_in(client)


def test_the_flood_counts_per_account_across_browsers(ada_with_totp):
    ada, secret = ada_with_totp
    for _ in range(5):
        client = Client()
        sign_in(client, ada)
        second_step(client, wrong_code(secret))
    client = Client()
    sign_in(client, ada)

    response = second_step(client, totp_code(secret))

    assert TOO_MANY_FAILED in response.content.decode()
    assert not is_signed_in(client)


# Required for facilitators when the site says so ----------------------------------


@pytest.fixture
def require_mfa(settings) -> None:
    settings.PONDER_REQUIRE_FACILITATOR_MFA = True


def assert_sent_to_set_up(response) -> None:
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("mfa_activate_totp")


def test_switch_off_facilitator_without_mfa_browses_freely(client_for, facilitator):
    client = client_for(facilitator)

    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.get(reverse("studio:index")).status_code == HTTPStatus.OK


def test_switch_on_facilitator_is_sent_to_set_it_up(
    require_mfa, client_for, facilitator
):
    client = client_for(facilitator)

    assert_sent_to_set_up(client.get(reverse("home")))
    assert_sent_to_set_up(client.get(reverse("studio:index")))
    assert_sent_to_set_up(client.post(reverse("journal:write"), {"title": "x"}))
    followed = client.get(reverse("home"), follow=True)
    assert MFA_REQUIRED_MESSAGE in followed.content.decode()


def test_switch_on_a_programme_owner_is_sent_to_set_it_up(
    require_mfa, client_for, owner, programme
):
    assert_sent_to_set_up(client_for(owner).get(reverse("home")))


def test_switch_on_htmx_requests_are_redirected_by_htmx(
    require_mfa, client_for, facilitator
):
    response = client_for(facilitator).get(
        reverse("home"), headers={"HX-Request": "true"}
    )

    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_switch_on_the_set_up_and_sign_out_stay_open(
    require_mfa, client_for, facilitator
):
    client = client_for(facilitator)

    # A session signed in earlier is asked for the password first: also open.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == HTTPStatus.OK
    assert client.get(reverse("mfa_index")).status_code == HTTPStatus.OK
    assert client.get(reverse("account_email")).status_code == HTTPStatus.OK
    assert client.get(reverse("healthz")).status_code == HTTPStatus.OK

    client.post(reverse("account_logout"))
    assert not is_signed_in(client)


def test_switch_on_a_participant_is_not_affected(require_mfa, client_for, author):
    client = client_for(author)

    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.get(reverse("accounts:profile")).status_code == HTTPStatus.OK


def test_switch_on_after_activating_the_facilitator_browses_freely(
    require_mfa, client, facilitator
):
    sign_in(client, facilitator)
    assert_sent_to_set_up(client.get(reverse("studio:index")))

    activate_totp(client)

    assert client.get(reverse("mfa_view_recovery_codes")).status_code == HTTPStatus.OK
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.get(reverse("studio:index")).status_code == HTTPStatus.OK


def test_switch_on_a_new_facilitator_is_caught_at_once(
    require_mfa, client_for, author, cohort
):
    """Nothing is cached across requests: promotion counts on the next page."""
    client = client_for(author)
    assert client.get(reverse("home")).status_code == HTTPStatus.OK

    author.memberships.filter(cohort=cohort).update(role="facilitator")

    assert_sent_to_set_up(client.get(reverse("home")))


# What it costs ---------------------------------------------------------------------


def count_queries(client_factory: Callable[[], Client], url: str) -> int:
    client = client_factory()
    client.get(url)  # warm up: the first page of a session may do more
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(queries)


def test_the_middleware_costs_no_query_when_off_and_one_when_on(
    settings, client_for, facilitator, author
):
    Authenticator.objects.create(
        user=facilitator, type=Authenticator.Type.TOTP, data={}
    )

    def per_reader() -> list[int]:
        return [
            count_queries(partial(client_for, reader), reverse("home"))
            for reader in [facilitator, author]
        ]

    with_it = list(settings.MIDDLEWARE)
    assert MIDDLEWARE in with_it
    settings.MIDDLEWARE = [m for m in with_it if m != MIDDLEWARE]
    without = per_reader()
    settings.MIDDLEWARE = with_it
    switched_off = per_reader()
    settings.PONDER_REQUIRE_FACILITATOR_MFA = True
    switched_on = per_reader()

    assert switched_off == without
    assert switched_on == [count + 1 for count in without]


def test_the_middleware_costs_visitors_nothing(require_mfa, settings, db):
    url = reverse("accessibility")
    on = count_queries(Client, url)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]

    assert count_queries(Client, url) == on == 0
