"""Fetching what a reader may see: a 404 for anything else."""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
)
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from journal.models import Comment, Entry


def paginate(request: HttpRequest, items: QuerySet, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def lazy_page(
    request: HttpRequest, items: Callable[[], QuerySet], per_page: int
) -> Page:
    """The page of `items()`, built, counted and fetched only when first used:
    not at all when the fragment showing it comes from the cache."""
    return SimpleLazyObject(lambda: paginate(request, items(), per_page))


def get_visible_entry(request: HttpRequest, username: str, slug: str) -> Entry:
    """The entry, with `viewer_role`: the reader's role in its cohort."""
    entries = Entry.objects.select_related(
        "author__profile", "cohort__programme", "thing"
    )
    entry = get_object_or_404(entries, author__username=username, slug=slug)
    entry.viewer_role = (
        entry.cohort.cached_role_of(request.user) if entry.cohort else None
    )
    if not entry.is_readable_by(request.user, entry.viewer_role):
        raise Http404("No such entry")
    return entry


def get_own_entry(
    request: HttpRequest, username: str, slug: str, *, linked_too: bool = False
) -> Entry:
    """One of my entries. Those copied from my linked blog are edited on the
    blog: only pages that say so (``linked_too``) have them."""
    if username != request.user.username:
        raise Http404("Not your entry")
    entries = Entry.objects.filter(author=request.user).select_related(
        "author", "cohort__programme", "thing"
    )
    if not linked_too:
        entries = entries.written_here()
    return get_object_or_404(entries, slug=slug)


def in_my_bin(request: HttpRequest, username: str, slug: str) -> bool:
    """Whether the address names one of the reader's own deleted entries that
    they can still restore."""
    return (
        username == request.user.username
        and Entry.with_deleted.restorable()
        .filter(author=request.user, slug=slug)
        .exists()
    )


def get_own_comment(request: HttpRequest, pk: int) -> Comment:
    comments = Comment.objects.filter(
        author=request.user,
        state=Comment.State.VISIBLE,
        entry__in=Entry.objects.visible_to(request.user),
    ).select_related("entry__author")
    return get_object_or_404(comments, pk=pk)
