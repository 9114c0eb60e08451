"""core/fetch.py against a feed server on loopback, and its address guard."""

import ipaddress
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import fetch
from core.fetch import Outcome
from tests.feed_server import FeedServer, running_feed_server


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with running_feed_server() as running:
        yield running


@pytest.fixture(autouse=True)
def _loopback_allowed(settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def to_loopback(host: str, port: int) -> list[str]:
    """A resolver for the tests' own names: every *.test is the feed server."""
    if host.endswith(".test"):
        return ["127.0.0.1"]
    raise OSError("no such host")


# --- The address guard -----------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.255.254",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "169.254.0.1",
        "100.64.0.1",  # CGNAT
        "100.127.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.0.1",
        "192.0.2.1",
        "198.18.0.1",
        "198.51.100.1",
        "203.0.113.1",
        "::",
        "::1",
        "fc00::1",
        "fd00:ec2::254",  # AWS metadata over IPv6
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "2001:db8::1",
        "100::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
    ],
)
def test_it_refuses_addresses_that_are_not_public(address: str) -> None:
    assert not fetch.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1"],
)
def test_it_allows_public_addresses(address: str) -> None:
    assert fetch.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://10.1.2.3/feed",
    ],
)
def test_it_refuses_private_literals(url: str, settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    result = fetch.fetch(url)
    assert result.outcome is Outcome.FORBIDDEN_ADDRESS
    assert result.message == "That address is on a private network."


def test_it_refuses_a_name_that_resolves_to_a_private_address(settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    result = fetch.fetch(
        "http://blog.example/feed", resolver=lambda host, port: ["10.0.0.7"]
    )
    assert result.outcome is Outcome.FORBIDDEN_ADDRESS


def test_it_refuses_a_name_with_any_private_address_in_its_answer(settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(fetch.Refused) as refused:
        fetch.check_address(
            "https://blog.example/",
            resolver=lambda host, port: ["93.184.215.14", "169.254.169.254"],
        )
    assert refused.value.outcome is Outcome.FORBIDDEN_ADDRESS


def test_it_uses_the_system_resolver_by_default(monkeypatch, settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    monkeypatch.setattr(fetch, "_system_resolver", lambda host, port: ["192.168.0.9"])
    assert fetch.fetch("http://blog.example/").outcome is Outcome.FORBIDDEN_ADDRESS


def test_a_public_name_is_checked_on_the_usual_port() -> None:
    public = ["93.184.215.14"]
    assert fetch.check_address(
        "https://blog.example/feed", resolver=lambda host, port: public
    ) == ("https", "blog.example", 443, "93.184.215.14")
    with pytest.raises(fetch.Refused) as refused:
        fetch.check_address(
            "https://blog.example:8443/feed", resolver=lambda host, port: public
        )
    assert refused.value.outcome is Outcome.BAD_ADDRESS


@pytest.mark.parametrize(
    "url",
    [
        "ftp://blog.example/feed",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "http://",
        "http://blog.example:99999/",
        "not a url",
        "",
    ],
)
def test_it_refuses_what_is_not_a_web_address(url: str) -> None:
    assert fetch.fetch(url).outcome is Outcome.BAD_ADDRESS


def test_it_says_when_no_site_answers_to_a_name() -> None:
    result = fetch.fetch("http://nowhere.invalid/", resolver=to_loopback)
    assert result.outcome is Outcome.NO_SUCH_HOST
    assert result.message == "No site answers to that name."


def test_operator_networks_must_be_networks(monkeypatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import env_networks

    monkeypatch.setenv("PONDER_FETCH_ALLOWED_NETWORKS", "10.0.0.0/8, intranet")
    with pytest.raises(ImproperlyConfigured):
        env_networks("PONDER_FETCH_ALLOWED_NETWORKS")


# --- Fetching from the feed server -----------------------------------------


def test_it_fetches_a_feed(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/feeds/wordpress.xml"))
    assert result.ok
    assert result.status == 200
    assert result.body.startswith(b'<?xml version="1.0"')
    assert result.content_type.startswith("application/rss+xml")
    assert result.etag
    assert result.last_modified


def test_it_connects_to_the_checked_address_with_the_name_as_host(
    server: FeedServer,
) -> None:
    """The name is resolved once, by the guard; the connection goes to that
    address, so a second answer (DNS rebinding) is never asked for."""
    lookups = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    result = fetch.fetch(server.url("/feeds/ghost.xml", "blog.test"), resolver=resolver)
    assert result.ok
    assert lookups == ["blog.test"]
    assert server.requests[-1] == ("/feeds/ghost.xml", f"blog.test:{server.port}")


def test_it_refuses_an_allowed_network_only_when_every_address_is_in_it(
    server: FeedServer,
) -> None:
    result = fetch.fetch(
        server.url("/feeds/ghost.xml", "blog.test"),
        resolver=lambda host, port: ["127.0.0.1", "10.0.0.1"],
    )
    assert result.outcome is Outcome.FORBIDDEN_ADDRESS


def test_it_refuses_loopback_when_the_operator_does_not_allow_it(
    server: FeedServer, settings
) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    before = len(server.requests)
    result = fetch.fetch(server.url("/feeds/wordpress.xml"))
    assert result.outcome is Outcome.FORBIDDEN_ADDRESS
    assert len(server.requests) == before


def test_conditional_get_with_etag_is_not_modified(server: FeedServer) -> None:
    first = fetch.fetch(server.url("/feeds/blogger.xml"))
    again = fetch.fetch(server.url("/feeds/blogger.xml"), etag=first.etag)
    assert again.outcome is Outcome.NOT_MODIFIED
    assert again.status == 304
    assert again.body == b""
    assert again.message == "Nothing new since the last read."


def test_conditional_get_with_last_modified_is_not_modified(
    server: FeedServer,
) -> None:
    first = fetch.fetch(server.url("/feeds/medium.xml"))
    again = fetch.fetch(
        server.url("/feeds/medium.xml"), last_modified=first.last_modified
    )
    assert again.outcome is Outcome.NOT_MODIFIED


def test_a_stale_etag_gets_the_feed(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/feeds/medium.xml"), etag='"old"')
    assert result.ok
    assert result.body


@pytest.mark.parametrize(
    ("status", "outcome", "message"),
    [
        (404, Outcome.NOT_FOUND, "Not found (404)."),
        (410, Outcome.GONE, "Gone (410)."),
        (500, Outcome.HTTP_ERROR, "The site answered with an error (500)."),
        (403, Outcome.HTTP_ERROR, "The site answered with an error (403)."),
    ],
)
def test_error_statuses_are_said_in_words(
    server: FeedServer, status: int, outcome: Outcome, message: str
) -> None:
    result = fetch.fetch(server.url(f"/status/{status}"))
    assert result.outcome is outcome
    assert result.status == status
    assert result.message == message


def test_it_follows_redirects_up_to_five(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/hops/5"))
    assert result.ok
    assert result.url == server.url("/feeds/wordpress.xml")
    assert len(result.redirects) == 5


def test_it_stops_after_five_redirects(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/hops/6"))
    assert result.outcome is Outcome.TOO_MANY_REDIRECTS
    assert result.message == "The address redirects too many times."


def test_a_redirect_to_a_private_address_is_refused(server: FeedServer) -> None:
    start = server.url("/redirect?to=http://169.254.169.254/latest/meta-data/")
    result = fetch.fetch(start)
    assert result.outcome is Outcome.FORBIDDEN_ADDRESS
    assert result.url == "http://169.254.169.254/latest/meta-data/"


def test_a_redirect_to_a_name_resolving_privately_is_refused(
    server: FeedServer,
) -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "blog.test" else ["192.168.1.1"]

    start = server.url("/redirect?to=http://sneaky.example/", "blog.test")
    assert fetch.fetch(start, resolver=resolver).outcome is Outcome.FORBIDDEN_ADDRESS


def test_a_redirect_to_another_allowed_host_is_followed(server: FeedServer) -> None:
    target = server.url("/feeds/substack.xml", "other.test")
    result = fetch.fetch(
        server.url(f"/redirect?to={target}", "blog.test"), resolver=to_loopback
    )
    assert result.ok
    assert result.url == target
    assert server.requests[-1] == ("/feeds/substack.xml", f"other.test:{server.port}")


def test_a_relative_redirect_is_followed(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/redirect?to=/feeds/ghost.xml"))
    assert result.ok
    assert result.url == server.url("/feeds/ghost.xml")


def test_a_body_over_the_cap_is_refused(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/huge"))
    assert result.outcome is Outcome.TOO_LARGE
    assert result.message == "The page is too large to read."


def test_a_declared_length_over_the_cap_is_refused(server: FeedServer) -> None:
    assert fetch.fetch(server.url("/huge-declared")).outcome is Outcome.TOO_LARGE


def test_a_gzip_bomb_is_refused_while_inflating(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/bomb"))
    assert result.outcome is Outcome.TOO_LARGE


def test_a_gzipped_feed_is_inflated(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/gzipped"))
    assert result.ok
    assert b"Shelf Life" in result.body


@pytest.mark.parametrize("path", ["/deflated", "/raw-deflated"])
def test_a_deflated_feed_is_inflated(server: FeedServer, path: str) -> None:
    result = fetch.fetch(server.url(path))
    assert result.ok
    assert b"Eve writes" in result.body


def test_a_deflate_bomb_is_refused_while_inflating(server: FeedServer) -> None:
    assert fetch.fetch(server.url("/deflate-bomb")).outcome is Outcome.TOO_LARGE


def test_an_encoding_we_did_not_ask_for_is_refused(server: FeedServer) -> None:
    assert fetch.fetch(server.url("/brotli")).outcome is Outcome.BAD_ENCODING


def test_broken_gzip_is_said_in_words(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/broken-gzip"))
    assert result.outcome is Outcome.BAD_ENCODING


def test_a_server_that_drips_is_cut_off_at_the_deadline(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/drip"), total_timeout=0.5)
    assert result.outcome is Outcome.TIMEOUT
    assert result.message == "The address did not answer in time."


def test_a_server_that_never_answers_times_out(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/hang?seconds=3"), connect_timeout=0.3)
    assert result.outcome is Outcome.TIMEOUT


def test_a_closed_port_is_a_refused_connection(server: FeedServer) -> None:
    with running_feed_server() as gone:
        url = gone.url("/feeds/wordpress.xml")
    assert fetch.fetch(url).outcome is Outcome.CONNECTION_FAILED


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_words(outcome: Outcome) -> None:
    assert fetch.FetchResult(outcome, "http://x.example/").message


def test_a_redirect_to_another_scheme_is_refused(server: FeedServer) -> None:
    result = fetch.fetch(server.url("/redirect?to=file:///etc/passwd"))
    assert result.outcome is Outcome.BAD_ADDRESS


def test_a_non_ascii_name_is_sent_in_its_ascii_form(server: FeedServer) -> None:
    names = []

    def resolver(host: str, port: int) -> list[str]:
        names.append(host)
        return ["127.0.0.1"]

    result = fetch.fetch(
        server.url("/feeds/ghost.xml", "bücher.test"), resolver=resolver
    )
    assert result.ok
    assert names == ["xn--bcher-kva.test"]
    assert server.requests[-1][1] == f"xn--bcher-kva.test:{server.port}"


@pytest.mark.parametrize(
    ("path", "sent"),
    [
        ("/feeds/ghost.xml?q=ü", "/feeds/ghost.xml?q=%C3%BC"),
        ("/feeds/ghost.xml?a b", "/feeds/ghost.xml?a%20b"),
        # urlsplit drops CR, LF and tab (as browsers do): no header injection.
        ("/feeds/ghost.xml?x\r\nX-Evil: 1", "/feeds/ghost.xml?xX-Evil:%201"),
        ("/fe eds/ü", "/fe%20eds/%C3%BC"),
    ],
)
def test_an_address_with_what_http_cannot_carry_is_encoded(
    server: FeedServer, path: str, sent: str
) -> None:
    fetch.fetch(server.url(path))
    assert server.requests[-1][0] == sent


@given(st.text())
def test_the_request_target_is_always_plain_ascii(path: str) -> None:
    target = fetch._request_target("http://blog.example/" + path)
    assert target.isascii()
    assert target.isprintable()
    assert " " not in target


@given(st.text(max_size=100))
def test_any_text_as_an_address_gives_a_result(url: str) -> None:
    result = fetch.fetch(url, resolver=lambda host, port: ["10.0.0.1"])
    assert result.outcome in {
        Outcome.BAD_ADDRESS,
        Outcome.FORBIDDEN_ADDRESS,
        Outcome.NO_SUCH_HOST,
    }


@given(host=st.text(min_size=1, max_size=30), path=st.text(max_size=60))
def test_any_host_and_path_reaching_the_server_give_a_result(
    server: FeedServer, host: str, path: str
) -> None:
    url = f"http://{host}:{server.port}/{path}"
    result = fetch.fetch(url, resolver=to_loopback_always, total_timeout=2)
    assert isinstance(result.outcome, Outcome)


def to_loopback_always(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://017700000001/",
        "http://127.1/",
        "http://[::ffff:7f00:1]/",
        "http://[fe80::1%25eth0]/",
    ],
)
def test_loopback_in_disguise_is_refused(url: str, settings) -> None:
    """Numeric forms the system resolver reads as 127.0.0.1, and zoned IPv6."""
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    assert fetch.fetch(url).outcome is Outcome.FORBIDDEN_ADDRESS
