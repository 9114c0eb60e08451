"""The people page is shared by every reader of the same role: each member's
count of entries is what everyone of that role may read, and the reader's own
row, counting their "only me" and hidden entries too, is their own."""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilitation import actions as facilitation_actions
from programmes import actions as programme_actions


def people_url(cohort) -> str:
    return reverse("journal:people", kwargs={"cohort": cohort.slug})


def counts(client, cohort) -> dict[str, list[str]]:
    """{username: the row's cells after the name} as the page shows them."""
    response = client.get(people_url(cohort))
    assert response.status_code == HTTPStatus.OK
    rows = re.findall(
        r'<td><a href="/@([\w-]+)/">.*?</a></td>\s*<td>.*?</td>\s*'
        r'<td class="numeric">(\d+)</td>(?:\s*<td class="numeric">(\d+)</td>)?',
        response.text,
    )
    return {username: [n for n in numbers if n] for username, *numbers in rows}


@pytest.fixture
def writings(author, cohort, make_entry):
    """Ada's entries: one for the cohort, one public, one "only me"."""
    make_entry(author, cohort=cohort, title="For the cohort")
    make_entry(author, cohort=cohort, title="For all", visibility="public")
    return make_entry(author, cohort=cohort, title="Mine", visibility="private")


def test_a_member_warming_the_page_does_not_show_their_private_count_to_others(
    client_for, cohort, author, cohort_mate, writings
):
    assert counts(client_for(author), cohort)["ada"] == ["3"]
    assert counts(client_for(cohort_mate), cohort)["ada"] == ["2"]
    # And the other way round: warmed by a mate, Ada still sees her own three.
    assert counts(client_for(author), cohort)["ada"] == ["3"]


def test_facilitators_see_things_done_members_do_not(
    client_for, cohort, author, cohort_mate, facilitator, writings
):
    assert counts(client_for(cohort_mate), cohort)["ada"] == ["2"]
    # The facilitator's page has its own fragment, with the completion column.
    assert counts(client_for(facilitator), cohort)["ada"] == ["2", "0"]
    assert counts(client_for(cohort_mate), cohort)["ada"] == ["2"]


def test_a_hidden_entry_counts_for_facilitators_and_its_author_alone(
    client_for, cohort, author, cohort_mate, facilitator, make_entry, writings
):
    hidden = make_entry(author, cohort=cohort, title="Too much")
    for reader in (author, cohort_mate, facilitator):
        counts(client_for(reader), cohort)  # warm every fragment

    facilitation_actions.hide_item(actor=facilitator, item=hidden)

    assert counts(client_for(cohort_mate), cohort)["ada"] == ["2"]
    assert counts(client_for(facilitator), cohort)["ada"][0] == "3"
    assert counts(client_for(author), cohort)["ada"] == ["4"]


def test_a_new_entry_shows_on_the_next_request(
    client_for, cohort, author, cohort_mate, make_entry, writings
):
    counts(client_for(cohort_mate), cohort)
    counts(client_for(author), cohort)

    make_entry(author, cohort=cohort, title="Another")

    assert counts(client_for(cohort_mate), cohort)["ada"] == ["3"]
    assert counts(client_for(author), cohort)["ada"] == ["4"]


def test_a_private_entry_of_ones_own_counts_on_the_next_request(
    client_for, cohort, author, cohort_mate, make_entry, writings
):
    counts(client_for(author), cohort)

    make_entry(author, cohort=cohort, title="Mine again", visibility="private")

    assert counts(client_for(author), cohort)["ada"] == ["4"]
    assert counts(client_for(cohort_mate), cohort)["ada"] == ["2"]


def test_a_removed_member_is_refused_the_cached_page(
    client_for, cohort, cohort_mate, writings
):
    client = client_for(cohort_mate)
    counts(client, cohort)

    programme_actions.remove_member(membership=cohort_mate.memberships.get())

    assert client.get(people_url(cohort)).status_code == HTTPStatus.NOT_FOUND


def test_an_outsider_is_refused_the_cached_page(
    client_for, cohort, cohort_mate, outsider, writings
):
    counts(client_for(cohort_mate), cohort)

    response = client_for(outsider).get(people_url(cohort))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_warm_page_counts_no_entries(client_for, cohort, cohort_mate, writings):
    client = client_for(cohort_mate)
    client.get(people_url(cohort))
    with CaptureQueriesContext(connection) as context:
        client.get(people_url(cohort))
    tables = " ".join(query["sql"] for query in context.captured_queries)
    assert "journal_entry" not in tables
    assert "programmes_membership" not in tables
