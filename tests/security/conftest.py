"""The demo world the URL walker visits, built once per module through the real
actions and rolled back after it; each test still runs in its own savepoint, so
a POST that changes something leaves the next case the same world."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from core.feeds_in import Post
from facilitation import actions as facilitation_actions
from facilitation import certificates
from journal import actions as journal_actions
from journal import blogs as journal_blogs
from journal import tags
from journal.models import Comment, Entry, Image, LinkedBlog
from notifications.models import Kind, Notification
from programmes import actions as programme_actions
from programmes.models import (
    Certificate,
    Cohort,
    Invitation,
    Membership,
    NudgeDelivery,
    Programme,
    Thing,
)
from tests.conftest import PASSWORD
from tests.images import image_bytes, upload

#: The personas of DESIGN.md, "Who sees what", plus the programme's owner.
PERSONAS = [
    "author",
    "cohort_mate",
    "facilitator",
    "outsider",
    "other_facilitator",
    "owner",
    "visitor",
]


@dataclass(frozen=True)
class World:
    """Every object a URL pattern's kwargs are built from."""

    users: dict[str, User]
    programme: Programme
    #: Another of the owner's programmes, open: Thing "welcome" is published,
    #: "later" a draft.
    open_programme: Programme
    #: Of the open programme: anyone may join it.
    open_cohort: Cohort
    open_thing: Thing
    upcoming_thing: Thing
    draft_thing: Thing
    cohort: Cohort
    other_cohort: Cohort
    private_entry: Entry
    cohort_entry: Entry
    public_entry: Entry
    draft_entry: Entry
    #: In the author's bin (deleted, still restorable).
    deleted_entry: Entry
    comment: Comment
    revision_pk: int
    mate_membership: Membership
    outsider_membership: Membership
    invitation: Invitation
    delivery: NudgeDelivery
    certificate: Certificate
    #: The author's, about the cohort-mate's comment.
    notification: Notification
    #: A post copied from the author's linked blog in spring (no Thing).
    linked_entry: Entry
    #: The author's images, each shown in the entry of the same visibility.
    private_image: Image
    cohort_image: Image
    public_image: Image


def _make_user(username: str, display_name: str) -> User:
    email = f"{username}@example.org"
    user = User.objects.create_user(username=username, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Profile.objects.create(user=user, display_name=display_name)
    return user


def _publish(author: User, **fields) -> Entry:
    return journal_actions.save_entry(
        entry=Entry(author=author, **fields), publish=True
    )


def build_world() -> World:
    owner = _make_user("olive", "Olive Owner")
    facilitator = _make_user("fran", "Fran Facilitator")
    other_facilitator = _make_user("gus", "Gus Other-Facilitator")
    author = _make_user("ada", "Ada Author")
    cohort_mate = _make_user("ben", "Ben Cohort-Mate")
    outsider = _make_user("oscar", "Oscar Outsider")

    programme = programme_actions.create_programme(
        owner=owner, title="23 Things", slug="23-things", summary="A programme."
    )
    for number, title in enumerate(
        ["Getting started", "Blogging", "Feeds", "Networks", "Podcasts"], start=1
    ):
        programme_actions.add_thing(
            programme=programme,
            title=title,
            slug=title.lower().replace(" ", "-"),
            introduction=f"Introduction to **{title}**.",
            questions=["What do you know about it?"],
            action="Try it.",
            estimated_minutes=45,
            status=Thing.Status.DRAFT if number == 5 else Thing.Status.PUBLISHED,
        )
    things = {thing.number: thing for thing in programme.things.all()}
    open_programme = programme_actions.create_programme(
        owner=owner, title="Open Things", slug="open-things", summary="For anyone."
    )
    for slug, status in [("welcome", Thing.Status.PUBLISHED), ("later", "draft")]:
        programme_actions.add_thing(
            programme=open_programme, title=slug.title(), slug=slug, status=status
        )
    programme_actions.set_programme_open(programme=open_programme, is_open=True)
    open_cohort = programme_actions.set_open_joining(
        cohort=programme_actions.create_cohort(
            programme=open_programme,
            facilitator=owner,
            name="Open cohort",
            slug="open-cohort",
            time_zone="Europe/London",
            start_date=timezone.localdate(),
        ),
        open_to_all=True,
        member_cap=None,
        join_until=None,
    )

    # Started 15 days ago, a Thing a week: Things 1 to 3 are open, 4 is not yet.
    start = timezone.localdate() - datetime.timedelta(days=15)
    cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=facilitator,
        name="Spring cohort",
        slug="spring",
        time_zone="Europe/London",
        start_date=start,
    )
    other_cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=other_facilitator,
        name="Autumn cohort",
        slug="autumn",
        time_zone="Europe/London",
        start_date=start,
    )
    # Three open Things finish the cohort, so the author earns a certificate.
    cohort.completion_target = 3
    cohort.save(update_fields=["completion_target"])
    author_membership, _ = programme_actions.join_cohort(user=author, cohort=cohort)
    mate_membership, _ = programme_actions.join_cohort(user=cohort_mate, cohort=cohort)
    outsider_membership, _ = programme_actions.join_cohort(
        user=outsider, cohort=other_cohort
    )

    images = {
        visibility: journal_actions.upload_image(
            owner=author,
            upload=upload(image_bytes(600, 300)),
            alt=f"A {visibility} slide",
        )
        for visibility in ("private", "cohort", "public")
    }
    private_entry = _publish(
        author,
        cohort=cohort,
        thing=things[1],
        title="Only for me",
        body=f"Private *thoughts*. {images['private'].markdown()}",
        visibility=Entry.Visibility.PRIVATE,
    )
    cohort_entry = _publish(
        author,
        cohort=cohort,
        thing=things[2],
        title="For my cohort",
        body=f"Cohort *thoughts*. {images['cohort'].markdown()}",
        visibility=Entry.Visibility.COHORT,
    )
    public_entry = _publish(
        author,
        cohort=cohort,
        thing=things[3],
        title="For everyone",
        body=f"Public *thoughts*. {images['public'].markdown()}",
        visibility=Entry.Visibility.PUBLIC,
    )
    draft_entry = journal_actions.save_entry(
        entry=Entry(
            author=author,
            title="Not ready",
            body="Half a thought.",
            visibility=Entry.Visibility.PUBLIC,
        ),
        publish=False,
    )
    deleted_entry = journal_actions.delete_entry(
        entry=_publish(
            author,
            title="Thought better of it",
            body="Gone *soon*.",
            visibility=Entry.Visibility.PUBLIC,
        )
    )
    # A second version, so the history has a revision to restore.
    cohort_entry.body = f"Cohort *thoughts*, revised. {images['cohort'].markdown()}"
    cohort_entry = journal_actions.save_entry(entry=cohort_entry, publish=True)
    revision = cohort_entry.revisions.order_by("pk").first()
    journal_actions.apply_tags(entry=cohort_entry, tags=tags.parse_tags("reading"))

    comment = journal_actions.add_comment(
        entry=cohort_entry, author=cohort_mate, body="Nice!", parent=None
    )
    journal_actions.add_comment(
        entry=cohort_entry, author=author, body="Thanks!", parent=comment
    )

    linked_blog = LinkedBlog.objects.create(
        owner=author,
        cohort=cohort,
        address="https://author.example/",
        # A documentation address: a read is refused before any network.
        feed_url="http://192.0.2.1/feed",
        title="The author's blog",
    )
    journal_blogs.copy_posts(
        blog=linked_blog,
        posts=[
            Post(
                guid="post-1",
                link="https://author.example/post-1",
                title="From my blog",
                published=timezone.now(),
                updated=None,
                categories=(),
                summary_html="<p>Words from <em>my blog</em>.</p>",
                content_html="",
            )
        ],
    )

    programme_actions.invite_by_email(
        cohort=cohort, invited_by=facilitator, addresses=["newcomer@example.org"]
    )
    invitation = cohort.invitations.get()
    facilitation_actions.send_nudge(
        cohort=cohort,
        sender=facilitator,
        recipients=[author],
        subject="How is it going?",
        body="Thing 3 is waiting for you.",
    )
    delivery = NudgeDelivery.objects.get(recipient=author)
    notification, _ = Notification.objects.get_or_create(
        recipient=author,
        kind=Kind.COMMENT,
        comment=comment,
        defaults={"actor": cohort_mate, "entry": cohort_entry, "cohort": cohort},
    )
    certificate = certificates.certificate_for(author_membership)
    assert certificate is not None, "the author should have finished the cohort"

    return World(
        users={
            "author": author,
            "cohort_mate": cohort_mate,
            "facilitator": facilitator,
            "outsider": outsider,
            "other_facilitator": other_facilitator,
            "owner": owner,
        },
        programme=programme,
        open_programme=open_programme,
        open_cohort=open_cohort,
        open_thing=things[1],
        upcoming_thing=things[4],
        draft_thing=things[5],
        cohort=cohort,
        other_cohort=other_cohort,
        private_entry=private_entry,
        cohort_entry=cohort_entry,
        public_entry=public_entry,
        draft_entry=draft_entry,
        deleted_entry=deleted_entry,
        comment=comment,
        revision_pk=revision.pk,
        mate_membership=mate_membership,
        outsider_membership=outsider_membership,
        invitation=invitation,
        delivery=delivery,
        certificate=certificate,
        notification=notification,
        linked_entry=linked_blog.entries.get(),
        private_image=images["private"],
        cohort_image=images["cohort"],
        public_image=images["public"],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back after it,
    so no other test module sees these users."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def client_as(world, db):
    """A client for a persona; the visitor's is signed out. A 500 comes back as
    a response to compare, not an exception that hides the other cases."""

    def make(persona: str) -> Client:
        client = Client(raise_request_exception=False)
        if persona != "visitor":
            client.force_login(world.users[persona])
        return client

    return make
