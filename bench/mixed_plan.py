"""The sessions and write targets of `make bench`'s mixed traffic (bench/mixed.lua).

    python -m bench.mixed_plan PLAN [--sessions 1000] [--facilitator-sessions 20]

Run with the server's environment (DATABASE_URL, REDIS_URL): it empties the
cache first (another data set's HTML may sit under the same keys), then makes
each session straight in the session store (bench/sessions.py; a thousand
sign-in forms would meet allauth's per-address limit) and gives it a CSRF
cookie of its own. It writes one line per item, fields split by spaces:

    participant SESSION CSRF AUTOSAVE_PATH VERSION   (AUTOSAVE_PATH "-": no draft)
    facilitator SESSION CSRF - 0
    entry PATH                                       (an entry to comment on)

The CSRF value is an unmasked secret: Django takes it as the cookie and, the
same string, as the form's token or the X-CSRFToken header.
"""

import argparse
import random
from pathlib import Path

from bench.sessions import new_session, setup_django

COHORT = "bench-big"
COMMENT_TARGETS = 500
SEED = 19


def csrf() -> str:
    """A CSRF secret, as Django's middleware makes one for a new cookie."""
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    return get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)


def plan_lines(sessions: int, facilitator_sessions: int) -> list[str]:
    from django.contrib.auth.models import User
    from django.urls import reverse

    from journal.models import Entry
    from programmes.models import Membership

    members = Membership.objects.filter(cohort__slug=COHORT)
    participants = list(
        User.objects.filter(
            memberships__in=members.filter(role=Membership.Role.PARTICIPANT)
        ).order_by("username")[:sessions]
    )
    drafts = {
        entry.author_id: entry
        for entry in Entry.objects.filter(
            cohort__slug=COHORT,
            author__in=participants,
            status=Entry.Status.DRAFT,
        ).select_related("author")
    }
    lines = []
    for user in participants:
        draft = drafts.get(user.pk)
        autosave = (
            reverse(
                "journal:autosave",
                kwargs={"username": user.username, "slug": draft.slug},
            )
            if draft
            else "-"
        )
        version = draft.version if draft else 0
        lines.append(f"participant {new_session(user)} {csrf()} {autosave} {version}")
    facilitator = User.objects.get(
        memberships__in=members.filter(role=Membership.Role.FACILITATOR)
    )
    lines += [
        f"facilitator {new_session(facilitator)} {csrf()} - 0"
        for _ in range(facilitator_sessions)
    ]
    open_entries = list(
        Entry.objects.filter(cohort__slug=COHORT, status=Entry.Status.PUBLISHED)
        .exclude(visibility=Entry.Visibility.PRIVATE)
        .select_related("author")
        .order_by("pk")
    )
    targets = random.Random(SEED).sample(
        open_entries, min(COMMENT_TARGETS, len(open_entries))
    )
    lines += [f"entry {entry.get_absolute_url()}" for entry in targets]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--facilitator-sessions", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from core.cache import clear_caches

    clear_caches()
    lines = plan_lines(args.sessions, args.facilitator_sessions)
    Path(args.plan).write_text("\n".join(lines) + "\n")
    print(f"{sum(x.startswith('participant') for x in lines)} participant sessions")


if __name__ == "__main__":
    main()
