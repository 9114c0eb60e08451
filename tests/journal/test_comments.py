"""Commenting on an entry through the client, with and without htmx."""

import html
from http import HTTPStatus

import pytest
from django.urls import reverse

from facilitation import actions as facilitation_actions
from journal import actions
from journal.models import Comment, Entry
from notifications.models import Kind, Notification
from tests.conftest import thing
from tests.journal.helpers import errors_beside, field_wrapper

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def entry(author, cohort, make_entry) -> Entry:
    return make_entry(
        author, cohort=cohort, thing=thing(cohort.programme, 1), title="On feeds"
    )


@pytest.fixture
def comments_url(entry) -> str:
    return reverse(
        "journal:add_comment",
        kwargs={"username": entry.author.username, "slug": entry.slug},
    )


def test_post_a_comment(client_for, cohort_mate, entry, comments_url):
    response = client_for(cohort_mate).post(comments_url, {"body": "Great **post**"})

    comment = Comment.objects.get()
    assert comment.entry == entry
    assert comment.author == cohort_mate
    assert comment.parent is None
    assert comment.depth == 1
    assert "<strong>post</strong>" in comment.body_html
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{entry.get_absolute_url()}#comment-{comment.pk}"


def test_the_comment_shows_on_the_entry(client_for, cohort_mate, entry, comments_url):
    client = client_for(cohort_mate)

    response = client.post(comments_url, {"body": "Great **post**"}, follow=True)

    comment = Comment.objects.get()
    assert f'id="comment-{comment.pk}"' in response.text
    assert "Great <strong>post</strong>" in response.text
    assert "Comment posted." in response.text


def test_reply_to_a_comment(
    client_for, author, cohort_mate, entry, comments_url, make_comment
):
    comment = make_comment(entry, cohort_mate, "A question?")

    response = client_for(author).post(
        comments_url, {"body": "An answer.", "parent": str(comment.pk)}
    )

    reply = Comment.objects.get(body="An answer.")
    assert reply.parent == comment
    assert reply.depth == 2
    assert response["Location"] == reply.get_absolute_url()


def test_reply_to_the_third_level_joins_it(
    client_for, author, cohort_mate, entry, comments_url, make_comment
):
    top = make_comment(entry, cohort_mate, "top")
    second = make_comment(entry, author, "second", parent=top)
    third = make_comment(entry, cohort_mate, "third", parent=second)

    client_for(author).post(comments_url, {"body": "fourth", "parent": str(third.pk)})

    reply = Comment.objects.get(body="fourth")
    assert reply.parent == second
    assert reply.depth == 3


@pytest.fixture
def greta(make_user, cohort, join):
    user = make_user("greta", display_name="Greta Cohort-Mate")
    join(user, cohort)
    return user


@pytest.fixture
def deep_thread(entry, author, cohort_mate, greta, make_comment) -> list[Comment]:
    """Ben asks on Ada's entry, Ada answers, Greta answers Ada: three levels."""
    top = make_comment(entry, cohort_mate, "Have you tried feeds?")
    second = make_comment(entry, author, "Not yet.", parent=top)
    third = make_comment(entry, greta, "Try a reader app.", parent=second)
    return [top, second, third]


def in_reply_to(comment: Comment, name: str) -> str:
    return f'in reply to <a href="#{comment.anchor}">{name}</a>'


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_reply_to_the_third_level_answers_the_comment_replied_to(
    client_for, author, cohort_mate, greta, entry, comments_url, deep_thread, headers
):
    """Through the reply form either path opens (`?reply_to=`, the link's htmx
    GET), posted as either path posts it."""
    _top, second, third = deep_thread
    client = client_for(cohort_mate)
    form = client.get(entry.get_absolute_url(), {"reply_to": third.pk}, **headers)
    assert f'name="parent" value="{third.pk}"' in form.text

    response = client.post(
        comments_url,
        {"body": "Which one?", "parent": str(third.pk)},
        follow=not headers,
        **headers,
    )

    reply = Comment.objects.get(body="Which one?")
    assert (reply.parent, reply.depth, reply.in_reply_to) == (second, 3, third)
    told = set(
        Notification.objects.filter(comment=reply).values_list(
            "recipient__username", "kind"
        )
    )
    # Greta hears of the reply; Ada, whose comment it is filed under, hears of
    # a comment on her entry as for any other.
    assert told == {("greta", Kind.REPLY), ("ada", Kind.COMMENT)}
    assert in_reply_to(third, "Greta Cohort-Mate") in response.text
    shown = client_for(author).get(entry.get_absolute_url()).text
    assert in_reply_to(third, "Greta Cohort-Mate") in shown


def test_a_reply_under_what_it_answers_does_not_say_so_again(
    client_for, cohort_mate, entry, deep_thread
):
    page = client_for(cohort_mate).get(entry.get_absolute_url()).text

    assert "in reply to" not in page


def test_in_reply_to_names_a_hidden_comment_only_to_those_who_may_read_it(
    client_for,
    author,
    cohort_mate,
    greta,
    facilitator,
    entry,
    deep_thread,
    make_comment,
):
    third = deep_thread[2]
    make_comment(entry, cohort_mate, "Which one?", parent=third)
    facilitation_actions.hide_item(actor=facilitator, item=third)

    for reader in [author, cohort_mate]:
        page = client_for(reader).get(entry.get_absolute_url()).text
        assert "Which one?" in page
        assert "in reply to" not in page
        assert "Try a reader app." not in page
    for reader in [greta, facilitator]:
        page = client_for(reader).get(entry.get_absolute_url()).text
        assert in_reply_to(third, "Greta Cohort-Mate") in page


def test_a_reply_to_a_deleted_comment_names_nobody(
    client_for, cohort_mate, entry, deep_thread, make_comment
):
    third = deep_thread[2]
    make_comment(entry, cohort_mate, "Which one?", parent=third)
    actions.delete_comment(comment=third)

    page = client_for(cohort_mate).get(entry.get_absolute_url()).text

    assert "Which one?" in page
    assert "in reply to" not in page
    assert Comment.objects.get(body="Which one?").in_reply_to is None


def test_reply_to_a_comment_on_another_entry_is_refused(
    client_for, author, cohort, cohort_mate, comments_url, make_entry, make_comment
):
    elsewhere = make_comment(
        make_entry(cohort_mate, cohort=cohort, title="Elsewhere"), author, "there"
    )

    response = client_for(cohort_mate).post(
        comments_url, {"body": "My carefully written reply", "parent": elsewhere.pk}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Comment.objects.filter(body="My carefully written reply").exists()
    assert "The comment you replied to has gone." in response.text
    assert "My carefully written reply" in response.text


def test_reply_to_a_comment_deleted_meanwhile_keeps_the_text(
    client_for, author, cohort_mate, entry, comments_url, make_comment
):
    comment = make_comment(entry, cohort_mate, "Soon gone")
    gone = comment.pk
    actions.delete_comment(comment=comment)

    response = client_for(author).post(
        comments_url, {"body": "My carefully written reply", "parent": gone}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "The comment you replied to has gone." in response.text
    assert "My carefully written reply" in html.unescape(
        field_wrapper(response.text, "id_body")
    )
    # The main form no longer points at the gone comment: sending it again works.
    assert '<input type="hidden" name="parent" id="id_parent">' in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["abc", "99999999999999999999", "-1"])
def test_a_nonsense_parent_makes_no_500(client_for, cohort_mate, comments_url, parent):
    response = client_for(cohort_mate).post(
        comments_url, {"body": "Hello", "parent": parent}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Comment.objects.exists()


def test_htmx_post_returns_only_the_comments(
    client_for, cohort_mate, entry, comments_url
):
    response = client_for(cohort_mate).post(comments_url, {"body": "Via htmx"}, **HTMX)

    assert response.status_code == HTTPStatus.OK
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="comments"')
    assert "Via htmx" in response.text
    assert entry.title not in response.text.split("Comments", 1)[0]
    assert Comment.objects.get().body == "Via htmx"


def test_htmx_reply_returns_the_thread(
    client_for, author, cohort_mate, entry, comments_url, make_comment
):
    comment = make_comment(entry, cohort_mate, "A question?")

    response = client_for(author).post(
        comments_url, {"body": "An answer.", "parent": comment.pk}, **HTMX
    )

    assert response.status_code == HTTPStatus.OK
    assert "<html" not in response.text
    assert response.text.index("A question?") < response.text.index("An answer.")
    assert Comment.objects.get(body="An answer.").parent == comment


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_comment_is_refused(client_for, cohort_mate, comments_url, body):
    response = client_for(cohort_mate).post(comments_url, {"body": body})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "<html" in response.text
    assert errors_beside(response.text, "id_body")
    assert not Comment.objects.exists()


def test_an_empty_comment_over_htmx(client_for, cohort_mate, comments_url):
    response = client_for(cohort_mate).post(comments_url, {"body": ""}, **HTMX)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "<html" not in response.text
    assert "This field is required." in errors_beside(response.text, "id_body")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_empty_reply_shows_the_error_in_the_reply_form(
    client_for, author, cohort_mate, entry, comments_url, make_comment, headers
):
    comment = make_comment(entry, cohort_mate, "A question?")
    other = make_comment(entry, cohort_mate, "Another question?")

    response = client_for(author).post(
        comments_url, {"body": "  ", "parent": comment.pk}, **headers
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in errors_beside(
        response.text, f"reply-{comment.pk}"
    )
    assert f'id="reply-{other.pk}"' not in response.text  # only its Reply link
    assert errors_beside(response.text, "id_body") == ""
    assert Comment.objects.count() == 2


def test_a_comment_too_long_is_refused_and_kept(client_for, cohort_mate, comments_url):
    body = "x" * 10_001

    response = client_for(cohort_mate).post(comments_url, {"body": body})

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 10000 characters" in errors_beside(response.text, "id_body")
    assert body in response.text
    assert not Comment.objects.exists()


def test_a_reply_too_long_is_refused_and_kept(
    client_for, author, cohort_mate, entry, comments_url, make_comment
):
    comment = make_comment(entry, cohort_mate, "A question?")
    body = "y" * 10_001

    response = client_for(author).post(
        comments_url, {"body": body, "parent": comment.pk}
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 10000 characters" in errors_beside(
        response.text, f"reply-{comment.pk}"
    )
    assert body in response.text
    assert Comment.objects.count() == 1


def test_a_comment_of_the_longest_length_is_accepted(
    client_for, cohort_mate, comments_url
):
    response = client_for(cohort_mate).post(comments_url, {"body": "x" * 10_000})

    assert response.status_code == HTTPStatus.FOUND
    assert len(Comment.objects.get().body) == 10_000


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<script>alert('pwned')</script>", "<script>alert"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click me](javascript:alert(1))", "javascript:alert"),
    ],
)
def test_hostile_comments_are_neutralised(
    client_for, author, cohort_mate, entry, comments_url, body, forbidden
):
    client_for(cohort_mate).post(comments_url, {"body": body})

    response = client_for(author).get(entry.get_absolute_url())

    assert Comment.objects.count() == 1
    assert forbidden not in response.text


def test_edit_a_comment(client_for, cohort_mate, entry, make_comment):
    comment = make_comment(entry, cohort_mate, "Frist!")
    client = client_for(cohort_mate)
    url = reverse("journal:edit_comment", kwargs={"pk": comment.pk})

    form = client.get(url)
    response = client.post(url, {"body": "First!"})

    assert form.status_code == HTTPStatus.OK
    assert "Frist!" in form.text
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == comment.get_absolute_url()
    comment.refresh_from_db()
    assert comment.body == "First!"
    assert comment.edited_at is not None
    page = client.get(entry.get_absolute_url())
    assert '<span class="edited">edited</span>' in page.text


def test_a_comment_not_edited_has_no_mark(client_for, cohort_mate, entry, make_comment):
    make_comment(entry, cohort_mate, "As written")

    page = client_for(cohort_mate).get(entry.get_absolute_url())

    assert "As written" in page.text
    assert '<span class="edited">' not in page.text


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "This field is required."), ("z" * 10_001, "at most 10000 characters")],
)
def test_editing_a_comment_with_bad_input(
    client_for, cohort_mate, entry, make_comment, body, error
):
    comment = make_comment(entry, cohort_mate, "As written")

    response = client_for(cohort_mate).post(
        reverse("journal:edit_comment", kwargs={"pk": comment.pk}), {"body": body}
    )

    assert response.status_code == HTTPStatus.OK
    assert error in errors_beside(response.text, "id_body")
    assert body in response.text
    comment.refresh_from_db()
    assert comment.body == "As written"
    assert comment.edited_at is None


def test_delete_asks_first(client_for, cohort_mate, entry, make_comment):
    comment = make_comment(entry, cohort_mate, "Regrettable")

    response = client_for(cohort_mate).get(
        reverse("journal:delete_comment", kwargs={"pk": comment.pk})
    )

    assert response.status_code == HTTPStatus.OK
    assert "Delete your comment?" in response.text
    assert "This cannot be undone." in response.text
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_delete_warns_a_placeholder_stays(
    client_for, author, cohort_mate, entry, make_comment
):
    comment = make_comment(entry, cohort_mate, "Regrettable")
    make_comment(entry, author, "A reply", parent=comment)

    response = client_for(cohort_mate).get(
        reverse("journal:delete_comment", kwargs={"pk": comment.pk})
    )

    assert "“comment deleted” will stay in its place" in response.text


def test_delete_a_comment(client_for, cohort_mate, entry, make_comment):
    comment = make_comment(entry, cohort_mate, "Regrettable")
    client = client_for(cohort_mate)

    response = client.post(reverse("journal:delete_comment", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{entry.get_absolute_url()}#comments"
    assert not Comment.objects.exists()
    page = client.get(entry.get_absolute_url())
    assert "Regrettable" not in page.text
    assert "comment__deleted" not in page.text


def test_a_deleted_comment_with_replies_shows_a_placeholder(
    client_for, author, cohort_mate, entry, make_comment
):
    comment = make_comment(entry, cohort_mate, "Regrettable")
    make_comment(entry, author, "A kind reply", parent=comment)

    client_for(cohort_mate).post(
        reverse("journal:delete_comment", kwargs={"pk": comment.pk})
    )

    page = client_for(author).get(entry.get_absolute_url())
    assert "Comment deleted" in page.text
    assert "Regrettable" not in page.text
    assert "A kind reply" in page.text
    assert page.text.index("Comment deleted") < page.text.index("A kind reply")
    # The placeholder offers neither a reply nor an edit.
    assert f"Reply to {cohort_mate.profile.name}" not in page.text
    assert reverse("journal:edit_comment", kwargs={"pk": comment.pk}) not in page.text


def test_comments_are_read_in_thread_order(
    client_for, author, cohort_mate, facilitator, entry, make_comment
):
    first = make_comment(entry, cohort_mate, "First comment")
    make_comment(entry, facilitator, "Second comment")
    make_comment(entry, author, "Reply to the first", parent=first)

    page = html.unescape(client_for(facilitator).get(entry.get_absolute_url()).text)

    positions = [
        page.index(text)
        for text in ["First comment", "Reply to the first", "Second comment"]
    ]
    assert positions == sorted(positions)
    assert "comment--depth-2" in page


def test_only_ones_own_comments_offer_edit_and_delete(
    client_for, author, cohort_mate, entry, make_comment
):
    theirs = make_comment(entry, cohort_mate, "Ben's")
    mine = make_comment(entry, author, "Ada's")

    page = client_for(author).get(entry.get_absolute_url()).text

    assert reverse("journal:edit_comment", kwargs={"pk": mine.pk}) in page
    assert reverse("journal:delete_comment", kwargs={"pk": mine.pk}) in page
    assert reverse("journal:edit_comment", kwargs={"pk": theirs.pk}) not in page
    assert reverse("journal:delete_comment", kwargs={"pk": theirs.pk}) not in page


def test_a_commenter_cannot_reach_a_comment_on_an_entry_gone_private(
    client_for, author, cohort_mate, entry, make_comment
):
    """Once the entry is "only me", its title must not show on the comment pages."""
    comment = make_comment(entry, cohort_mate, "Nice")
    entry.visibility = Entry.Visibility.PRIVATE
    actions.save_entry(entry=entry, publish=True)
    client = client_for(cohort_mate)

    for name in ["journal:edit_comment", "journal:delete_comment"]:
        response = client.get(reverse(name, kwargs={"pk": comment.pk}))

        assert response.status_code == HTTPStatus.NOT_FOUND
        assert entry.title not in response.text


# Opening a reply form: one form on the page, not one per comment.


def test_each_comment_offers_a_reply_link_not_a_form(
    client_for, author, cohort_mate, entry, make_comment
):
    first = make_comment(entry, cohort_mate, "A question?")
    second = make_comment(entry, cohort_mate, "Another question?")

    page = client_for(author).get(entry.get_absolute_url()).text

    for comment in (first, second):
        assert f'href="?reply_to={comment.pk}#reply-{comment.pk}"' in page
        assert f'id="reply-{comment.pk}"' not in page


def test_without_javascript_the_reply_link_opens_the_form_in_the_thread(
    client_for, author, cohort_mate, entry, make_comment
):
    first = make_comment(entry, cohort_mate, "A question?")
    second = make_comment(entry, cohort_mate, "Another question?")

    response = client_for(author).get(entry.get_absolute_url(), {"reply_to": first.pk})

    assert response.status_code == HTTPStatus.OK
    assert "<html" in response.text
    textarea = field_wrapper(response.text, f"reply-{first.pk}")
    assert "Reply to Ben" in textarea
    assert f'id="reply-{second.pk}"' not in response.text


def test_with_htmx_the_reply_link_fetches_the_form_alone(
    client_for, author, cohort_mate, entry, make_comment
):
    comment = make_comment(entry, cohort_mate, "A question?")

    response = client_for(author).get(
        entry.get_absolute_url(), {"reply_to": comment.pk}, **HTMX
    )

    assert response.status_code == HTTPStatus.OK
    assert "<html" not in response.text
    assert response.text.strip().startswith("<form")
    assert f'name="parent" value="{comment.pk}"' in response.text
    assert "autofocus" in response.text


@pytest.mark.parametrize("reply_to", ["999999", "abc", ""])
def test_a_reply_form_for_no_such_comment_is_a_404_or_ignored(
    client_for, author, entry, reply_to
):
    client = client_for(author)
    url = entry.get_absolute_url()

    assert client.get(url, {"reply_to": reply_to}).status_code == HTTPStatus.OK
    status = client.get(url, {"reply_to": reply_to}, **HTMX).status_code
    assert status == (HTTPStatus.NOT_FOUND if reply_to.isdigit() else HTTPStatus.OK)


def test_no_reply_form_for_a_comment_on_another_entry_or_for_an_outsider(
    client_for, author, cohort_mate, outsider, entry, make_entry, make_comment
):
    elsewhere = make_comment(
        make_entry(author, cohort=entry.cohort, title="Elsewhere"), cohort_mate
    )
    public = make_entry(author, cohort=entry.cohort, title="Open", visibility="public")
    on_public = make_comment(public, cohort_mate, "On the public one")
    url = entry.get_absolute_url()

    response = client_for(author).get(url, {"reply_to": elsewhere.pk}, **HTMX)
    assert response.status_code == HTTPStatus.NOT_FOUND
    outsider_response = client_for(outsider).get(
        public.get_absolute_url(), {"reply_to": on_public.pk}, **HTMX
    )
    assert outsider_response.status_code == HTTPStatus.NOT_FOUND
