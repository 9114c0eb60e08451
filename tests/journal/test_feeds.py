"""Atom feeds, public and private, and a cohort's OPML: what each may hold."""

from http import HTTPStatus
from xml.etree import ElementTree

import feedparser
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.cache import clear_caches
from facilitation import actions as facilitation_actions
from journal import actions
from journal.feeds import MAX_ITEMS, feed_token_for
from journal.models import Comment, Entry, FeedToken
from tests.conftest import thing
from tests.images import image_bytes, upload
from tests.journal.helpers import assert_sent_to_sign_in

PUBLIC, COHORT, PRIVATE = (
    Entry.Visibility.PUBLIC,
    Entry.Visibility.COHORT,
    Entry.Visibility.PRIVATE,
)


def parse(response) -> feedparser.FeedParserDict:
    assert response.status_code == HTTPStatus.OK, response
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def titles(parsed: feedparser.FeedParserDict) -> set[str]:
    return {item.title for item in parsed.entries}


def key_of(user: User) -> str:
    return feed_token_for(user).key


FEED_KWARGS = {
    "journal": {"username": "ada"},
    "cohort": {"cohort": "spring"},
    "thing": {"cohort": "spring", "thing": "getting-started"},
}


def feed_url(kind: str, key: str | None = None) -> str:
    """Ada's journal, the spring cohort, or its Thing 1, publicly or with a key."""
    if key is None:
        return reverse(f"journal:{kind}_feed", kwargs=FEED_KWARGS[kind])
    kwargs = {"key": key, **FEED_KWARGS[kind]}
    return reverse(f"journal:private_{kind}_feed", kwargs=kwargs)


#: What each feed of the `entries` fixture holds for a visitor, and through a
#: cohort-mate's private link.
PUBLIC_HOLDS = {
    "journal": {"Public"},
    "cohort": {"Public", "Public on Thing 1"},
    "thing": {"Public on Thing 1"},
}
MEMBER_HOLDS = {
    "journal": {"Public", "Cohort"},
    "cohort": {"Public", "Cohort", "Public on Thing 1", "Cohort on Thing 1"},
    "thing": {"Public on Thing 1", "Cohort on Thing 1"},
}


@pytest.fixture
def entries(
    author, cohort, facilitator, make_entry, make_user, join
) -> dict[str, Entry]:
    """Of every kind a feed must sort out: Ada's free reflections in the
    cohort, and entries on Thing 1 by five others (one entry per Thing each)."""
    first = thing(cohort.programme, 1)
    made = {}
    for kind, visibility, publish in [
        ("public", PUBLIC, True),
        ("cohort", COHORT, True),
        ("private", PRIVATE, True),
        ("draft", PUBLIC, False),
        ("hidden", PUBLIC, True),
    ]:
        made[kind] = make_entry(
            author,
            cohort=cohort,
            title=kind.title(),
            visibility=visibility,
            publish=publish,
        )
        writer = make_user(f"writer-{kind}")
        join(writer, cohort)
        made[f"{kind} on thing"] = make_entry(
            writer,
            cohort=cohort,
            thing=first,
            title=f"{kind.title()} on Thing 1",
            visibility=visibility,
            publish=publish,
        )
    facilitation_actions.hide_item(actor=facilitator, item=made["hidden"])
    facilitation_actions.hide_item(actor=facilitator, item=made["hidden on thing"])
    return made


# Public feeds -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["journal", "cohort", "thing"])
def test_a_public_feed_holds_public_published_entries_only(client, entries, kind):
    parsed = parse(client.get(feed_url(kind)))

    assert titles(parsed) == PUBLIC_HOLDS[kind]


def test_an_item_carries_id_title_link_author_dates_and_content(client, entries):
    entry = entries["public"]

    item = parse(client.get(feed_url("journal"))).entries[0]

    assert item.id == f"tag:127.0.0.1,{entry.created.year}:entry/{entry.pk}"
    assert item.link == f"http://testserver{entry.get_absolute_url()}"
    assert item.author == "Ada Author"
    assert item.published_parsed and item.updated_parsed
    assert item.content[0].value == entry.body_html
    assert "<em>thoughts</em>" in item.content[0].value


def test_ids_stay_when_the_title_and_slug_change(client, entries):
    entry = entries["public"]
    url = feed_url("journal")
    before = parse(client.get(url)).entries[0]

    entry.title, entry.slug = "A new title", "a-new-slug"
    actions.save_entry(entry=entry, publish=True)
    after = parse(client.get(url)).entries[0]

    assert after.title == "A new title"
    assert after.link.endswith("/@ada/a-new-slug/")
    assert after.id == before.id


@pytest.mark.parametrize(
    "kind, expected_queries",
    # The cohort, for its version; for a Thing also its schedule, to know it
    # is open.
    [("cohort", 1), ("thing", 3)],
)
def test_a_cached_feed_is_written_once_for_each_address(
    client, entries, kind, expected_queries
):
    """Its XML is kept under the cohort's version; its links are absolute,
    made from the address it was asked at."""
    url = feed_url(kind)
    first = client.get(url)
    with CaptureQueriesContext(connection) as context:
        again = client.get(url)
    queries = len(context)  # read before the next request empties the log
    secure = client.get(url, secure=True)

    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"]
    assert queries == expected_queries
    assert f'href="http://testserver{url}"' in first.text
    assert f'href="https://testserver{url}"' in secure.text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cohort": "no-such-cohort"},
        {"cohort": "spring", "thing": "no-such-thing"},
        {"cohort": "spring", "thing": "networks"},  # opens in six days
        {"cohort": "spring", "thing": "podcasts"},  # a draft
    ],
)
def test_a_feed_of_an_unknown_cohort_or_unopened_thing_is_404(
    client, cohort, entries, kwargs
):
    name = "journal:thing_feed" if "thing" in kwargs else "journal:cohort_feed"

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_feed_of_an_unknown_person_is_404(client, db):
    response = client.get(reverse("journal:journal_feed", args=["nobody"]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_control_character_in_a_title_does_not_break_the_feed(
    client, author, make_entry
):
    make_entry(author, title="Tab\x0bbed", visibility=PUBLIC)

    parsed = parse(client.get(reverse("journal:journal_feed", args=["ada"])))

    assert titles(parsed) == {"Tabbed"}


def test_an_entry_slugged_feed_does_not_hide_the_journal_feed(
    client, author, make_entry
):
    make_entry(author, title="Feed", visibility=PUBLIC)

    response = client.get("/@ada/feed/")

    assert parse(response).feed.title == "Ada Author's journal"


# Private feeds ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["journal", "cohort", "thing"])
def test_a_members_private_feed_holds_what_they_may_read(
    client, cohort_mate, entries, kind
):
    parsed = parse(client.get(feed_url(kind, key_of(cohort_mate))))

    assert titles(parsed) == MEMBER_HOLDS[kind]


def test_the_authors_own_feed_holds_their_private_entries_but_no_draft_or_hidden(
    client, author, entries
):
    parsed = parse(client.get(feed_url("journal", key_of(author))))

    assert titles(parsed) == {"Public", "Cohort", "Private"}


@pytest.mark.parametrize("kind", ["journal", "cohort", "thing"])
def test_a_facilitators_feed_never_holds_hidden_entries(
    client, facilitator, entries, kind
):
    parsed = parse(client.get(feed_url(kind, key_of(facilitator))))

    assert titles(parsed) == MEMBER_HOLDS[kind]


@pytest.mark.parametrize("kind", ["cohort", "thing"])
def test_an_outsiders_token_gets_404_for_the_cohort(client, outsider, entries, kind):
    response = client.get(feed_url(kind, key_of(outsider)))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_an_outsiders_token_reads_a_journal_as_a_visitor_would(
    client, outsider, entries
):
    parsed = parse(client.get(feed_url("journal", key_of(outsider))))

    assert titles(parsed) == {"Public"}


@pytest.mark.parametrize("kind", ["journal", "cohort", "thing"])
def test_an_unknown_key_is_404(client, entries, kind):
    response = client.get(feed_url(kind, "x" * 43))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_renewing_makes_the_old_key_404_and_the_new_one_work(
    client, client_for, cohort_mate, entries
):
    old_key = key_of(cohort_mate)

    response = client_for(cohort_mate).post(reverse("journal:renew_feed_links"))

    assert response.status_code == HTTPStatus.FOUND
    new_key = FeedToken.objects.get(user=cohort_mate).key
    assert new_key != old_key
    old = client.get(feed_url("cohort", old_key))
    assert old.status_code == HTTPStatus.NOT_FOUND
    new = client.get(feed_url("cohort", new_key))
    assert titles(parse(new)) == MEMBER_HOLDS["cohort"]


# Comments feeds -----------------------------------------------------------------


@pytest.fixture
def conversation(entries, author, cohort_mate, facilitator, make_comment) -> Entry:
    """On Ada's public entry: a comment, a private comment from Ben with
    Ada's reply to it, and a comment the facilitator hid."""
    entry = entries["public"]
    make_comment(entry, facilitator, "For everyone")
    private = actions.add_comment(
        entry=entry, author=cohort_mate, body="Just for you", private=True
    )
    make_comment(entry, author, "Thanks, Ben", parent=private)
    hidden = make_comment(entry, cohort_mate, "Rude")
    facilitation_actions.hide_item(actor=facilitator, item=hidden)
    return entry


def comment_bodies(parsed: feedparser.FeedParserDict) -> set[str]:
    return {item.content[0].value for item in parsed.entries}


def comments_url(entry: Entry, key: str | None = None) -> str:
    kwargs = {"username": entry.author.username, "slug": entry.slug}
    if key is None:
        return reverse("journal:comments_feed", kwargs=kwargs)
    return reverse("journal:private_comments_feed", kwargs={"key": key, **kwargs})


def test_the_public_comments_feed_holds_no_private_or_hidden_comment(
    client, conversation
):
    parsed = parse(client.get(comments_url(conversation)))

    assert comment_bodies(parsed) == {"<p>For everyone</p>"}
    item = parsed.entries[0]
    comment = Comment.objects.get(body="For everyone")
    assert item.id == f"tag:127.0.0.1,{comment.created.year}:comment/{comment.pk}"
    assert item.link.endswith(f"/@ada/public/#comment-{comment.pk}")
    assert item.author == "Fran Facilitator"


@pytest.mark.parametrize("persona", ["author", "cohort_mate"])
def test_a_private_comments_feed_holds_the_private_comments_meant_for_its_owner(
    client, conversation, persona, request
):
    owner = request.getfixturevalue(persona)

    parsed = parse(client.get(comments_url(conversation, key_of(owner))))

    assert {"<p>Just for you</p>", "<p>Thanks, Ben</p>"} <= comment_bodies(parsed)
    assert "<p>Rude</p>" not in comment_bodies(parsed)


def test_a_private_comments_feed_holds_no_private_comment_meant_for_others(
    client, cohort, make_user, join, conversation
):
    reader = make_user("cleo")
    join(reader, cohort)

    parsed = parse(client.get(comments_url(conversation, key_of(reader))))

    assert comment_bodies(parsed) == {"<p>For everyone</p>"}


def test_a_facilitators_comments_feed_never_holds_hidden_comments(
    client, facilitator, conversation
):
    parsed = parse(client.get(comments_url(conversation, key_of(facilitator))))

    assert "<p>Rude</p>" not in comment_bodies(parsed)
    assert "<p>Just for you</p>" in comment_bodies(parsed)


@pytest.mark.parametrize("which", ["cohort", "private", "draft", "hidden"])
def test_the_comments_feed_of_a_non_public_entry_is_404_for_a_visitor(
    client, entries, which
):
    response = client.get(comments_url(entries[which]))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_members_comments_feed_of_a_cohort_entry(
    client, cohort_mate, author, entries, make_comment
):
    make_comment(entries["cohort"], cohort_mate, "Well put")

    parsed = parse(client.get(comments_url(entries["cohort"], key_of(author))))

    assert comment_bodies(parsed) == {"<p>Well put</p>"}


# The feeds page -----------------------------------------------------------------


def test_the_feeds_page_shows_private_links_with_copy_buttons(
    client_for, cohort_mate, cohort
):
    response = client_for(cohort_mate).get(reverse("journal:feeds"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    key = FeedToken.objects.get(user=cohort_mate).key
    assert f'value="http://testserver/feeds/{key}/@ben/"' in html
    assert f'value="http://testserver/feeds/{key}/c/spring/"' in html
    assert 'data-copy="#feed-journal"' in html
    assert "anyone with one of them can read what you can" in html
    assert reverse("journal:renew_feed_links") in html
    assert reverse("journal:cohort_opml", args=["spring"]) in html


def test_the_feeds_page_sends_a_visitor_to_sign_in(client, db):
    url = reverse("journal:feeds")

    assert_sent_to_sign_in(client.get(url), url)


def test_pages_announce_their_feeds(client_for, cohort_mate, cohort, entries):
    member = client_for(cohort_mate)
    first = thing(cohort.programme, 1)

    journal = member.get(reverse("journal:journal", args=["ada"])).content.decode()
    thing_page = member.get(
        reverse("journal:thing", args=[cohort.slug, first.slug])
    ).content.decode()
    cohort_page = member.get(reverse("journal:cohort", args=[cohort.slug]))

    alternate = '<link rel="alternate" type="application/atom+xml"'
    assert f'{alternate} title="Ada Author' in journal
    assert 'href="/@ada/feed/">' in journal
    assert alternate in thing_page
    assert 'href="/c/spring/things/getting-started/feed/"' in thing_page
    assert f'href="{reverse("journal:feeds")}#cohort-spring"' in (
        cohort_page.content.decode()
    )


# OPML ---------------------------------------------------------------------------


def outlines(response) -> dict[str, str]:
    """The OPML's feeds: title by feed URL."""
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/x-opml")
    root = ElementTree.fromstring(response.content)
    return {
        outline.get("xmlUrl"): outline.get("title")
        for outline in root.iter("outline")
        if outline.get("xmlUrl")
    }


def test_the_opml_lists_every_members_public_journal_feed(
    client_for, cohort, author, cohort_mate, facilitator, make_user, join
):
    join(make_user("eve", display_name='Eve <&> "Quotes"'), cohort)

    feeds = outlines(client_for(cohort_mate).get(f"/c/{cohort.slug}/feeds.opml"))

    assert feeds == {
        "http://testserver/c/spring/feed/": "Spring cohort",
        "http://testserver/@ada/feed/": "Ada Author's journal",
        "http://testserver/@ben/feed/": "Ben Cohort-Mate's journal",
        "http://testserver/@eve/feed/": 'Eve <&> "Quotes"\'s journal',
        "http://testserver/@fran/feed/": "Fran Facilitator's journal",
    }


def test_the_private_opml_lists_the_readers_private_links(
    client, client_for, cohort, author, cohort_mate, entries
):
    response = client_for(cohort_mate).get(
        reverse("journal:cohort_opml", args=[cohort.slug]), {"private": "1"}
    )

    feeds = outlines(response)
    key = key_of(cohort_mate)
    assert set(feeds) >= {
        f"http://testserver/feeds/{key}/c/spring/",
        f"http://testserver/feeds/{key}/@ada/",
        f"http://testserver/feeds/{key}/@ben/",
        f"http://testserver/feeds/{key}/@fran/",
    }
    assert all(f"/feeds/{key}/" in url for url in feeds)
    ada = client.get(f"/feeds/{key}/@ada/")
    assert titles(parse(ada)) == MEMBER_HOLDS["journal"]


def test_the_opml_is_for_members(client, client_for, cohort, outsider):
    url = reverse("journal:cohort_opml", args=[cohort.slug])

    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
    assert_sent_to_sign_in(client.get(url), url)


# Bounded work -------------------------------------------------------------------


def count_queries(client: Client, url: str) -> tuple[int, int]:
    """The number of queries of a page, and how many items it held if a feed
    or an OPML file."""
    client.get(url)
    clear_caches()  # count the work of a page rendered afresh
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    content_type = response["Content-Type"]
    if content_type.startswith("application/atom+xml"):
        held = len(parse(response).entries)
    elif content_type.startswith("text/x-opml"):
        held = len(outlines(response))
    else:
        held = 0
    return len(context.captured_queries), held


FEWER, MORE = 3, 40


@pytest.fixture
def grow(cohort, author, cohort_mate, make_entry, make_comment, make_members):
    """Add entries by several people on Thing 1, comments on Ada's entry,
    and members to the cohort."""
    first = thing(cohort.programme, 1)
    ada = make_entry(
        author, cohort=cohort, thing=first, title="Ada on Thing 1", visibility=PUBLIC
    )

    def add(count: int, prefix: str) -> Entry:
        for index, member in enumerate(make_members(cohort, count, prefix=prefix)):
            make_entry(
                member,
                cohort=cohort,
                thing=first,
                visibility=COHORT if index == 0 else PUBLIC,
                title=f"{prefix} {index}",
            )
            make_entry(
                author, cohort=cohort, title=f"{prefix} {index}", visibility=PUBLIC
            )
            make_comment(ada, member, f"{prefix} {index}")
        return ada

    return add


def test_the_same_queries_whatever_the_size(
    client_for, cohort_mate, grow, django_assert_num_queries
):
    """Every feed, public and private, the OPML files and the feeds page: the
    data is grown once for all of them, as growing it is the slow part."""
    ada = grow(FEWER, "early")
    key = key_of(cohort_mate)
    opml = reverse("journal:cohort_opml", args=["spring"])
    feeds = [feed_url(kind, k) for kind in FEED_KWARGS for k in (None, key)]
    feeds += [comments_url(ada), comments_url(ada, key)]
    urls = [*feeds, opml, f"{opml}?private=1", reverse("journal:feeds")]
    client = client_for(cohort_mate)
    fewer = {url: count_queries(client, url) for url in urls}

    grow(MORE - FEWER, "late")

    for url in urls:
        queries, held = fewer[url]
        clear_caches()
        with django_assert_num_queries(queries):
            client.get(url)
        held_more = count_queries(client, url)[1]
        if url in feeds:
            assert 0 < held < held_more == MAX_ITEMS, url
        elif url != reverse("journal:feeds"):
            assert held_more == held + MORE - FEWER, url


def test_images_in_feeds_are_absolute_only_where_anyone_may_fetch_them(
    client, author, cohort, cohort_mate, make_entry, settings
):
    settings.SITE_URL = "https://ponder.example.org"
    shown = {
        visibility: actions.upload_image(
            owner=author,
            upload=upload(image_bytes(600, 300)),
            alt=f"{visibility} slide",
        )
        for visibility in (PUBLIC, COHORT)
    }
    for visibility, image in shown.items():
        make_entry(
            author,
            cohort=cohort,
            title=f"{visibility} entry",
            body=image.markdown(),
            visibility=visibility,
        )

    public = client.get(feed_url("cohort")).content.decode()
    public_url = shown[PUBLIC].get_absolute_url()
    assert f'src="https://ponder.example.org{public_url}"' in public.replace(
        "&quot;", '"'
    )
    assert f"https://ponder.example.org{public_url}480/ 480w" in public

    private = client.get(feed_url("cohort", key_of(cohort_mate))).content.decode()
    cohort_url = shown[COHORT].get_absolute_url()
    assert cohort_url not in private
    assert "[Image: cohort slide]" in private
    assert "ponder.example.org" + public_url in private
