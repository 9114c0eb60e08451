"""The editor's image controls: the JSON upload, the plain file field, and
describing an image later."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from journal import actions
from journal.models import Entry, Image
from tests.images import image_bytes, upload

UPLOAD = reverse("journal:upload_image")


def test_the_upload_answers_with_the_markdown_to_insert(author, client_for):
    response = client_for(author).post(
        UPLOAD,
        {"image": upload(image_bytes(900, 300)), "alt": "A chart", "submission": "k1"},
    )
    assert response.status_code == HTTPStatus.CREATED
    image = Image.objects.get()
    answer = response.json()
    assert answer["markdown"] == f"![A chart]({image.get_absolute_url()})"
    assert (answer["width"], answer["height"]) == (900, 300)
    assert image.owner == author


def test_a_retried_upload_makes_one_image(author, client_for):
    client = client_for(author)
    data = {"alt": "A chart", "submission": "same-page-key"}
    first = client.post(UPLOAD, {**data, "image": upload(image_bytes())}).json()
    again = client.post(UPLOAD, {**data, "image": upload(image_bytes())}).json()
    assert first == again
    assert Image.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"image": upload(b"<svg></svg>", "a.png")}, "image", "not an image"),
        ({}, "image", "required"),
        (
            {"image": upload(image_bytes()), "alt": "A", "decorative": "on"},
            "decorative",
            "not decorative",
        ),
    ],
    ids=["svg as png", "no file", "alt and decorative"],
)
def test_a_refused_upload_says_why_in_json(author, client_for, data, field, message):
    response = client_for(author).post(UPLOAD, data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    answer = response.json()
    assert answer["field"] == field
    assert message in answer["message"]
    assert not Image.objects.exists()


def test_a_signed_out_upload_gets_401_json(db, client):
    response = client.post(UPLOAD, {"image": upload(image_bytes())})
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["error"] == "signed_out"


def test_without_javascript_the_file_field_adds_the_image_at_the_end(
    author, cohort, client_for
):
    url = reverse(
        "journal:write_on_thing", kwargs={"cohort": cohort.slug, "thing": "blogging"}
    )
    response = client_for(author).post(
        url,
        {
            "title": "Pictures",
            "body": "My words.",
            "visibility": "cohort",
            "image": upload(image_bytes(300, 200)),
            "image_alt": "My desk",
            "publish": "1",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    entry = Entry.objects.get()
    image = Image.objects.get()
    assert entry.body == f"My words.\n\n![My desk]({image.get_absolute_url()})\n"
    assert list(entry.images.all()) == [image]
    assert 'alt="My desk"' in entry.body_html


def test_without_javascript_publishing_an_undescribed_image_is_refused(
    author, cohort, client_for
):
    url = reverse(
        "journal:write_on_thing", kwargs={"cohort": cohort.slug, "thing": "blogging"}
    )
    data = {"title": "Pictures", "body": "My words.", "visibility": "cohort"}
    response = client_for(author).post(
        url, {**data, "image": upload(image_bytes()), "publish": "1"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["image_alt"]
    assert "My words." in response.content.decode()
    assert not Image.objects.exists()


def test_without_javascript_a_refused_file_keeps_the_text(author, cohort, client_for):
    url = reverse(
        "journal:write_on_thing", kwargs={"cohort": cohort.slug, "thing": "blogging"}
    )
    response = client_for(author).post(
        url,
        {
            "title": "Pictures",
            "body": "Words to keep.",
            "visibility": "cohort",
            "image": upload(b"%PDF-1.4", "slides.png"),
            "save": "1",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "not an image we can show" in response.context["form"].errors["image"][0]
    assert "Words to keep." in response.content.decode()
    assert not Entry.objects.exists()


def test_the_editor_lists_the_entrys_images_to_describe(
    author, cohort, make_entry, client_for
):
    image = actions.upload_image(owner=author, upload=upload(image_bytes()))
    entry = make_entry(author, cohort=cohort, body=image.markdown(), publish=False)
    page = client_for(author).get(entry.get_edit_url()).content.decode()
    assert reverse("journal:describe_image", args=[image.public_id]) in page
    assert "No alt text yet" in page

    response = client_for(author).post(
        reverse("journal:describe_image", args=[image.public_id]),
        {"alt": "My notes", "next": entry.get_edit_url()},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == entry.get_edit_url()
    image.refresh_from_db()
    assert image.alt == "My notes"
    entry.refresh_from_db()
    assert 'alt="My notes"' in entry.body_html


def test_only_the_owner_describes_an_image(author, cohort_mate, client_for):
    image = actions.upload_image(owner=author, upload=upload(image_bytes()), alt="Mine")
    response = client_for(cohort_mate).post(
        reverse("journal:describe_image", args=[image.public_id]), {"alt": "Taken"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    image.refresh_from_db()
    assert image.alt == "Mine"


def test_describe_goes_back_only_to_our_own_pages(author, client_for):
    image = actions.upload_image(owner=author, upload=upload(image_bytes()), alt="Mine")
    response = client_for(author).post(
        reverse("journal:describe_image", args=[image.public_id]),
        {"alt": "Mine", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_the_studio_offers_image_upload_for_a_things_introduction(
    owner, programme, client_for
):
    thing = programme.things.get(number=1)
    page = client_for(owner).get(
        reverse("studio:edit_thing", args=[programme.slug, thing.slug])
    )
    html = page.content.decode()
    assert 'data-target="id_introduction"' in html
    assert reverse("journal:upload_image") in html
