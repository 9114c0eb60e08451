"""Fetching an address a participant gave us (a blog, a feed), safely.

Anyone can type an address, so the fetch is an attacker's request made from
inside our network. The guard resolves the host once, refuses the whole
answer if any address in it is loopback, private, link-local (cloud metadata
included), multicast, reserved or shared (CGNAT), and then connects to the
checked address itself, sending the name only as the Host header and the TLS
server name: a second lookup that answers differently (DNS rebinding) never
happens. Redirects are followed by hand, each hop guarded again. Only http
and https on ports 80 and 443 are fetched, except into the networks the
operator lists in ``PONDER_FETCH_ALLOWED_NETWORKS`` (the tests' loopback
server), where any port is allowed.

The body is capped on the bytes actually read and on the bytes gzip or
deflate inflate them to; the whole fetch has a deadline besides the connect
and read timeouts. Network trouble is never an exception to the caller: the
result says what happened, in words a participant can read.

Uses urllib3 (already installed with botocore), at the connection-pool level,
so that we choose the address it connects to.
"""

from __future__ import annotations

import enum
import http.client
import ipaddress
import socket
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 15.0
MAX_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "Ponder feed reader (+https://github.com/ponder)"
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}
#: Left as they are in a request target: reserved characters and escapes.
URL_SAFE = "/%:@!$&'()*+,;=?~"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]

#: Never fetched unless listed in PONDER_FETCH_ALLOWED_NETWORKS. Python's
#: is_private and friends cover most of these; they are listed so the rule is
#: readable here and does not move with the Python version.
FORBIDDEN_NETWORKS = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "0.0.0.0/8",  # "this network", unspecified
        "10.0.0.0/8",  # RFC 1918
        "100.64.0.0/10",  # CGNAT shared space
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata 169.254.169.254
        "172.16.0.0/12",  # RFC 1918
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.168.0.0/16",  # RFC 1918
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",  # unspecified
        "::1/128",  # loopback
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local (ULA), AWS metadata fd00:ec2::254
        "fe80::/10",  # link-local
        "fec0::/10",  # old site-local
        "ff00::/8",  # multicast
    )
)


class Outcome(enum.Enum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    BAD_ADDRESS = "bad_address"
    FORBIDDEN_ADDRESS = "forbidden_address"
    NO_SUCH_HOST = "no_such_host"
    CONNECTION_FAILED = "connection_failed"
    TLS_FAILED = "tls_failed"
    TIMEOUT = "timeout"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TOO_LARGE = "too_large"
    BAD_ENCODING = "bad_encoding"
    NOT_FOUND = "not_found"
    GONE = "gone"
    HTTP_ERROR = "http_error"


MESSAGES = {
    Outcome.OK: _("Read."),
    Outcome.NOT_MODIFIED: _("Nothing new since the last read."),
    Outcome.BAD_ADDRESS: _(
        "That is not a web address we can read (it must start with http:// "
        "or https:// and use the usual port)."
    ),
    Outcome.FORBIDDEN_ADDRESS: _("That address is on a private network."),
    Outcome.NO_SUCH_HOST: _("No site answers to that name."),
    Outcome.CONNECTION_FAILED: _("The address refused the connection."),
    Outcome.TLS_FAILED: _("The site's secure connection could not be checked."),
    Outcome.TIMEOUT: _("The address did not answer in time."),
    Outcome.TOO_MANY_REDIRECTS: _("The address redirects too many times."),
    Outcome.TOO_LARGE: _("The page is too large to read."),
    Outcome.BAD_ENCODING: _("The page arrived damaged (its compression is broken)."),
    Outcome.NOT_FOUND: _("Not found (404)."),
    Outcome.GONE: _("Gone (410)."),
    Outcome.HTTP_ERROR: _("The site answered with an error."),
}


@dataclass(frozen=True)
class FetchResult:
    """What one fetch came to. ``url`` is the last address asked (after
    redirects); ``etag`` and ``last_modified`` are for the next conditional
    GET."""

    outcome: Outcome
    url: str
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    redirects: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def message(self) -> str:
        return message(self.outcome.value, self.status)


def message(outcome: str, status: int | None = None) -> str:
    """What a fetch's outcome (`Outcome`'s value, as stored) means, in plain
    words for the person whose address it was."""
    try:
        known = Outcome(outcome)
    except ValueError:
        return str(MESSAGES[Outcome.HTTP_ERROR])
    if known is Outcome.HTTP_ERROR and status:
        return str(
            _("The site answered with an error (%(status)s).") % {"status": status}
        )
    return str(MESSAGES[known])


class Refused(Exception):
    """Internal: ends a fetch early with an outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome


@cache
def _allowed_networks(
    cidrs: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _allowed_networks(tuple(settings.PONDER_FETCH_ALLOWED_NETWORKS))


def _unmapped(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), 6to4 or
    NAT64 address: each reaches that IPv4 host, so it is judged as that host."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address.sixtofour:
            return address.sixtofour
        if address in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_allowed_by_operator(address: IPAddress) -> bool:
    address = _unmapped(address)
    return any(address in network for network in allowed_networks())


def is_public(address: IPAddress) -> bool:
    """True when the address may be fetched without the operator's leave."""
    address = _unmapped(address)
    if any(address in network for network in FORBIDDEN_NETWORKS):
        return False
    return address.is_global and not address.is_multicast


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def check_address(
    url: str, resolver: Resolver | None = None
) -> tuple[str, str, int, str]:
    """Resolve the URL's host once and return (scheme, host, port, address to
    connect to), or raise Refused. Every address the name resolves to must be
    fetchable: a mixed answer is refused rather than picking the good one,
    since the connection library would be free to try the others."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError as error:
        raise Refused(Outcome.BAD_ADDRESS) from error
    if scheme not in DEFAULT_PORTS or not host or port is None:
        raise Refused(Outcome.BAD_ADDRESS)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [literal]
    else:
        try:
            # The ASCII form goes into DNS, the Host header and TLS alike.
            host = host.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise Refused(Outcome.BAD_ADDRESS) from error
        try:
            names = (resolver or _system_resolver)(host, port)
            found = [ipaddress.ip_address(name.split("%")[0]) for name in names]
        except (OSError, UnicodeError, ValueError) as error:
            raise Refused(Outcome.NO_SUCH_HOST) from error
    if not found:
        raise Refused(Outcome.NO_SUCH_HOST)
    if all(is_allowed_by_operator(address) for address in found):
        return scheme, host, port, str(found[0])
    if not all(is_public(address) for address in found):
        raise Refused(Outcome.FORBIDDEN_ADDRESS)
    if port != DEFAULT_PORTS[scheme]:
        raise Refused(Outcome.BAD_ADDRESS)
    return scheme, host, port, str(found[0])


class _Inflater:
    """Undoes gzip or deflate, never producing more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.produced = 0
        if encoding in {"", "identity"}:
            self.decompressor = None
        elif encoding in {"gzip", "x-gzip"}:
            self.decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.decompressor = zlib.decompressobj()
        else:
            raise Refused(Outcome.BAD_ENCODING)
        self.encoding = encoding
        self.started = False

    def feed(self, data: bytes) -> bytes:
        out = data if self.decompressor is None else self._inflate(data)
        self.produced += len(out)
        if self.produced > self.limit:
            raise Refused(Outcome.TOO_LARGE)
        return out

    def _inflate(self, data: bytes) -> bytes:
        assert self.decompressor is not None
        try:
            # One byte over the limit is enough to know the body is too large.
            room = self.limit - self.produced + 1
            out = self.decompressor.decompress(data, room)
            if self.decompressor.unconsumed_tail and len(out) >= room:
                raise Refused(Outcome.TOO_LARGE)
        except zlib.error as error:
            # Some servers send raw deflate without the zlib header.
            if self.encoding == "deflate" and not self.started:
                self.started = True
                self.decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflate(data)
            raise Refused(Outcome.BAD_ENCODING) from error
        self.started = True
        return out


def _read_body(
    response: urllib3.BaseHTTPResponse, deadline: float, limit: int
) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(Outcome.TOO_LARGE)
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    inflater = _Inflater(encoding, limit)
    received = 0
    parts = []
    while True:
        if time.monotonic() > deadline:
            raise Refused(Outcome.TIMEOUT)
        # read1 returns what has arrived, so a server dripping a byte at a
        # time cannot hold us past the deadline by more than one read timeout.
        chunk = response.read1(CHUNK, decode_content=False)
        if not chunk:
            break
        received += len(chunk)
        if received > limit:
            raise Refused(Outcome.TOO_LARGE)
        parts.append(inflater.feed(chunk))
    return b"".join(parts)


def _pool(
    scheme: str, host: str, port: int, address: str, timeout: urllib3.Timeout
) -> urllib3.HTTPConnectionPool:
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(
        address, port, timeout=timeout, retries=False, maxsize=1
    )


def _host_header(scheme: str, host: str, port: int) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == DEFAULT_PORTS[scheme] else f"{name}:{port}"


def _request_target(url: str) -> str:
    """Path and query, percent-encoded where a blog's address (or its
    redirect) holds what HTTP may not carry: non-ASCII, spaces, CR/LF."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe=URL_SAFE)
    return f"{path}?{quote(parts.query, safe=URL_SAFE)}" if parts.query else path


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    max_bytes: int = MAX_BYTES,
    connect_timeout: float = CONNECT_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
    resolver: Resolver | None = None,
) -> FetchResult:
    """GET ``url`` through the guard; never raises for network trouble.
    ``connect_timeout`` bounds the connection and each read; ``total_timeout``
    the whole fetch, redirects included."""
    deadline = time.monotonic() + total_timeout
    redirects: list[str] = []
    current = url.strip()
    try:
        while True:
            response = _get_once(
                current,
                etag=etag,
                last_modified=last_modified,
                accept=accept,
                connect_timeout=connect_timeout,
                deadline=deadline,
                resolver=resolver,
            )
            try:
                target = _redirect_target(response, current)
                if target is None:
                    return _result(
                        response, current, tuple(redirects), deadline, max_bytes
                    )
            finally:
                # urllib3 2 closes the connection with the response: no reuse,
                # since the next hop may be another host.
                response.close()
            if len(redirects) >= MAX_REDIRECTS:
                raise Refused(Outcome.TOO_MANY_REDIRECTS)
            current = target
            redirects.append(current)
    except Refused as refused:
        return FetchResult(refused.outcome, current, redirects=tuple(redirects))


def _redirect_target(response: urllib3.BaseHTTPResponse, url: str) -> str | None:
    location = response.headers.get("Location", "").strip()
    if response.status not in REDIRECTS or not location:
        return None
    try:
        return urljoin(url, location)
    except ValueError as error:
        raise Refused(Outcome.BAD_ADDRESS) from error


def _get_once(
    url: str,
    *,
    etag: str,
    last_modified: str,
    accept: str,
    connect_timeout: float,
    deadline: float,
    resolver: Resolver | None,
) -> urllib3.BaseHTTPResponse:
    scheme, host, port, address = check_address(url, resolver)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise Refused(Outcome.TIMEOUT)
    timeout = urllib3.Timeout(
        connect=min(connect_timeout, remaining), read=min(connect_timeout, remaining)
    )
    headers = {
        "Host": _host_header(scheme, host, port),
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    pool = _pool(scheme, host, port, address, timeout)
    try:
        return pool.urlopen(
            "GET",
            _request_target(url),
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=False,
            assert_same_host=False,
        )
    except NewConnectionError as error:
        # Before ConnectTimeoutError: urllib3 2 makes it a subclass of that.
        raise Refused(Outcome.CONNECTION_FAILED) from error
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError) as error:
        raise Refused(Outcome.TIMEOUT) from error
    except SSLError as error:
        raise Refused(Outcome.TLS_FAILED) from error
    except (HTTPError, OSError, http.client.HTTPException) as error:
        raise Refused(Outcome.CONNECTION_FAILED) from error


def _result(
    response: urllib3.BaseHTTPResponse,
    url: str,
    redirects: tuple[str, ...],
    deadline: float,
    max_bytes: int,
) -> FetchResult:
    status = response.status
    common = {
        "url": url,
        "status": status,
        "redirects": redirects,
        "etag": response.headers.get("ETag", ""),
        "last_modified": response.headers.get("Last-Modified", ""),
    }
    if status == 304:
        return FetchResult(Outcome.NOT_MODIFIED, **common)
    if status == 404:
        return FetchResult(Outcome.NOT_FOUND, **common)
    if status == 410:
        return FetchResult(Outcome.GONE, **common)
    if not 200 <= status < 300:
        return FetchResult(Outcome.HTTP_ERROR, **common)
    try:
        body = _read_body(response, deadline, max_bytes)
    except (ReadTimeoutError, TimeoutError) as error:
        raise Refused(Outcome.TIMEOUT) from error
    except (HTTPError, OSError, http.client.HTTPException) as error:
        raise Refused(Outcome.CONNECTION_FAILED) from error
    return FetchResult(
        Outcome.OK,
        body=body,
        content_type=response.headers.get("Content-Type", ""),
        **common,
    )
