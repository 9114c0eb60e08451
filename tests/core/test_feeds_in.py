"""core/feeds_in.py: autodiscovery, feeds of five platforms, the Thing matcher."""

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import fetch
from core.feeds_in import discover_feeds, match_thing, parse_feed
from tests.feed_server import FEEDS, PAGE, FeedServer, running_feed_server

UTC = datetime.UTC


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_it_discovers_feeds_in_page_order_and_absolute() -> None:
    assert discover_feeds(PAGE, "https://shelflife.example.org/about/") == [
        "https://shelflife.example.org/feeds/wordpress.xml",
        "https://shelflife.example.org/comments/feed/",
        "https://elsewhere.example/atom",
    ]


@pytest.mark.parametrize(
    "html",
    [
        '<link rel="stylesheet" type="text/css" href="/a.css">',
        '<link rel="alternate" type="text/html" href="/fr/">',
        '<link rel="alternate" type="application/rss+xml">',
        '<link rel="alternate" type="application/rss+xml" href="javascript:x">',
        '<a rel="alternate" type="application/rss+xml" href="/feed">',
        "<p>No head at all",
        "",
    ],
)
def test_it_finds_nothing_where_no_feed_is_announced(html: str) -> None:
    assert discover_feeds(html, "https://blog.example/") == []


def test_it_reads_rel_and_type_loosely_and_honours_base() -> None:
    html = (
        '<base href="https://cdn.example/blog/">'
        '<LINK REL="Alternate Home" TYPE="application/atom+xml; charset=utf-8" '
        'HREF="atom.xml"><link rel=alternate type=application/atom+xml href=atom.xml>'
    )
    assert discover_feeds(html, "https://blog.example/") == [
        "https://cdn.example/blog/atom.xml"
    ]


def test_wordpress() -> None:
    parsed = parse_feed(feed("wordpress.xml"), "https://shelflife.example.org/feed/")
    assert parsed.is_feed
    assert parsed.title == "Shelf Life: a librarian learns"
    first, second = parsed.posts
    assert first.guid == "https://shelflife.example.org/?p=123"
    assert first.link == (
        "https://shelflife.example.org/2011/06/14/thing-3-personal-brand/"
    )
    assert first.title == "Thing 3: Consider your personal brand"
    assert first.published == datetime.datetime(2011, 6, 14, 9, 12, tzinfo=UTC)
    assert first.categories == ("cpd23", "Thing 3")
    assert "cricketer" in first.content_html
    assert first.summary_html.startswith("I searched")
    assert first.thing_number == 3
    assert second.published == datetime.datetime(2011, 6, 10, 17, 0, tzinfo=UTC)
    assert second.thing_number == 2


def test_blogger_atom() -> None:
    parsed = parse_feed(feed("blogger.xml"))
    assert parsed.title == "Marginalia"
    assert parsed.link == "https://marginalia.example.com/"
    diary, thing4 = parsed.posts
    assert diary.guid == "tag:blogger.com,1999:blog-1234567890.post-111"
    assert (
        diary.link == "https://marginalia.example.com/2011/06/reflective-practice.html"
    )
    assert diary.published == datetime.datetime(2011, 6, 20, 9, 30, tzinfo=UTC)
    assert diary.updated == datetime.datetime(2011, 6, 20, 9, 31, 5, tzinfo=UTC)
    assert diary.categories == ("cpd23", "thing 5")
    assert diary.thing_number == 5
    assert "diary since 1998" in diary.content_html
    assert thing4.thing_number == 4


def test_medium() -> None:
    (post,) = parse_feed(feed("medium.xml")).posts
    assert post.guid == "https://medium.com/p/5f2c"
    assert post.thing_number == 9
    assert post.updated == datetime.datetime(2011, 6, 28, 7, 0, tzinfo=UTC)
    assert "I tried both" in post.content_html


def test_substack() -> None:
    parsed = parse_feed(feed("substack.xml"))
    assert parsed.title == "Dee's Desk"
    (post,) = parsed.posts
    assert post.thing_number == 11
    assert post.summary_html == "What I learned from asking."


def test_ghost() -> None:
    (post,) = parse_feed(feed("ghost.xml")).posts
    assert post.guid == "62a1b2c3d4e5f6a7b8c9d0e1"
    assert post.title == "Advocacy for the unconvinced"
    assert post.categories == ("23 Things", "Thing 15")
    assert post.thing_number == 15


def test_a_malformed_feed_still_gives_what_it_can() -> None:
    parsed = parse_feed(feed("malformed.xml"))
    assert parsed.is_feed
    assert parsed.posts[0].title.startswith("Thing 7")
    assert parsed.posts[0].thing_number == 7


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<!doctype html><html><body><p>My blog</p></body></html>",
        b'{"items": []}',
        b"\x00\xff\xfe garbage",
        str(FEEDS / "wordpress.xml").encode(),
        b"/etc/passwd",
    ],
)
def test_what_is_not_a_feed_says_so(body: bytes) -> None:
    """Including bytes that name a file: feedparser would read the file."""
    assert parse_feed(body).is_feed is False


def test_a_post_without_id_or_link_keeps_one_identity() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t</title><item><title>Thing 1</title>'
        b"<description>hello</description></item></channel></rss>"
    )
    first = parse_feed(body).posts[0]
    assert first.guid.startswith("sha256:")
    assert parse_feed(body).posts[0].guid == first.guid


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("Thing 12", 12),
        ("thing #12", 12),
        ("THING12: blogs", 12),
        ("#12", 12),
        ("Week 3 #12 - reflecting", 12),
        ("23 Things: Thing 12", 12),
        ("Thing 1, at last", 1),
        ("cpd23 thing 23: reflection", 23),
        ("Catching up: Thing 4 and Thing 5", 4),
        ("(Thing 7)", 7),
        ("Thing\u00a08", 8),
        ("Ding 6: Podcasts", 6),
        ("23 dingen - ding 9", 9),
        ("Ein Ding", None),
        ("Something 12", None),
        ("23 Things", None),
        ("Things 2011 were fun", None),
        ("#23things", None),
        ("#cpd23", None),
        ("Thing 0", None),
        ("Thing 1234", None),
        ("&#12; entity", None),
        ("Nothing to see", None),
        ("", None),
    ],
)
def test_the_thing_matcher(title: str, number: int | None) -> None:
    assert match_thing(title) == number


def test_the_title_wins_over_categories() -> None:
    assert match_thing("Thing 3", ["Thing 4"]) == 3
    assert match_thing("My week", ["cpd23", "Thing 4"]) == 4
    assert match_thing("My week", ["cpd23"]) is None


@given(st.integers(min_value=1, max_value=999), st.text(max_size=40))
def test_a_thing_title_always_matches_its_number(number: int, rest: str) -> None:
    assert match_thing(f"Thing {number}: {rest}") == number


@given(st.text(max_size=200), st.lists(st.text(max_size=40), max_size=5))
def test_the_matcher_never_fails(title: str, categories: list[str]) -> None:
    found = match_thing(title, categories)
    assert found is None or 1 <= found <= 999


@given(st.binary(max_size=2000))
def test_the_parser_never_fails_on_bytes(body: bytes) -> None:
    parse_feed(body)


@given(st.text(max_size=2000))
def test_discovery_never_fails_on_text(html: str) -> None:
    for url in discover_feeds(html, "https://blog.example/"):
        assert url.startswith(("http://", "https://"))


# --- From the page to the posts, through the fetcher -----------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with running_feed_server() as running:
        yield running


@pytest.mark.parametrize("name", sorted(p.name for p in Path(FEEDS).glob("*.xml")))
def test_every_fixture_feed_fetches_and_parses(
    server: FeedServer, settings, name: str
) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    result = fetch.fetch(server.url(f"/feeds/{name}"))
    assert result.ok
    parsed = parse_feed(result.body, result.url)
    assert parsed.is_feed
    assert parsed.posts


def test_a_blog_address_leads_to_its_posts(server: FeedServer, settings) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    page = fetch.fetch(server.url("/page.html"))
    feed_url = discover_feeds(page.body.decode(), page.url)[0]
    parsed = parse_feed(fetch.fetch(feed_url).body, feed_url)
    assert [post.thing_number for post in parsed.posts] == [3, 2]
