"""core/fetch.py over https: it connects to the checked address, yet sends the
name as TLS server name (SNI) and checks the certificate against the name."""

import datetime
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core import fetch
from core.fetch import Outcome
from tests.feed_server import FeedServer


def self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / f"{name}.pem"
    key_path = directory / f"{name}.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"), "blog.test")


@pytest.fixture(scope="module")
def tls_server(certificate) -> Iterator[tuple[FeedServer, list[str | None]]]:
    server_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    server = FeedServer()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, server_names
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def _loopback_allowed(settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def to_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def https_url(server: FeedServer, host: str) -> str:
    return f"https://{host}:{server.port}/feeds/ghost.xml"


def test_a_certificate_we_do_not_trust_is_refused(tls_server) -> None:
    server, server_names = tls_server
    result = fetch.fetch(https_url(server, "blog.test"), resolver=to_loopback)
    assert result.outcome is Outcome.TLS_FAILED
    assert server_names[-1] == "blog.test"


def test_a_trusted_certificate_for_the_name_is_read(
    tls_server, certificate, monkeypatch
) -> None:
    server, server_names = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    result = fetch.fetch(https_url(server, "blog.test"), resolver=to_loopback)
    assert result.ok
    assert server_names[-1] == "blog.test"
    assert server.requests[-1] == ("/feeds/ghost.xml", f"blog.test:{server.port}")


def test_a_trusted_certificate_for_another_name_is_refused(
    tls_server, certificate, monkeypatch
) -> None:
    server, server_names = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    result = fetch.fetch(https_url(server, "other.test"), resolver=to_loopback)
    assert result.outcome is Outcome.TLS_FAILED
    assert server_names[-1] == "other.test"
