"""A cohort's certificates, for its facilitators: the list, and issuing one
again (issue 16)."""

import datetime
from http import HTTPStatus

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from facilitation.certificates import certificate_for
from programmes.models import Certificate, Cohort, Membership
from tests.facilitation.test_certificates import certificate_url, membership_of

LATER = timezone.now() + datetime.timedelta(days=3)


@pytest.fixture
def finish(make_entry):
    def publish(user, cohort: Cohort, numbers=None) -> None:
        things = cohort.programme.things.published().order_by("number")
        if numbers is not None:
            things = things.filter(number__in=numbers)
        for thing in things:
            make_entry(user, cohort=cohort, thing=thing)

    return publish


@pytest.fixture
def issued(author, cohort, finish) -> Certificate:
    finish(author, cohort)
    return certificate_for(membership_of(author, cohort))


def list_url(cohort: Cohort) -> str:
    return reverse("facilitation:certificates", kwargs={"cohort": cohort.slug})


def issue_url(membership: Membership) -> str:
    return reverse(
        "facilitation:issue_certificate",
        kwargs={"cohort": membership.cohort.slug, "membership_id": membership.pk},
    )


def shown_issued_at(client, membership: Membership) -> str:
    return client.get(issue_url(membership)).context["form"]["shown_issued_at"].value()


# The certificate itself ----------------------------------------------------------


def test_the_certificate_says_how_many_things_of_how_many(
    client_for, author, cohort, finish
):
    cohort.completion_target = 3
    cohort.save()
    finish(author, cohort, numbers=[1, 2, 3])

    page = client_for(author).get(certificate_url(cohort)).content.decode()

    assert "Ada Author" in page
    assert "3 of 4" in page


# The list ------------------------------------------------------------------------


def test_the_list_shows_each_participant_and_their_certificate(
    client_for, facilitator, author, cohort_mate, cohort, issued, finish
):
    finish(cohort_mate, cohort, numbers=[1])

    response = client_for(facilitator).get(list_url(cohort))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Ada Author" in page
    assert "Ben Cohort-Mate" in page
    assert "Fran Facilitator" not in page.split("<table", 1)[1]
    assert "4 of 4" in page
    assert "1 of 4" in page
    assert "Not finished" in page
    assert issued.issued_at.strftime("%Y-%m-%d") in page
    assert reverse("facilitation:verify_certificate", args=[issued.token]) in page
    assert issue_url(membership_of(author, cohort)) in page
    assert issue_url(membership_of(cohort_mate, cohort)) not in page


def test_a_finished_participant_without_one_can_be_issued_one(
    client_for, facilitator, author, cohort, finish
):
    finish(author, cohort)

    page = client_for(facilitator).get(list_url(cohort)).content.decode()

    assert "Finished, not issued yet" in page
    assert issue_url(membership_of(author, cohort)) in page
    assert not Certificate.objects.exists()


def test_the_cohort_nav_links_to_it_for_facilitators_only(
    client_for, facilitator, author, cohort
):
    progress = reverse("facilitation:progress", kwargs={"cohort": cohort.slug})
    assert list_url(cohort) in client_for(facilitator).get(progress).content.decode()
    cohort_page = reverse("journal:cohort", kwargs={"cohort": cohort.slug})
    assert list_url(cohort) not in client_for(author).get(cohort_page).content.decode()


@pytest.mark.parametrize(
    "persona", ["author", "cohort_mate", "outsider", "other_facilitator"]
)
def test_the_list_is_a_404_for_anyone_but_the_facilitator(
    client_as, persona, cohort, author, cohort_mate, outsider, other_facilitator
):
    response = client_as(persona).get(list_url(cohort))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_visitor_is_sent_to_sign_in(client, cohort):
    response = client.get(list_url(cohort))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_the_list_runs_the_same_queries_whatever_the_size(
    client_for, facilitator, cohort, make_members, finish
):
    client = client_for(facilitator)

    def count_queries() -> int:
        client.get(list_url(cohort))
        with CaptureQueriesContext(connection) as context:
            assert client.get(list_url(cohort)).status_code == HTTPStatus.OK
        return len(context.captured_queries)

    for member in make_members(cohort, 2):
        finish(member, cohort)
        certificate_for(membership_of(member, cohort))
    small = count_queries()
    for member in make_members(cohort, 12, prefix="more"):
        finish(member, cohort, numbers=[1, 2])
    assert count_queries() == small


# Issuing again -------------------------------------------------------------------


def test_the_confirmation_says_what_reissuing_does(
    client_for, facilitator, author, cohort, issued
):
    response = client_for(facilitator).get(issue_url(membership_of(author, cohort)))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Reissue Ada Author\u2019s certificate?" in page
    assert "4 of 4 Things done." in page
    Certificate.objects.get(pk=issued.pk, issued_at=issued.issued_at)


def test_reissuing_records_the_new_date(
    client_for, facilitator, author, cohort, issued
):
    client = client_for(facilitator)
    membership = membership_of(author, cohort)
    shown = shown_issued_at(client, membership)

    with time_machine.travel(LATER, tick=False):
        response = client.post(issue_url(membership), {"shown_issued_at": shown})
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == list_url(cohort)
        page = client_for(author).get(certificate_url(cohort)).content.decode()

    certificate = Certificate.objects.get()
    assert certificate.issued_at == LATER
    assert certificate.token == issued.token
    assert LATER.strftime("%Y-%m-%d") in page
    verify = reverse("facilitation:verify_certificate", args=[issued.token])
    assert LATER.strftime("%Y-%m-%d") in client.get(verify).content.decode()


def test_reissuing_twice_from_one_page_reissues_once(
    client_for, facilitator, author, cohort, issued
):
    client = client_for(facilitator)
    membership = membership_of(author, cohort)
    shown = shown_issued_at(client, membership)

    with time_machine.travel(LATER, tick=False):
        client.post(issue_url(membership), {"shown_issued_at": shown})
    with time_machine.travel(LATER + datetime.timedelta(minutes=1), tick=False):
        client.post(issue_url(membership), {"shown_issued_at": shown})

    assert Certificate.objects.get().issued_at == LATER


def test_issuing_a_finished_participants_certificate(
    client_for, facilitator, author, cohort, finish
):
    finish(author, cohort)
    client = client_for(facilitator)
    membership = membership_of(author, cohort)
    assert "Issue Ada Author\u2019s certificate?" in (
        client.get(issue_url(membership)).content.decode()
    )

    client.post(issue_url(membership), {"shown_issued_at": ""})
    client.post(issue_url(membership), {"shown_issued_at": ""})

    assert Certificate.objects.filter(membership=membership).count() == 1


def test_nothing_to_issue_before_the_participant_finishes(
    client_for, facilitator, author, cohort, finish
):
    finish(author, cohort, numbers=[1])
    client = client_for(facilitator)
    membership = membership_of(author, cohort)

    assert client.get(issue_url(membership)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(issue_url(membership)).status_code == HTTPStatus.NOT_FOUND
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "persona", ["author", "cohort_mate", "outsider", "other_facilitator"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_cohorts_facilitator_can_reissue(
    client_as, persona, method, author, cohort, issued, cohort_mate, outsider
):
    client = client_as(persona)

    response = getattr(client, method)(
        issue_url(membership_of(author, cohort)),
        {"shown_issued_at": issued.issued_at.isoformat()},
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Certificate.objects.get().issued_at == issued.issued_at


def test_a_member_of_another_cohort_is_a_404(
    client_for, facilitator, cohort, outsider, other_cohort
):
    outsiders = membership_of(outsider, other_cohort)
    url = reverse(
        "facilitation:issue_certificate",
        kwargs={"cohort": cohort.slug, "membership_id": outsiders.pk},
    )

    assert client_for(facilitator).get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_visitor_asking_to_reissue_is_sent_to_sign_in(client, author, cohort, issued):
    response = client.post(issue_url(membership_of(author, cohort)))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))
