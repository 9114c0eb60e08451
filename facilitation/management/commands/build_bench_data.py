"""Build the large benchmark data set (`make bench`) quickly, with bulk inserts.

Not the real actions (load_demo uses those; far too slow for 60,000 comments):
rows go in with bulk_create in batches, and Markdown is rendered once per
distinct template text, so the stored HTML is exactly what a save would store.

    python manage.py build_bench_data                  # 1,000 participants
    python manage.py build_bench_data --participants 5000  # 300,000 comments
    python manage.py build_bench_data --participants 5 --small-cohorts 1
    python manage.py build_bench_data --skip-existing  # nothing if it is there
    python manage.py build_bench_data --wipe           # delete it, build again

Everything it makes is named `bench-...` (users, programme, cohorts), so it can
tell whether the set exists and wipe exactly that.
"""

import datetime
import random
import time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Profile
from core.markdown import render_markdown
from facilitation import demo_content
from journal.models import Comment, Entry
from programmes.models import Cohort, Membership, Programme, Thing

BENCH_PASSWORD = "ponder-bench-2026"
PROGRAMME_SLUG = "bench-23-things"
BIG_COHORT_SLUG = "bench-big"
FACILITATOR = "bench-facilitator"
SMALL_FACILITATOR = "bench-facilitator-small"
HUNDRED_SLUG = "a-hundred-comments"
WEEKS_UNDER_WAY = 16  # Things 1-17 are open in every cohort
BATCH = 2000
COMMENTS_PER_PARTICIPANT = 60  # the default --comments: 60,000 at 1,000
#: The bench's rare search word: in one entry of every RARE_EVERY.
RARE_WORD = "serendipity"
RARE_EVERY = 500

ENTRY_BODIES = [
    "## What I tried\n\nI spent **{n} minutes** on this and wrote notes as I went."
    "\n\n- It was quicker than I feared\n- The help pages were [clear]"
    "(https://example.org/help)\n\n## What I will do next\n\nShare it with my team.",
    "I was sceptical at first. *Then* it clicked: the point is not the tool but the "
    "habit.\n\n> Small steps, every week.\n\nNext week I want to try it with a "
    "real project.",
    "## Three things I noticed\n\n1. Setting up took longer than using it\n"
    "2. Colleagues had already tried it\n3. I need a place for my notes\n\n"
    "See https://example.org/notes for what I wrote.",
    "Short one this week: it did what it said. I used `the shared folder` for "
    "the first time and will keep using it.",
    "## Reflection\n\nThis Thing made me rethink how I plan my week. " * 6,
    "Honestly, I could not get it to work on my laptop, so I borrowed a "
    "colleague's. Lesson: ask earlier.\n\n- [ ] try again at home\n- [x] ask IT",
]
COMMENT_BODIES = [
    "Great point, thank you for sharing!",
    "I had the same experience - the second try was much easier.",
    "Have you tried doing it with your team? It worked well for us.",
    "**Agreed.** The setup is the hardest part.",
    "Interesting - I found the opposite. See https://example.org/other-view",
    "Thanks, this helped me get started.",
    "Could you say more about the *second* step?",
    "I will try this next week.",
    "> Small steps, every week.\n\nLove this.",
    "Same here. Did you find a way round the login problem?",
]


class Command(BaseCommand):
    help = "Build the benchmark data set (bench-* users, programme and cohorts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--participants", type=int, default=1000)
        parser.add_argument(
            "--entries-per-participant",
            type=int,
            default=15,
            help="Average entries per participant in the big cohort.",
        )
        parser.add_argument(
            "--comments",
            type=int,
            help=f"Comments in all (default {COMMENTS_PER_PARTICIPANT} a participant).",
        )
        parser.add_argument("--small-cohorts", type=int, default=20)
        parser.add_argument("--small-size", type=int, default=10)
        parser.add_argument("--seed", type=int, default=23)
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--wipe", action="store_true", help="Delete an existing set first."
        )
        group.add_argument(
            "--skip-existing",
            action="store_true",
            help="Do nothing (and succeed) when the set exists.",
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        if Programme.objects.filter(slug=PROGRAMME_SLUG).exists():
            if options["skip_existing"]:
                self.stdout.write("Benchmark data already present; nothing changed.")
                self.stdout.write(counts_line())
                return
            if not options["wipe"]:
                raise CommandError(
                    "Benchmark data already exists (programme "
                    f"{PROGRAMME_SLUG!r}); refusing. Use --wipe to delete and "
                    "rebuild it, or --skip-existing."
                )
            wipe()
            self.stdout.write(
                f"Wiped the old set in {time.monotonic() - started:.1f}s."
            )
        random.seed(options["seed"])
        with transaction.atomic():
            build(
                participants=options["participants"],
                per_participant=options["entries_per_participant"],
                comments=(
                    options["comments"]
                    if options["comments"] is not None
                    else COMMENTS_PER_PARTICIPANT * options["participants"]
                ),
                small_cohorts=options["small_cohorts"],
                small_size=options["small_size"],
                log=self.stdout.write,
            )
        if connection.vendor == "postgresql":
            # Fresh bulk-loaded tables have no planner statistics until
            # autovacuum gets round to them; a live database has them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(counts_line())
        self.stdout.write(
            self.style.SUCCESS(f"Built in {time.monotonic() - started:.1f}s.")
        )


def counts_line() -> str:
    users = User.objects.filter(username__startswith="bench-")
    cohorts = Cohort.objects.filter(programme__slug=PROGRAMME_SLUG)
    entries = Entry.objects.filter(cohort__in=cohorts)
    return (
        f"bench data: {users.count()} users, {cohorts.count()} cohorts, "
        f"{entries.count()} entries "
        f"({entries.filter(status=Entry.Status.DRAFT).count()} drafts), "
        f"{Comment.objects.filter(entry__in=entries).count()} comments"
    )


def wipe() -> None:
    """Delete every bench-* row; raw deletes, children first (no signals here)."""
    with transaction.atomic():
        cohorts = Cohort.objects.filter(programme__slug=PROGRAMME_SLUG)
        entries = Entry.objects.filter(cohort__in=cohorts)
        Comment.objects.filter(entry__in=entries).update(parent=None)
        Comment.objects.filter(entry__in=entries)._raw_delete("default")
        Entry.tags.through.objects.filter(entry__in=entries)._raw_delete("default")
        # The rest is small enough (or cascades) for the ORM's own delete.
        Entry.objects.filter(cohort__in=cohorts).delete()
        cohorts.delete()
        Programme.objects.filter(slug=PROGRAMME_SLUG).delete()
        User.objects.filter(username__startswith="bench-").delete()


def make_users(names: list[str], password_hash: str, log) -> list[User]:
    users = User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@bench.example", password=password_hash)
            for name in names
        ],
        batch_size=BATCH,
    )
    if users and users[0].pk is None:  # a backend without RETURNING
        users = list(User.objects.filter(username__in=names).order_by("pk"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
        ],
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=u.username.replace("bench-", "Bench ").title())
            for u in users
        ],
        batch_size=BATCH,
    )
    return users


def build(
    *,
    participants: int,
    per_participant: int,
    comments: int,
    small_cohorts: int,
    small_size: int,
    log,
) -> None:
    now = timezone.now()
    password_hash = make_password(BENCH_PASSWORD)  # hashed once, shared by all
    entry_html = [render_markdown(b.format(n=30)) for b in ENTRY_BODIES]
    rare_html = [render_markdown(rare_body(b)) for b in ENTRY_BODIES]
    comment_html = [render_markdown(b) for b in COMMENT_BODIES]

    facilitators = make_users([FACILITATOR, SMALL_FACILITATOR], password_hash, log)
    programme = Programme.objects.create(
        slug=PROGRAMME_SLUG,
        title="Bench: 23 Things",
        summary="The benchmark's programme.",
    )
    programme.owners.add(facilitators[0])
    things = Thing.objects.bulk_create(
        [
            Thing(
                programme=programme,
                number=number,
                title=spec["title"],
                slug=spec["slug"],
                introduction=spec["introduction"],
                introduction_html=render_markdown(spec["introduction"]),
                questions=spec["questions"],
                action=spec["action"],
                estimated_minutes=spec["minutes"],
                status=Thing.Status.PUBLISHED,
            )
            for number, spec in enumerate(demo_content.THINGS, start=1)
        ]
    )
    if things[0].pk is None:
        things = list(programme.things.order_by("number"))
    start = timezone.localdate() - datetime.timedelta(weeks=WEEKS_UNDER_WAY, days=3)
    open_things = things[: WEEKS_UNDER_WAY + 1]

    specs = [("bench-big", "Bench big cohort", participants, facilitators[0])]
    specs += [
        (f"bench-small-{i:02d}", f"Bench small cohort {i}", small_size, facilitators[1])
        for i in range(1, small_cohorts + 1)
    ]
    all_entries: list[Entry] = []
    members_of: dict[int, list[User]] = {}
    for slug, name, size, facilitator in specs:
        cohort = Cohort.objects.create(
            programme=programme,
            name=name,
            slug=slug,
            time_zone="Europe/London",
            start_date=start,
        )
        names = [f"{slug}-p{i:04d}" for i in range(1, size + 1)]
        if slug == BIG_COHORT_SLUG:
            names = [f"bench-p{i:04d}" for i in range(1, size + 1)]
        users = make_users(names, password_hash, log)
        Membership.objects.bulk_create(
            [
                Membership(
                    user=facilitator, cohort=cohort, role=Membership.Role.FACILITATOR
                )
            ]
            + [Membership(user=u, cohort=cohort) for u in users],
            batch_size=BATCH,
        )
        members_of[cohort.pk] = users
        entries = entries_for(
            cohort, users, open_things, per_participant, entry_html, now
        )
        add_rare_word(entries, rare_html)
        all_entries += Entry.objects.bulk_create(entries, batch_size=BATCH)
        log(f"  {slug}: {len(users)} participants, {len(entries)} entries")

    if all_entries and all_entries[0].pk is None:
        all_entries = list(
            Entry.objects.filter(cohort__programme=programme).order_by("pk")
        )
    total = build_comments(all_entries, members_of, comments, comment_html, now)
    log(f"  comments: {total}")


def entries_for(cohort, users, open_things, per_participant, html, now) -> list[Entry]:
    entries = []
    for index, user in enumerate(users):
        # Each participant answers a run of the open Things, about
        # per_participant of them on average.
        count = max(1, min(len(open_things), per_participant + random.randint(-2, 2)))
        for thing in open_things[:count]:
            roll = random.random()
            draft = roll < 0.07
            visibility = (
                Entry.Visibility.PRIVATE
                if roll > 0.92
                else Entry.Visibility.PUBLIC
                if roll > 0.75
                else Entry.Visibility.COHORT
            )
            body_index = random.randrange(len(ENTRY_BODIES))
            written = datetime.datetime.combine(
                cohort.start_date, datetime.time(9), datetime.UTC
            ) + datetime.timedelta(weeks=thing.number - 1, hours=random.randint(1, 140))
            written = min(written, now - datetime.timedelta(minutes=5))
            slug = f"thing-{thing.number}-{thing.slug}"[:90]
            if cohort.slug == BIG_COHORT_SLUG and index == 1 and thing.number == 1:
                # The benchmark's entry with exactly 100 comments.
                slug, draft, visibility = (
                    HUNDRED_SLUG,
                    False,
                    Entry.Visibility.COHORT,
                )
            entries.append(
                Entry(
                    author=user,
                    cohort=cohort,
                    thing=thing,
                    title=f"{thing.title}: my notes",
                    slug=slug,
                    body=ENTRY_BODIES[body_index].format(n=30),
                    body_html=html[body_index],
                    action="Try it with my team.",
                    minutes=random.choice([15, 30, 45, 60, 90]),
                    visibility=visibility,
                    status=Entry.Status.DRAFT if draft else Entry.Status.PUBLISHED,
                    created=written,
                    published_at=None if draft else written,
                )
            )
    return entries


def rare_body(body: str) -> str:
    return f"{body.format(n=30)}\n\nA moment of {RARE_WORD}."


def add_rare_word(entries: list[Entry], rare_html: list[str]) -> None:
    """One entry in RARE_EVERY gets RARE_WORD (the bench's rare search), its
    text otherwise unchanged; no random numbers drawn, so the rest stays put."""
    index_of = {body.format(n=30): i for i, body in enumerate(ENTRY_BODIES)}
    for entry in entries[RARE_EVERY - 1 :: RARE_EVERY]:
        index = index_of[entry.body]
        entry.body = rare_body(ENTRY_BODIES[index])
        entry.body_html = rare_html[index]


def build_comments(entries, members_of, wanted, html, now) -> int:
    """Comments on published, non-private entries: threads up to 3 deep.

    Depth by depth, so each reply's parent already has its primary key. The
    entry with slug HUNDRED_SLUG gets exactly 100; the rest is spread at random.
    """
    open_to_comments = [
        e
        for e in entries
        if e.status == Entry.Status.PUBLISHED
        and e.visibility != Entry.Visibility.PRIVATE
        and e.slug != HUNDRED_SLUG
    ]
    hundred = [e for e in entries if e.slug == HUNDRED_SLUG]
    if not open_to_comments and not hundred:
        return 0
    # (entry, depth, parent index within the previous depth's list)
    plan: list[list[tuple[Entry, int | None]]] = [[], [], []]
    remaining = max(0, wanted - 100 * len(hundred))

    def add_thread(entry: Entry, n: int) -> None:
        # About 55% top-level, 30% replies, 15% replies to replies.
        for i in range(n):
            r = random.random()
            if i == 0 or r < 0.55 or not plan[0]:
                plan[0].append((entry, None))
            elif r < 0.85 or not plan[1]:
                plan[1].append((entry, len(plan[0]) - 1))
            else:
                plan[2].append((entry, len(plan[1]) - 1))

    for entry in hundred:
        add_thread(entry, 100)
    if open_to_comments:
        per_entry = remaining / len(open_to_comments)
        for entry in open_to_comments:
            if remaining <= 0:
                break
            n = min(remaining, int(per_entry) + (random.random() < per_entry % 1))
            if n:
                add_thread(entry, n)
                remaining -= n
        while remaining > 0:  # rounding left a few over
            add_thread(random.choice(open_to_comments), 1)
            remaining -= 1

    created_by_depth: list[list[Comment]] = []
    total = 0
    for depth, rows in enumerate(plan, start=1):
        objs = []
        for entry, parent_index in rows:
            parent = (
                created_by_depth[depth - 2][parent_index]
                if parent_index is not None
                else None
            )
            # A reply answers its parent on the same entry (the plan keeps a
            # reply on the entry of the comment created just before it).
            if parent is not None and parent.entry_id != entry.pk:
                parent = None
            base = parent.created if parent else entry.published_at
            when = min(base + datetime.timedelta(minutes=random.randint(5, 3000)), now)
            body_index = random.randrange(len(COMMENT_BODIES))
            objs.append(
                Comment(
                    entry=entry,
                    author=random.choice(members_of[entry.cohort_id]),
                    parent=parent,
                    in_reply_to=parent,
                    depth=parent.depth + 1 if parent else 1,
                    body=COMMENT_BODIES[body_index],
                    body_html=html[body_index],
                    created=when,
                )
            )
        made = Comment.objects.bulk_create(objs, batch_size=BATCH)
        if made and made[0].pk is None:
            raise CommandError("This database does not return primary keys.")
        created_by_depth.append(made)
        total += len(made)
    return total
