"""Entry and Comment: who reads what, slugs, stored HTML, threads."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from facilitation import actions as facilitation_actions
from journal import actions
from journal.models import Comment, Entry
from tests.conftest import thing

VISIBILITIES = [
    Entry.Visibility.PRIVATE,
    Entry.Visibility.COHORT,
    Entry.Visibility.PUBLIC,
]

# DESIGN.md, "Who sees what": the published entries of the author each persona
# reads, by visibility. Drafts are read by their author alone.
READS_PUBLISHED = {
    "author": {"private", "cohort", "public"},
    "cohort_mate": {"cohort", "public"},
    "facilitator": {"cohort", "public"},
    "outsider": {"public"},
    "other_facilitator": {"public"},
    "visitor": {"public"},
}


@pytest.fixture
def every_kind(author, cohort, make_entry) -> dict[tuple[str, bool], Entry]:
    """One entry of the author's per visibility, as a draft and published."""
    return {
        (visibility, publish): make_entry(
            author,
            cohort=cohort,
            title=f"{visibility} {'published' if publish else 'draft'}",
            visibility=visibility,
            publish=publish,
        )
        for visibility in VISIBILITIES
        for publish in (False, True)
    }


#: Two ways to ask the same rule: a filter for lists, and the check of one
#: entry fetched with the reader's role (journal/views/access.py).
READINGS = ["visible_to", "is_readable_by"]


def readable_by(user, reading: str):
    """The entries `user` reads, asked the `reading` way."""
    if reading == "visible_to":
        return Entry.objects.visible_to(user)
    readable = [
        entry.pk
        for entry in Entry.objects.select_related("cohort")
        if entry.is_readable_by(
            user, entry.cohort and entry.cohort.cached_role_of(user)
        )
    ]
    return Entry.objects.filter(pk__in=readable)


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("persona", list(READS_PUBLISHED))
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("published", [True, False], ids=["published", "draft"])
def test_visible_to_follows_the_matrix(
    everyone, every_kind, persona, visibility, published, reading
):
    user = everyone[persona] or AnonymousUser()
    entry = every_kind[(visibility, published)]

    visible = readable_by(user, reading).filter(pk=entry.pk).exists()

    if persona == "author":
        expected = True
    else:
        expected = published and visibility in READS_PUBLISHED[persona]
    assert visible is expected


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("persona", list(READS_PUBLISHED))
def test_visible_to_returns_exactly_what_the_persona_reads(
    everyone, every_kind, persona, reading
):
    user = everyone[persona] or AnonymousUser()

    titles = set(readable_by(user, reading).values_list("title", flat=True))

    expected = {f"{visibility} published" for visibility in READS_PUBLISHED[persona]}
    if persona == "author":
        expected |= {f"{visibility} draft" for visibility in VISIBILITIES}
    assert titles == expected


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("persona", list(READS_PUBLISHED))
def test_a_hidden_entry_is_read_by_its_author_and_its_facilitators(
    everyone, every_kind, facilitator, persona, reading
):
    for entry in every_kind.values():
        facilitation_actions.hide_item(actor=facilitator, item=entry)
    user = everyone[persona] or AnonymousUser()

    titles = set(readable_by(user, reading).values_list("title", flat=True))

    if persona == "author":
        expected = {entry.title for entry in every_kind.values()}
    elif persona == "facilitator":
        expected = {"cohort published", "public published"}
    else:
        expected = set()
    assert titles == expected


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("persona", list(READS_PUBLISHED))
def test_a_held_entry_is_read_by_its_author_and_its_facilitators(
    everyone, every_kind, persona, reading
):
    Entry.objects.update(held_at=timezone.now())
    user = everyone[persona] or AnonymousUser()

    titles = set(readable_by(user, reading).values_list("title", flat=True))

    if persona == "author":
        expected = {entry.title for entry in every_kind.values()}
    elif persona == "facilitator":
        expected = {"cohort published", "public published"}
    else:
        expected = set()
    assert titles == expected


def test_free_reflections_are_only_me_or_public(everyone, author, make_entry):
    make_entry(author, title="Private thought", visibility=Entry.Visibility.PRIVATE)
    make_entry(author, title="Open thought", visibility=Entry.Visibility.PUBLIC)

    for persona, user in everyone.items():
        titles = set(
            Entry.objects.visible_to(user or AnonymousUser()).values_list(
                "title", flat=True
            )
        )
        if persona == "author":
            assert titles == {"Private thought", "Open thought"}
        else:
            assert titles == {"Open thought"}


def test_programme_owner_reads_only_public_entries(owner, every_kind):
    titles = set(Entry.objects.visible_to(owner).values_list("title", flat=True))

    assert titles == {"public published"}


def test_cohort_entries_stay_in_their_cohort(
    author, outsider, other_cohort, make_entry
):
    """An outsider's cohort entry is read in their cohort, not in the author's."""
    make_entry(outsider, cohort=other_cohort, title="Autumn news")

    assert not Entry.objects.visible_to(author).filter(title="Autumn news").exists()


def test_same_title_twice_gets_a_numbered_slug(author, cohort, make_entry):
    first = make_entry(author, cohort=cohort, title="Getting started")
    second = make_entry(author, cohort=cohort, title="Getting started", publish=False)
    third = make_entry(author, title="Getting started", visibility="private")

    assert first.slug == "getting-started"
    assert second.slug == "getting-started-2"
    assert third.slug == "getting-started-3"


def test_slugs_are_unique_per_author_only(author, cohort, cohort_mate, make_entry):
    mine = make_entry(author, cohort=cohort, title="Getting started")
    theirs = make_entry(cohort_mate, cohort=cohort, title="Getting started")

    assert mine.slug == theirs.slug == "getting-started"


def test_slug_stays_when_the_title_changes(author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort, title="First thoughts")
    url = entry.get_absolute_url()

    entry.title = "Second thoughts, better ones"
    actions.save_entry(entry=entry, publish=True)

    entry.refresh_from_db()
    assert entry.slug == "first-thoughts"
    assert entry.get_absolute_url() == url


def test_a_title_without_letters_still_gets_a_slug(author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort, title="???")

    assert entry.slug == "entry"


def test_saving_renders_the_body(author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort, body="# Heading\n\nSome **bold** words.")

    assert "<h2>Heading</h2>" in entry.body_html
    assert "<strong>bold</strong>" in entry.body_html


def test_saving_again_renders_the_new_body(author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort, body="old words")

    entry.body = "new words"
    actions.save_entry(entry=entry, publish=True)

    entry.refresh_from_db()
    assert "new words" in entry.body_html
    assert "old words" not in entry.body_html


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert('x')</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">click</a>', "javascript:"),
        ('<p onclick="alert(1)">hi</p>', "onclick"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_the_stored_html_is_sanitised(author, cohort, make_entry, body, forbidden):
    entry = make_entry(author, cohort=cohort, body=body)

    assert forbidden not in entry.body_html.lower()


def test_links_get_the_ugc_rel(author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort, body="[my site](https://example.org)")

    assert 'rel="nofollow ugc noopener"' in entry.body_html


def test_comments_are_sanitised_when_saved(author, cohort, make_entry, make_comment):
    entry = make_entry(author, cohort=cohort)

    comment = make_comment(entry, author, body="<script>alert(1)</script>hi")

    assert "<script" not in comment.body_html
    assert "hi" in comment.body_html


def test_a_published_entry_has_a_date(author, cohort, make_entry):
    draft = make_entry(author, cohort=cohort, title="Draft", publish=False)
    published = make_entry(author, cohort=cohort, title="Published")

    assert draft.status == Entry.Status.DRAFT
    assert draft.published_at is None
    assert published.status == Entry.Status.PUBLISHED
    assert published.published_at is not None


def test_publishing_again_keeps_the_first_date(author, cohort, make_entry):
    entry = make_entry(author, cohort=cohort)
    first = entry.published_at

    actions.save_entry(entry=entry, publish=True)

    entry.refresh_from_db()
    assert entry.published_at == first


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(author, cohort=cohort, thing=thing(cohort.programme, 1))


def test_thread_puts_replies_under_their_parent(
    entry, author, cohort_mate, facilitator, make_comment
):
    first = make_comment(entry, cohort_mate, "first")
    second = make_comment(entry, facilitator, "second")
    reply_to_first = make_comment(entry, author, "reply to first", parent=first)
    reply_to_second = make_comment(entry, author, "reply to second", parent=second)
    deeper = make_comment(entry, cohort_mate, "deeper", parent=reply_to_first)
    later_reply_to_first = make_comment(entry, facilitator, "later", parent=first)

    thread = Comment.objects.thread_of(entry, entry.author, moderator=False)

    assert [comment.body for comment in thread] == [
        "first",
        "reply to first",
        "deeper",
        "later",
        "second",
        "reply to second",
    ]
    assert [comment.depth for comment in thread] == [1, 2, 3, 2, 1, 2]
    has_replies = {comment.pk: comment.has_replies for comment in thread}
    assert has_replies == {
        first.pk: True,
        reply_to_first.pk: True,
        deeper.pk: False,
        later_reply_to_first.pk: False,
        second.pk: True,
        reply_to_second.pk: False,
    }


def test_thread_only_holds_the_entrys_comments(
    entry, author, cohort, cohort_mate, make_entry, make_comment
):
    other = make_entry(cohort_mate, cohort=cohort, title="Another")
    make_comment(other, author, "elsewhere")
    make_comment(entry, cohort_mate, "here")

    assert [
        c.body for c in Comment.objects.thread_of(entry, entry.author, moderator=False)
    ] == ["here"]


def test_reply_to_a_third_level_comment_becomes_its_sibling(
    entry, author, cohort_mate, make_comment
):
    top = make_comment(entry, cohort_mate, "top")
    second = make_comment(entry, author, "second", parent=top)
    third = make_comment(entry, cohort_mate, "third", parent=second)

    reply = make_comment(entry, author, "reply to third", parent=third)

    assert reply.depth == 3
    assert reply.parent == second
    thread = Comment.objects.thread_of(entry, entry.author, moderator=False)
    assert [c.body for c in thread] == ["top", "second", "third", "reply to third"]


def test_a_comment_reply_depth_follows_its_parent(
    entry, author, cohort_mate, make_comment
):
    top = make_comment(entry, cohort_mate)
    reply = make_comment(entry, author, parent=top)

    assert top.depth == 1
    assert top.parent is None
    assert reply.depth == 2
    assert reply.parent == top


def test_deleting_a_comment_without_replies_removes_it(
    entry, cohort_mate, make_comment
):
    comment = make_comment(entry, cohort_mate)

    actions.delete_comment(comment=comment)

    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_comment_with_replies_leaves_a_placeholder(
    entry, author, cohort_mate, make_comment
):
    comment = make_comment(entry, cohort_mate, "something **rude**")
    reply = make_comment(entry, author, "a reply", parent=comment)

    actions.delete_comment(comment=comment)

    comment.refresh_from_db()
    assert comment.state == Comment.State.DELETED
    assert comment.body == ""
    assert comment.body_html == ""
    assert Comment.objects.get(pk=reply.pk).parent_id == comment.pk
    assert [
        c.pk for c in Comment.objects.thread_of(entry, entry.author, moderator=False)
    ] == [
        comment.pk,
        reply.pk,
    ]


def test_a_placeholder_goes_with_its_last_reply(
    entry, author, cohort_mate, facilitator, make_comment
):
    comment = make_comment(entry, cohort_mate)
    first_reply = make_comment(entry, author, parent=comment)
    second_reply = make_comment(entry, facilitator, parent=comment)
    actions.delete_comment(comment=comment)

    actions.delete_comment(comment=first_reply)
    assert Comment.objects.filter(pk=comment.pk).exists()

    actions.delete_comment(comment=second_reply)
    assert not Comment.objects.filter(entry=entry).exists()


def test_placeholders_go_up_the_thread(entry, author, cohort_mate, make_comment):
    top = make_comment(entry, cohort_mate, "top")
    middle = make_comment(entry, author, "middle", parent=top)
    bottom = make_comment(entry, cohort_mate, "bottom", parent=middle)
    actions.delete_comment(comment=top)
    actions.delete_comment(comment=middle)

    actions.delete_comment(comment=bottom)

    assert not Comment.objects.filter(entry=entry).exists()


def test_a_placeholder_with_a_visible_parent_leaves_the_parent(
    entry, author, cohort_mate, make_comment
):
    top = make_comment(entry, cohort_mate, "top")
    middle = make_comment(entry, author, "middle", parent=top)
    bottom = make_comment(entry, cohort_mate, "bottom", parent=middle)
    actions.delete_comment(comment=middle)

    actions.delete_comment(comment=bottom)

    assert list(Comment.objects.filter(entry=entry)) == [top]
    top.refresh_from_db()
    assert top.state == Comment.State.VISIBLE


def test_editing_a_comment_marks_it_edited(entry, cohort_mate, make_comment):
    comment = make_comment(entry, cohort_mate, "first try")

    actions.edit_comment(comment=comment, body="second **try**")

    comment.refresh_from_db()
    assert comment.edited_at is not None
    assert comment.body == "second **try**"
    assert "<strong>try</strong>" in comment.body_html


def test_replies_to_lists_others_comments_on_my_entries_and_comments(
    entry, author, cohort, cohort_mate, facilitator, make_entry, make_comment
):
    on_my_entry = make_comment(entry, cohort_mate, "on your entry")
    make_comment(entry, author, "my own comment")
    theirs = make_entry(cohort_mate, cohort=cohort, title="Ben's")
    mine_there = make_comment(theirs, author, "my comment there")
    reply_to_me = make_comment(theirs, facilitator, "reply", parent=mine_there)
    make_comment(theirs, facilitator, "not to me")
    deleted = make_comment(entry, facilitator, "soon gone")
    actions.delete_comment(comment=deleted)

    replies = Comment.objects.replies_to(author, limit=10)

    assert replies == [reply_to_me, on_my_entry]


def test_replies_to_lists_a_reply_on_my_own_entry_once_and_keeps_the_limit(
    entry, author, cohort_mate, make_comment
):
    mine = make_comment(entry, author, "my comment")
    replies = [
        make_comment(entry, cohort_mate, f"reply {n}", parent=mine) for n in range(3)
    ]

    assert Comment.objects.replies_to(author, limit=2) == [replies[2], replies[1]]


def test_replies_to_lists_a_reply_beside_my_deepest_comment_for_me_alone(
    author, cohort, cohort_mate, facilitator, make_entry, make_comment
):
    """At the deepest level a reply is filed under the parent (Fran's): it is
    Ada's comment it answers."""
    theirs = make_entry(cohort_mate, cohort=cohort, title="Ben's")
    top = make_comment(theirs, cohort_mate, "top")
    frans = make_comment(theirs, facilitator, "second", parent=top)
    adas = make_comment(theirs, author, "third", parent=frans)
    reply = make_comment(theirs, cohort_mate, "to Ada", parent=adas)

    assert Comment.objects.replies_to(author, limit=10) == [reply]
    assert Comment.objects.replies_to(facilitator, limit=10) == [adas]


def test_the_migration_has_old_replies_answer_their_parent(
    entry, cohort_mate, make_comment
):
    top = make_comment(entry, cohort_mate, "top")
    reply = make_comment(entry, entry.author, "reply", parent=top)
    Comment.objects.update(in_reply_to=None)
    migration = importlib.import_module("journal.migrations.0007_comment_in_reply_to")

    migration.answer_the_parent(apps, None)

    assert Comment.objects.get(pk=top.pk).in_reply_to is None
    assert Comment.objects.get(pk=reply.pk).in_reply_to == top


def test_replies_to_leaves_out_entries_i_can_no_longer_read(
    author, cohort, cohort_mate, facilitator, make_entry, make_comment
):
    theirs = make_entry(cohort_mate, cohort=cohort, title="Ben's")
    mine = make_comment(theirs, author, "my comment")
    make_comment(theirs, facilitator, "reply", parent=mine)

    theirs.visibility = Entry.Visibility.PRIVATE
    actions.save_entry(entry=theirs, publish=True)

    assert Comment.objects.replies_to(author, limit=10) == []


def test_an_entry_titled_feed_keeps_clear_of_the_journal_feed(
    author, cohort, make_entry
):
    entry = make_entry(author, cohort=cohort, title="Feed")
    assert entry.slug == "feed-2"
