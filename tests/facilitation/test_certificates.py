"""Certificates (issue 3, Completion): earned, issued once, shown, verified."""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilitation.certificates import certificate_details, certificate_for
from journal.models import Entry
from programmes import actions
from programmes.models import Certificate, Cohort, Membership, Thing

ENTRY_TITLE = "My secret musings on {}"


@pytest.fixture
def finish(make_entry):
    """Publish entries on the given Things (default: every published one)."""

    def publish(user, cohort: Cohort, numbers=None, **kwargs) -> list[Entry]:
        things = cohort.programme.things.published().order_by("number")
        if numbers is not None:
            things = things.filter(number__in=numbers)
        return [
            make_entry(
                user,
                cohort=cohort,
                thing=thing,
                title=ENTRY_TITLE.format(thing.slug),
                body="Words nobody else should read on a certificate.",
                **kwargs,
            )
            for thing in things
        ]

    return publish


def membership_of(user, cohort: Cohort) -> Membership:
    return Membership.objects.get(user=user, cohort=cohort)


def certificate_url(cohort: Cohort) -> str:
    return reverse("facilitation:certificate", kwargs={"cohort": cohort.slug})


# The rules --------------------------------------------------------------------


def test_it_is_not_earned_before_every_published_thing(author, cohort, finish):
    finish(author, cohort, numbers=[1, 2, 3])
    assert certificate_for(membership_of(author, cohort)) is None
    assert not Certificate.objects.exists()


def test_it_is_earned_with_every_published_thing(author, cohort, finish):
    # Thing 5 is a draft: it is not asked for.
    finish(author, cohort)
    certificate = certificate_for(membership_of(author, cohort))
    assert certificate is not None
    assert certificate.membership == membership_of(author, cohort)


def test_the_completion_target_is_enough(author, cohort, finish):
    cohort.completion_target = 2
    cohort.save()
    finish(author, cohort, numbers=[1])
    assert certificate_for(membership_of(author, cohort)) is None
    finish(author, cohort, numbers=[3])
    assert certificate_for(membership_of(author, cohort)) is not None


def test_a_target_above_the_programme_asks_for_every_thing(author, cohort, finish):
    cohort.completion_target = 30
    cohort.save()
    finish(author, cohort)
    assert certificate_for(membership_of(author, cohort)) is not None


def test_a_draft_entry_does_not_count(author, cohort, finish):
    finish(author, cohort, numbers=[1, 2, 3])
    finish(author, cohort, numbers=[4], publish=False)
    assert certificate_for(membership_of(author, cohort)) is None


def test_an_only_me_entry_counts(author, cohort, finish):
    finish(author, cohort, visibility=Entry.Visibility.PRIVATE)
    assert certificate_for(membership_of(author, cohort)) is not None


def test_entries_in_another_cohort_do_not_count(
    author, cohort, other_cohort, join, finish
):
    join(author, other_cohort)
    finish(author, other_cohort)
    assert certificate_for(membership_of(author, cohort)) is None
    assert certificate_for(membership_of(author, other_cohort)) is not None


def test_facilitators_get_no_certificate(facilitator, cohort, finish):
    finish(facilitator, cohort)
    assert certificate_for(membership_of(facilitator, cohort)) is None


def test_a_programme_without_published_things_gives_none(author, cohort):
    cohort.programme.things.update(status=Thing.Status.DRAFT)
    assert certificate_for(membership_of(author, cohort)) is None


def test_it_is_issued_once(author, cohort, finish):
    finish(author, cohort)
    first = certificate_for(membership_of(author, cohort))
    second = certificate_for(membership_of(author, cohort))
    assert first == second
    assert Certificate.objects.count() == 1


def test_an_issued_certificate_stays(author, cohort, finish):
    entries = finish(author, cohort)
    issued = certificate_for(membership_of(author, cohort))
    Entry.objects.filter(pk=entries[0].pk).update(status=Entry.Status.DRAFT)
    assert certificate_for(membership_of(author, cohort)) == issued


def test_details_list_things_dates_and_minutes(author, cohort, finish):
    entries = finish(author, cohort)
    Entry.objects.filter(pk__in=[e.pk for e in entries[:2]]).update(minutes=45)
    details = certificate_details(certificate_for(membership_of(author, cohort)))
    assert [(t.number, t.title) for t in details.things] == [
        (1, "Getting started"),
        (2, "Blogging"),
        (3, "Feeds"),
        (4, "Networks"),
    ]
    assert details.minutes == 90
    assert details.hours == "1 h 30 min"
    published = sorted(entry.published_at for entry in entries)
    assert details.first_published == published[0]
    assert details.last_published == published[-1]


# The certificate page ---------------------------------------------------------


def test_the_page_shows_the_certificate(client_for, author, cohort, finish):
    entries = finish(author, cohort)
    Entry.objects.filter(pk=entries[0].pk).update(minutes=750)
    response = client_for(author).get(certificate_url(cohort))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Ada Author" in page
    assert "23 Things" in page
    assert "Spring cohort" in page
    for title in ["Getting started", "Blogging", "Feeds", "Networks"]:
        assert title in page
    assert "Podcasts" not in page  # a draft Thing
    assert "12 h 30 min" in page
    certificate = Certificate.objects.get()
    assert (
        reverse("facilitation:verify_certificate", kwargs={"token": certificate.token})
        in page
    )


def test_opening_the_page_issues_it(client_for, author, cohort, finish):
    finish(author, cohort)
    assert not Certificate.objects.exists()
    client = client_for(author)
    client.get(certificate_url(cohort))
    client.get(certificate_url(cohort))
    assert Certificate.objects.count() == 1


def test_the_page_shows_no_entry_titles_or_text(client_for, author, cohort, finish):
    finish(author, cohort)
    page = client_for(author).get(certificate_url(cohort)).content.decode()
    assert "secret musings" not in page
    assert "Words nobody else" not in page


def test_no_minutes_no_minutes_line(client_for, author, cohort, finish):
    finish(author, cohort)
    page = client_for(author).get(certificate_url(cohort)).content.decode()
    assert "CPD time recorded" not in page


def test_it_is_a_404_until_earned(client_for, author, cohort, finish):
    finish(author, cohort, numbers=[1, 2])
    response = client_for(author).get(certificate_url(cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "persona", ["cohort_mate", "facilitator", "outsider", "other_facilitator"]
)
def test_it_is_a_404_for_anyone_else(
    client_as, persona, author, cohort, other_cohort, finish, request
):
    finish(author, cohort)
    certificate_for(membership_of(author, cohort))
    if persona == "cohort_mate":
        finish(request.getfixturevalue("cohort_mate"), cohort, numbers=[1])
    response = client_as(persona).get(certificate_url(cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_visitor_is_sent_to_sign_in(client, author, cohort, finish):
    finish(author, cohort)
    response = client.get(certificate_url(cohort))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_it_prints_on_one_a4_page(client_for, author, cohort, finish):
    finish(author, cohort)
    page = client_for(author).get(certificate_url(cohort)).content.decode()
    assert "certificate-page" in page
    css = (Path(settings.BASE_DIR) / "static/css/ponder.css").read_text()
    assert re.search(r"@page certificate\s*{[^}]*size:\s*A4", css)
    print_rules = css[css.index("@page certificate") :]
    assert re.search(r"\.certificate-page\s*{\s*page:\s*certificate", print_rules)
    assert ".certificate-page .certificate__actions { display: none; }" in print_rules
    # Header and footer are hidden on paper by the site-wide print rules.
    assert re.search(r"@media print {\s*\.site-header, \.site-footer", css)


# The dashboard ------------------------------------------------------------------


def test_the_dashboard_links_to_an_earned_certificate(
    client_for, author, cohort, finish
):
    client = client_for(author)
    assert certificate_url(cohort) not in client.get(reverse("home")).content.decode()
    finish(author, cohort)
    page = client.get(reverse("home")).content.decode()
    assert certificate_url(cohort) in page
    assert Certificate.objects.filter(membership__user=author).count() == 1


# Verification -------------------------------------------------------------------


def verify_url(certificate: Certificate) -> str:
    return reverse(
        "facilitation:verify_certificate", kwargs={"token": certificate.token}
    )


@pytest.mark.parametrize("persona", ["visitor", "outsider", "author"])
def test_anyone_can_verify(client_as, persona, author, cohort, finish):
    finish(author, cohort)
    certificate = certificate_for(membership_of(author, cohort))
    response = client_as(persona).get(verify_url(certificate))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for text in ["Ada Author", "23 Things", "Spring cohort", "Things done"]:
        assert text in page
    assert re.search(r"<dt>Things done</dt><dd>4</dd>", page)


def test_verification_shows_nothing_of_the_entries(client, author, cohort, finish):
    finish(author, cohort)
    certificate = certificate_for(membership_of(author, cohort))
    page = client.get(verify_url(certificate)).content.decode()
    assert "secret musings" not in page
    assert "Words nobody else" not in page
    assert "Getting started" not in page  # not even the Things' titles
    assert "noindex" in page


def test_an_unknown_token_is_a_404(client, author, cohort, finish):
    finish(author, cohort)
    certificate_for(membership_of(author, cohort))
    response = client.get(
        reverse("facilitation:verify_certificate", kwargs={"token": "nope"})
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_page_runs_the_same_queries_whatever_the_size(
    client_for, author, cohort, finish
):
    def count_queries() -> int:
        client = client_for(author)
        client.get(certificate_url(cohort))  # issues it
        with CaptureQueriesContext(connection) as context:
            response = client.get(certificate_url(cohort))
        assert response.status_code == HTTPStatus.OK
        return len(context.captured_queries)

    finish(author, cohort)
    small = count_queries()
    Certificate.objects.all().delete()
    for number in range(6, 26):
        actions.add_thing(
            programme=cohort.programme,
            title=f"Extra {number}",
            slug=f"extra-{number}",
            status=Thing.Status.PUBLISHED,
        )
    finish(author, cohort, numbers=range(6, 26))
    assert count_queries() == small
    assert len(certificate_details(Certificate.objects.get()).things) == 24
