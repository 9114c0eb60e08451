"""Delete my account: everything of mine goes; others' threads still read."""

import datetime
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import models
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import Profile
from facilitation import actions as account_actions
from journal import actions as journal_actions
from journal.models import Comment, Entry, Image, Revision, Tag
from programmes import actions as programme_actions
from programmes.models import Cohort, Membership, Programme
from tests.conftest import PASSWORD, thing
from tests.images import image_bytes, upload

URL = "facilitation:delete_account"
MARKER = "QUILLON-7F3A-MARKER"
APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"


def everything_in_the_database() -> str:
    """Every text and JSON value of every row of every table, sessions decoded."""
    chunks = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(
                field,
                models.CharField | models.TextField | models.JSONField,
            )
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                chunks.append(repr(row))
    for session in Session.objects.all():
        chunks.append(repr(session.get_decoded()))
    return "\n".join(chunks)


@pytest.fixture
def quillon(make_user, cohort, join) -> User:
    """A participant whose name, address and words are easy to search for."""
    user = make_user(
        "quillon", display_name=f"Quillon {MARKER}", email="quillon@example.net"
    )
    join(user, cohort)
    user.profile.bio = f"Bio {MARKER}"
    user.profile.save()
    EmailAddress.objects.create(user=user, email="q.second@example.net")
    return user


def sign_in(email: str) -> Client:
    """Through allauth's sign-in form, which records the address in the session."""
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": email, "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND, response.text
    return client


@pytest.fixture
def signed_in(quillon) -> Client:
    return sign_in("quillon@example.net")


@pytest.fixture
def quillon_wrote(quillon, author, cohort_mate, cohort, make_entry, make_comment):
    """Quillon's entries, draft, tags, revisions, and comments in others' threads."""
    mine = make_entry(
        quillon,
        cohort=cohort,
        thing=thing(cohort.programme, 1),
        title=f"Entry {MARKER}",
        body=f"Body {MARKER}",
    )
    Revision.objects.create(
        entry=mine, version=1, title=f"Old {MARKER}", body=f"Old body {MARKER}"
    )
    tag = Tag.objects.create(owner=quillon, name=f"tag-{MARKER}", slug="marker")
    mine.tags.add(tag)
    make_comment(mine, author, "Ada comments on Quillon's entry")
    make_entry(
        quillon,
        cohort=cohort,
        thing=thing(cohort.programme, 2),
        title=f"Draft {MARKER}",
        body=f"Draft body {MARKER}",
        publish=False,
    )

    adas = make_entry(author, cohort=cohort, title="Ada's entry")
    # A comment of Quillon's with a reply: it stays as a placeholder.
    answered = make_comment(adas, quillon, f"Answered {MARKER}")
    make_comment(adas, cohort_mate, "Ben answers", parent=answered)
    # A comment with no reply: it simply goes.
    make_comment(adas, quillon, f"Unanswered {MARKER}")
    # Quillon answering Ben, then answering himself: both go, Ben's stays.
    bens_question = make_comment(adas, cohort_mate, "Ben asks")
    own = make_comment(adas, quillon, f"Reply {MARKER}", parent=bens_question)
    make_comment(adas, quillon, f"Reply to self {MARKER}", parent=own)
    # A thread whose only reply was Quillon's under a deleted comment: both go.
    gone = make_comment(adas, cohort_mate, "Ben's regret")
    make_comment(adas, quillon, f"Under a deleted one {MARKER}", parent=gone)
    journal_actions.delete_comment(comment=gone)
    return {"mine": mine, "adas": adas, "answered": answered, "ben": bens_question}


def delete(client: Client, password: str = PASSWORD):
    return client.post(reverse(URL), {"password": password})


# Who may ------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, db):
    url = reverse(URL)

    for response in [client.get(url), client.post(url, {"password": PASSWORD})]:
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == f"{reverse('account_login')}?next={url}"


def test_the_page_says_exactly_what_goes(signed_in, quillon_wrote):
    response = signed_in.get(reverse(URL))

    assert response.status_code == HTTPStatus.OK
    page = response.text
    assert "Your 1 published entry and 1 draft" in page
    assert f"journal{APOSTROPHE}s address, /@quillon/, and your 1 tag." in page
    assert "Your place in 1 cohort" in page
    assert "Your 2 e-mail addresses" in page
    assert f"Your 5 comments on other people{APOSTROPHE}s entries" in page
    assert "Comment deleted" in page
    assert 'type="password"' in page
    assert User.objects.filter(username="quillon").exists()


@pytest.mark.parametrize("password", ["", "wrong password"])
def test_a_wrong_password_deletes_nothing(signed_in, quillon, password):
    response = delete(signed_in, password)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert User.objects.filter(pk=quillon.pk).exists()
    form = response.context["form"]
    assert form.errors["password"]
    # The error sits beside the field.
    html = response.text
    error = html.index('id="id_password_errors"')
    assert html.index('for="id_password"') < error < html.index('id="id_password"')


def test_an_account_without_a_password_confirms_with_its_username(make_user):
    user = make_user("nopass")
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)

    page = client.get(reverse(URL)).text
    refused = client.post(reverse(URL), {"password": "someone"})
    accepted = client.post(reverse(URL), {"password": "nopass"})

    assert "Type nopass to confirm." in page
    assert refused.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert accepted.status_code == HTTPStatus.FOUND
    assert not User.objects.filter(username="nopass").exists()


# Deleting -------------------------------------------------------------------


def test_it_deletes_and_signs_out(signed_in, quillon, quillon_wrote):
    response = delete(signed_in)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("home")
    assert not User.objects.filter(pk=quillon.pk).exists()
    home = signed_in.get(response.url)
    assert "Your account is deleted" in home.text
    assert not home.wsgi_request.user.is_authenticated


def test_other_devices_are_signed_out_too(signed_in, quillon):
    laptop = sign_in("quillon@example.net")
    other = Client()
    other.force_login(User.objects.create_user("someone", password=PASSWORD))

    delete(signed_in)

    assert not laptop.get(reverse("home")).wsgi_request.user.is_authenticated
    assert other.get(reverse("home")).wsgi_request.user.is_authenticated
    assert Session.objects.count() >= 1


def test_nothing_of_theirs_remains_readable(signed_in, quillon, quillon_wrote):
    sign_in("quillon@example.net")  # on another device: a second session
    before = everything_in_the_database()
    assert MARKER in before and "quillon" in before.lower()
    assert before.count("'email': 'quillon@example.net'") == 2  # in both sessions

    delete(signed_in)

    after = everything_in_the_database()
    assert MARKER not in after
    assert "quillon" not in after.lower()
    assert "q.second@example.net" not in after
    assert not Entry.objects.filter(title__contains=MARKER).exists()
    assert not Revision.objects.filter(body__contains=MARKER).exists()
    assert not Profile.objects.filter(bio__contains=MARKER).exists()
    assert not Tag.objects.filter(name__contains=MARKER).exists()
    assert not EmailAddress.objects.filter(email__contains="quillon").exists()
    assert not Membership.objects.filter(user_id=quillon.pk).exists()


def test_their_entries_go_with_others_comments_on_them(
    signed_in, quillon, quillon_wrote
):
    mine = quillon_wrote["mine"]

    delete(signed_in)

    assert not Entry.objects.filter(pk=mine.pk).exists()
    assert not Comment.objects.filter(entry_id=mine.pk).exists()
    assert not Revision.objects.filter(entry_id=mine.pk).exists()


def test_their_comments_elsewhere_leave_placeholders_only_where_answered(
    signed_in, quillon, quillon_wrote
):
    adas = quillon_wrote["adas"]

    delete(signed_in)

    left = [
        (comment.depth, comment.state, comment.author_id, comment.body)
        for comment in Comment.objects.thread_of(adas, adas.author, moderator=False)
    ]
    ben = User.objects.get(username="ben").pk
    assert left == [
        (1, "deleted", None, ""),
        (2, "visible", ben, "Ben answers"),
        (1, "visible", ben, "Ben asks"),
    ]
    placeholder = Comment.objects.get(pk=quillon_wrote["answered"].pk)
    assert placeholder.body_html == ""
    assert placeholder.edited_at is None


def test_others_threads_still_render(
    signed_in, quillon, quillon_wrote, client_for, cohort_mate
):
    adas = quillon_wrote["adas"]

    delete(signed_in)
    response = client_for(cohort_mate).get(adas.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert "Comment deleted" in response.text
    assert "Ben answers" in response.text
    assert MARKER not in response.text
    assert response.context["comment_count"] == 2


def test_queued_email_to_them_is_forgotten(signed_in, quillon, make_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    someone = make_user("someone")
    from core.tasks import send_email

    for to in [[quillon.email], ["q.second@example.net"], [someone.email]]:
        send_email.enqueue(to=to, subject="Hello", text="Welcome")

    delete(signed_in)

    left = [task.args_kwargs["kwargs"]["to"] for task in DBTaskResult.objects.all()]
    assert left == [[someone.email]]


# When it must wait ----------------------------------------------------------


def test_the_only_owner_of_a_programme_in_use_cannot_delete(owner, programme, cohort):
    client = Client()
    client.force_login(owner)

    page = client.get(reverse(URL))
    response = delete(client)

    assert "You are the only owner of the programme “23 Things”" in page.text
    assert "Add another owner first" in page.text
    assert 'type="password"' not in page.text
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert User.objects.filter(pk=owner.pk).exists()
    assert Programme.objects.filter(pk=programme.pk).exists()
    with pytest.raises(account_actions.AccountDeletionRefused):
        account_actions.delete_account(user=owner)


def test_a_co_owner_can_delete(owner, programme, cohort, make_user):
    co_owner = make_user("cora")
    programme.owners.add(co_owner)
    client = Client()
    client.force_login(owner)

    response = delete(client)

    assert response.status_code == HTTPStatus.FOUND
    assert list(Programme.objects.get(pk=programme.pk).owners.all()) == [co_owner]


def test_the_only_facilitator_of_a_cohort_with_members_cannot_delete(
    facilitator, author, owner
):
    programme = Programme.objects.get()
    programme.owners.add(facilitator)  # the programme has other owners
    client = Client()
    client.force_login(facilitator)

    response = delete(client)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "You are the only facilitator of the cohort “Spring cohort”" in (
        response.text
    )
    assert User.objects.filter(pk=facilitator.pk).exists()


def test_a_programme_nobody_else_uses_goes_with_its_owner(make_user):
    user = make_user("solo")
    programme = programme_actions.create_programme(
        owner=user, title="Trying it out", slug="trying", summary=""
    )
    programme_actions.add_thing(programme=programme, title="One", slug="one")
    cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=user,
        name="Test run",
        slug="test-run",
        time_zone="Europe/London",
        start_date=datetime.date(2025, 1, 1),
    )
    client = Client()
    client.force_login(user)

    page = client.get(reverse(URL)).text
    response = delete(client)

    assert "The programme “Trying it out” and its Things" in page
    assert "The cohort “Test run”" in page
    assert response.status_code == HTTPStatus.FOUND
    assert not Programme.objects.filter(pk=programme.pk).exists()
    assert not Cohort.objects.filter(pk=cohort.pk).exists()


def test_guessing_the_password_is_rate_limited(signed_in, quillon):
    for _ in range(10):
        assert delete(signed_in, "guess").status_code == (
            HTTPStatus.UNPROCESSABLE_ENTITY
        )

    response = delete(signed_in)  # even the right one, for now

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many tries." in response.text
    assert User.objects.filter(pk=quillon.pk).exists()


def test_their_images_and_files_go(
    author, cohort, make_entry, django_capture_on_commit_callbacks
):
    image = journal_actions.upload_image(
        owner=author, upload=upload(image_bytes(700, 100)), alt="Mine"
    )
    make_entry(author, cohort=cohort, body=image.markdown())
    names = image.file_names()
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        account_actions.delete_account(user=author)

    assert not Image.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_things_image_stays_with_the_programme(
    owner,
    programme,
    make_user,
    client_for,
    cohort,
    author,
    django_capture_on_commit_callbacks,
):
    """Cora leaves; the slide her Thing shows stays, as the Thing's text does,
    now Olive's (the programme's other owner), and counts in Olive's space."""
    co_owner = make_user("cora")
    programme.owners.add(co_owner)
    slide = journal_actions.upload_image(
        owner=co_owner, upload=upload(image_bytes(200, 100)), alt="Cora's slide"
    )
    first = thing(programme, 1)
    programme_actions.update_thing(thing=first, introduction=slide.markdown())
    html = first.introduction_html

    with django_capture_on_commit_callbacks(execute=True):
        account_actions.delete_account(user=co_owner)

    slide.refresh_from_db()
    assert slide.owner == owner
    assert all(default_storage.exists(name) for name in slide.file_names())
    first.refresh_from_db()
    assert first.introduction_html == html
    assert Image.objects.bytes_used_by(owner) == slide.bytes
    response = client_for(author).get(slide.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    b"".join(response.streaming_content)
    # Saved again by Olive, the Thing still shows it.
    programme_actions.update_thing(thing=first, title="Renamed")
    assert list(first.images.all()) == [slide]


def test_a_things_image_goes_with_a_programme_nobody_else_owns(
    make_user, django_capture_on_commit_callbacks
):
    solo = make_user("solo")
    programme = programme_actions.create_programme(
        owner=solo, title="Mine", slug="mine", summary=""
    )
    slide = journal_actions.upload_image(
        owner=solo, upload=upload(image_bytes(200, 100)), alt="Solo's slide"
    )
    programme_actions.add_thing(
        programme=programme,
        title="One",
        slug="one",
        introduction=slide.markdown(),
        questions=[],
        action="",
        estimated_minutes=None,
    )
    names = slide.file_names()

    with django_capture_on_commit_callbacks(execute=True):
        account_actions.delete_account(user=solo)

    assert not Image.objects.exists()
    assert not Programme.objects.filter(slug="mine").exists()
    assert not any(default_storage.exists(name) for name in names)
