"""Serving images: to whoever may read what shows them, and to nobody else."""

import datetime
from http import HTTPStatus

import pytest

from journal import actions
from journal.models import Entry
from programmes import actions as programme_actions
from programmes.portable import duplicate_programme
from tests.images import finish, image_bytes, upload

PERSONAS = ["author", "cohort_mate", "facilitator", "outsider", "other_facilitator"]
SIGN_IN = "sign in"

#: Who gets an image shown in an entry of each visibility (DESIGN.md matrix).
MATRIX = {
    "private": {"author": 200},
    "draft": {"author": 200},
    "cohort": {"author": 200, "cohort_mate": 200, "facilitator": 200},
    "public": {persona: 200 for persona in [*PERSONAS, "visitor"]},
}


@pytest.fixture
def picture(author):
    return actions.upload_image(
        owner=author, upload=upload(image_bytes(1000, 500)), alt="A slide, before"
    )


def status_of(response) -> int | str:
    finish(response)  # a streamed file stays open until then
    if (
        response.status_code == HTTPStatus.FOUND
        and "/accounts/login/" in response["Location"]
    ):
        return SIGN_IN
    return response.status_code


def show_in_entry(author, cohort, make_entry, picture, case: str) -> Entry:
    visibility = {"private": "private", "draft": "cohort"}.get(case, case)
    return make_entry(
        author,
        cohort=cohort,
        body=f"Before:\n\n{picture.markdown()}",
        visibility=visibility,
        publish=case != "draft",
    )


@pytest.mark.parametrize("case", list(MATRIX))
@pytest.mark.parametrize("persona", [*PERSONAS, "visitor"])
def test_an_image_follows_the_entry_that_shows_it(
    client_as, everyone, cohort, make_entry, picture, case, persona
):
    show_in_entry(everyone["author"], cohort, make_entry, picture, case)
    default = SIGN_IN if persona == "visitor" else HTTPStatus.NOT_FOUND
    expected = MATRIX[case].get(persona, default)
    client = client_as(persona)
    assert status_of(client.get(picture.get_absolute_url())) == expected
    assert status_of(client.get(picture.url_for_width(480))) == expected


@pytest.mark.parametrize("persona", ["cohort_mate", "outsider", "visitor"])
def test_an_image_shown_nowhere_is_its_owners_alone(client_as, picture, persona):
    assert status_of(client_as("author").get(picture.get_absolute_url())) == 200
    expected = SIGN_IN if persona == "visitor" else HTTPStatus.NOT_FOUND
    assert status_of(client_as(persona).get(picture.get_absolute_url())) == expected


def test_an_unknown_image_or_width_is_a_404(client_as, cohort, make_entry, picture):
    show_in_entry(picture.owner, cohort, make_entry, picture, "public")
    client = client_as("author")
    assert status_of(client.get("/images/" + "x" * 22 + "/")) == 404
    assert status_of(client.get(picture.url_for_width(481))) == 404
    assert status_of(client_as("visitor").get("/images/" + "x" * 22 + "/")) == SIGN_IN


def test_showing_someone_elses_image_grants_nothing(
    client_as, everyone, cohort, make_entry, picture
):
    """Ben puts Ada's private image's address in his public entry: it is not
    shown there, and readers of his entry still get a 404."""
    entry = make_entry(
        everyone["cohort_mate"],
        cohort=cohort,
        body=picture.markdown(),
        visibility="public",
    )
    assert "<img" not in entry.body_html
    assert not picture.entries.exists()
    assert status_of(client_as("outsider").get(picture.get_absolute_url())) == 404


def test_an_image_leaves_with_the_entry_that_showed_it(
    client_as, everyone, cohort, make_entry, picture
):
    entry = show_in_entry(everyone["author"], cohort, make_entry, picture, "public")
    assert status_of(client_as("outsider").get(picture.get_absolute_url())) == 200
    entry.body = "No picture any more."
    actions.save_entry(entry=entry, publish=True)
    assert status_of(client_as("outsider").get(picture.get_absolute_url())) == 404


def test_an_image_in_a_hidden_entry_is_for_its_author_and_facilitators(
    client_as, everyone, cohort, make_entry, picture
):
    entry = show_in_entry(everyone["author"], cohort, make_entry, picture, "public")
    Entry.objects.filter(pk=entry.pk).update(hidden_at=entry.published_at)
    assert status_of(client_as("facilitator").get(picture.get_absolute_url())) == 200
    assert status_of(client_as("cohort_mate").get(picture.get_absolute_url())) == 404


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("author", 200),
        ("cohort_mate", 200),
        ("facilitator", 200),
        ("outsider", 404),
        ("other_facilitator", 404),
        ("visitor", SIGN_IN),
    ],
)
def test_an_image_in_a_comment_follows_the_comment(
    client_as, everyone, cohort, make_entry, make_comment, persona, expected
):
    entry = make_entry(everyone["author"], cohort=cohort, visibility="cohort")
    mate = everyone["cohort_mate"]
    photo = actions.upload_image(owner=mate, upload=upload(image_bytes()), alt="Mine")
    comment = make_comment(entry, mate, body=f"Like this? {photo.markdown()}")
    assert list(photo.comments.all()) == [comment]
    assert status_of(client_as(persona).get(photo.get_absolute_url())) == expected


def test_it_is_served_with_headers_that_run_nothing(
    client_as, cohort, make_entry, picture
):
    show_in_entry(picture.owner, cohort, make_entry, picture, "public")
    response = client_as("visitor").get(picture.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_object_store_serves_it_through_a_signed_redirect(
    client_as, cohort, make_entry, picture, monkeypatch
):
    show_in_entry(picture.owner, cohort, make_entry, picture, "public")
    monkeypatch.setattr(
        "journal.views.images.signed_url",
        lambda storage, name: f"https://store.example/{name}?sig=1",
    )
    response = client_as("author").get(picture.url_for_width(480))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("https://store.example/images/")
    assert response["Cache-Control"].startswith("private")


@pytest.fixture
def thing_image(owner, programme):
    return actions.upload_image(
        owner=owner, upload=upload(image_bytes()), alt="The slide to improve"
    )


def show_in_thing(programme, number: int, image) -> None:
    thing = programme.things.get(number=number)
    programme_actions.update_thing(
        thing=thing, introduction=f"Look at this:\n\n{image.markdown()}"
    )
    assert list(thing.images.all()) == [image]
    assert "<img" in thing.introduction_html


@pytest.mark.parametrize(
    ("number", "persona", "expected"),
    [
        (1, "author", 200),
        (1, "cohort_mate", 200),
        (1, "facilitator", 200),
        # A member of another cohort of the same programme sees the Thing too.
        (1, "outsider", 200),
        (1, "visitor", SIGN_IN),
        # Thing 4 opens in six days: facilitators see it ahead, members not yet.
        (4, "author", 404),
        (4, "facilitator", 200),
        # Thing 5 is a draft: its programme's owners alone.
        (5, "facilitator", 404),
    ],
)
def test_a_things_image_follows_the_thing(
    client_as, everyone, programme, thing_image, number, persona, expected
):
    show_in_thing(programme, number, thing_image)
    assert status_of(client_as(persona).get(thing_image.get_absolute_url())) == expected


def test_a_things_image_is_not_for_people_outside_the_programme(
    client_for, make_user, owner, programme, thing_image
):
    show_in_thing(programme, 5, thing_image)
    stranger = make_user("sam")
    assert status_of(client_for(owner).get(thing_image.get_absolute_url())) == 200
    assert status_of(client_for(stranger).get(thing_image.get_absolute_url())) == 404


def test_a_duplicated_programme_shows_its_owners_images_to_its_members(
    owner, programme, thing_image, client_for, make_user, join
):
    show_in_thing(programme, 1, thing_image)
    copy = duplicate_programme(programme=programme, owner=owner)
    copied = copy.things.get(number=1)
    assert list(copied.images.all()) == [thing_image]
    cohort = programme_actions.create_cohort(
        programme=copy,
        facilitator=owner,
        name="Copy cohort",
        slug="copy",
        time_zone="Europe/London",
        start_date=datetime.date.today() - datetime.timedelta(days=15),
    )
    member = make_user("mia")
    join(member, cohort)
    assert status_of(client_for(member).get(thing_image.get_absolute_url())) == 200


def test_a_things_image_in_an_open_programme_is_for_anyone(
    client, client_for, make_user, programme, thing_image
):
    show_in_thing(programme, 1, thing_image)
    programme_actions.set_programme_open(programme=programme, is_open=True)
    stranger = make_user("stranger")
    assert status_of(client.get(thing_image.get_absolute_url())) == 200
    assert status_of(client_for(stranger).get(thing_image.get_absolute_url())) == 200


def test_a_draft_things_image_in_an_open_programme_stays_the_owners(
    client, client_for, make_user, programme, thing_image
):
    show_in_thing(programme, 5, thing_image)
    programme_actions.set_programme_open(programme=programme, is_open=True)
    stranger = make_user("stranger")
    assert status_of(client.get(thing_image.get_absolute_url())) == SIGN_IN
    assert status_of(client_for(stranger).get(thing_image.get_absolute_url())) == 404
