"""Private comments ("only for the author") and hidden content, as each persona
sees them on the entry page, in the lists, their counts and the dashboard."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from facilitation import actions as facilitation_actions
from journal import actions
from journal.models import Comment, Entry
from programmes.models import Cohort
from tests.conftest import thing

PRIVATE_WORDS = "Between us: your second point needs a source"
PUBLIC_WORDS = "Lovely reflection on feeds"


@pytest.fixture
def cal(make_user, cohort, join) -> User:
    """A second cohort-mate: a member who is neither the writer nor the author."""
    user = make_user("cal", display_name="Cal Cohort-Mate")
    join(user, cohort)
    return user


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    # Public, so outsiders and visitors read the entry and its open comments.
    return make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title="On feeds",
        visibility=Entry.Visibility.PUBLIC,
    )


def comments_url(entry: Entry) -> str:
    return reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


@pytest.fixture
def private_comment(client_for, cohort_mate, entry, make_comment) -> Comment:
    """Ben's private feedback, posted through the form, beside an open comment."""
    make_comment(entry, cohort_mate, PUBLIC_WORDS)
    response = client_for(cohort_mate).post(
        comments_url(entry), {"body": PRIVATE_WORDS, "private": "on"}
    )
    assert response.status_code == HTTPStatus.FOUND
    return Comment.objects.get(body=PRIVATE_WORDS)


def page_as(people: dict, persona: str, url: str) -> str:
    user = people.get(persona)
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.text


@pytest.fixture
def people(everyone, cal) -> dict:
    return {**everyone, "cal": cal}


# Private comments --------------------------------------------------------------


def test_the_form_offers_to_keep_a_comment_for_the_author(client_for, cal, entry):
    page = client_for(cal).get(entry.get_absolute_url()).text

    assert 'name="private"' in page
    assert "Only Ada Author and the facilitators" in page


def test_a_private_comment_is_stored_private(private_comment, cohort_mate):
    assert private_comment.private
    assert private_comment.private_with == cohort_mate


def test_an_unticked_box_leaves_the_comment_open(client_for, cal, entry):
    client_for(cal).post(comments_url(entry), {"body": "Open to all"})

    assert not Comment.objects.get(body="Open to all").private


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("author", True),
        ("cohort_mate", True),  # its writer
        ("facilitator", True),
        ("cal", False),
        ("outsider", False),
        ("other_facilitator", False),
        ("visitor", False),
    ],
)
def test_who_reads_a_private_comment_on_the_entry_page(
    people, entry, private_comment, persona, reads
):
    page = page_as(people, persona, entry.get_absolute_url())

    assert PUBLIC_WORDS in page
    assert (PRIVATE_WORDS in page) is reads
    assert ("Only for the author</span>" in page) is reads
    assert ('Comments <span class="count">(2)</span>' in page) is reads
    assert ('Comments <span class="count">(1)</span>' in page) is not reads


@pytest.mark.parametrize(
    ("persona", "url_name", "count"),
    [
        ("facilitator", "cohort", 2),
        ("cal", "cohort", 1),
        ("facilitator", "thing", 2),
        ("cal", "thing", 1),
        ("author", "journal", 2),
        ("cohort_mate", "journal", 2),
        ("cal", "journal", 1),
        ("outsider", "journal", 1),
        ("visitor", "journal", 1),
    ],
)
def test_list_counts_count_a_private_comment_for_its_readers_only(
    people, cohort, entry, private_comment, persona, url_name, count
):
    kwargs = {
        "cohort": {"cohort": cohort.slug},
        "thing": {"cohort": cohort.slug, "thing": entry.thing.slug},
        "journal": {"username": entry.author.username},
    }[url_name]

    page = page_as(people, persona, reverse(f"journal:{url_name}", kwargs=kwargs))

    assert entry.title in page
    assert f"{count} comment{'s' if count > 1 else ''}</span>" in page


def test_the_author_finds_a_private_comment_among_the_replies(people, private_comment):
    page = page_as(people, "author", reverse("home"))

    assert PRIVATE_WORDS in page


def test_a_private_reply_is_not_among_the_replies_of_others(
    people, entry, cohort_mate, cal, make_comment
):
    """Cal answers Ben's open comment privately: Ben's dashboard stays silent."""
    open_comment = make_comment(entry, cohort_mate, PUBLIC_WORDS)
    actions.add_comment(
        entry=entry, author=cal, body=PRIVATE_WORDS, parent=open_comment, private=True
    )

    assert PRIVATE_WORDS not in page_as(people, "cohort_mate", reverse("home"))
    assert PRIVATE_WORDS in page_as(people, "author", reverse("home"))


# Replies inherit privacy ---------------------------------------------------------


def test_the_author_s_reply_is_private_and_reaches_the_writer(
    client_for, people, author, cohort_mate, entry, private_comment
):
    client_for(author).post(
        comments_url(entry), {"body": "Thanks, noted", "parent": private_comment.pk}
    )

    reply = Comment.objects.get(body="Thanks, noted")
    assert reply.private
    assert reply.private_with == cohort_mate
    assert "Thanks, noted" in page_as(people, "cohort_mate", entry.get_absolute_url())
    assert "Thanks, noted" not in page_as(people, "cal", entry.get_absolute_url())
    assert "Thanks, noted" in page_as(people, "cohort_mate", reverse("home"))


def test_a_cohort_mate_s_reply_inside_a_private_thread_is_private(
    client_for, people, author, cohort_mate, entry, private_comment, make_comment
):
    answer = make_comment(entry, author, "Which source?", parent=private_comment)

    # Ben answers inside his private conversation, with no box to tick.
    client_for(cohort_mate).post(
        comments_url(entry), {"body": "This one", "parent": answer.pk}
    )

    reply = Comment.objects.get(body="This one")
    assert reply.private
    assert "This one" not in page_as(people, "cal", entry.get_absolute_url())
    assert "This one" in page_as(people, "facilitator", entry.get_absolute_url())


def test_the_reply_form_says_the_reply_is_private_too(people, entry, private_comment):
    reply_url = f"{entry.get_absolute_url()}?reply_to={private_comment.pk}"
    page = page_as(people, "author", reply_url)

    assert "This reply is private too" in page


def test_a_reply_to_an_open_comment_stays_open_whatever_is_posted(
    client_for, entry, cal, cohort_mate, make_comment
):
    open_comment = make_comment(entry, cohort_mate, PUBLIC_WORDS)

    client_for(cal).post(
        comments_url(entry),
        {"body": "Agreed", "parent": open_comment.pk, "private": "on"},
    )

    assert not Comment.objects.get(body="Agreed").private


def test_no_reply_to_a_private_comment_one_cannot_read(
    client_for, entry, cal, private_comment
):
    response = client_for(cal).post(
        comments_url(entry), {"body": "Let me in", "parent": private_comment.pk}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Comment.objects.filter(body="Let me in").exists()
    assert PRIVATE_WORDS not in response.text


# Hidden entries ------------------------------------------------------------------

HIDDEN_TITLE = "A hidden reflection"


@pytest.fixture
def hidden_entry(
    author, cohort: Cohort, facilitator, make_entry, make_comment, cal
) -> Entry:
    entry = make_entry(
        author,
        cohort=cohort,
        thing=thing(cohort.programme, 2),
        title=HIDDEN_TITLE,
        visibility=Entry.Visibility.PUBLIC,
    )
    make_comment(entry, cal, "Before it was hidden")
    facilitation_actions.hide_item(actor=facilitator, item=entry)
    return entry


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        (persona, url_name)
        for persona in ["cohort_mate", "cal"]
        for url_name in ["cohort", "thing", "journal"]
    ]
    + [("outsider", "journal"), ("visitor", "journal")],
)
def test_a_hidden_entry_is_in_no_list_of_others(
    people, cohort, hidden_entry, persona, url_name
):
    kwargs = {
        "cohort": {"cohort": cohort.slug},
        "thing": {"cohort": cohort.slug, "thing": hidden_entry.thing.slug},
        "journal": {"username": hidden_entry.author.username},
    }[url_name]

    page = page_as(people, persona, reverse(f"journal:{url_name}", kwargs=kwargs))

    assert HIDDEN_TITLE not in page


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [("author", "journal"), ("facilitator", "cohort"), ("facilitator", "thing")],
)
def test_a_hidden_entry_stays_listed_for_its_author_and_the_facilitators(
    people, cohort, hidden_entry, persona, url_name
):
    kwargs = {
        "cohort": {"cohort": cohort.slug},
        "thing": {"cohort": cohort.slug, "thing": hidden_entry.thing.slug},
        "journal": {"username": hidden_entry.author.username},
    }[url_name]

    page = page_as(people, persona, reverse(f"journal:{url_name}", kwargs=kwargs))

    assert HIDDEN_TITLE in page


def test_a_hidden_entry_is_not_counted_for_others(people, cohort, hidden_entry):
    url = reverse("journal:people", kwargs={"cohort": cohort.slug})

    def entries_of_ada(persona: str) -> str:
        page = page_as(people, persona, url)
        row = page[page.index("Ada Author") :]
        return row[row.index('<td class="numeric">') :].split("</td>")[0]

    assert entries_of_ada("cal").endswith(">0")
    assert entries_of_ada("facilitator").endswith(">1")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("author", HTTPStatus.OK),
        ("facilitator", HTTPStatus.OK),
        ("cohort_mate", HTTPStatus.NOT_FOUND),
        ("outsider", HTTPStatus.NOT_FOUND),
        ("other_facilitator", HTTPStatus.NOT_FOUND),
        ("visitor", HTTPStatus.FOUND),
    ],
)
def test_a_hidden_entry_is_read_by_its_author_and_the_facilitators(
    client_as, hidden_entry, persona, status
):
    response = client_as(persona).get(hidden_entry.get_absolute_url())

    assert response.status_code == status


def test_the_author_sees_the_hidden_mark_without_a_restore_button(
    people, cohort, hidden_entry
):
    page = page_as(people, "author", hidden_entry.get_absolute_url())

    assert "Hidden by a facilitator." in page
    restore = reverse(
        "facilitation:restore_entry",
        kwargs={"cohort": cohort.slug, "pk": hidden_entry.pk},
    )
    assert restore not in page


def test_the_facilitator_sees_the_hidden_mark_and_restore(people, cohort, hidden_entry):
    page = page_as(people, "facilitator", hidden_entry.get_absolute_url())

    assert "Hidden by a facilitator." in page
    restore = reverse(
        "facilitation:restore_entry",
        kwargs={"cohort": cohort.slug, "pk": hidden_entry.pk},
    )
    assert f'action="{restore}"' in page


# Hidden comments -----------------------------------------------------------------

HIDDEN_WORDS = "Something unkind"


@pytest.fixture
def hidden_comment(entry, cal, facilitator, make_comment) -> Comment:
    make_comment(entry, cal, PUBLIC_WORDS)
    comment = make_comment(entry, cal, HIDDEN_WORDS)
    facilitation_actions.hide_item(actor=facilitator, item=comment)
    return comment


@pytest.mark.parametrize(
    ("persona", "reads"),
    [
        ("author", False),
        ("cal", True),  # its writer
        ("facilitator", True),
        ("cohort_mate", False),
        ("outsider", False),
        ("visitor", False),
    ],
)
def test_who_reads_a_hidden_comment(people, entry, hidden_comment, persona, reads):
    page = page_as(people, persona, entry.get_absolute_url())

    assert (HIDDEN_WORDS in page) is reads
    assert ("Hidden by a facilitator</span>" in page) is reads
    assert ('Comments <span class="count">(2)</span>' in page) is reads
    assert ('Comments <span class="count">(1)</span>' in page) is not reads
    # Without replies, nothing of it is left for the others.
    assert "Comment hidden by a facilitator" not in page


@pytest.mark.parametrize(("persona", "count"), [("facilitator", 2), ("cal", 2)])
def test_a_hidden_comment_is_counted_for_its_readers(
    people, cohort, entry, hidden_comment, persona, count
):
    page = page_as(people, persona, reverse("journal:cohort", args=[cohort.slug]))

    assert f"{count} comments</span>" in page


@pytest.mark.parametrize("persona", ["author", "cohort_mate"])
def test_a_hidden_comment_is_not_counted_for_others(
    people, cohort, entry, hidden_comment, persona
):
    page = page_as(people, persona, reverse("journal:journal", args=["ada"]))

    assert "1 comment</span>" in page


def test_a_hidden_comment_is_not_among_the_author_s_replies(people, hidden_comment):
    page = page_as(people, "author", reverse("home"))

    assert PUBLIC_WORDS in page
    assert HIDDEN_WORDS not in page


def test_a_hidden_comment_with_replies_leaves_a_placeholder(
    people, entry, author, hidden_comment, make_comment
):
    make_comment(entry, author, "Please be kind", parent=hidden_comment)

    page = page_as(people, "cohort_mate", entry.get_absolute_url())

    assert "Comment hidden by a facilitator" in page
    assert HIDDEN_WORDS not in page
    assert page.index("Comment hidden by a facilitator") < page.index("Please be kind")
    # The placeholder is not a comment one can read: two of three are counted.
    assert 'Comments <span class="count">(2)</span>' in page
