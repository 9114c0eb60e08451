"""A feed server on loopback for the fetcher's tests and bench.

Serves the feeds in tests/fixtures/feeds (conditional GETs answered with 304)
and the ways a blog goes wrong: errors, redirect chains, bodies over the cap,
a gzip bomb, a server that drips or never answers. Every request's path and
Host header are kept in ``requests`` so tests can see what was asked of whom.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
LAST_MODIFIED = formatdate(1_310_000_000, usegmt=True)
MB = 1024 * 1024

PAGE = """<!doctype html><html><head><title>Shelf Life</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Shelf Life"
  href="/feeds/wordpress.xml">
<link rel="alternate" type="application/rss+xml" href="/comments/feed/">
<link rel="alternate" type="application/atom+xml" href="https://elsewhere.example/atom">
</head><body><p>Hello</p></body></html>"""


@cache
def gzip_bomb() -> bytes:
    """64 MB of zeros in about 64 kB."""
    return gzip.compress(b"\0" * 64 * MB, compresslevel=9)


def bench_feed(number: int) -> bytes:
    items = "".join(
        f"<item><title>Thing {n}: post {n} of blog {number}</title>"
        f"<link>https://blog{number}.example/{n}</link><guid>b{number}-{n}</guid>"
        f"<pubDate>Tue, 14 Jun 2011 09:12:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Some words about Thing {n}.&lt;/p&gt;</description>"
        "</item>"
        for n in range(1, 11)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog {number}'
        f"</title><link>https://blog{number}.example/</link>{items}</channel></rss>"
    ).encode()


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read ``requests`` instead."""

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("Host", "")))
        path = urlsplit(self.path).path
        query = parse_qs(urlsplit(self.path).query)
        if path.startswith("/feeds/"):
            self.send_feed((FEEDS / Path(path).name).read_bytes())
        elif path.startswith("/live/") and path in self.server.live:
            self.send_feed(self.server.live[path])
        elif path.startswith("/bench/"):
            self.send_feed(bench_feed(int(Path(path).stem)))
        elif path == "/page.html":
            self.send_body(PAGE.encode(), "text/html; charset=utf-8")
        elif path.startswith("/status/"):
            self.send_body(b"no", "text/plain", status=int(Path(path).name))
        elif path.startswith("/hops/"):
            left = int(Path(path).name)
            target = f"/hops/{left - 1}" if left > 1 else "/feeds/wordpress.xml"
            self.redirect(target)
        elif path == "/redirect":
            self.redirect(query["to"][0])
        elif path == "/huge":
            self.send_unsized(b"<rss>" + b" " * (3 * MB))
        elif path == "/huge-declared":
            self.send_body(b"<rss>" + b" " * (3 * MB), "application/rss+xml")
        elif path == "/bomb":
            self.send_body(gzip_bomb(), "application/rss+xml", encoding="gzip")
        elif path == "/gzipped":
            body = gzip.compress((FEEDS / "wordpress.xml").read_bytes())
            self.send_body(body, "application/rss+xml", encoding="gzip")
        elif path in {"/deflated", "/raw-deflated"}:
            wbits = 15 if path == "/deflated" else -15
            squeezer = zlib.compressobj(wbits=wbits)
            feed = (FEEDS / "ghost.xml").read_bytes()
            body = squeezer.compress(feed) + squeezer.flush()
            self.send_body(body, "application/rss+xml", encoding="deflate")
        elif path == "/deflate-bomb":
            squeezer = zlib.compressobj(9)
            body = squeezer.compress(b"\0" * 8 * MB) + squeezer.flush()
            self.send_body(body, "application/rss+xml", encoding="deflate")
        elif path == "/brotli":
            self.send_body(b"\x0b\x02", "application/rss+xml", encoding="br")
        elif path == "/broken-gzip":
            self.send_body(b"not gzip at all", "application/rss+xml", encoding="gzip")
        elif path == "/drip":
            self.drip()
        elif path == "/hang":
            time.sleep(float(query.get("seconds", ["3"])[0]))
            self.send_body(b"late", "text/plain")
        else:
            self.send_body(b"not here", "text/plain", status=404)

    def send_feed(self, body: bytes) -> None:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        # As RFC 9110 says: If-None-Match, when sent, decides alone.
        if_none_match = self.headers.get("If-None-Match")
        if (
            if_none_match == etag
            if if_none_match is not None
            else self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_body(
            body,
            "application/rss+xml; charset=utf-8",
            extra={"ETag": etag, "Last-Modified": LAST_MODIFIED},
        )

    def send_body(
        self,
        body: bytes,
        content_type: str,
        *,
        status: int = 200,
        encoding: str = "",
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.write(body)

    def send_unsized(self, body: bytes) -> None:
        """No Content-Length: the body ends when the connection closes."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        for _ in range(100):
            if not self.write(b" "):
                return
            time.sleep(0.1)

    def write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            return False
        return True


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.requests: list[tuple[str, str]] = []
        #: Feeds a test writes and changes as it goes, by path ("/live/…").
        self.live: dict[str, bytes] = {}

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@contextmanager
def running_feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


if __name__ == "__main__":
    # For bench/feed_fetch.py: serve in a process of its own, so the server's
    # CPU is not counted as the fetcher's; the first line out is the port.
    standalone = FeedServer()
    print(standalone.port, flush=True)
    standalone.serve_forever()
