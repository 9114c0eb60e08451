"""Liking an entry, and who liked it."""

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core import ratelimit
from core.decorators import visitors_sign_in_on_404
from core.freshness import kept
from journal import actions
from journal.models import Entry, Like
from journal.views.access import get_visible_entry, paginate

LIKERS_PER_PAGE = 50


def member_likes(entry: Entry) -> QuerySet[Like]:
    """The likes of the entry's cohort's members: one who left no longer counts."""
    return entry.likes.filter(user__memberships__cohort_id=entry.cohort_id)


def may_like(entry: Entry, user: User | AnonymousUser, role: str | None) -> bool:
    """Those who may comment like, but not their own entry."""
    return entry.accepts_comments_from(user, role) and entry.author_id != user.pk


def like_context(
    entry: Entry,
    user: User | AnonymousUser,
    role: str | None,
    *,
    kept_likes: bool = False,
) -> dict[str, object]:
    """What the like block of an entry shows. `kept_likes`: who liked it is
    kept per version of its thread (for a GET: a POST that changed it reads
    the version from before), so a reader costs no query; else one query."""
    if entry.cohort_id is None:
        return {"like_count": 0, "liked": False, "can_like": False}
    if kept_likes:
        likers = kept(
            f"likers:{entry.cohort.entries_state}:{entry.pk}.{entry.thread_version}",
            lambda: frozenset(member_likes(entry).values_list("user_id", flat=True)),
        )
        like_count, liked = len(likers), user.pk in likers
    else:
        counts = member_likes(entry).aggregate(
            count=Count("pk"), mine=Count("pk", filter=Q(user_id=user.pk))
        )
        like_count, liked = counts["count"], bool(counts["mine"])
    return {
        "like_count": like_count,
        "liked": liked,
        "can_like": may_like(entry, user, role),
    }


@require_POST
def like(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    return _set_like(request, username, slug, liked=True)


@require_POST
def unlike(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    return _set_like(request, username, slug, liked=False)


def _set_like(
    request: HttpRequest, username: str, slug: str, *, liked: bool
) -> HttpResponse:
    entry_url = reverse("journal:entry", kwargs={"username": username, "slug": slug})
    if not request.user.is_authenticated:
        return redirect_to_login(entry_url)
    entry = get_visible_entry(request, username, slug)
    role = entry.viewer_role
    if not may_like(entry, request.user, role):
        raise Http404("Not yours to like")
    refused = None
    if not liked:
        actions.unlike_entry(entry=entry, user=request.user)
    else:
        try:
            ratelimit.count("likes", request.user)
        except ratelimit.RateLimited as limited:
            if not request.htmx:
                raise  # the 429 page (core.ratelimit.RateLimitedMiddleware)
            refused = limited
        else:
            actions.like_entry(entry=entry, user=request.user)
    if request.htmx:
        context = {
            "entry": entry,
            **like_context(entry, request.user, role),
            "refused": refused.message if refused else "",
        }
        response = render(request, "journal/entry.html#likes", context)
        return refused.mark(response) if refused else response
    return redirect(f"{entry_url}#likes")


@require_GET
@visitors_sign_in_on_404
def likers(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Who liked an entry: for whoever may read it."""
    entry = get_visible_entry(request, username, slug)
    likes = member_likes(entry).select_related("user__profile").order_by("-created")
    context = {"entry": entry, "page": paginate(request, likes, LIKERS_PER_PAGE)}
    template = "journal/likers.html"
    if request.htmx:
        template += "#likers"
    return render(request, template, context)
