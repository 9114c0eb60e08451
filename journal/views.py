from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.markdown import as_safe_html, render_markdown
from journal import actions
from journal.forms import CommentEditForm, CommentForm, EntryForm, FreeReflectionForm
from journal.models import Comment, Entry
from programmes.models import Cohort, Membership, Release

ENTRIES_PER_PAGE = 20
DRAFTS_SHOWN = 20
MEMBERS_PER_PAGE = 50


def _paginate(request: HttpRequest, items: QuerySet, per_page: int) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _get_member_cohort(request: HttpRequest, slug: str) -> tuple[Cohort, str]:
    """The cohort and the reader's role in it; a 404 for anyone not a member."""
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), slug=slug)
    role = cohort.role_of(request.user)
    if role is None:
        raise Http404("No such cohort")
    return cohort, role


def _get_visible_entry(request: HttpRequest, username: str, slug: str) -> Entry:
    entries = Entry.objects.visible_to(request.user).select_related(
        "author__profile", "cohort", "thing"
    )
    return get_object_or_404(entries, author__username=username, slug=slug)


def _get_own_entry(request: HttpRequest, username: str, slug: str) -> Entry:
    if username != request.user.username:
        raise Http404("Not your entry")
    entries = Entry.objects.filter(author=request.user).select_related(
        "author", "cohort__programme", "thing"
    )
    return get_object_or_404(entries, slug=slug)


def _get_own_comment(request: HttpRequest, pk: int) -> Comment:
    comments = Comment.objects.filter(
        author=request.user,
        state=Comment.State.VISIBLE,
        entry__in=Entry.objects.visible_to(request.user),
    ).select_related("entry__author")
    return get_object_or_404(comments, pk=pk)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "journal/landing.html")
    memberships = Membership.objects.filter(user=request.user).select_related(
        "cohort__programme"
    )
    cohorts = [_cohort_progress(request.user, m) for m in memberships]
    context = {
        "cohorts": cohorts,
        "drafts": Entry.objects.filter(author=request.user)
        .drafts()
        .select_related("author", "thing", "cohort")
        .order_by("-updated")[:DRAFTS_SHOWN],
        "replies": Comment.objects.replies_to(request.user)[:8],
    }
    return render(request, "journal/dashboard.html", context)


def _cohort_progress(user: User, membership: Membership) -> dict:
    cohort = membership.cohort
    schedule = cohort.schedule()
    open_things = [release for release in schedule if release.is_open]
    done = set(
        Entry.objects.published()
        .filter(author=user, cohort=cohort, thing__isnull=False)
        .values_list("thing_id", flat=True)
    )
    next_to_write = next((r for r in open_things if r.thing.pk not in done), None)
    return {
        "cohort": cohort,
        "membership": membership,
        "total": len(schedule),
        "open": len(open_things),
        "done": len(done),
        "next_to_write": next_to_write,
        "next_release": next((r for r in schedule if not r.is_open), None),
    }


@login_required
@require_GET
def cohort(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort, role = _get_member_cohort(request, cohort)
    entries = (
        Entry.objects.visible_to(request.user)
        .published()
        .filter(cohort=cohort)
        .for_listing()
    )
    context = {
        "cohort": cohort,
        "role": role,
        "page": _paginate(request, entries, ENTRIES_PER_PAGE),
        "releases": cohort.visible_things(request.user),
    }
    return render(request, "journal/cohort.html", context)


@login_required
@require_GET
def thing(request: HttpRequest, cohort: str, thing: str) -> HttpResponse:
    cohort, role = _get_member_cohort(request, cohort)
    release: Release | None = cohort.visible_thing(request.user, thing)
    if release is None:
        raise Http404("No such Thing")
    entries = (
        Entry.objects.visible_to(request.user)
        .published()
        .filter(cohort=cohort, thing=release.thing)
        .exclude(author=request.user)
        .for_listing()
    )
    my_entry = Entry.objects.filter(
        author=request.user, cohort=cohort, thing=release.thing
    ).first()
    context = {
        "cohort": cohort,
        "role": role,
        "release": release,
        "thing": release.thing,
        "my_entry": my_entry,
        "page": _paginate(request, entries, ENTRIES_PER_PAGE),
    }
    return render(request, "journal/thing.html", context)


@login_required
@require_GET
def people(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort, role = _get_member_cohort(request, cohort)
    members = cohort.memberships.select_related("user__profile").order_by(
        "-role", "user__username"
    )
    page = _paginate(request, members, MEMBERS_PER_PAGE)
    user_ids = [membership.user_id for membership in page]
    visible = (
        Entry.objects.visible_to(request.user)
        .published()
        .filter(cohort=cohort, author_id__in=user_ids)
    )
    counts = dict(
        visible.values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    completed = {}
    if role == Membership.Role.FACILITATOR:
        completed = dict(
            Entry.objects.published()
            .filter(cohort=cohort, author_id__in=user_ids, thing__isnull=False)
            .values("author_id")
            .annotate(n=Count("thing", distinct=True))
            .values_list("author_id", "n")
        )
    for membership in page:
        membership.visible_entries = counts.get(membership.user_id, 0)
        membership.things_done = completed.get(membership.user_id, 0)
    context = {"cohort": cohort, "role": role, "page": page}
    return render(request, "journal/people.html", context)


@require_GET
def journal(request: HttpRequest, username: str) -> HttpResponse:
    author = get_object_or_404(
        User.objects.select_related("profile"), username=username
    )
    entries = (
        Entry.objects.visible_to(request.user)
        .published()
        .filter(author=author)
        .for_listing()
    )
    is_own = request.user == author
    context = {
        "author": author,
        "page": _paginate(request, entries, ENTRIES_PER_PAGE),
        "is_own": is_own,
        "drafts": (
            Entry.objects.filter(author=author)
            .drafts()
            .select_related("author")
            .order_by("-updated")[:DRAFTS_SHOWN]
            if is_own
            else []
        ),
    }
    return render(request, "journal/journal.html", context)


@require_GET
def entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    try:
        entry = _get_visible_entry(request, username, slug)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    return render(request, "journal/entry.html", _entry_context(request, entry))


def _entry_context(
    request: HttpRequest,
    entry: Entry,
    form: CommentForm | None = None,
    reply_to: int | None = None,
) -> dict:
    role = entry.cohort.role_of(request.user) if entry.cohort else None
    comments = Comment.objects.thread_of(entry)
    return {
        "entry": entry,
        "comments": comments,
        "comment_count": sum(not comment.is_deleted for comment in comments),
        "can_comment": entry.accepts_comments_from(request.user, role),
        "comment_form": form
        if form is not None and reply_to is None
        else CommentForm(),
        "reply_form": form if reply_to is not None else None,
        "reply_to": reply_to,
    }


def _render_entry_form(
    request: HttpRequest, form: EntryForm, entry: Entry, release: Release | None
) -> HttpResponse:
    preview_html = None
    if "preview" in request.POST:
        preview_html = as_safe_html(render_markdown(request.POST.get("body", "")))
    context = {
        "form": form,
        "entry": entry,
        "thing": entry.thing,
        "release": release,
        "cohort": entry.cohort,
        "preview_html": preview_html,
    }
    return render(request, "journal/editor.html", context)


def _handle_entry_form(
    request: HttpRequest, entry: Entry, release: Release | None = None
) -> HttpResponse:
    initial = {}
    if entry.pk is None and entry.thing is not None:
        initial["body"] = entry.thing.starter_markdown()
    form_class = EntryForm if entry.thing_id else FreeReflectionForm
    form = form_class(request.POST or None, instance=entry, initial=initial)
    wants_save = "save" in request.POST or "publish" in request.POST
    if request.method == "POST" and wants_save and form.is_valid():
        publish = "publish" in request.POST
        entry = actions.save_entry(entry=form.save(commit=False), publish=publish)
        messages.success(
            request, "Published." if entry.is_published else "Draft saved."
        )
        if entry.is_published:
            return redirect(entry)
        return redirect(entry.get_edit_url())
    return _render_entry_form(request, form, entry, release)


@login_required
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """A free reflection, tied to no Thing and no cohort."""
    entry = Entry(author=request.user, visibility=Entry.Visibility.PRIVATE)
    return _handle_entry_form(request, entry)


@login_required
@require_http_methods(["GET", "POST"])
def write_on_thing(request: HttpRequest, cohort: str, thing: str) -> HttpResponse:
    cohort, _role = _get_member_cohort(request, cohort)
    release = cohort.visible_thing(request.user, thing)
    if release is None or not release.thing.is_published:
        raise Http404("No such Thing")
    existing = Entry.objects.filter(
        author=request.user, cohort=cohort, thing=release.thing
    ).first()
    if existing is not None:
        return redirect(existing.get_edit_url())
    entry = Entry(author=request.user, cohort=cohort, thing=release.thing)
    return _handle_entry_form(request, entry, release)


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    entry = _get_own_entry(request, username, slug)
    return _handle_entry_form(request, entry)


@require_POST
def add_comment(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = _get_visible_entry(request, username, slug)
    role = entry.cohort.role_of(request.user) if entry.cohort else None
    if not entry.accepts_comments_from(request.user, role):
        raise Http404("Comments are closed to you here")
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = entry.comments.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            # Its reply form went with it: keep the text in the main comment form.
            form = CommentForm({"body": form.cleaned_data["body"]})
            form.add_error(None, "The comment you replied to has gone.")
    if not form.is_valid():
        reply_to = form.cleaned_data.get("parent") if form.is_bound else None
        context = _entry_context(request, entry, form=form, reply_to=reply_to)
        return _render_thread(request, context, status=422)
    comment = actions.add_comment(
        entry=entry, author=request.user, body=form.cleaned_data["body"], parent=parent
    )
    if request.htmx:
        return _render_thread(request, _entry_context(request, entry))
    messages.success(request, "Comment posted.")
    return redirect(comment)


def _render_thread(request: HttpRequest, context: dict, status: int = 200):
    template = "journal/entry.html"
    if request.htmx:
        template += "#comments"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_own_comment(request, pk)
    form = CommentEditForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        comment = actions.edit_comment(comment=comment, body=form.cleaned_data["body"])
        messages.success(request, "Comment updated.")
        return redirect(comment)
    return render(
        request, "journal/comment_form.html", {"form": form, "comment": comment}
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_own_comment(request, pk)
    if request.method == "POST":
        entry = comment.entry
        actions.delete_comment(comment=comment)
        messages.success(request, "Comment deleted.")
        return redirect(f"{entry.get_absolute_url()}#comments")
    return render(request, "journal/comment_delete.html", {"comment": comment})
