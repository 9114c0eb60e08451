"""The dashboard: a signed-in person's home page, which reads every app below."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from accounts.models import notifications_version
from core.freshness import fragment_key
from facilitation import dashboard
from journal import reading
from journal.models import Comment, Entry, writing_state
from journal.views.pages import DRAFTS_SHOWN
from programmes.models import Cohort, Programme


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        context = {"open_programmes": Programme.objects.open()}
        return render(request, "facilitation/landing.html", context)
    user, zone = request.user, timezone.get_current_timezone()
    # Three cached fragments for this reader alone (core/freshness.py), each
    # worked out only when rendered and keyed at the grain of what it shows.
    # My progress, writing and drafts: my own entries and my cohorts' Things,
    # not what others say (`entries_state`, which comments do not move).
    # What others wrote for me to read and their replies to me: comments
    # count there (`cache_state`). My facilitators' messages: new ones and
    # reading one move my version on, a renamed sender or cohort the cohort's.
    cohorts = list(Cohort.objects.for_member(user))
    version = notifications_version(user)
    entries_states = [cohort.entries_state for cohort in cohorts]
    context = {
        "has_cohorts": bool(cohorts),
        "progress_key": fragment_key(
            request, *entries_states, timezone.localdate(), writing_state(user)
        ),
        "reading_key": fragment_key(
            request,
            *(cohort.cache_state for cohort in cohorts),
            reading.read_next_period(),
        ),
        "cohorts": SimpleLazyObject(lambda: dashboard.cohort_progress(user)),
        "minutes_chart": SimpleLazyObject(
            lambda: dashboard.minutes_chart(user, zone=zone)
        ),
        "streak": SimpleLazyObject(lambda: dashboard.weekly_streak(user, zone=zone)),
        "drafts": SimpleLazyObject(
            lambda: list(
                Entry.objects.filter(author=user)
                .drafts()
                .select_related("author", "thing", "cohort")
                .order_by("-updated")[:DRAFTS_SHOWN]
            )
        ),
        "replies": SimpleLazyObject(lambda: Comment.objects.replies_to(user, limit=8)),
        "messages_key": None
        if version is None
        else fragment_key(request, *entries_states, version),
        "facilitator_messages": SimpleLazyObject(
            lambda: dashboard.facilitator_messages(user)
        ),
        "read_next": SimpleLazyObject(lambda: reading.read_next(user, cohorts=cohorts)),
    }
    return render(request, "facilitation/dashboard.html", context)
