"""Bring your own blog: linking, reading, matching, edits, gone posts, back-off.

Feeds come from a server on loopback (tests/feed_server.py): the fixture
feeds shaped like WordPress, Blogger, Medium, Substack and Ghost, and "live"
feeds each test writes with today's dates and changes as it goes.
"""

import datetime
from collections.abc import Iterator
from email.utils import format_datetime
from http import HTTPStatus
from xml.sax.saxutils import escape

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from core.fetch import Outcome
from journal import actions, blogs
from journal.forms import LinkBlogForm
from journal.models import Entry, LinkedBlog
from programmes import actions as programme_actions
from tests.conftest import thing
from tests.feed_server import FeedServer, running_feed_server
from tests.queries import count_queries

LIVE = "/live/blog.xml"


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with running_feed_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _loopback_allowed(settings, server) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server.live.clear()


def item(
    guid: str,
    title: str,
    *,
    days_ago: float = 1,
    body: str = "<p>Some words.</p>",
    categories: tuple[str, ...] = (),
) -> str:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    tags = "".join(f"<category>{escape(c)}</category>" for c in categories)
    return (
        f"<item><title>{escape(title)}</title><guid>{guid}</guid>"
        f"<link>https://blog.example/{guid}</link>"
        f"<pubDate>{format_datetime(when)}</pubDate>{tags}"
        f"<description>{escape(body)}</description></item>"
    )


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>My blog</title>'
        f"<link>https://blog.example/</link>{''.join(items)}</channel></rss>"
    ).encode()


def link(owner, cohort, url: str, visibility: str = "cohort") -> LinkedBlog:
    form = LinkBlogForm({"address": url, "visibility": visibility})
    assert form.is_valid(), form.errors
    return blogs.link_blog(
        owner=owner,
        cohort=cohort,
        address=url,
        visibility=visibility,
        found=form.found,
    )


def linked_posts(blog: LinkedBlog) -> dict[str, Entry]:
    return {entry.title: entry for entry in Entry.with_deleted.filter(linked_blog=blog)}


def test_a_blog_page_leads_to_its_feed_and_its_posts_to_their_things(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(
        item(
            "a", "Thing 2: Blogging about blogging", body="<p>Hi</p><script>x</script>"
        ),
        item("b", "Feeds, at last", categories=("cpd23", "#3")),
        item("c", "A walk in the park"),
    )
    blog = link(author, cohort, server.url(LIVE))
    posts = linked_posts(blog)
    assert posts["Thing 2: Blogging about blogging"].thing == thing(cohort.programme, 2)
    assert posts["Feeds, at last"].thing == thing(cohort.programme, 3)
    assert posts["A walk in the park"].thing is None
    entry = posts["Thing 2: Blogging about blogging"]
    assert entry.is_published and entry.is_linked
    assert entry.original_url == "https://blog.example/a"
    assert "<script>" not in entry.body_html and "x" not in entry.body_html
    assert entry.body_html == "<p>Hi</p>"
    assert set(
        Entry.objects.completing()
        .filter(author=author)
        .values_list("thing__number", flat=True)
    ) == {2, 3}


def test_the_feed_is_found_from_the_blogs_own_page(server) -> None:
    found = blogs.find_feed(server.url("/page.html"))
    assert found.url == server.url("/feeds/wordpress.xml")
    assert found.parsed.title == "Shelf Life: a librarian learns"


@pytest.mark.parametrize(
    "name", ["wordpress.xml", "blogger.xml", "medium.xml", "substack.xml", "ghost.xml"]
)
def test_each_blog_platforms_feed_is_copied(
    server, programme, facilitator_user, make_user, join, name
) -> None:
    """The fixture feeds are dated 2011: a cohort that started then takes them."""
    cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=facilitator_user,
        name="2011",
        slug="cohort-2011",
        time_zone="Europe/London",
        start_date=datetime.date(2011, 1, 1),
    )
    participant = make_user("pat")
    join(participant, cohort)
    blog = link(participant, cohort, server.url(f"/feeds/{name}"))
    entries = list(blog.entries.all())
    assert entries
    for entry in entries:
        assert entry.title and entry.original_url.startswith("http")
        assert "<script" not in entry.body_html
        assert entry.published_at.year <= 2026


def test_posts_from_before_the_cohort_started_are_not_copied(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(item("new", "New"), item("old", "Old", days_ago=400))
    blog = link(author, cohort, server.url(LIVE))
    assert set(linked_posts(blog)) == {"New"}


def test_a_second_read_asks_conditionally_and_copies_nothing_twice(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(item("a", "Thing 1 done"))
    blog = link(author, cohort, server.url(LIVE))
    blogs.read_blog(blog=blog)
    blog.refresh_from_db()
    assert blog.last_outcome == Outcome.NOT_MODIFIED.value
    assert blog.etag
    assert blog.entries.count() == 1


def test_an_edit_on_the_blog_updates_the_copy(server, author, cohort) -> None:
    server.live[LIVE] = rss(item("a", "Draft title", body="<p>First words.</p>"))
    blog = link(author, cohort, server.url(LIVE))
    server.live[LIVE] = rss(
        item("a", "Thing 1: better title", body="<p>Second words.</p>")
    )
    blogs.read_blog(blog=blog)
    entry = blog.entries.get()
    assert entry.title == "Thing 1: better title"
    assert entry.body_html == "<p>Second words.</p>"
    assert entry.thing == thing(cohort.programme, 1)


def test_a_post_gone_from_the_feed_stays_marked_but_one_fallen_off_its_end_does_not(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(
        item("new", "Newest", days_ago=1),
        item("mid", "Middle", days_ago=2),
        item("old", "Oldest", days_ago=3),
    )
    blog = link(author, cohort, server.url(LIVE))
    # "mid" was deleted on the blog; "old" fell off a feed of two posts.
    server.live[LIVE] = rss(
        item("newer", "Newer still", days_ago=0.5), item("new", "Newest", days_ago=1)
    )
    blogs.read_blog(blog=blog)
    posts = linked_posts(blog)
    assert posts["Oldest"].gone_at is None
    assert posts["Middle"].gone_at is None
    server.live[LIVE] = rss(
        item("newer", "Newer still", days_ago=0.5),
        item("new", "Newest", days_ago=1),
        item("older", "Two and a half days", days_ago=2.5),
    )
    blogs.read_blog(blog=blog)
    posts = linked_posts(blog)
    assert posts["Middle"].gone_at is not None
    assert posts["Middle"].is_published
    assert posts["Oldest"].gone_at is None


def test_a_post_back_on_the_blog_is_no_longer_marked_gone(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(item("a", "A", days_ago=1), item("b", "B", days_ago=2))
    blog = link(author, cohort, server.url(LIVE))
    server.live[LIVE] = rss(item("b", "B", days_ago=2))
    blogs.read_blog(blog=blog)
    assert linked_posts(blog)["A"].gone_at is not None
    server.live[LIVE] = rss(item("a", "A", days_ago=1), item("b", "B", days_ago=2))
    blogs.read_blog(blog=blog)
    assert linked_posts(blog)["A"].gone_at is None


def test_a_thing_already_answered_here_leaves_the_post_unmatched(
    server, author, cohort, make_entry
) -> None:
    make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))
    server.live[LIVE] = rss(item("a", "Thing 1 again"), item("b", "Thing 2 and #2"))
    blog = link(author, cohort, server.url(LIVE))
    posts = linked_posts(blog)
    assert posts["Thing 1 again"].thing is None
    assert posts["Thing 2 and #2"].thing == thing(cohort.programme, 2)


def test_two_posts_naming_one_thing_match_only_the_first_read(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(item("a", "Thing 1, part 2"), item("b", "Thing 1, part 1"))
    blog = link(author, cohort, server.url(LIVE))
    matched = [e.title for e in blog.entries.all() if e.thing_id]
    assert len(matched) == 1


def test_a_thing_not_yet_open_is_not_matched(server, author, cohort) -> None:
    server.live[LIVE] = rss(item("a", "Thing 4 early"), item("b", "Thing 5 draft"))
    blog = link(author, cohort, server.url(LIVE))
    assert all(entry.thing is None for entry in blog.entries.all())


def test_a_deleted_copy_is_not_brought_back(server, author, cohort) -> None:
    server.live[LIVE] = rss(item("a", "Not for the cohort"))
    blog = link(author, cohort, server.url(LIVE))
    actions.delete_entry(entry=blog.entries.get())
    server.live[LIVE] = rss(item("a", "Not for the cohort, edited"))
    blogs.read_blog(blog=blog)
    assert Entry.objects.filter(linked_blog=blog).count() == 0
    assert Entry.with_deleted.get(linked_blog=blog).title == "Not for the cohort"


def test_a_post_copied_meanwhile_by_another_worker_is_not_copied_again(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(item("a", "Thing 1"))
    blog = link(author, cohort, server.url(LIVE))
    (post,) = blogs.parse_feed(server.live[LIVE], server.url(LIVE)).posts
    # What a second worker does when it did not see the first one's copy.
    assert blogs._copy_new(blog, post, {}, timezone.now()) is None
    assert blog.entries.count() == 1


def test_a_failing_feed_is_read_less_and_less_often_and_says_why(
    server, author, cohort, settings
) -> None:
    settings.PONDER_LINKED_BLOG_MINUTES = 60
    server.live[LIVE] = rss(item("a", "A"))
    blog = link(author, cohort, server.url(LIVE))
    assert blog.next_read_at - blog.last_read_at == datetime.timedelta(hours=1)
    blog.feed_url = server.url("/status/500")
    waits = []
    for _ in range(4):
        blogs.read_blog(blog=blog)
        blog.refresh_from_db()
        waits.append(blog.next_read_at - blog.last_tried_at)
    assert waits == [datetime.timedelta(hours=h) for h in (2, 4, 8, 16)]
    blogs.read_blog(blog=blog)
    blog.refresh_from_db()
    assert blog.next_read_at - blog.last_tried_at == datetime.timedelta(days=1)
    assert blog.failures == 5
    assert blog.problem == "The site answered with an error (500)."
    blog.feed_url = server.url(LIVE)
    blogs.read_blog(blog=blog)
    blog.refresh_from_db()
    assert blog.failures == 0 and blog.problem == ""


def test_an_address_that_stops_giving_a_feed_is_a_problem(
    server, author, cohort
) -> None:
    server.live[LIVE] = rss(item("a", "A"))
    blog = link(author, cohort, server.url(LIVE))
    blog.feed_url = server.url("/page.html")
    blogs.read_blog(blog=blog)
    assert blog.problem == "The address no longer gives an RSS or Atom feed."


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("http://10.1.2.3/feed", "That address is on a private network."),
        ("http://169.254.169.254/latest/", "That address is on a private network."),
        ("http://localhost:1/feed", "That address is on a private network."),
    ],
)
def test_private_addresses_are_refused_beside_the_field(
    address, message, settings
) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    form = LinkBlogForm({"address": address, "visibility": "cohort"})
    assert not form.is_valid()
    assert form.errors["address"] == [message]


def test_a_page_with_no_feed_says_what_to_try(server) -> None:
    form = LinkBlogForm({"address": server.url("/status/404"), "visibility": "cohort"})
    assert form.errors["address"] == ["Not found (404)."]
    form = LinkBlogForm(
        {"address": server.url("/hang?seconds=0"), "visibility": "cohort"}
    )
    assert "We found no RSS or Atom feed" in form.errors["address"][0]


def test_the_worker_reads_only_due_blogs(server, author, cohort_mate, cohort) -> None:
    server.live[LIVE] = rss(item("a", "A"))
    server.live["/live/mate.xml"] = rss(item("m", "M"))
    mine = link(author, cohort, server.url(LIVE))
    theirs = link(cohort_mate, cohort, server.url("/live/mate.xml"))
    server.live[LIVE] = rss(item("a", "A"), item("b", "B"))
    server.live["/live/mate.xml"] = rss(item("m", "M"), item("n", "N"))
    LinkedBlog.objects.filter(pk=mine.pk).update(next_read_at=timezone.now())
    call_command("read_linked_blogs")
    assert mine.entries.count() == 2
    assert theirs.entries.count() == 1


def test_relinking_changes_who_sees_the_posts(server, author, cohort) -> None:
    server.live[LIVE] = rss(item("a", "A"))
    link(author, cohort, server.url(LIVE))
    blog = link(author, cohort, server.url(LIVE), visibility="public")
    assert LinkedBlog.objects.filter(owner=author).count() == 1
    assert blog.entries.get().visibility == Entry.Visibility.PUBLIC


# The pages.


def test_linking_through_the_page(server, author, cohort, client_for) -> None:
    server.live[LIVE] = rss(item("a", "Thing 1: hello"))
    client = client_for(author)
    url = reverse("journal:linked_blog", args=[cohort.slug])
    response = client.post(url, {"address": server.url(LIVE), "visibility": "cohort"})
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(url)
    assert "Thing 1: hello" in page.text
    assert "Last read" in page.text
    cohort_page = client.get(reverse("journal:cohort", args=[cohort.slug]))
    assert "Thing 1: hello" in cohort_page.text
    assert "from their blog" in cohort_page.text


def test_a_bad_address_comes_back_beside_the_field_with_the_text_kept(
    author, cohort, client_for, settings
) -> None:
    settings.PONDER_FETCH_ALLOWED_NETWORKS = []
    response = client_for(author).post(
        reverse("journal:linked_blog", args=[cohort.slug]),
        {"address": "http://10.0.0.9/blog", "visibility": "cohort"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "That address is on a private network." in response.text
    assert 'value="http://10.0.0.9/blog"' in response.text
    assert not LinkedBlog.objects.exists()


def test_the_linked_post_is_read_and_commented_on_like_an_entry(
    server, author, cohort_mate, cohort, client_for
) -> None:
    server.live[LIVE] = rss(item("a", "Thing 2 on my blog"))
    blog = link(author, cohort, server.url(LIVE), visibility="public")
    entry = blog.entries.get()
    client = client_for(cohort_mate)
    page = client.get(entry.get_absolute_url())
    assert page.status_code == HTTPStatus.OK
    assert "Read the whole post on the blog" in page.text
    assert 'href="https://blog.example/a"' in page.text
    response = client.post(
        reverse("journal:add_comment", args=[author.username, entry.slug]),
        {"body": "Lovely post."},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert entry.comments.get().body == "Lovely post."
    thing_page = client.get(
        reverse("journal:thing", args=[cohort.slug, thing(cohort.programme, 2).slug])
    )
    assert "Thing 2 on my blog" in thing_page.text
    found = client.get(reverse("journal:search"), {"q": "words"})
    assert "Thing 2 on my blog" in found.text
    feed = client.get(reverse("journal:cohort_feed", args=[cohort.slug]))
    assert "Thing 2 on my blog" in feed.text


def test_the_author_picks_the_thing_in_one_post(
    server, author, cohort, client_for
) -> None:
    server.live[LIVE] = rss(item("a", "Untagged musings"))
    blog = link(author, cohort, server.url(LIVE))
    entry = blog.entries.get()
    feeds = thing(cohort.programme, 3)
    response = client_for(author).post(
        reverse("journal:match_linked_post", args=[cohort.slug, entry.pk]),
        {f"p{entry.pk}-thing": feeds.pk},
    )
    assert response.status_code == HTTPStatus.FOUND
    entry.refresh_from_db()
    assert entry.thing == feeds


def test_picking_a_thing_answered_already_says_so(
    server, author, cohort, client_for, make_entry
) -> None:
    first = thing(cohort.programme, 1)
    make_entry(author, cohort=cohort, thing=first)
    server.live[LIVE] = rss(item("a", "Untagged"))
    entry = link(author, cohort, server.url(LIVE)).entries.get()
    response = client_for(author).post(
        reverse("journal:match_linked_post", args=[cohort.slug, entry.pk]),
        {f"p{entry.pk}-thing": first.pk},
        follow=True,
    )
    assert "You already have an entry on that Thing" in response.text
    entry.refresh_from_db()
    assert entry.thing is None


def test_a_thing_not_open_cannot_be_picked(server, author, cohort, client_for) -> None:
    server.live[LIVE] = rss(item("a", "Untagged"))
    entry = link(author, cohort, server.url(LIVE)).entries.get()
    later = thing(cohort.programme, 4)
    client_for(author).post(
        reverse("journal:match_linked_post", args=[cohort.slug, entry.pk]),
        {f"p{entry.pk}-thing": later.pk},
    )
    entry.refresh_from_db()
    assert entry.thing is None


def test_the_editor_sends_a_linked_post_back_to_the_blog(
    server, author, cohort, client_for
) -> None:
    server.live[LIVE] = rss(item("a", "From the blog"))
    entry = link(author, cohort, server.url(LIVE)).entries.get()
    client = client_for(author)
    response = client.get(entry.get_edit_url(), follow=True)
    assert "This post is edited on your blog" in response.text
    autosave = client.post(
        reverse("journal:autosave", args=[author.username, entry.slug]),
        data="{}",
        content_type="application/json",
    )
    assert autosave.status_code == HTTPStatus.NOT_FOUND


def test_text_written_for_a_thing_the_blog_answered_meanwhile_is_kept(
    server, author, cohort, client_for
) -> None:
    server.live[LIVE] = rss(item("a", "Thing 1 from the blog"))
    link(author, cohort, server.url(LIVE))
    first = thing(cohort.programme, 1)
    response = client_for(author).post(
        reverse("journal:write_on_thing", args=[cohort.slug, first.slug]),
        {
            "title": "Written here",
            "body": "Words I must not lose.",
            "visibility": "cohort",
            "publish": "1",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "Words I must not lose." in response.text
    assert "a post from your blog, answers this Thing already" in response.text


def test_unlinking_keeps_the_posts(server, author, cohort, client_for) -> None:
    server.live[LIVE] = rss(item("a", "Kept"))
    blog = link(author, cohort, server.url(LIVE))
    client = client_for(author)
    url = reverse("journal:unlink_blog", args=[cohort.slug])
    assert "Stop following your blog?" in client.get(url).text
    assert client.post(url).status_code == HTTPStatus.FOUND
    assert not LinkedBlog.objects.filter(pk=blog.pk).exists()
    entry = Entry.objects.get(title="Kept")
    assert entry.is_linked and entry.linked_blog is None


def test_read_now_says_what_went_wrong(server, author, cohort, client_for) -> None:
    server.live[LIVE] = rss(item("a", "A"))
    blog = link(author, cohort, server.url(LIVE))
    LinkedBlog.objects.filter(pk=blog.pk).update(feed_url=server.url("/status/410"))
    response = client_for(author).post(
        reverse("journal:read_linked_blog", args=[cohort.slug]), follow=True
    )
    assert "Gone (410)." in response.text
    assert "1 failed read in a row" in response.text


def test_others_see_nothing_of_my_blog_page(
    server, author, cohort_mate, outsider, cohort, client_for
) -> None:
    server.live[LIVE] = rss(item("a", "Mine"))
    entry = link(author, cohort, server.url(LIVE)).entries.get()
    url = reverse("journal:linked_blog", args=[cohort.slug])
    assert "Mine" not in client_for(cohort_mate).get(url).text
    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
    response = client_for(cohort_mate).post(
        reverse("journal:match_linked_post", args=[cohort.slug, entry.pk]),
        {f"p{entry.pk}-thing": ""},
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_blog_page_asks_as_many_queries_for_3_posts_as_for_30(
    server, author, cohort, client_for
) -> None:
    client = client_for(author)
    url = reverse("journal:linked_blog", args=[cohort.slug])
    server.live[LIVE] = rss(*(item(f"p{n}", f"Post {n}") for n in range(3)))
    blog = link(author, cohort, server.url(LIVE))
    few = count_queries(client, url)
    server.live[LIVE] = rss(*(item(f"p{n}", f"Post {n}") for n in range(30)))
    blogs.read_blog(blog=blog)
    assert blog.entries.count() == 30
    assert count_queries(client, url) == few


@pytest.mark.parametrize(
    "body",
    [
        "<div>" * 50_000 + "deep",
        "<p>" + "word " * 200_000 + "</p>",
        "<img src=x onerror=alert(1)><a href='javascript:alert(1)'>x</a>",
        "<svg><script>alert(1)</script></svg><iframe src=//evil.example></iframe>",
    ],
)
def test_whatever_a_post_holds_its_copy_is_short_and_safe(
    server, author, cohort, body
) -> None:
    server.live[LIVE] = rss(item("a", "Hostile", body=body))
    entry = link(author, cohort, server.url(LIVE)).entries.get()
    assert len(entry.body) < 2_000
    for danger in ("<script", "onerror", "javascript:", "<iframe", "<svg"):
        assert danger not in entry.body_html


def test_a_newcomers_posts_wait_for_approval_in_a_cohort_that_holds_them(
    server, programme, cohort, author, cohort_mate, make_user, join
) -> None:
    programme_actions.set_programme_open(programme=programme, is_open=True)
    programme_actions.set_open_joining(
        cohort=cohort, open_to_all=True, member_cap=None, join_until=None
    )
    newcomer = make_user("nina")
    join(newcomer, cohort)
    server.live[LIVE] = rss(item("a", "Thing 1: cheap watches"))
    entry = link(newcomer, cohort, server.url(LIVE)).entries.get()
    assert entry.held_at is not None
    assert not Entry.objects.visible_to(cohort_mate).filter(pk=entry.pk).exists()
    assert Entry.objects.visible_to(newcomer).filter(pk=entry.pk).exists()


def test_linking_and_reading_now_are_limited_and_the_address_kept(
    server, author, cohort, client_for, settings
) -> None:
    settings.PONDER_RATE_LIMITS = {**settings.PONDER_RATE_LIMITS, "blog_reads": (2, 30)}
    server.live[LIVE] = rss(item("a", "A"))
    client = client_for(author)
    url = reverse("journal:linked_blog", args=[cohort.slug])
    data = {"address": server.url(LIVE), "visibility": "cohort"}
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    read_now = reverse("journal:read_linked_blog", args=[cohort.slug])
    assert client.post(read_now).status_code == HTTPStatus.FOUND
    asked = len(server.requests)
    refused = client.post(url, {**data, "address": server.url("/live/other.xml")})
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Links to a blog and reads of it are limited" in refused.text
    assert f'value="{server.url("/live/other.xml")}"' in refused.text
    assert client.post(read_now).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert len(server.requests) == asked


@pytest.mark.parametrize("arguments", [["--loop", "0"], ["--limit", "0"]])
def test_the_worker_refuses_nonsense_before_reading(arguments) -> None:
    with pytest.raises(CommandError):
        call_command("read_linked_blogs", *arguments)
