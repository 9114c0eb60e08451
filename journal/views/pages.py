"""The reading pages: cohort, Thing, people, journal, entry."""

import hashlib
from collections.abc import Callable
from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Page
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from core import holes
from core.decorators import visitors_sign_in_on_404
from core.freshness import fragment_key, kept, shared_fragment_key
from journal import listing, reading, tags
from journal.forms import CommentForm
from journal.models import Comment, Entry, EntryQuerySet, writing_state
from journal.views.access import (
    get_visible_entry,
    lazy_page,
    paginate,
)
from journal.views.likes import like_context
from programmes.models import Cohort, Membership, Release
from programmes.views.access import get_member_cohort

ENTRIES_PER_PAGE = 20
DRAFTS_SHOWN = 20
MEMBERS_PER_PAGE = 50


@login_required
@require_GET
def cohort(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort, role = get_member_cohort(request, cohort)
    # What is below the header is cached fragments (core/freshness.py): what
    # they show is worked out only when one of them is rendered.
    releases = SimpleLazyObject(lambda: cohort.visible_things(request.user))
    filters = SimpleLazyObject(
        lambda: reading.entry_filters(
            request.GET, cohort=cohort, things=[release.thing for release in releases]
        )
    )
    audience = listing.audience_of(role)
    # Waiting for a first comment is a matter of comments, which
    # `entries_state` leaves out.
    state = cohort.cache_state if "waiting" in request.GET else cohort.entries_state
    things_key = _things_key(request, cohort)
    # Which Thing a filter names depends on the Things the reader sees.
    things = things_key if "thing" in request.GET else ""
    parts = (state, "cohort", things, _query_digest(request))
    only_mine = listing.only_mine(request.user, cohort, audience)
    added = kept(
        f"only-mine:{fragment_key(request, *parts)}",
        lambda: list(
            (
                filters.apply(only_mine)
                if reading.asks_filters(request.GET)
                else only_mine
            ).values_list("published_at", "pk")
        ),
    )
    entries = _entries_page(
        request,
        audience,
        parts,
        shared=lambda: filters.apply(listing.shared_entries(cohort, audience)),
        own=lambda: filters.apply(
            Entry.objects.visible_to(request.user).published().filter(cohort=cohort)
        ),
        added=added,
    )
    context = {
        "cohort": cohort,
        "role": role,
        "read_next_key": fragment_key(
            request, cohort.cache_state, reading.read_next_period()
        ),
        "read_next": SimpleLazyObject(lambda: reading.read_next(request.user, cohort)),
        "waiting_count": reading.waiting_count(cohort)
        if role == Membership.Role.FACILITATOR
        else None,
        "things_key": things_key,
        "filters_key": f"{things_key}:{request.GET.urlencode()}",
        "releases": releases,
        "filters": filters,
        **entries,
    }
    return render(request, "journal/cohort.html", context)


@login_required
@require_GET
def thing(request: HttpRequest, cohort: str, thing: str) -> HttpResponse:
    cohort, role = get_member_cohort(request, cohort)
    release: Release | None = cohort.visible_thing(request.user, thing)
    if release is None:
        return _withdrawn_thing(request, cohort, thing)
    my_entry = kept(
        f"my-entry:{request.user.pk}:{writing_state(request.user)}"
        f":{cohort.pk}:{release.thing.pk}",
        lambda: Entry.objects.filter(
            author=request.user, cohort=cohort, thing=release.thing
        ).first(),
    )
    if my_entry is not None:
        my_entry.author = request.user
    audience = listing.audience_of(role)
    # The list leaves out the reader's own entry: the shared one holds it if
    # the others read it.
    listed_mine = my_entry is not None and listing.is_shared(my_entry, audience)
    entries = _entries_page(
        request,
        audience,
        (cohort.entries_state, "thing", release.thing.pk, _query_digest(request)),
        shared=lambda: listing.shared_entries(cohort, audience).filter(
            thing=release.thing
        ),
        own=lambda: (
            Entry.objects.visible_to(request.user)
            .published()
            .filter(cohort=cohort, thing=release.thing)
            .exclude(author=request.user)
        ),
        removed=[listing.sort_key(my_entry)] if listed_mine else [],
    )
    previous, following = cohort.neighbours(request.user, release.thing)
    context = {
        "cohort": cohort,
        "role": role,
        "release": release,
        "thing": release.thing,
        "previous": previous,
        "following": following,
        "my_entry": my_entry,
        **entries,
    }
    return render(request, "journal/thing.html", context)


def _entries_page(
    request: HttpRequest,
    audience: str,
    parts: tuple,
    *,
    shared: Callable[[], EntryQuerySet],
    own: Callable[[], EntryQuerySet],
    added: list[listing.SortKey] = (),
    removed: list[listing.SortKey] = (),
) -> dict:
    """The key and the page of a list of entries (journal/listing.py): the
    one its `audience` shares, unless the entries `added` to or `removed`
    from this reader's list fall on it; then their `own`. The page numbers
    are the reader's own, counted; comment counts are holes, filled for
    this reader."""
    listing.fill_comment_counts(request)
    number = request.GET.get("page")
    shared_key = shared_fragment_key(request, audience, *parts)
    end = kept(
        f"page-end:{shared_key}",
        lambda: listing.PageEnd.of(shared(), number, ENTRIES_PER_PAGE),
    )
    navigation = end.navigation(number, len(added), len(removed))
    if end.holds_for(list(added), list(removed)):
        key, entries = shared_key, shared
    else:
        key, entries = fragment_key(request, *parts), own
    return {
        "entries_key": key,
        "page": lazy_page(request, lambda: entries().listed(), ENTRIES_PER_PAGE),
        "navigation": navigation,
    }


def _query_digest(request: HttpRequest) -> str:
    """The page and filters asked for, short enough for any cache key."""
    return hashlib.md5(
        request.GET.urlencode().encode(), usedforsecurity=False
    ).hexdigest()


def _things_key(request: HttpRequest, cohort: Cohort) -> str:
    """The key of what shows the Things a reader sees (`visible_things`)."""
    return shared_fragment_key(
        request, cohort.things_audience(request.user), cohort.entries_state
    )


def _withdrawn_thing(request: HttpRequest, cohort: Cohort, slug: str) -> HttpResponse:
    """A member following a link to a Thing that opened to them and was
    unpublished since (a notification, an e-mail) is told so; a Thing they never
    could see stays a 404."""
    withdrawn = cohort.withdrawn_thing(slug)
    if withdrawn is None:
        raise Http404("No such Thing")
    context = {"cohort": cohort, "thing": withdrawn}
    return render(
        request, "journal/thing_withdrawn.html", context, status=HTTPStatus.GONE
    )


@login_required
@require_GET
def people(request: HttpRequest, cohort: str) -> HttpResponse:
    """The cohort's members, shared by every reader of the same role: each
    member's count of entries is what everyone of that role may read, and
    the reader's own row, which counts their "only me" and hidden entries
    too, is a hole."""
    cohort, role = get_member_cohort(request, cohort)

    def members() -> Page:
        memberships = cohort.memberships.select_related("user__profile").order_by(
            "-role", "user__username"
        )
        page = paginate(request, memberships, MEMBERS_PER_PAGE)
        user_ids = [membership.user_id for membership in page]
        counts = _entries_every_reader_counts(cohort, role, user_ids)
        completed = {}
        if role == Membership.Role.FACILITATOR:
            completed = dict(
                Entry.objects.completing()
                .filter(cohort=cohort, author_id__in=user_ids)
                .values("author_id")
                .annotate(n=Count("thing", distinct=True))
                .values_list("author_id", "n")
            )
        for membership in page:
            count = counts.get(membership.user_id, 0)
            membership.entries_hole = f"{membership.user_id}-{count}"
            membership.things_done = completed.get(membership.user_id, 0)
        return page

    def own_count() -> int:
        return kept(
            f"people-own:{cohort.entries_state}:{writing_state(request.user)}"
            f":{request.user.pk}",
            lambda: (
                Entry.objects.visible_to(request.user)
                .published()
                .filter(cohort=cohort, author=request.user)
                .count()
            ),
        )

    def entries_counts(arguments: list[str]) -> dict[str, str]:
        shown = {}
        for argument in arguments:
            user_id, count = argument.split("-")
            is_own = int(user_id) == request.user.pk
            shown[argument] = str(own_count() if is_own else int(count))
        return shown

    holes.fill_with(request, "people-entries", entries_counts)
    context = {
        "cohort": cohort,
        "role": role,
        "page": SimpleLazyObject(members),
        "people_key": shared_fragment_key(
            request, role, cohort.entries_state, request.GET.urlencode()
        ),
    }
    return render(request, "journal/people.html", context)


def _entries_every_reader_counts(
    cohort: Cohort, role: str, user_ids: list[int]
) -> dict[int, int]:
    """{author id: their published entries in `cohort` that every member of
    `role` may read}: "my cohort" and public ones, and for facilitators the
    hidden and waiting ones too (DESIGN.md, "Who sees what"), never "only me"."""
    entries = Entry.objects.published().filter(
        cohort=cohort,
        author_id__in=user_ids,
        visibility__in=[Entry.Visibility.PUBLIC, Entry.Visibility.COHORT],
    )
    if role != Membership.Role.FACILITATOR:
        entries = entries.shown()
    counted = entries.values("author_id").annotate(n=Count("id"))
    return dict(counted.values_list("author_id", "n"))


@require_GET
def journal(request: HttpRequest, username: str) -> HttpResponse:
    author = get_object_or_404(
        User.objects.select_related("profile"), username=username
    )
    entries = Entry.objects.visible_to(request.user).published().filter(author=author)
    drafts = Entry.objects.filter(author=author).drafts()
    # A tag narrows what the reader may see anyway; it never widens it.
    tag = request.GET.get("tag", "").strip()
    if tag:
        entries = tags.tagged(entries, owner=author, slug=tag)
        drafts = tags.tagged(drafts, owner=author, slug=tag)
    is_own = request.user == author
    context = {
        "author": author,
        "page": paginate(request, entries.for_listing(request.user), ENTRIES_PER_PAGE),
        "is_own": is_own,
        "drafts": (
            drafts.select_related("author").order_by("-updated")[:DRAFTS_SHOWN]
            if is_own
            else []
        ),
        "tag": tag,
        "tag_name": tags.tag_name(entries, owner=author, slug=tag) if tag else "",
        "my_tags": tags.tag_counts(author) if is_own else [],
    }
    return render(request, "journal/journal.html", context)


@require_GET
@visitors_sign_in_on_404
def entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    entry = get_visible_entry(request, username, slug)
    role = entry.viewer_role
    reading.record_reading(reader=request.user, entry=entry, role=role)
    reply_to = _reply_to(request)
    context = entry_context(request, entry, role, reply_to=reply_to)
    if reply_to is not None and request.htmx:
        return _reply_form(request, context, reply_to)
    return render(request, "journal/entry.html", context)


def _reply_to(request: HttpRequest) -> int | None:
    """The comment whose "Reply" was followed (`?reply_to=`), if any."""
    value = request.GET.get("reply_to", "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _reply_form(request: HttpRequest, context: dict, reply_to: int) -> HttpResponse:
    """The reply form alone, put in place of the "Reply" link by htmx; the
    page without JavaScript opens it in the thread instead."""
    comment = next(
        (
            comment
            for comment in context["comments"]
            if comment.pk == reply_to and not (comment.is_deleted or comment.concealed)
        ),
        None,
    )
    if comment is None or not context["can_comment"]:
        raise Http404("No such comment to reply to")
    return render(
        request, "journal/entry.html#reply_form", {**context, "comment": comment}
    )


def entry_context(
    request: HttpRequest,
    entry: Entry,
    role: str | None,
    form: CommentForm | None = None,
    reply_to: int | None = None,
) -> dict:
    moderator = role == Membership.Role.FACILITATOR
    comments = SimpleLazyObject(
        lambda: Comment.objects.thread_of(entry, request.user, moderator=moderator)
    )
    can_comment = entry.accepts_comments_from(request.user, role)
    # A published entry's text and thread are fragments shared by the readers
    # who see the same (core/freshness.py); a draft (its saves move no cohort
    # on), a thread with a reply form open or a form sent back with its
    # errors are rendered afresh.
    cacheable = bool(entry.cohort and entry.is_published and form is None)
    new_form = CommentForm(entry=entry) if can_comment else None
    return {
        "entry": entry,
        "comments": comments,
        "comment_count": SimpleLazyObject(
            lambda: sum(
                not (comment.is_deleted or comment.concealed) for comment in comments
            )
        ),
        "entry_key": _article_key(request, entry) if cacheable else None,
        "thread_key": (
            _thread_key(request, entry, role, can_comment)
            if cacheable and reply_to is None
            else None
        ),
        "can_comment": can_comment,
        "can_report": role is not None,
        "moderator": moderator,
        **like_context(entry, request.user, role, kept_likes=request.method == "GET"),
        "comment_form": form if form is not None and reply_to is None else new_form,
        "reply_form": form if form is not None and reply_to is not None else new_form,
        "reply_to": reply_to,
    }


def _article_key(request: HttpRequest, entry: Entry) -> str | None:
    """The entry's text reads the same to everyone but its author, who has
    the links to edit it; comments and likes do not change it."""
    parts = (entry.cohort.entries_state, entry.pk)
    if request.user.pk == entry.author_id:
        return fragment_key(request, *parts)
    return shared_fragment_key(request, "reader", *parts)


def _thread_key(
    request: HttpRequest, entry: Entry, role: str | None, can_comment: bool
) -> str | None:
    """The thread is shared by the readers with the same role and rights on
    it, except those it shows things of their own: the entry's author (the
    private comments are for them) and whoever wrote in it (their links to
    edit, their private conversations, their comments held or hidden)."""
    parts = (entry.cohort.entries_state, entry.pk, entry.thread_version)
    user = request.user
    if user.pk == entry.author_id or user.pk in _voices(entry):
        return fragment_key(request, *parts)
    if not user.is_authenticated:
        audience = "visitor"
    elif role == Membership.Role.FACILITATOR:
        audience = "facilitator"
    elif can_comment:
        audience = "member"
    else:
        audience = "member-reading" if role is not None else "outsider"
    return shared_fragment_key(request, audience, *parts)


def _voices(entry: Entry) -> frozenset[int]:
    """Who wrote in the entry's thread, or is in a private conversation in
    it: kept per version of the thread, so a reader costs no query."""

    def voices() -> frozenset[int]:
        rows = Comment.objects.filter(entry=entry).values_list(
            "author_id", "private_with_id"
        )
        return frozenset(pk for row in rows for pk in row if pk is not None)

    return kept(
        f"thread-voices:{entry.cohort.entries_state}:{entry.pk}.{entry.thread_version}",
        voices,
    )
