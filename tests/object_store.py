"""An S3-compatible server on loopback for tests: moto's S3, in a thread.

moto 5.2 stores objects and refuses unsigned reads of private ones, but lets
through any URL that merely carries a query-string signature: it checks
neither the signature nor the expiry. `PresignedURLCheck` adds those two
checks the way S3 makes them (Signature Version 4, written out here from
AWS's description rather than with botocore, which made the URL), so a test
can see an expired or tampered URL refused.
"""

import hashlib
import hmac
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, unquote

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

ACCESS_KEY_ID = "ponder-test-key"
SECRET_ACCESS_KEY = "ponder-test-secret"
REGION = "eu-west-2"

Environ = dict[str, object]
StartResponse = Callable[..., object]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


def _uri_encode(text: str, safe: str = "") -> str:
    return quote(text, safe="-_.~" + safe)


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def presigned_signature(
    *, secret_key: str, method: str, path: str, query: list[tuple[str, str]], host: str
) -> str:
    """The Signature Version 4 signature of a presigned GET (UNSIGNED-PAYLOAD)."""
    params = dict(query)
    canonical_query = "&".join(
        f"{_uri_encode(key)}={_uri_encode(value)}"
        for key, value in sorted(query)
        if key != "X-Amz-Signature"
    )
    canonical_request = "\n".join(
        [
            method,
            _uri_encode(unquote(path), safe="/"),
            canonical_query,
            f"host:{host}\n",
            params["X-Amz-SignedHeaders"],
            "UNSIGNED-PAYLOAD",
        ]
    )
    _, day, region, service, terminator = params["X-Amz-Credential"].split("/")
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            params["X-Amz-Date"],
            f"{day}/{region}/{service}/{terminator}",
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = ("AWS4" + secret_key).encode()
    for part in [day, region, service, terminator]:
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


class PresignedURLCheck:
    """Refuses presigned URLs that are expired or not signed with our key."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse):
        query = parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True)
        if any(key == "X-Amz-Signature" for key, _ in query):
            refusal = self.refusal(environ, query)
            if refusal:
                code, message = refusal
                body = (
                    f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
                ).encode()
                start_response(
                    "403 Forbidden",
                    [
                        ("Content-Type", "application/xml"),
                        ("Content-Length", str(len(body))),
                    ],
                )
                return [body]
        return self.app(environ, start_response)

    def refusal(self, environ: Environ, query: list[tuple[str, str]]):
        params = dict(query)
        if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
            return "AccessDenied", "Only Signature Version 4 is accepted"
        if params["X-Amz-Credential"].split("/")[0] != ACCESS_KEY_ID:
            return "InvalidAccessKeyId", "The access key does not exist"
        signed_at = datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        expires_at = signed_at.replace(tzinfo=UTC) + timedelta(
            seconds=int(params["X-Amz-Expires"])
        )
        if datetime.now(UTC) > expires_at:
            return "AccessDenied", "Request has expired"
        raw_path = str(environ.get("RAW_URI") or environ["PATH_INFO"]).split("?")[0]
        expected = presigned_signature(
            secret_key=SECRET_ACCESS_KEY,
            method=str(environ["REQUEST_METHOD"]),
            path=raw_path,
            query=query,
            host=str(environ["HTTP_HOST"]),
        )
        if not hmac.compare_digest(expected, params["X-Amz-Signature"]):
            return "SignatureDoesNotMatch", "The signature does not match"
        return None


@contextmanager
def running_s3_server() -> Iterator[str]:
    """Serves moto's S3 on a free loopback port; yields the endpoint URL."""
    app = PresignedURLCheck(DomainDispatcherApplication(create_backend_app))
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def make_bucket(s3_client) -> str:
    name = f"ponder-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return name
