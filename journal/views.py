import json
import re
import secrets
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from django.db.models import Count, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import login_required_json
from core.markdown import as_safe_html, render_markdown
from journal import actions, cpd, dashboard, reflection_templates, tags
from journal.forms import CommentEditForm, CommentForm, EntryForm, FreeReflectionForm
from journal.models import Comment, Entry
from journal.revisions import (
    SAVED_LOCALLY_KEY,
    EditingSession,
    EntryText,
    SavedState,
    TextDiff,
    is_current,
    is_pending,
    saved_state,
)
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
    zone = timezone.get_current_timezone()
    context = {
        "cohorts": dashboard.cohort_progress(request.user),
        "minutes_chart": dashboard.minutes_chart(request.user, zone=zone),
        "streak": dashboard.weekly_streak(request.user, zone=zone),
        "drafts": Entry.objects.filter(author=request.user)
        .drafts()
        .select_related("author", "thing", "cohort")
        .order_by("-updated")[:DRAFTS_SHOWN],
        "replies": Comment.objects.replies_to(request.user)[:8],
    }
    return render(request, "journal/dashboard.html", context)


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
        "page": _paginate(request, entries.for_listing(), ENTRIES_PER_PAGE),
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
    request: HttpRequest,
    form: EntryForm,
    entry: Entry,
    release: Release | None,
    base_version: int | None = None,
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
        "starters": reflection_templates.starter_menu(
            is_new=entry.pk is None,
            method=request.method,
            key=request.GET.get("template"),
            thing=entry.thing,
        ),
        **_writing_context(request, entry, base_version),
    }
    return render(request, "journal/editor.html", context)


def _handle_entry_form(
    request: HttpRequest,
    entry: Entry,
    release: Release | None = None,
    start_version: int | None = None,
) -> HttpResponse:
    """The editor. ``start_version`` is what a new-entry page's text is based on
    when its entry exists already (see write_on_thing); else the form says."""
    initial = {}
    if entry.pk is None:
        initial["body"] = reflection_templates.starter_body(
            key=request.GET.get("template"), thing=entry.thing
        )
    form_class = EntryForm if entry.thing_id else FreeReflectionForm
    if request.method == "GET":
        initial.update(_autosaved_initial(request, entry))
    form = form_class(request.POST or None, instance=entry, initial=initial)
    wants_save = "save" in request.POST or "publish" in request.POST
    base_version = (
        start_version if start_version is not None else _posted_base_version(request)
    )
    if request.method == "POST" and wants_save and form.is_valid():
        publish = "publish" in request.POST
        is_new = entry.pk is None
        try:
            entry = actions.save_entry(
                entry=form.save(commit=False),
                publish=publish,
                base_version=base_version,
                session=_editing_session(request),
            )
        except actions.EditConflict as conflict:
            return _render_conflict(request, form, entry.pk, conflict.state, publish)
        _after_editor_save(request, entry, is_new or start_version is not None)
        if "tags" in request.POST:
            tags.apply_tags(entry=entry, tags=form.cleaned_data["tags"])
        messages.success(
            request, "Published." if entry.is_published else "Draft saved."
        )
        if entry.is_published:
            return redirect(entry)
        return redirect(entry.get_edit_url())
    return _render_entry_form(request, form, entry, release, base_version)


@login_required
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """A free reflection, tied to no Thing and no cohort."""
    made_here = (
        _draft_made_here(request, _editing_session(request))
        if request.method == "POST"
        else None
    )
    if made_here is not None:
        return _handle_entry_form(request, made_here, start_version=FIRST_VERSION)
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
    if existing is not None and request.method == "GET":
        return redirect(existing.get_edit_url())
    if existing is not None:
        # Text written on a page opened before the entry existed (another tab,
        # or this page's own autosave): saved onto it, or shown as a conflict.
        made_here = _draft_made_here(request, _editing_session(request))
        start = FIRST_VERSION if made_here == existing else 0
        return _handle_entry_form(request, existing, release, start_version=start)
    entry = Entry(author=request.user, cohort=cohort, thing=release.thing)
    return _handle_entry_form(request, entry, release)


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    entry = _get_own_entry(request, username, slug)
    return _handle_entry_form(request, entry)


# Never lose a word: versioned saves, conflicts, autosave, local copies and the
# revision history (the workflows are in journal/actions.py).

FIRST_VERSION = 1
REVISIONS_PER_PAGE = 20
#: How long the editor waits after the last keystroke before autosaving.
AUTOSAVE_DELAY_MS = 2000
EDITOR_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_VERSION = 2**31 - 1


def _parse_version(value: object) -> int:
    """A version the client sent; unreadable ones count as the oldest, 0, so the
    save is compared with the server's words instead of overwriting them."""
    try:
        version = int(str(value))
    except ValueError:
        return 0
    return version if 0 <= version <= MAX_VERSION else 0


def _posted_base_version(request: HttpRequest) -> int | None:
    """The version the editor's text started from; None if the form has none."""
    if request.method != "POST" or "base_version" not in request.POST:
        return None
    return _parse_version(request.POST["base_version"])


def _valid_editor_key(value: str) -> str:
    return value if EDITOR_KEY.fullmatch(value) else ""


def _editing_session(
    request: HttpRequest, data: QueryDict | None = None
) -> EditingSession:
    """This opening of the editor: the editor_key its page was given, which its
    form posts and autosaves carry (journal/revisions.py EditingSession)."""
    data = request.POST if data is None else data
    key = _valid_editor_key(data.get("editor_key", ""))
    return EditingSession(request.session, page=key)


def _draft_made_here(request: HttpRequest, session: EditingSession) -> Entry | None:
    """The entry that this new-entry page created already, by autosave or a save.

    A page that never heard back from its first save (a lost response) would
    otherwise create a second entry when it tries again.
    """
    entry_id = session.draft_made_here()
    if entry_id is None:
        return None
    entries = Entry.objects.filter(author=request.user).select_related(
        "author", "cohort__programme", "thing"
    )
    return entries.filter(pk=entry_id).first()


def _local_copy_key(entry: Entry, new: bool = False) -> str:
    """The browser's localStorage key for this entry's copy, per user and entry."""
    if entry.pk is not None and not new:
        name = str(entry.pk)
    elif entry.thing_id:
        name = f"new-{entry.cohort_id}-{entry.thing_id}"
    else:
        name = "new-free"
    return f"ponder:{entry.author_id}:{name}"


def _autosave_url(entry: Entry) -> str:
    if entry.pk is not None:
        return reverse(
            "journal:autosave",
            kwargs={"username": entry.author.username, "slug": entry.slug},
        )
    if entry.thing_id:
        return reverse(
            "journal:autosave_new_on_thing",
            kwargs={"cohort": entry.cohort.slug, "thing": entry.thing.slug},
        )
    return reverse("journal:autosave_new")


def _entry_urls(entry: Entry) -> dict[str, str]:
    kwargs = {"username": entry.author.username, "slug": entry.slug}
    return {
        "edit_url": entry.get_edit_url(),
        "autosave_url": _autosave_url(entry),
        "history_url": reverse("journal:history", kwargs=kwargs),
        "entry_url": entry.get_absolute_url(),
        "storage_key": _local_copy_key(entry),
    }


def _writing_context(
    request: HttpRequest, entry: Entry, base_version: int | None
) -> dict:
    """What the editor's page needs to save safely, with or without JavaScript."""
    state = saved_state(entry) if entry.pk is not None else None
    autosaved = (
        state
        if state is not None and state.pending and state.text != EntryText.of(entry)
        else None
    )
    if base_version is None:
        base_version = entry.version if entry.pk is not None else 0
    posted = request.POST.get("editor_key", "") if request.method == "POST" else ""
    editor_key = _valid_editor_key(posted) or secrets.token_urlsafe(18)
    return {
        "base_version": base_version,
        "editor_key": editor_key,
        "local_copy_key": _local_copy_key(entry),
        "autosave_url": _autosave_url(entry),
        "autosave_delay": AUTOSAVE_DELAY_MS,
        "server_version": state.version if state is not None else 0,
        "server_saved_at": state.saved_at if state is not None else None,
        "autosaved": autosaved,
        # After a preview or an error the fields hold posted text, not saved text.
        "fields_saved": request.method == "GET",
        "showing_autosaved": autosaved is not None
        and request.method == "GET"
        and request.GET.get("autosaved") == "restore",
    }


def _autosaved_initial(request: HttpRequest, entry: Entry) -> dict[str, str]:
    """The autosaved words of a published entry, when the writer asks for them."""
    if entry.pk is None or request.GET.get("autosaved") != "restore":
        return {}
    state = saved_state(entry)
    return state.text.as_dict() if state.pending else {}


def _after_editor_save(request: HttpRequest, entry: Entry, from_new_page: bool) -> None:
    """Remember what a new-entry page created; tell the next page, whichever it
    is, that the browser's copy of this text is on the server now."""
    keys = [_local_copy_key(entry)]
    if from_new_page:
        _editing_session(request).remember_draft(entry.pk)
        keys.append(_local_copy_key(entry, new=True))
    request.session[SAVED_LOCALLY_KEY] = {"keys": keys, "version": entry.version}


def _posted_text(form: EntryForm) -> EntryText:
    return EntryText(
        title=form.cleaned_data.get("title", ""),
        body=form.cleaned_data.get("body", ""),
        action=form.cleaned_data.get("action", ""),
    )


def _render_conflict(
    request: HttpRequest,
    form: EntryForm,
    entry_id: int,
    state: SavedState,
    publish: bool,
) -> HttpResponse:
    """Both versions side by side; the writer's text stays in the form to keep."""
    entry = Entry.objects.select_related("author", "cohort", "thing").get(pk=entry_id)
    theirs = _posted_text(form)
    context = {
        "form": form,
        "entry": entry,
        "state": state,
        "theirs": theirs,
        "diff": TextDiff.between(state.text, theirs),
        "publish": publish,
    }
    return render(request, "journal/conflict.html", context, status=HTTPStatus.CONFLICT)


def _json_error(status: int, error: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": error, "message": message, **extra}, status=status)


def _autosave_data(request: HttpRequest) -> QueryDict | None:
    """The posted fields, form-encoded or a JSON object of strings and numbers."""
    if request.content_type != "application/json":
        return request.POST.copy()
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict):
        return None
    data = QueryDict(mutable=True)
    scalar = (str, int, float, bool, type(None))
    for key, value in payload.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, scalar) for item in values):
            return None
        data.setlist(str(key), ["" if item is None else str(item) for item in values])
    return data


def _fill_unposted(form_class: type[EntryForm], entry: Entry, data: QueryDict):
    """Fields a request leaves out keep their current values: a script that sends
    only the body must not blank the action or the tags."""
    current = form_class(instance=entry)
    for name in current.fields:
        if name in data:
            continue
        value = current[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data.setlist(name, [str(item) for item in value])
        else:
            data[name] = str(value)
    return data


def _conflict_json(entry_id: int, state: SavedState, theirs: EntryText) -> JsonResponse:
    entry = Entry.objects.select_related("author", "cohort", "thing").get(pk=entry_id)
    return JsonResponse(
        {
            "error": "conflict",
            "message": "This entry was changed in another tab or on another device.",
            "version": state.version,
            "saved_at": state.saved_at.isoformat(),
            "pending": state.pending,
            "server": state.text.as_dict(),
            "diff": TextDiff.between(state.text, theirs).as_json(),
            **_entry_urls(entry),
        },
        status=HTTPStatus.CONFLICT,
    )


def _autosave(
    request: HttpRequest,
    data: QueryDict,
    entry: Entry,
    start_version: int | None = None,
) -> JsonResponse:
    form_class = EntryForm if entry.thing_id else FreeReflectionForm
    posted_tags = "tags" in data
    form = form_class(_fill_unposted(form_class, entry, data), instance=entry)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        name, first = next(iter(errors.items()))
        label = form.fields[name].label if name in form.fields else ""
        message = f"{label}: {first[0]}" if label else first[0]
        return _json_error(
            HTTPStatus.UNPROCESSABLE_ENTITY, "invalid", message, errors=errors
        )
    if start_version is not None:
        base = start_version
    elif entry.pk is None:
        base = None
    elif "base_version" in data:
        base = _parse_version(data["base_version"])
    else:
        message = "Send the version your text started from."
        return _json_error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "invalid",
            message,
            errors={"base_version": [message]},
        )
    session = _editing_session(request, data)
    try:
        result = actions.autosave_entry(
            entry=form.save(commit=False), base_version=base, session=session
        )
    except actions.EditConflict as conflict:
        return _conflict_json(entry.pk, conflict.state, _posted_text(form))
    except IntegrityError:
        # Another tab created this Thing's entry a moment before this one.
        if not entry.thing_id:
            raise
        existing = Entry.objects.filter(
            author=entry.author, cohort=entry.cohort_id, thing=entry.thing_id
        ).first()
        if existing is None:
            raise
        return _conflict_json(existing.pk, saved_state(existing), _posted_text(form))
    saved = result.entry
    if result.created:
        session.remember_draft(saved.pk)
    if posted_tags and not result.pending and "tags" in form.cleaned_data:
        tags.apply_tags(entry=saved, tags=form.cleaned_data["tags"])
    return JsonResponse(
        {
            "version": result.version,
            "saved_at": result.saved_at.isoformat(),
            "pending": result.pending,
            "published": saved.is_published,
            "created": result.created,
            **_entry_urls(saved),
        },
        status=HTTPStatus.CREATED if result.created else HTTPStatus.OK,
    )


def _bad_autosave_request() -> JsonResponse:
    return _json_error(
        HTTPStatus.BAD_REQUEST,
        "bad_request",
        "Send the entry's fields form-encoded or as a JSON object.",
    )


def _not_found_json() -> JsonResponse:
    return _json_error(
        HTTPStatus.NOT_FOUND,
        "not_found",
        "There is no such entry of yours: it may have been deleted.",
    )


@login_required_json
@require_POST
def autosave(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Autosave an existing entry: JSON in, JSON out (see _autosave)."""
    data = _autosave_data(request)
    if data is None:
        return _bad_autosave_request()
    try:
        entry = _get_own_entry(request, username, slug)
    except Http404:
        return _not_found_json()
    return _autosave(request, data, entry)


@login_required_json
@require_POST
def autosave_new(request: HttpRequest) -> HttpResponse:
    """The first autosave of a free reflection creates its draft (201)."""
    data = _autosave_data(request)
    if data is None:
        return _bad_autosave_request()
    made_here = _draft_made_here(request, _editing_session(request, data))
    if made_here is not None:
        return _autosave(request, data, made_here, start_version=FIRST_VERSION)
    entry = Entry(author=request.user, visibility=Entry.Visibility.PRIVATE)
    return _autosave(request, data, entry)


@login_required_json
@require_POST
def autosave_new_on_thing(
    request: HttpRequest, cohort: str, thing: str
) -> HttpResponse:
    """The first autosave of an entry on a Thing; one entry per Thing and cohort,
    so if another page made it already, the answer is a 409 with its URL."""
    data = _autosave_data(request)
    if data is None:
        return _bad_autosave_request()
    try:
        cohort_obj, _role = _get_member_cohort(request, cohort)
    except Http404:
        return _not_found_json()
    release = cohort_obj.visible_thing(request.user, thing)
    if release is None or not release.thing.is_published:
        return _not_found_json()
    existing = (
        Entry.objects.filter(
            author=request.user, cohort=cohort_obj, thing=release.thing
        )
        .select_related("author", "cohort__programme", "thing")
        .first()
    )
    if existing is not None:
        made_here = _draft_made_here(request, _editing_session(request, data))
        start = FIRST_VERSION if made_here == existing else 0
        return _autosave(request, data, existing, start_version=start)
    entry = Entry(author=request.user, cohort=cohort_obj, thing=release.thing)
    return _autosave(request, data, entry)


@login_required
@require_GET
def history(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """The author's revisions of an entry, newest first, each with what changed."""
    entry = _get_own_entry(request, username, slug)
    revisions = entry.revisions.order_by("-updated", "-pk")
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    # One more than the page holds, so its oldest revision has one to compare to.
    start = max(page.start_index() - 1, 0)
    rows = list(revisions[start : start + REVISIONS_PER_PAGE + 1])
    nothing = EntryText(title="", body="", action="")
    items = []
    for index, revision in enumerate(rows[:REVISIONS_PER_PAGE]):
        older = rows[index + 1] if index + 1 < len(rows) else None
        items.append(
            {
                "revision": revision,
                "older": older,
                "diff": TextDiff.between(
                    EntryText.of(older) if older else nothing, EntryText.of(revision)
                ),
                "current": is_current(revision, entry),
                "pending": is_pending(revision, entry),
            }
        )
    context = {"entry": entry, "page": page, "items": items}
    return render(request, "journal/history.html", context)


@login_required
@require_POST
def restore_revision(
    request: HttpRequest, username: str, slug: str, pk: int
) -> HttpResponse:
    entry = _get_own_entry(request, username, slug)
    revision = get_object_or_404(entry.revisions, pk=pk)
    entry = actions.restore_revision(
        entry=entry, revision=revision, session=_editing_session(request)
    )
    message = (
        f"Restored the words of version {revision.version} as version {entry.version}."
    )
    if entry.is_published:
        message += " Readers see them now."
    messages.success(request, message)
    return redirect(entry.get_edit_url())


@login_required
@require_POST
def discard_autosaved(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Drop a published entry's autosaved changes that were never published."""
    entry = _get_own_entry(request, username, slug)
    if actions.discard_autosaved(entry=entry):
        messages.success(request, "Discarded your unpublished changes.")
    return redirect(entry.get_edit_url())


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


# Keeping the journal: the CPD log and the export (the work is in journal/cpd.py).


def _log_year(request: HttpRequest) -> int | None:
    """The year the log is narrowed to, from ?year=2025; anything else means all."""
    value = request.GET.get("year", "")
    if re.fullmatch(r"[0-9]{4}", value) and int(value) >= 1:
        return int(value)
    return None


@login_required
@require_GET
def cpd_log(request: HttpRequest) -> HttpResponse:
    """Always the reader's own log: there is no way to ask for anyone else's."""
    zone = cpd.zone_of(request.user)
    year = _log_year(request)
    entries = cpd.log_entries(request.user, zone=zone, year=year)
    context = {
        "zone": zone,
        "year": year,
        "page": _paginate(request, cpd.log_rows(entries), cpd.LOG_ROWS_PER_PAGE),
        "total": cpd.grand_total(entries),
        "by_programme": cpd.totals_by_programme(entries),
        "by_year": cpd.totals_by_year(cpd.log_entries(request.user, zone=zone), zone),
    }
    return render(request, "journal/cpd_log.html", context)


def _download(response: StreamingHttpResponse, filename: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def cpd_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    zone = cpd.zone_of(request.user)
    year = _log_year(request)
    entries = cpd.log_entries(request.user, zone=zone, year=year)
    rows = cpd.csv_rows(entries, username=request.user.username, zone=zone)
    response = StreamingHttpResponse(
        cpd.csv_text(rows), content_type="text/csv; charset=utf-8"
    )
    stem = f"cpd-log-{year}" if year else "cpd-log"
    return _download(response, f"{cpd.dated_name(stem, request.user, zone)}.csv")


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """GET explains what the zip holds; POST streams it, built as it is sent."""
    if request.method == "POST":
        name = cpd.dated_name("journal", request.user, cpd.zone_of(request.user))
        response = StreamingHttpResponse(
            cpd.export_zip(request.user, name=name), content_type="application/zip"
        )
        return _download(response, f"{name}.zip")
    context = {"counts": cpd.journal_counts(request.user)}
    return render(request, "journal/export.html", context)
