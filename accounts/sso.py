"""Single sign-on through OpenID Connect providers (settings.OIDC_APPS).

What Ponder takes from a provider's answer, and when a sign-in through one
counts as two-factor (docs/DEPLOY.md, "Single sign-on").
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest

#: Whether this session's sign-in went through a provider that did the second
#: step itself (FacilitatorMFAMiddleware asks).
TWO_FACTOR_SESSION_KEY = "sso_two_factor"
#: RFC 8176 values of the ID token's `amr` claim that mean a second factor.
TWO_FACTOR_AMR = frozenset({"mfa"})


def providers_configured() -> bool:
    return bool(settings.OIDC_APPS)


def linked_provider_names(user: User) -> list[str]:
    """The names (PONDER_OIDC_<ID>_LABEL) of the providers linked to `user`
    that this site still offers, in the order it offers them."""
    linked = set(
        SocialAccount.objects.filter(user=user).values_list("provider", flat=True)
    )
    return [app["name"] for app in settings.OIDC_APPS if app["provider_id"] in linked]


def claims(sociallogin: SocialLogin) -> dict:
    """The claims of the provider's answer: the user info, else the ID token's."""
    data = sociallogin.account.extra_data or {}
    return data.get("userinfo") or data.get("id_token") or {}


def claimed_name(sociallogin: SocialLogin) -> str:
    """The person's name as the provider gives it (the `name` claim), else
    their given and family names."""
    found = claims(sociallogin)
    name = found.get("name") or " ".join(
        part for part in (found.get("given_name"), found.get("family_name")) if part
    )
    return " ".join(str(name).split())


def verified_owner(email: str) -> User | None:
    """The account that has `email` verified here, if any: only such an
    account may be signed into by a provider's word about the address."""
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def did_two_factor(sociallogin: SocialLogin) -> bool:
    """Whether the provider did a second step at this sign-in: it is trusted
    to (PONDER_OIDC_<ID>_TRUST_MFA), or its ID token's `amr` says so."""
    if sociallogin.provider.app.settings.get("trust_mfa"):
        return True
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    amr = id_token.get("amr") or []
    return isinstance(amr, list) and bool(TWO_FACTOR_AMR.intersection(amr))


def record_sign_in(request: HttpRequest, sociallogin: SocialLogin | None) -> None:
    """Keep with the session whether its sign-in was two-factor at a provider;
    any other way of signing in was not."""
    request.session[TWO_FACTOR_SESSION_KEY] = bool(
        sociallogin is not None and did_two_factor(sociallogin)
    )


def signed_in_with_two_factor(request: HttpRequest) -> bool:
    return bool(request.session.get(TWO_FACTOR_SESSION_KEY))


def provider_verified_domains(user: User) -> set[str]:
    """The domains of the addresses that a provider this site offers has
    verified for `user` (as of their latest sign-in through it)."""
    offered = [app["provider_id"] for app in settings.OIDC_APPS]
    domains = set()
    for data in SocialAccount.objects.filter(
        user=user, provider__in=offered
    ).values_list("extra_data", flat=True):
        found = (data or {}).get("userinfo") or (data or {}).get("id_token") or {}
        email = found.get("email")
        if found.get("email_verified") is True and isinstance(email, str):
            domains.add(email.rpartition("@")[2].lower())
    return domains
