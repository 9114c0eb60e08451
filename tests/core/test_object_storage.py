"""Uploads in an S3-compatible object store, through Django's default storage:
private objects, reached only through short-lived signed URLs.

The store is moto's S3 server on loopback (tests/object_store.py), configured
through the same settings helper that reads PONDER_S3_* in production (the
`bucket` fixture, tests/conftest.py).
"""

import urllib.request
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.error import HTTPError
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import (
    FileSystemStorage,
    InMemoryStorage,
    default_storage,
)

from config.settings import s3_url_origin
from core.storage import SIGNED_URL_SECONDS, signed_url
from tests.object_store import make_bucket

PICTURE = b"\x89PNG\r\n\x1a\n not really a picture"


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, error.read()


def keys_in(s3_client, bucket: str) -> list[str]:
    listing = s3_client.list_objects_v2(Bucket=bucket)
    return [entry["Key"] for entry in listing.get("Contents", [])]


def test_files_are_saved_read_and_deleted_through_the_default_storage(
    bucket, s3_client
) -> None:
    name = default_storage.save("images/thing-12.png", ContentFile(PICTURE))

    assert keys_in(s3_client, bucket) == [name]
    assert default_storage.exists(name)
    assert default_storage.size(name) == len(PICTURE)
    with default_storage.open(name) as stored:
        assert stored.read() == PICTURE

    default_storage.delete(name)

    assert not default_storage.exists(name)
    assert keys_in(s3_client, bucket) == []


def test_a_second_upload_under_the_same_name_does_not_replace_the_first(
    bucket,
) -> None:
    first = default_storage.save("images/slide.png", ContentFile(b"first"))
    second = default_storage.save("images/slide.png", ContentFile(b"second"))

    assert first != second
    with default_storage.open(first) as stored:
        assert stored.read() == b"first"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("images/a.png", "image/png"), ("images/b.jpg", "image/jpeg")],
)
def test_objects_are_served_with_the_type_their_name_says(
    bucket, s3_client, name: str, content_type: str
) -> None:
    saved = default_storage.save(name, ContentFile(PICTURE))

    stored = s3_client.head_object(Bucket=bucket, Key=saved)

    assert stored["ContentType"] == content_type


def test_objects_are_private(bucket, s3_client, s3_endpoint) -> None:
    name = default_storage.save("images/private.png", ContentFile(PICTURE))

    status, _ = fetch(f"{s3_endpoint}/{bucket}/{quote(name)}")

    assert status == HTTPStatus.FORBIDDEN
    grants = s3_client.get_object_acl(Bucket=bucket, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"


def test_a_signed_url_fetches_the_file(bucket, s3_endpoint, settings) -> None:
    name = default_storage.save("images/signed.png", ContentFile(PICTURE))

    url = signed_url(default_storage, name)

    assert url is not None
    assert f"X-Amz-Expires={SIGNED_URL_SECONDS}&" in url
    assert fetch(url) == (HTTPStatus.OK, PICTURE)
    # The origin the settings add to the page's img-src.
    assert url.startswith(s3_endpoint + "/")
    assert s3_url_origin(settings.STORAGES["default"]["OPTIONS"]) == s3_endpoint


def test_a_signed_url_stops_working_after_signed_url_seconds(bucket) -> None:
    name = default_storage.save("images/soon-gone.png", ContentFile(PICTURE))
    url = signed_url(default_storage, name)
    signed_at = datetime.now(UTC)

    with time_machine.travel(signed_at + timedelta(seconds=SIGNED_URL_SECONDS - 5)):
        assert fetch(url)[0] == HTTPStatus.OK
    with time_machine.travel(signed_at + timedelta(seconds=SIGNED_URL_SECONDS + 2)):
        status, body = fetch(url)

    assert status == HTTPStatus.FORBIDDEN
    assert b"Request has expired" in body


def test_a_tampered_signature_is_refused(bucket) -> None:
    name = default_storage.save("images/tamper.png", ContentFile(PICTURE))
    url = signed_url(default_storage, name)
    last = url[-1]

    status, body = fetch(url[:-1] + ("0" if last != "0" else "1"))

    assert status == HTTPStatus.FORBIDDEN
    assert b"SignatureDoesNotMatch" in body


def test_a_signed_url_for_one_file_does_not_open_another(bucket) -> None:
    shown = default_storage.save("images/shown.png", ContentFile(b"shown"))
    secret = default_storage.save("images/secret.png", ContentFile(b"secret"))
    url = signed_url(default_storage, shown)

    status, body = fetch(url.replace(quote(shown), quote(secret)))

    assert status == HTTPStatus.FORBIDDEN
    assert b"secret" not in body


@pytest.mark.parametrize(
    "name",
    [
        "images/a slide + notes (1).png",
        "images/café-ünïcode-日本.png",
        "images/100%25 done?x=1#top.png",
        "images/..hidden.png",
        "images/%2e%2e/%2e%2e/elsewhere.png",
    ],
)
def test_odd_names_stay_in_the_bucket_and_sign_correctly(
    bucket, s3_client, name: str
) -> None:
    other_bucket = make_bucket(s3_client)

    saved = default_storage.save(name, ContentFile(PICTURE))

    assert keys_in(s3_client, bucket) == [saved]
    assert keys_in(s3_client, other_bucket) == []
    assert fetch(signed_url(default_storage, saved)) == (HTTPStatus.OK, PICTURE)


@pytest.mark.parametrize(
    "name", ["../elsewhere.png", "images/../../elsewhere.png", "/elsewhere.png"]
)
def test_names_that_climb_out_are_refused(bucket, s3_client, name: str) -> None:
    with pytest.raises(SuspiciousFileOperation):
        default_storage.save(name, ContentFile(PICTURE))

    assert keys_in(s3_client, bucket) == []


def test_the_local_disk_has_no_signed_url_the_view_streams_the_file(
    tmp_path,
) -> None:
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("images/local.png", ContentFile(PICTURE))

    assert signed_url(storage, name) is None
    assert (tmp_path / name).read_bytes() == PICTURE


def test_memory_storage_has_no_signed_url_either() -> None:
    storage = InMemoryStorage()
    name = storage.save("images/memory.png", ContentFile(PICTURE))

    assert signed_url(storage, name) is None
