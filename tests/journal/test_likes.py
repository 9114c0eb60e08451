"""Liking an entry: once per member, never one's own; who liked it, on request."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from journal import actions
from journal.models import Entry, Like
from programmes.models import Membership
from tests.conftest import thing
from tests.journal.helpers import assert_sent_to_sign_in

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="On feeds",
        visibility=Entry.Visibility.PUBLIC,
    )


def url(name: str, entry: Entry) -> str:
    return reverse(
        f"journal:{name}",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def test_a_member_likes_an_entry(client_for, cohort_mate, entry):
    response = client_for(cohort_mate).post(url("like", entry))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{entry.get_absolute_url()}#likes"
    assert Like.objects.get().user == cohort_mate


def test_liking_twice_keeps_one_like(client_for, cohort_mate, entry):
    client = client_for(cohort_mate)

    client.post(url("like", entry))
    client.post(url("like", entry))

    assert Like.objects.filter(entry=entry).count() == 1
    page = client.get(entry.get_absolute_url()).text
    assert "1 like</summary>" in page
    assert "You like this" in page


def test_unlike(client_for, cohort_mate, entry):
    client = client_for(cohort_mate)
    client.post(url("like", entry))

    response = client.post(url("unlike", entry))

    assert response.status_code == HTTPStatus.FOUND
    assert not Like.objects.exists()
    page = client.get(entry.get_absolute_url()).text
    assert "like</summary>" not in page
    assert f'action="{url("like", entry)}"' in page


def test_the_count_is_shown_to_every_reader(client_as, cohort_mate, facilitator, entry):
    actions.like_entry(entry=entry, user=cohort_mate)
    actions.like_entry(entry=entry, user=facilitator)

    page = client_as("visitor").get(entry.get_absolute_url()).text

    assert "2 likes</summary>" in page
    # Reading is not liking: a visitor gets no button.
    assert url("like", entry) not in page


@pytest.mark.parametrize("persona", ["author", "outsider", "other_facilitator"])
def test_the_author_and_non_members_cannot_like(client_as, entry, persona):
    client = client_as(persona)

    response = client.post(url("like", entry))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Like.objects.exists()
    assert url("like", entry) not in client.get(entry.get_absolute_url()).text


def test_a_visitor_is_sent_to_sign_in(client_as, entry):
    response = client_as("visitor").post(url("like", entry))

    assert_sent_to_sign_in(response, entry.get_absolute_url())
    assert not Like.objects.exists()


def test_an_entry_one_cannot_read_cannot_be_liked(
    client_for, author, cohort, cohort_mate, make_entry
):
    only_me = make_entry(
        author, cohort=cohort, title="Mine", visibility=Entry.Visibility.PRIVATE
    )

    response = client_for(cohort_mate).post(url("like", only_me))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Like.objects.exists()


def test_like_with_htmx_returns_the_like_block(client_for, cohort_mate, entry):
    response = client_for(cohort_mate).post(url("like", entry), **HTMX)

    assert response.status_code == HTTPStatus.OK
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="likes"')
    assert "1 like</summary>" in response.text
    assert f'hx-post="{url("unlike", entry)}"' in response.text


def test_the_likers_page_names_who_liked(client_as, cohort_mate, facilitator, entry):
    actions.like_entry(entry=entry, user=cohort_mate)
    actions.like_entry(entry=entry, user=facilitator)

    response = client_as("visitor").get(url("likers", entry))

    assert response.status_code == HTTPStatus.OK
    assert "Ben Cohort-Mate" in response.text
    assert "Fran Facilitator" in response.text
    assert "ben@example.org" not in response.text


def test_the_likers_load_inline_with_htmx(client_as, cohort_mate, entry):
    actions.like_entry(entry=entry, user=cohort_mate)

    response = client_as("author").get(url("likers", entry), **HTMX)

    assert "<html" not in response.text
    assert "Ben Cohort-Mate" in response.text


def test_a_former_member_s_like_no_longer_counts(client_as, cohort_mate, entry):
    actions.like_entry(entry=entry, user=cohort_mate)
    Membership.objects.filter(user=cohort_mate).delete()

    page = client_as("author").get(entry.get_absolute_url()).text
    likers = client_as("author").get(url("likers", entry)).text

    assert "like</summary>" not in page
    assert "Ben Cohort-Mate" not in likers


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("author", HTTPStatus.OK),
        ("cohort_mate", HTTPStatus.OK),
        ("facilitator", HTTPStatus.OK),
        ("outsider", HTTPStatus.NOT_FOUND),
        ("other_facilitator", HTTPStatus.NOT_FOUND),
    ],
)
def test_the_likers_of_a_cohort_entry_are_for_its_readers(
    client_as, author, cohort, make_entry, persona, status
):
    cohort_entry = make_entry(author, cohort=cohort, title="For the cohort")

    response = client_as(persona).get(url("likers", cohort_entry))

    assert response.status_code == status


def test_a_visitor_asking_for_cohort_likers_is_sent_to_sign_in(
    client_as, author, cohort, make_entry
):
    cohort_entry = make_entry(author, cohort=cohort, title="For the cohort")
    likers = url("likers", cohort_entry)

    assert_sent_to_sign_in(client_as("visitor").get(likers), likers)
