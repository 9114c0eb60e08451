"""Fixtures: the personas of DESIGN.md, built through the real actions."""

import datetime
import socket
from collections.abc import Callable, Iterator

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResult
from django_tasks.signals import task_finished

from accounts.models import Profile
from core import fetch
from core.cache import clear_caches
from journal import actions as journal_actions
from journal.models import Comment, Entry
from programmes import actions as programme_actions
from programmes.models import Cohort, Membership, Programme, Thing

PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """allauth keeps its rate limits in the cache; tests must not share them."""
    clear_caches()


@pytest.fixture(autouse=True)
def _offline(monkeypatch) -> None:
    """No test asks the world's DNS, so none reaches the internet: a linked
    blog at "https://evil.example/" is simply a name nobody answers to. IP
    addresses in any notation, and localhost, still resolve."""

    def offline_resolver(host: str, port: int) -> list[str]:
        infos = socket.getaddrinfo(
            "127.0.0.1" if host == "localhost" else host,
            port,
            type=socket.SOCK_STREAM,
            flags=socket.AI_NUMERICHOST,
        )
        return [str(info[4][0]) for info in infos]

    monkeypatch.setattr(fetch, "_system_resolver", offline_resolver)


@pytest.fixture(autouse=True)
def _sign_up_at_test_speed(settings) -> None:
    """Tests post the sign-up form at once; tests/accounts/test_signup_robots.py
    puts the real minimum time back."""
    settings.PONDER_SIGNUP_MIN_SECONDS = 0


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory) -> None:
    """Uploaded files go to a folder of the test run's own, never the project's.
    For the whole session, so module-wide worlds (tests/security) keep theirs."""
    django_settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(username: str, *, display_name: str = "", **extra) -> User:
        email = extra.pop("email", f"{username}@example.org")
        user = User.objects.create_user(
            username=username, email=email, password=PASSWORD, **extra
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Profile.objects.create(user=user, display_name=display_name or username.title())
        return user

    return make


@pytest.fixture
def owner(make_user) -> User:
    return make_user("olive", display_name="Olive Owner")


@pytest.fixture
def programme(owner) -> Programme:
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
            questions=[f"What do you know about {title.lower()}?", "What next?"],
            action="Try it.",
            estimated_minutes=45,
            status=Thing.Status.DRAFT if number == 5 else Thing.Status.PUBLISHED,
        )
    return programme


def thing(programme: Programme, number: int) -> Thing:
    return programme.things.get(number=number)


@pytest.fixture
def cohort(programme, facilitator_user) -> Cohort:
    """Started 15 days ago: Things 1 to 3 are open, Thing 4 opens in 6 days."""
    return programme_actions.create_cohort(
        programme=programme,
        facilitator=facilitator_user,
        name="Spring cohort",
        slug="spring",
        time_zone="Europe/London",
        start_date=timezone.localdate() - datetime.timedelta(days=15),
    )


@pytest.fixture
def other_cohort(programme, other_facilitator) -> Cohort:
    return programme_actions.create_cohort(
        programme=programme,
        facilitator=other_facilitator,
        name="Autumn cohort",
        slug="autumn",
        time_zone="Europe/London",
        start_date=timezone.localdate() - datetime.timedelta(days=15),
    )


@pytest.fixture
def facilitator_user(make_user) -> User:
    return make_user("fran", display_name="Fran Facilitator")


@pytest.fixture
def facilitator(cohort, facilitator_user) -> User:
    return facilitator_user


@pytest.fixture
def other_facilitator(make_user) -> User:
    return make_user("gus", display_name="Gus Other-Facilitator")


@pytest.fixture
def join(db) -> Callable[[User, Cohort], Membership]:
    def join_as_participant(user: User, cohort: Cohort) -> Membership:
        membership, _ = programme_actions.join_cohort(user=user, cohort=cohort)
        return membership

    return join_as_participant


@pytest.fixture
def author(make_user, cohort, join) -> User:
    user = make_user("ada", display_name="Ada Author")
    join(user, cohort)
    return user


@pytest.fixture
def cohort_mate(make_user, cohort, join) -> User:
    user = make_user("ben", display_name="Ben Cohort-Mate")
    join(user, cohort)
    return user


@pytest.fixture
def outsider(make_user, other_cohort, join) -> User:
    user = make_user("oscar", display_name="Oscar Outsider")
    join(user, other_cohort)
    return user


@pytest.fixture
def make_entry(db) -> Callable[..., Entry]:
    def make(
        author: User,
        *,
        cohort: Cohort | None = None,
        thing: Thing | None = None,
        title: str = "My reflection",
        body: str = "Some *thoughts*.",
        visibility: str = Entry.Visibility.COHORT,
        publish: bool = True,
    ) -> Entry:
        entry = Entry(
            author=author,
            cohort=cohort,
            thing=thing,
            title=title,
            body=body,
            visibility=visibility,
        )
        return journal_actions.save_entry(entry=entry, publish=publish)

    return make


@pytest.fixture
def make_comment(db) -> Callable[..., Comment]:
    def make(
        entry: Entry, author: User, body: str = "Nice!", parent: Comment | None = None
    ) -> Comment:
        return journal_actions.add_comment(
            entry=entry, author=author, body=body, parent=parent
        )

    return make


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    def signed_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def make_members(make_user, join) -> Callable[[Cohort, int], list[User]]:
    """Many participants at once, for lists and query counts."""

    def make(cohort: Cohort, count: int, prefix: str = "member") -> list[User]:
        users = []
        for number in range(count):
            user = make_user(f"{prefix}{number:03d}", display_name=f"Member {number}")
            join(user, cohort)
            users.append(user)
        return users

    return make


@pytest.fixture
def task_results() -> Iterator[list[TaskResult]]:
    """Every task result finished during the test, so tests can check status.

    The ImmediateBackend swallows a task's exception and only marks the result
    FAILED, so a test that looks at mail.outbox alone can miss a crash.
    """
    results: list[TaskResult] = []

    def record(sender, task_result: TaskResult, **kwargs) -> None:
        results.append(task_result)

    task_finished.connect(record, weak=False)
    yield results
    task_finished.disconnect(record)


def redis_caches(url: str, **options) -> dict:
    """CACHES as config/settings.py sets them with REDIS_URL, at `url`."""
    return {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ponder",
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "LOCAL_WHILE_AWAY": ["allauth", "limits:"],
                **options,
            },
        },
        "versioned": {
            "BACKEND": "core.cache.LayeredCache",
            "LOCATION": "default",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
    }


@pytest.fixture
def redis_away(settings) -> str:
    """Production's cache, sessions and copies of signed-in users, with Redis
    at a port nothing listens on: its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = redis_caches(url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SIGNED_IN_USER_SECONDS = 60
    return url


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 on loopback (tests/object_store.py), for the whole session."""
    from tests.object_store import running_s3_server

    with running_s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_client(s3_endpoint):
    import boto3

    from tests.object_store import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY

    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )


@pytest.fixture
def bucket(s3_client, s3_endpoint, settings, monkeypatch) -> str:
    """A fresh bucket, made the default storage as production configures it."""
    from config.settings import s3_storage_options
    from tests.object_store import (
        ACCESS_KEY_ID,
        REGION,
        SECRET_ACCESS_KEY,
        make_bucket,
    )

    name = make_bucket(s3_client)
    for variable, value in {
        "PONDER_S3_ENDPOINT_URL": s3_endpoint,
        "PONDER_S3_REGION": REGION,
        "PONDER_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "PONDER_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    }.items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_storage_options(name),
        },
    }
    return name
