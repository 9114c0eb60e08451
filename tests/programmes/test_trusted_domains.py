"""An open cohort may trust organisations: people whose address there a
single sign-on provider has verified join approved, their posts never held."""

from http import HTTPStatus

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from django.urls import reverse

from programmes import actions, joining
from programmes.models import Cohort, Membership
from tests.oidc import provider_app, use_providers
from tests.programmes.test_open_cohorts import studio_url


@pytest.fixture
def open_cohort(programme, cohort, settings) -> Cohort:
    use_providers(settings, [provider_app("https://login.uni.example")])
    actions.set_programme_open(programme=programme, is_open=True)
    return actions.set_open_joining(
        cohort=cohort,
        open_to_all=True,
        member_cap=None,
        join_until=None,
        trusted_domains="uni.example",
    )


def signed_in_through_provider(
    user: User, email: str, *, verified: bool = True, provider: str = "uni"
) -> User:
    claims = {"sub": user.username, "email": email, "email_verified": verified}
    SocialAccount.objects.create(
        user=user, provider=provider, uid=user.username, extra_data={"userinfo": claims}
    )
    return user


def joins(user: User, cohort: Cohort) -> Membership:
    result = joining.join_open_cohort(user=user, cohort=cohort)
    assert result.outcome == joining.Outcome.JOINED
    return Membership.objects.get(user=user, cohort=cohort)


@pytest.mark.parametrize("email", ["nina@uni.example", "nina@staff.uni.example"])
def test_a_person_the_organisation_vouches_for_joins_approved(
    make_user, open_cohort, email
):
    nina = signed_in_through_provider(make_user("nina"), email)

    membership = joins(nina, open_cohort)

    assert membership.approved_at is not None
    assert not open_cohort.holds_posts_of(nina)
    assert open_cohort.link_limit_for(nina) is None


@pytest.mark.parametrize(
    "vouched",
    [
        {"email": "nina@uni.example", "verified": False},
        {"email": "nina@notuni.example"},
        {"email": "nina@uni.example", "provider": "no-longer-offered"},
    ],
)
def test_anyone_else_joins_held_as_before(make_user, open_cohort, vouched):
    nina = signed_in_through_provider(make_user("nina"), **vouched)

    membership = joins(nina, open_cohort)

    assert membership.approved_at is None
    assert open_cohort.holds_posts_of(nina)


def test_an_address_verified_by_e_mail_alone_is_not_vouched_for(make_user, open_cohort):
    nina = make_user("nina", email="nina@uni.example")

    assert joins(nina, open_cohort).approved_at is None


def test_a_facilitator_lists_the_trusted_domains_in_the_studio(
    open_cohort, facilitator, client_for
):
    response = client_for(facilitator).post(
        studio_url(open_cohort),
        {"open_to_all": "on", "trusted_domains": " @Uni.Example,, hospital.nhs.uk "},
    )

    assert response.status_code == HTTPStatus.FOUND
    open_cohort.refresh_from_db()
    assert open_cohort.trusted_domains == "uni.example, hospital.nhs.uk"


def test_a_domain_that_is_not_one_is_refused(open_cohort, facilitator, client_for):
    response = client_for(facilitator).post(
        studio_url(open_cohort),
        {"open_to_all": "on", "trusted_domains": "uni.example, not a domain"},
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "not a domain is not a domain" in response.content.decode()
    open_cohort.refresh_from_db()
    assert open_cohort.trusted_domains == "uni.example"


def test_without_providers_the_studio_does_not_offer_it(
    cohort, facilitator, client_for
):
    page = client_for(facilitator).get(
        reverse("studio:cohort", kwargs={"slug": cohort.slug})
    )

    assert 'name="open_to_all"' in page.content.decode()
    assert 'name="trusted_domains"' not in page.content.decode()
