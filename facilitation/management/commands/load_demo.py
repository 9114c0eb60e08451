"""Load the demo programme, a cohort half-way through it and a small
self-paced one; safe to run again."""

import datetime
import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from facilitation import actions as facilitation_actions
from facilitation import demo_content
from journal import actions
from journal.models import Comment, Entry, Like, ModerationAction, Report
from notifications.models import Delivery, Notification
from programmes.actions import create_cohort, set_open_joining, set_programme_open
from programmes.models import Cohort, Membership, Programme, Thing

DEMO_PASSWORD = "ponder-demo-2026"
DEMO_COHORT_SLUG = "demo-cohort"
WEEKS_UNDER_WAY = 11
#: A second, self-paced cohort: who is in it, and how many days ago they joined.
SELF_PACED_SLUG = "demo-self-paced"
SELF_PACED_MEMBERS = {"ada": 20, "ben": 3}


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
    """Every demo account, as README.md lists them (tests/facilitation/test_demo.py)."""
    people = [(demo_content.FACILITATOR, "facilitator and programme owner")]
    people += [(person, "participant") for person in demo_content.PARTICIPANTS]
    sign_in_url = settings.SITE_URL + reverse("account_login")
    lines = ["", f"Demo sign-ins at {sign_in_url} (password for all: {DEMO_PASSWORD}):"]
    lines += [
        f"  {p['email']:<22} {p['display_name']:<18} {role}" for p, role in people
    ]
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
    # Open, so `make run` shows a visitor a public programme with a Join button.
    set_programme_open(programme=programme, is_open=True)
    set_open_joining(cohort=cohort, open_to_all=True, member_cap=None, join_until=None)
    users = {facilitator.username: facilitator}
    for person in demo_content.PARTICIPANTS:
        user = demo_user(person)
        # Members of long standing: their posts wait for nobody.
        Membership.objects.create(user=user, cohort=cohort, approved_at=now)
        users[user.username] = user
    things = {thing.number: thing for thing in programme.things.all()}
    entries = [
        demo_entry(spec, users, cohort, things, now) for spec in demo_content.ENTRIES
    ]
    comments: dict[str, Comment] = {}
    for number, spec in enumerate(demo_content.COMMENTS):
        written = now - spread_over_the_day(number)
        comments[spec["key"]] = demo_comment(spec, users, entries, comments, written)
    for spec in demo_content.LIKES:
        demo_likes(entries[spec["entry"]], [users[name] for name in spec["users"]])
    for spec in demo_content.REPORTS:
        demo_report(spec, users, comments[spec["comment"]], facilitator)
    quiet_history(cohort)
    self_paced_cohort(programme, facilitator, users, now)
    return True


def self_paced_cohort(
    programme: Programme, facilitator: User, users: dict[str, User], now
) -> Cohort:
    """Two of the participants, who joined on different days, each with their
    own Things open (programmes/schedule.py, "Self-paced cohorts")."""
    cohort = create_cohort(
        programme=programme,
        facilitator=facilitator,
        name="Self-paced demo cohort",
        slug=SELF_PACED_SLUG,
        time_zone="Europe/London",
        start_date=timezone.localdate() - datetime.timedelta(weeks=6),
        pace=Cohort.Pace.SELF_PACED,
    )
    for username, days_ago in SELF_PACED_MEMBERS.items():
        Membership.objects.create(user=users[username], cohort=cohort)
        Membership.objects.filter(cohort=cohort, user=users[username]).update(
            joined=now - datetime.timedelta(days=days_ago)
        )
    return cohort


def demo_comment(
    spec: dict,
    users: dict[str, User],
    entries: list[Entry],
    comments: dict[str, Comment],
    time_of_day: datetime.datetime,
) -> Comment:
    """The comment written `days_ago` days before, at `time_of_day`'s time."""
    entry = entries[spec["entry"]]
    comment = actions.add_comment(
        entry=entry,
        author=users[spec["author"]],
        body=spec["body"],
        parent=comments.get(spec["parent"]) if spec["parent"] else None,
        private=spec.get("private", False),
    )
    written = max(
        time_of_day - datetime.timedelta(days=spec["days_ago"]),
        entry.published_at + datetime.timedelta(hours=1),
    )
    if comment.parent is not None:
        written = max(written, comment.parent.created + datetime.timedelta(hours=1))
    comment.created = min(written, timezone.now())
    comment.save(update_fields=["created"])
    return comment


def spread_over_the_day(number: int) -> datetime.timedelta:
    """Two to twelve hours, so a thread does not read as written by the clock."""
    return datetime.timedelta(hours=2 + number * 5 % 11, minutes=number * 13 % 60)


def demo_likes(entry: Entry, likers: list[User]) -> None:
    """Likes a few hours apart, starting the morning after publication."""
    for hours, user in enumerate(likers, start=1):
        actions.like_entry(entry=entry, user=user)
        liked = entry.published_at + datetime.timedelta(hours=12 + 5 * hours)
        Like.objects.filter(entry=entry, user=user).update(
            created=min(liked, timezone.now())
        )


def demo_report(
    spec: dict, users: dict[str, User], comment: Comment, facilitator: User
) -> None:
    report, _ = facilitation_actions.report_item(
        reporter=users[spec["reporter"]],
        item=comment,
        reason=spec["reason"],
        details=spec["details"],
    )
    reported = comment.created + datetime.timedelta(hours=3)
    Report.objects.filter(pk=report.pk).update(created=reported)
    if spec["dismissed"]:
        action = facilitation_actions.dismiss_report(actor=facilitator, report=report)
        dismissed = reported + datetime.timedelta(hours=2)
        Report.objects.filter(pk=report.pk).update(resolved_at=dismissed)
        ModerationAction.objects.filter(pk=action.pk).update(created=dismissed)


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
