"""Load the demo programme and a cohort half-way through it; safe to run again."""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Profile
from journal import actions
from journal.models import Comment, Entry
from notifications.models import Delivery, Notification
from programmes import demo_content
from programmes.actions import create_cohort
from programmes.models import Cohort, Membership, Programme, Thing

DEMO_PASSWORD = "ponder-demo-2026"
DEMO_COHORT_SLUG = "demo-cohort"
WEEKS_UNDER_WAY = 11


class Command(BaseCommand):
    help = "Load the demo programme, cohort, entries and comments (idempotent)."

    def handle(self, *args, **options) -> None:
        # The tasks of the demo's skipped e-mails would log two lines each.
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        with transaction.atomic():
            created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS("Demo programme and cohort loaded."))
        else:
            self.stdout.write("The demo is already loaded; nothing changed.")
        self.stdout.write(sign_ins())


def sign_ins() -> str:
    people = [
        (demo_content.FACILITATOR, "facilitator and programme owner"),
        (demo_content.PARTICIPANTS[0], "participant"),
        (demo_content.PARTICIPANTS[1], "participant"),
    ]
    lines = ["", "Demo sign-ins (http://127.0.0.1:8000/accounts/login/):"]
    lines += [f"  {p['email']:<22} {DEMO_PASSWORD}   {role}" for p, role in people]
    return "\n".join(lines) + "\n"


def load_demo() -> bool:
    """Build the demo through the real actions; False when it exists already."""
    if Cohort.objects.filter(slug=DEMO_COHORT_SLUG).exists():
        return False
    now = timezone.now()
    facilitator = demo_user(demo_content.FACILITATOR)
    facilitator.user_permissions.add(
        Permission.objects.get(
            codename="add_programme", content_type__app_label="programmes"
        )
    )
    programme = demo_programme(facilitator)
    cohort = create_cohort(
        programme=programme,
        facilitator=facilitator,
        name="Demo cohort",
        slug=DEMO_COHORT_SLUG,
        time_zone="Europe/London",
        start_date=timezone.localdate()
        - datetime.timedelta(weeks=WEEKS_UNDER_WAY, days=3),
    )
    users = {facilitator.username: facilitator}
    for person in demo_content.PARTICIPANTS:
        user = demo_user(person)
        Membership.objects.create(user=user, cohort=cohort)
        users[user.username] = user
    things = {thing.number: thing for thing in programme.things.all()}
    entries = [
        demo_entry(spec, users, cohort, things, now) for spec in demo_content.ENTRIES
    ]
    comments: dict[str, Comment] = {}
    for spec in demo_content.COMMENTS:
        entry = entries[spec["entry"]]
        comment = actions.add_comment(
            entry=entry,
            author=users[spec["author"]],
            body=spec["body"],
            parent=comments.get(spec["parent"]) if spec["parent"] else None,
        )
        written = max(
            now - datetime.timedelta(days=spec["days_ago"], hours=2),
            entry.published_at + datetime.timedelta(hours=1),
        )
        if comment.parent is not None:
            written = max(written, comment.parent.created + datetime.timedelta(hours=1))
        comment.created = min(written, now)
        comment.save(update_fields=["created"])
        comments[spec["key"]] = comment
    quiet_history(cohort)
    return True


def quiet_history(cohort: Cohort) -> None:
    """The demo's conversations happened in the past: their notifications
    take the dates of their comments, and nobody is e-mailed about them."""
    comment_dates = Comment.objects.filter(pk=OuterRef("comment_id")).values("created")
    Notification.objects.filter(cohort=cohort, comment__isnull=False).update(
        created=Subquery(comment_dates[:1])
    )
    Delivery.objects.filter(
        notifications__cohort=cohort, status=Delivery.Status.PENDING
    ).update(status=Delivery.Status.SKIPPED)


def demo_user(person: dict) -> User:
    user, _ = User.objects.get_or_create(
        username=person["username"], defaults={"email": person["email"]}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=person["email"], defaults={"verified": True, "primary": True}
    )
    Profile.objects.update_or_create(
        user=user,
        defaults={
            "display_name": person["display_name"],
            "bio": person.get("bio", ""),
            "time_zone": person.get("time_zone", "Europe/London"),
        },
    )
    return user


def demo_programme(owner: User) -> Programme:
    programme, _ = Programme.objects.get_or_create(
        slug=demo_content.PROGRAMME["slug"],
        defaults={
            "title": demo_content.PROGRAMME["title"],
            "summary": demo_content.PROGRAMME["summary"],
        },
    )
    programme.owners.add(owner)
    for number, spec in enumerate(demo_content.THINGS, start=1):
        Thing.objects.update_or_create(
            programme=programme,
            slug=spec["slug"],
            defaults={
                "number": number,
                "title": spec["title"],
                "introduction": spec["introduction"],
                "questions": spec["questions"],
                "action": spec["action"],
                "estimated_minutes": spec["minutes"],
                "status": Thing.Status.PUBLISHED,
            },
        )
    return programme


def demo_entry(
    spec: dict,
    users: dict[str, User],
    cohort: Cohort,
    things: dict[int, Thing],
    now: datetime.datetime,
) -> Entry:
    written = now - datetime.timedelta(days=spec["days_ago"], hours=6)
    thing = things[spec["thing"]] if spec["thing"] else None
    entry = Entry(
        author=users[spec["author"]],
        cohort=cohort,
        thing=thing,
        title=spec["title"],
        body=spec["body"],
        action=spec["action"],
        minutes=spec["minutes"],
        visibility=spec["visibility"],
        created=written,
    )
    entry = actions.save_entry(entry=entry, publish=spec["status"] == "published")
    if entry.is_published:
        entry.published_at = written
        entry.save(update_fields=["published_at"])
    return entry
