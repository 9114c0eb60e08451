"""The editor: saving, autosave, conflicts, history and restore."""

import re
import secrets
from functools import wraps
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ratelimit
from core.decorators import json_endpoint, login_required_json
from core.images import ImageRefused
from core.jsonbody import json_error, read_json_body
from core.markdown import as_safe_html, render_markdown
from journal import actions, reflection_templates
from journal.forms import EntryForm, FreeReflectionForm, ImageAltForm
from journal.models import Entry, Image
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
from journal.views.access import (
    get_own_entry,
    in_my_bin,
)
from journal.views.images import upload_counted
from programmes.models import Release
from programmes.views.access import get_member_cohort


def _images_in_reading_order(entry: Entry) -> list[Image]:
    if entry.pk is None:
        return []
    return sorted(
        entry.images.all(), key=lambda image: entry.body.find(image.public_id)
    )


def _render_entry_form(
    request: HttpRequest,
    form: EntryForm,
    entry: Entry,
    release: Release | None,
    base_version: int | None = None,
) -> HttpResponse:
    preview_html = None
    if "preview" in request.POST:
        body = request.POST.get("body", "")
        images = Image.objects.shown_in(body, owner_ids=[entry.author_id])
        preview_html = as_safe_html(render_markdown(body, images=images))
    context = {
        "form": form,
        "entry": entry,
        "entry_images": _images_in_reading_order(entry),
        "alt_form": ImageAltForm,
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
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=entry,
        initial=initial,
        publishing="publish" in request.POST,
    )
    wants_save = "save" in request.POST or "publish" in request.POST
    base_version = (
        start_version if start_version is not None else _posted_base_version(request)
    )
    was_published = entry.is_published
    if request.method == "POST" and wants_save and form.is_valid():
        publish = "publish" in request.POST
        is_new = entry.pk is None
        refused = (
            ratelimit.count_or_tell(form, "entries", request.user)
            if _counts_as_new_writing(entry, publish)
            else None
        )
        if refused:
            response = _render_entry_form(request, form, entry, release, base_version)
            return refused.mark(response)
        edited = form.save(commit=False)
        if form.cleaned_data.get("image"):
            try:
                attached = upload_counted(
                    request,
                    upload=form.cleaned_data["image"],
                    alt=form.cleaned_data["image_alt"],
                    decorative=form.cleaned_data["image_decorative"],
                )
            except ImageRefused as refused:
                form.add_error("image", str(refused))
                return _render_entry_form(request, form, entry, release, base_version)
            except ratelimit.RateLimited as limited:
                form.add_error("image", limited.message)
                response = _render_entry_form(
                    request, form, entry, release, base_version
                )
                return limited.mark(response)
            edited.body = f"{edited.body.rstrip()}\n\n{attached.markdown()}\n"
        try:
            entry = actions.save_entry(
                entry=edited,
                publish=publish,
                base_version=base_version,
                session=_editing_session(request),
            )
        except actions.EditConflict as conflict:
            return _render_conflict(request, form, entry.pk, conflict.state, publish)
        _after_editor_save(request, entry, is_new or start_version is not None)
        if "tags" in request.POST:
            actions.apply_tags(entry=entry, tags=form.cleaned_data["tags"])
        messages.success(request, _saved_message(entry, was_published))
        if entry.is_published:
            return redirect(entry)
        return redirect(entry.get_edit_url())
    return _render_entry_form(request, form, entry, release, base_version)


def _counts_as_new_writing(entry: Entry, publish: bool) -> bool:
    """Whether saving `entry` counts towards its author's limit of entries
    (core/ratelimit.py): making one, and publishing one, do; saving and
    autosaving one that exists do not, so writing is never held up."""
    return entry.pk is None or (publish and not entry.is_published)


def _saved_message(entry: Entry, was_published: bool) -> str:
    if not entry.is_published:
        return gettext("Draft saved.")
    if entry.is_held:
        return gettext(
            "Saved: it is waiting for a facilitator's approval before the "
            "cohort sees it."
        )
    return gettext("Updated.") if was_published else gettext("Published.")


def _answered_as_second_if_beaten(view):
    """A new entry's first save that lost the race to create it is answered as
    if it had come just after the winner: the view runs again and finds the
    entry (a retried save from the same page edits it, another page on the
    same Thing gets a conflict)."""

    @wraps(view)
    def run(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except actions.CreatedMeanwhile:
            return view(request, *args, **kwargs)

    return run


@login_required
@require_http_methods(["GET", "POST"])
@_answered_as_second_if_beaten
def write(request: HttpRequest) -> HttpResponse:
    """A free reflection, tied to no Thing and no cohort."""
    made_here = (
        _draft_made_here(request, _editing_session(request))
        if request.method == "POST"
        else None
    )
    if made_here is not None:
        return _handle_entry_form(request, made_here, start_version=FIRST_VERSION)
    entry = Entry(
        author=request.user,
        visibility=Entry.Visibility.PRIVATE,
        editor_key=_editing_session(request).page,
    )
    return _handle_entry_form(request, entry)


@login_required
@require_http_methods(["GET", "POST"])
@_answered_as_second_if_beaten
def write_on_thing(request: HttpRequest, cohort: str, thing: str) -> HttpResponse:
    cohort, _role = get_member_cohort(request, cohort)
    release = cohort.visible_thing(request.user, thing)
    if release is None or not release.thing.is_published:
        raise Http404("No such Thing")
    existing = Entry.objects.filter(
        author=request.user, cohort=cohort, thing=release.thing
    ).first()
    if existing is not None and request.method == "GET":
        return redirect(existing.get_edit_url())
    if existing is not None and existing.is_linked:
        return _answered_from_blog(request, existing, release)
    if existing is not None:
        # Text written on a page opened before the entry existed (another tab,
        # or this page's own autosave): saved onto it, or shown as a conflict.
        made_here = _draft_made_here(request, _editing_session(request))
        start = FIRST_VERSION if made_here == existing else 0
        return _handle_entry_form(request, existing, release, start_version=start)
    entry = Entry(
        author=request.user,
        cohort=cohort,
        thing=release.thing,
        editor_key=_editing_session(request).page,
    )
    return _handle_entry_form(request, entry, release)


def _answered_from_blog(
    request: HttpRequest, linked: Entry, release: Release
) -> HttpResponse:
    """Text written for a Thing that a post from the writer's blog answered
    meanwhile: the editor again, the text kept, saying what to do."""
    entry = Entry(author=request.user, cohort=linked.cohort, thing=release.thing)
    form = EntryForm(request.POST, request.FILES or None, instance=entry)
    form.add_error(
        None,
        gettext(
            "“%(title)s”, a post from your blog, answers this Thing already. "
            "Your text is kept here: choose another Thing for that post on "
            "the cohort's “Your blog” page, then save again."
        )
        % {"title": linked.title},
    )
    return _render_entry_form(request, form, entry, release, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    entry = get_own_entry(request, username, slug, linked_too=True)
    if entry.is_linked:
        messages.info(
            request,
            gettext(
                "This post is edited on your blog: Ponder brings your changes "
                "over at its next read."
            ),
        )
        return redirect(entry)
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
    otherwise create a second entry when it tries again. The entry keeps the
    page's key, so a save arriving at the same moment, before any session
    could say so, finds it too.
    """
    if not session.page:
        return None
    entries = Entry.objects.filter(author=request.user).select_related(
        "author", "cohort__programme", "thing"
    )
    return entries.filter(editor_key=session.page).first()


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


def _autosave_data(request: HttpRequest) -> QueryDict | None:
    """The posted fields, form-encoded or a JSON object of strings and numbers;
    None if the JSON is not such an object. A body refused before it is parsed
    raises JsonBodyError, which json_endpoint answers (core/jsonbody.py)."""
    if request.content_type != "application/json":
        return request.POST.copy()
    payload = read_json_body(request)
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
            "message": gettext(
                "This entry was changed in another tab or on another device."
            ),
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
        return json_error(
            HTTPStatus.UNPROCESSABLE_ENTITY, "invalid", message, errors=errors
        )
    if start_version is not None:
        base = start_version
    elif entry.pk is None:
        base = None
    elif "base_version" in data:
        base = _parse_version(data["base_version"])
    else:
        message = gettext("Send the version your text started from.")
        return json_error(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "invalid",
            message,
            errors={"base_version": [message]},
        )
    if _counts_as_new_writing(entry, publish=False):
        ratelimit.count("entries", request.user)  # a 429 in JSON, by the middleware
    session = _editing_session(request, data)
    try:
        result = actions.autosave_entry(
            entry=form.save(commit=False), base_version=base, session=session
        )
    except actions.EditConflict as conflict:
        return _conflict_json(entry.pk, conflict.state, _posted_text(form))
    saved = result.entry
    if posted_tags and not result.pending and "tags" in form.cleaned_data:
        actions.apply_tags(entry=saved, tags=form.cleaned_data["tags"])
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
    return json_error(
        HTTPStatus.BAD_REQUEST,
        "bad_request",
        gettext("Send the entry's fields form-encoded or as a JSON object."),
    )


def _not_found_json() -> JsonResponse:
    return json_error(
        HTTPStatus.NOT_FOUND,
        "not_found",
        gettext("There is no such entry of yours: it may have been deleted."),
    )


def _deleted_json() -> JsonResponse:
    """To an editor tab left open on an entry its author has since deleted."""
    return json_error(
        HTTPStatus.GONE,
        "deleted",
        gettext(
            "This entry was deleted; your text is kept in this browser; "
            "restore it from Deleted entries."
        ),
        restore_url=reverse("journal:deleted_entries"),
    )


@login_required_json
@json_endpoint(methods=["POST"])
def autosave(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Autosave an existing entry: JSON in, JSON out (see _autosave)."""
    data = _autosave_data(request)
    if data is None:
        return _bad_autosave_request()
    try:
        entry = get_own_entry(request, username, slug)
    except Http404:
        if in_my_bin(request, username, slug):
            return _deleted_json()
        return _not_found_json()
    return _autosave(request, data, entry)


@login_required_json
@json_endpoint(methods=["POST"])
@_answered_as_second_if_beaten
def autosave_new(request: HttpRequest) -> HttpResponse:
    """The first autosave of a free reflection creates its draft (201)."""
    data = _autosave_data(request)
    if data is None:
        return _bad_autosave_request()
    made_here = _draft_made_here(request, _editing_session(request, data))
    if made_here is not None:
        return _autosave(request, data, made_here, start_version=FIRST_VERSION)
    entry = Entry(
        author=request.user,
        visibility=Entry.Visibility.PRIVATE,
        editor_key=_editing_session(request, data).page,
    )
    return _autosave(request, data, entry)


@login_required_json
@json_endpoint(methods=["POST"])
@_answered_as_second_if_beaten
def autosave_new_on_thing(
    request: HttpRequest, cohort: str, thing: str
) -> HttpResponse:
    """The first autosave of an entry on a Thing; one entry per Thing and cohort,
    so if another page made it already, the answer is a 409 with its URL."""
    data = _autosave_data(request)
    if data is None:
        return _bad_autosave_request()
    try:
        cohort_obj, _role = get_member_cohort(request, cohort)
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
    entry = Entry(
        author=request.user,
        cohort=cohort_obj,
        thing=release.thing,
        editor_key=_editing_session(request, data).page,
    )
    return _autosave(request, data, entry)


@login_required
@require_GET
def history(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """The author's revisions of an entry, newest first, each with what changed."""
    entry = get_own_entry(request, username, slug)
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
    entry = get_own_entry(request, username, slug)
    revision = get_object_or_404(entry.revisions, pk=pk)
    entry = actions.restore_revision(
        entry=entry, revision=revision, session=_editing_session(request)
    )
    if entry.is_published:
        message = gettext(
            "Restored the words of version %(old)s as version %(new)s. "
            "Readers see them now."
        )
    else:
        message = gettext("Restored the words of version %(old)s as version %(new)s.")
    messages.success(request, message % {"old": revision.version, "new": entry.version})
    return redirect(entry.get_edit_url())


@login_required
@require_POST
def discard_autosaved(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Drop a published entry's autosaved changes that were never published."""
    entry = get_own_entry(request, username, slug)
    if actions.discard_autosaved(entry=entry):
        messages.success(request, gettext("Discarded your unpublished changes."))
    return redirect(entry.get_edit_url())
