"""Export my journal: one zip with Markdown, comments, an offline copy and the CSV."""

import csv
import datetime
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import actions, cpd
from journal.models import Entry, Tag
from tests.conftest import thing
from tests.images import image_bytes, upload
from tests.journal.helpers import PERSONAS, assert_sent_to_sign_in

URL = "journal:export"
UTC = datetime.UTC
TRICKY_TITLE = 'Thing 1: "Getting started" # with a colon, quotes & a hash'


def download(client) -> zipfile.ZipFile:
    response = client.post(reverse(URL))
    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


def files_of(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each file's text by its path inside the export's one top folder."""
    roots = {name.split("/", 1)[0] for name in archive.namelist()}
    assert len(roots) == 1, roots
    return {
        name.split("/", 1)[1]: archive.read(name).decode("utf-8")
        for name in archive.namelist()
    }


def parse_front_matter(text: str) -> tuple[dict, str]:
    """Front matter whose every value is JSON (so valid YAML), and the rest."""
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    values = {}
    for line in head.split("\n"):
        key, value = line.split(": ", 1)
        assert re.fullmatch(r"[a-z_]+", key), line
        values[key] = json.loads(value)
    return values, body


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in {"href", "src"}:
                self.urls.append(value)


def links_in(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture
def journal(author, cohort_mate, facilitator, cohort, make_entry, make_comment):
    """The author's entries: published with tags and a thread, a draft, a free one."""
    with time_machine.travel(datetime.datetime(2025, 3, 1, 10, 42, tzinfo=UTC)):
        published = make_entry(
            author,
            cohort=cohort,
            thing=thing(cohort.programme, 1),
            title=TRICKY_TITLE,
            body="## What I did\n\nI read **feeds**.",
        )
    published.minutes = 45
    published.action = "Try: a feed reader"
    published.save()
    tags = [
        Tag.objects.create(owner=author, name="feeds", slug="feeds"),
        Tag.objects.create(owner=author, name="ward rounds", slug="ward-rounds"),
    ]
    published.tags.set(tags)
    top = make_comment(published, cohort_mate, "A *great* start")
    reply = make_comment(published, author, "Thank you!", parent=top)
    make_comment(published, facilitator, "Agreed.", parent=reply)
    gone = make_comment(published, cohort_mate, "Something I regret")
    make_comment(published, facilitator, "An answer to it", parent=gone)
    actions.delete_comment(comment=gone)
    draft = make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 2),
        title="Half a thought",
        body="Not <script>alert(1)</script> finished",
        publish=False,
    )
    free = make_entry(
        author,
        title="Free: no Thing",
        body="[link](https://example.org)",
        visibility=Entry.Visibility.PRIVATE,
    )
    make_entry(cohort_mate, cohort=cohort, title="Ben's own entry")
    return {"published": published, "draft": draft, "free": free}


# Who may export -------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_sign_in(client, db, method):
    url = reverse(URL)

    response = getattr(client, method)(url)

    assert_sent_to_sign_in(response, url)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("visitor",)])
def test_everyone_exports_only_their_own_entries(client_as, journal, persona):
    files = files_of(download(client_as(persona)))

    text = "\n".join(files.values())
    assert ("Half a thought" in text) == (persona == "author")
    assert ("Getting started" in text) == (persona == "author")
    assert ("Ben's own entry" in text) == (persona == "cohort_mate")


def test_the_page_says_what_the_zip_holds(client_as, journal):
    response = client_as("author").get(reverse(URL))

    assert response.status_code == HTTPStatus.OK
    assert "2 published entries and 1 draft" in response.text
    assert '<button type="submit"' in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_the_download_is_a_dated_zip(client_as, journal):
    with time_machine.travel(datetime.datetime(2025, 6, 1, 22, tzinfo=UTC)):
        response = client_as("author").post(reverse(URL))

    assert response["Content-Type"] == "application/zip"
    # 23:00 in London, the author's time zone.
    assert response["Content-Disposition"] == (
        'attachment; filename="ponder-journal-ada-2025-06-01.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    assert archive.testzip() is None
    assert archive.namelist()[0].startswith("ponder-journal-ada-2025-06-01/")


# What is in it --------------------------------------------------------------


def test_it_holds_every_entry_drafts_apart(client_as, journal):
    files = files_of(download(client_as("author")))

    slug = journal["published"].slug
    free = journal["free"].slug
    assert {
        "README.txt",
        "index.html",
        "style.css",
        "cpd-log.csv",
        f"entries/2025-03-01-{slug}.md",
        f"entries/2025-03-01-{slug}.html",
        "drafts/half-a-thought.md",
        "drafts/half-a-thought.html",
    } <= set(files)
    assert len([name for name in files if name.endswith(".md")]) == 3
    assert any(name.startswith("entries/") and free in name for name in files)


def test_front_matter_round_trips(client_as, journal):
    files = files_of(download(client_as("author")))

    entry = journal["published"]
    meta, body = parse_front_matter(files[f"entries/2025-03-01-{entry.slug}.md"])
    assert meta == {
        "title": TRICKY_TITLE,
        "slug": entry.slug,
        "status": "published",
        "visibility": "cohort",
        "created": "2025-03-01T10:42:00+00:00",
        "published": "2025-03-01T10:42:00+00:00",
        "updated": meta["updated"],
        "programme": "23 Things",
        "cohort": "Spring cohort",
        "thing": {"number": 1, "title": "Getting started"},
        "tags": ["feeds", "ward rounds"],
        "minutes": 45,
        "action": "Try: a feed reader",
    }
    assert body.startswith("\n## What I did\n\nI read **feeds**.\n")


def test_front_matter_dates_are_in_my_time_zone(client_as, author, journal):
    author.profile.time_zone = "America/New_York"
    author.profile.save()

    files = files_of(download(client_as("author")))

    entry = journal["published"]
    meta, _ = parse_front_matter(files[f"entries/2025-03-01-{entry.slug}.md"])
    assert meta["published"] == "2025-03-01T05:42:00-05:00"


def test_a_draft_has_no_publication_date(client_as, journal):
    files = files_of(download(client_as("author")))

    meta, body = parse_front_matter(files["drafts/half-a-thought.md"])
    assert meta["status"] == "draft"
    assert meta["published"] is None
    assert meta["thing"] == {"number": 2, "title": "Blogging"}
    assert "Not <script>alert(1)</script> finished" in body  # the Markdown as written


@pytest.mark.parametrize(
    "title",
    [
        "key: value",
        "- a list? no",
        "'single' and \"double\"",
        "[not, a, list]",
        "{not: a map}",
        "null",
        "yes",
        "# not a comment",
        "tab\there and a back\\slash",
        "line\u2028separator and \x85 next line",
        "Ünïcödé 🎉 ok",
    ],
)
def test_titles_stay_one_string(client_as, author, make_entry, title):
    entry = make_entry(author, title=title, visibility=Entry.Visibility.PRIVATE)

    files = files_of(download(client_as("author")))

    (name,) = [n for n in files if n.endswith(f"{entry.slug}.md")]
    meta, _ = parse_front_matter(files[name])
    assert meta["title"] == title
    head = files[name].split("\n---\n", 1)[0]
    assert "\u2028" not in head and "\x85" not in head


def test_comments_follow_the_entry(client_as, journal):
    files = files_of(download(client_as("author")))

    entry = journal["published"]
    text = files[f"entries/2025-03-01-{entry.slug}.md"]
    _, body = parse_front_matter(text)
    comments = body.split("\n## Comments\n", 1)[1]
    assert "**Ben Cohort-Mate** · " in comments
    assert "A *great* start" in comments
    assert "> **Ada Author** · " in comments
    assert "> Thank you!" in comments
    assert "> > **Fran Facilitator** · " in comments
    assert "> > Agreed." in comments
    # A deleted comment leaves only its placeholder above its reply.
    assert "*Comment deleted*\n\n> **Fran Facilitator**" in comments
    assert "regret" not in text
    assert (
        comments.index("great") < comments.index("Thank you") < comments.index("Agreed")
    )


def test_the_html_copy_opens_from_disk(client_as, journal):
    files = files_of(download(client_as("author")))

    pages = {name: text for name, text in files.items() if name.endswith(".html")}
    assert len(pages) == 4  # index and three entries
    for name, html in pages.items():
        parsed = links_in(html)
        assert "script" not in parsed.tags, name
        assert "<script" not in html.lower(), name
        for url in parsed.urls:
            parts = urlsplit(url)
            if parts.scheme:  # a link the author wrote in an entry
                assert parts.scheme in {"http", "https", "mailto"}, url
                continue
            assert not url.startswith("/"), f"{name}: {url} is not relative"
            target = (name.rsplit("/", 1)[0] + "/" if "/" in name else "") + url
            target = re.sub(r"[^/]+/\.\./", "", target)
            assert target in files, f"{name}: {url} leads nowhere"


def test_the_html_copy_shows_the_stored_html_and_comments(client_as, journal):
    files = files_of(download(client_as("author")))

    entry = journal["published"]
    html = files[f"entries/2025-03-01-{entry.slug}.html"]
    assert entry.body_html in html
    assert "<em>great</em> start" in html
    assert "Comment deleted" in html
    assert "regret" not in html
    assert "Try: a feed reader" in html
    assert "45 min" in html
    assert "Thing 1: &quot;Getting started&quot;" in html  # the title, escaped
    index = files["index.html"]
    assert f'href="entries/2025-03-01-{entry.slug}.html"' in index
    assert 'href="drafts/half-a-thought.html"' in index
    draft = files["drafts/half-a-thought.html"]
    assert "<script" not in draft


def test_the_cpd_log_is_inside(client_as, journal):
    files = files_of(download(client_as("author")))

    text = files["cpd-log.csv"]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == cpd.CSV_HEADER
    assert sorted(row[4] for row in rows[1:]) == ["Free: no Thing", TRICKY_TITLE]


def test_an_empty_journal_exports(client_as, author):
    files = files_of(download(client_as("author")))

    assert set(files) == {"README.txt", "index.html", "style.css", "cpd-log.csv"}
    assert "No published entries." in files["index.html"]


# Bounded work ---------------------------------------------------------------


def export_queries(client) -> tuple[int, zipfile.ZipFile]:
    with CaptureQueriesContext(connection) as context:
        archive = download(client)
    return len(context.captured_queries), archive


def test_export_queries_do_not_grow_with_the_journal(
    client_as, author, cohort, cohort_mate, make_comment
):
    def write(count: int) -> None:
        start = Entry.objects.filter(author=author).count()
        tag = Tag.objects.get_or_create(owner=author, name="t", slug="t")[0]
        for index in range(start, start + count):
            entry = Entry(
                author=author,
                cohort=cohort,
                title=f"Entry {index}",
                body=f"Body {index}",
                minutes=10,
                status=Entry.Status.PUBLISHED if index % 4 else Entry.Status.DRAFT,
                published_at=None if index % 4 == 0 else datetime.datetime.now(UTC),
            )
            entry.save()
            entry.tags.add(tag)
            if index % 2:
                top = make_comment(entry, cohort_mate, f"Comment on {index}")
                make_comment(entry, author, "Reply", parent=top)

    client = client_as("author")
    write(10)
    small, _ = export_queries(client)
    write(190)

    large, archive = export_queries(client)

    assert large == small
    assert len([n for n in archive.namelist() if n.endswith(".md")]) == 200


def test_entries_keep_their_own_tags_and_comments_across_chunks(
    client_as, author, cohort, cohort_mate, make_entry, make_comment, monkeypatch
):
    monkeypatch.setattr(cpd, "CHUNK_SIZE", 3)
    for index in range(8):
        entry = make_entry(author, cohort=cohort, title=f"Entry {index}")
        tag = Tag.objects.create(owner=author, name=f"tag {index}", slug=f"t{index}")
        entry.tags.add(tag)
        make_comment(entry, cohort_mate, f"On entry {index}")

    files = files_of(download(client_as("author")))

    for index in range(8):
        (name,) = [n for n in files if n.endswith(f"-entry-{index}.md")]
        meta, body = parse_front_matter(files[name])
        assert meta["tags"] == [f"tag {index}"]
        assert re.findall(r"On entry \d", body) == [f"On entry {index}"]


def test_my_images_travel_beside_the_markdown_and_show_offline(
    client_as, author, cohort, cohort_mate, make_entry, make_comment
):
    mine = actions.upload_image(
        owner=author, upload=upload(image_bytes(700, 350)), alt="My slide"
    )
    theirs = actions.upload_image(
        owner=cohort_mate, upload=upload(image_bytes()), alt="Ben's sketch"
    )
    entry = make_entry(
        author, cohort=cohort, title="Slides", body=f"Look:\n\n{mine.markdown()}"
    )
    make_comment(entry, cohort_mate, body=f"Mine: {theirs.markdown()}")

    archive = download(client_as("author"))
    names = {name.split("/", 1)[1] for name in archive.namelist()}
    image_file = f"images/{mine.public_id}.png"
    assert image_file in names
    assert not any(theirs.public_id in name for name in names)
    root = archive.namelist()[0].split("/", 1)[0]
    assert archive.read(f"{root}/{image_file}").startswith(b"\x89PNG")

    markdown = next(
        archive.read(n).decode() for n in archive.namelist() if n.endswith("slides.md")
    )
    assert f"![My slide](../{image_file})" in markdown
    html = next(
        archive.read(n).decode()
        for n in archive.namelist()
        if n.endswith("slides.html")
    )
    assert f'<img src="../{image_file}"' in html
    assert 'alt="My slide"' in html
    assert "/images/" not in html.replace(f"../{image_file}", "")
    assert "[Image: Ben&#x27;s sketch]" in html or "[Image: Ben's sketch]" in html
