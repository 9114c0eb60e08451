"""Uploads go to the local disk unless PONDER_S3_BUCKET names an object store;
a half-set store stops the start with a message naming what is missing.

Whole configurations start a fresh process, as settings are read once at
start-up; the checks of one store's variables call the settings' helper.
"""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

from config.settings import s3_storage_options, s3_url_origin
from core.storage import SIGNED_URL_SECONDS
from tests.core.test_cache_settings import run_in_django
from tests.test_deploy import PROJECT

DESCRIBE = """
import json
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "backend": type(default_storage).__name__,
    "options": settings.STORAGES["default"].get("OPTIONS", {}),
    "location": str(getattr(default_storage, "location", "")),
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""
STORE = {
    "PONDER_S3_BUCKET": "ponder-uploads",
    "PONDER_S3_ENDPOINT_URL": "https://objects.example.net",
    "PONDER_S3_REGION": "eu-west-2",
    "PONDER_S3_ACCESS_KEY_ID": "key-id",
    "PONDER_S3_SECRET_ACCESS_KEY": "secret",
}


def test_without_a_bucket_uploads_go_to_the_media_folder(tmp_path) -> None:
    found = run_in_django(DESCRIBE, PONDER_MEDIA_ROOT=str(tmp_path))

    assert found == {
        "backend": "FileSystemStorage",
        "options": {},
        "location": str(tmp_path),
        "img_src": ["'self'", "data:"],
    }


def test_the_media_folder_defaults_to_media_beside_the_code() -> None:
    found = run_in_django(DESCRIBE)

    assert found["location"] == str(PROJECT / "media")


def test_a_bucket_selects_the_object_store_with_private_signed_objects() -> None:
    found = run_in_django(DESCRIBE, **STORE)

    assert found["backend"] == "S3Storage"
    assert found["options"] == {
        "bucket_name": "ponder-uploads",
        "endpoint_url": "https://objects.example.net",
        "region_name": "eu-west-2",
        "access_key": "key-id",
        "secret_key": "secret",
        "addressing_style": "auto",
        "signature_version": "s3v4",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        "custom_domain": None,
        "file_overwrite": False,
        "object_parameters": {
            "CacheControl": "private, max-age=3600",
            "ContentDisposition": "inline",
        },
    }
    assert found["img_src"] == ["'self'", "data:", "https://objects.example.net"]


def test_store_variables_without_a_bucket_stop_the_start() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={
            "PATH": "/usr/bin:/bin",
            "PONDER_TESTING": "true",
            **STORE,
            "PONDER_S3_BUCKET": "",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "set without PONDER_S3_BUCKET" in result.stderr
    assert "PONDER_S3_ENDPOINT_URL, PONDER_S3_REGION" in result.stderr


@pytest.fixture
def store_environment(monkeypatch):
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in STORE.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_aws_key_variables_are_read_when_ponder_ones_are_absent(
    store_environment,
) -> None:
    store_environment.delenv("PONDER_S3_ACCESS_KEY_ID")
    store_environment.delenv("PONDER_S3_SECRET_ACCESS_KEY")
    store_environment.setenv("AWS_ACCESS_KEY_ID", "aws-key-id")
    store_environment.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")

    options = s3_storage_options("ponder-uploads")

    assert options["access_key"] == "aws-key-id"
    assert options["secret_key"] == "aws-secret"


def test_on_aws_itself_keys_may_come_from_an_instance_role(store_environment) -> None:
    for name in [
        "PONDER_S3_ENDPOINT_URL",
        "PONDER_S3_ACCESS_KEY_ID",
        "PONDER_S3_SECRET_ACCESS_KEY",
    ]:
        store_environment.delenv(name)

    options = s3_storage_options("ponder-uploads")

    assert options["endpoint_url"] is None
    assert options["access_key"] is None


def test_object_acl_none_sends_no_acl_for_buckets_with_acls_off(
    store_environment,
) -> None:
    store_environment.setenv("PONDER_S3_OBJECT_ACL", "none")

    assert s3_storage_options("ponder-uploads")["default_acl"] is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"PONDER_S3_SECRET_ACCESS_KEY": ""}, "one is set without the other"),
        ({"PONDER_S3_ACCESS_KEY_ID": ""}, "one is set without the other"),
        (
            {"PONDER_S3_ACCESS_KEY_ID": "", "PONDER_S3_SECRET_ACCESS_KEY": ""},
            "PONDER_S3_ENDPOINT_URL needs PONDER_S3_ACCESS_KEY_ID",
        ),
        ({"PONDER_S3_ENDPOINT_URL": "objects.example.net"}, "must be the store's"),
        (
            {"PONDER_S3_ENDPOINT_URL": "https://objects.example.net/bucket"},
            "must be the store's",
        ),
        ({"PONDER_S3_ADDRESSING_STYLE": "subdomain"}, "auto, path or virtual"),
        ({"PONDER_S3_OBJECT_ACL": "public-read"}, "private or none"),
    ],
)
def test_a_half_set_or_wrong_store_is_refused_with_a_clear_message(
    store_environment, changes: dict[str, str], message: str
) -> None:
    for name, value in changes.items():
        store_environment.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        s3_storage_options("ponder-uploads")


@pytest.mark.parametrize(
    ("changes", "origin"),
    [
        ({}, "https://objects.example.net"),
        (
            {"PONDER_S3_ADDRESSING_STYLE": "virtual"},
            "https://uploads.objects.example.net",
        ),
        ({"PONDER_S3_ENDPOINT_URL": ""}, "https://uploads.s3.amazonaws.com"),
        (
            {"PONDER_S3_ENDPOINT_URL": "", "PONDER_S3_ADDRESSING_STYLE": "virtual"},
            "https://uploads.s3.eu-west-2.amazonaws.com",
        ),
        (
            {"PONDER_S3_ENDPOINT_URL": "", "PONDER_S3_ADDRESSING_STYLE": "path"},
            "https://s3.eu-west-2.amazonaws.com",
        ),
    ],
)
def test_the_page_may_show_images_from_where_signed_urls_point(
    store_environment, changes: dict[str, str], origin: str
) -> None:
    for name, value in changes.items():
        store_environment.setenv(name, value)
    options = s3_storage_options("uploads")

    url = S3Storage(**options).url("images/slide.png")

    assert url.startswith(f"{origin}/")
    assert s3_url_origin(options) == origin
