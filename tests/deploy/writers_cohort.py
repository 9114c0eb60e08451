"""A small cohort for the many-writers test, made and read back in a process
of its own, with the server's environment (DATABASE_URL), so it works on a
SQLite file as on PostgreSQL.

    python -m tests.deploy.writers_cohort build 20   # prints the members as JSON
    python -m tests.deploy.writers_cohort stored     # prints what they wrote

Everything goes through the real actions, as the fixtures in tests/conftest.py.
"""

import datetime
import json
import sys

COHORT_SLUG = "writers"
#: Things 1 to 3 are open: the cohort started 15 days ago, one Thing a week.
OPEN_THINGS = ("getting-started", "blogging", "feeds")


def build(count: int) -> dict:
    """The programme, the cohort and `count` participants, each with a published
    entry on the first Thing and a signed-in session."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User
    from django.utils import timezone

    from accounts.models import Profile
    from bench.sessions import signed_in
    from journal import actions as journal_actions
    from journal.models import Entry
    from programmes import actions as programme_actions

    def make_user(username: str) -> User:
        email = f"{username}@example.org"
        user = User.objects.create_user(username=username, email=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Profile.objects.create(user=user, display_name=username.title())
        return user

    owner = make_user("writers-owner")
    programme = programme_actions.create_programme(
        owner=owner, title="Writers", slug="writers", summary="Many at once."
    )
    for slug in OPEN_THINGS:
        programme_actions.add_thing(
            programme=programme,
            title=slug.replace("-", " ").capitalize(),
            slug=slug,
            introduction="Write about it.",
            questions=["What did you try?"],
            action="Try it.",
            estimated_minutes=30,
            status="published",
        )
    cohort = programme_actions.create_cohort(
        programme=programme,
        facilitator=owner,
        name="Writers",
        slug=COHORT_SLUG,
        time_zone="Europe/London",
        start_date=timezone.localdate() - datetime.timedelta(days=15),
    )
    first = programme.things.get(number=1)
    members = {}
    for n in range(count):
        user = make_user(f"writer{n:02}")
        programme_actions.join_cohort(user=user, cohort=cohort)
        entry = journal_actions.save_entry(
            entry=Entry(
                author=user, cohort=cohort, thing=first, title="Week one", body="Hi."
            ),
            publish=True,
        )
        members[user.username] = {"entry": entry.get_absolute_url()}
    for username, key in signed_in(list(members)).items():
        members[username]["session"] = key
    return {"cohort": COHORT_SLUG, "things": OPEN_THINGS, "members": members}


def stored() -> dict:
    """What each writer has on the server: entry bodies by Thing slug ("" for a
    free reflection), comment bodies, and the entries they like."""
    from journal.models import Comment, Entry, Like

    writers: dict[str, dict] = {}

    def of(username: str) -> dict:
        return writers.setdefault(
            username, {"entries": {}, "comments": [], "likes": []}
        )

    for entry in Entry.objects.filter(status="draft").select_related("author", "thing"):
        slug = entry.thing.slug if entry.thing else ""
        of(entry.author.username)["entries"].setdefault(slug, []).append(entry.body)
    for comment in Comment.objects.select_related("author"):
        of(comment.author.username)["comments"].append(comment.body)
    for like in Like.objects.select_related("user", "entry"):
        of(like.user.username)["likes"].append(like.entry.get_absolute_url())
    return writers


if __name__ == "__main__":
    from bench.sessions import setup_django

    setup_django()
    command, *args = sys.argv[1:]
    result = build(int(args[0])) if command == "build" else stored()
    print(json.dumps(result))
