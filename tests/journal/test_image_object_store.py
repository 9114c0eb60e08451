"""The image view with an object store (moto's S3 on loopback,
tests/object_store.py): readers allowed are sent to a signed URL that
fetches the re-encoded image; others get a 404 and no URL."""

import urllib.request
from email.message import Message
from http import HTTPStatus
from urllib.error import HTTPError
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage

from journal import actions
from tests.images import camera_jpeg, image_bytes, upload

EXIF_MARKER = b"Exif\x00\x00"


@pytest.fixture
def picture(bucket, author):
    return actions.upload_image(
        owner=author,
        upload=upload(camera_jpeg(60, 30), "phone.jpg", "image/jpeg"),
        alt="A desk",
    )


@pytest.fixture
def shown(picture, author, cohort, make_entry):
    """The picture in an entry for the cohort."""
    make_entry(author, cohort=cohort, body=picture.markdown(), visibility="cohort")
    return picture


def fetch(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_reader_is_sent_to_a_signed_url_of_the_cleaned_image(
    shown, client_for, cohort_mate, s3_endpoint
):
    response = client_for(cohort_mate).get(shown.get_absolute_url())

    assert response.status_code == HTTPStatus.FOUND
    url = response["Location"]
    assert url.startswith(f"{s3_endpoint}/") and "X-Amz-Signature=" in url
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    status, headers, body = fetch(url)
    assert status == HTTPStatus.OK
    with default_storage.open(shown.file.name) as stored:
        assert body == stored.read()
    # Re-encoded: a JPEG, without the camera's EXIF.
    assert body[:2] == b"\xff\xd8" and EXIF_MARKER not in body
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Content-Disposition"] == "inline"
    assert headers["Cache-Control"] == "private, max-age=3600"


def test_each_width_is_sent_to_its_own_signed_url(
    shown, client_for, cohort_mate, bucket
):
    narrow = shown.renditions[0]
    response = client_for(cohort_mate).get(shown.url_for_width(narrow["width"]))
    assert quote(narrow["name"]) in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", "visitor"])
def test_a_refused_reader_gets_no_url(shown, client_as, persona):
    response = client_as(persona).get(shown.get_absolute_url())

    assert "X-Amz" not in response.get("Location", "")
    assert b"X-Amz" not in response.content
    if persona == "visitor":
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_stored_objects_are_private(shown, s3_client, s3_endpoint, bucket):
    for name in shown.file_names():
        status, _headers, body = fetch(f"{s3_endpoint}/{bucket}/{quote(name)}")
        assert status == HTTPStatus.FORBIDDEN
        assert b"\xff\xd8" not in body
        stored = s3_client.head_object(Bucket=bucket, Key=name)
        assert stored["ContentType"] == "image/jpeg"


def test_a_webp_is_stored_as_webp(bucket, author, s3_client):
    picture = actions.upload_image(
        owner=author, upload=upload(image_bytes(20, 20, "WEBP"), "a.webp", "image/webp")
    )
    stored = s3_client.head_object(Bucket=bucket, Key=picture.file.name)
    assert stored["ContentType"] == "image/webp"
