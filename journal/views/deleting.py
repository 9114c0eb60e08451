"""Deleting an entry, restoring it from the bin, and moving it back to draft.

Each page asks first (a plain form, no JavaScript needed) and acts on POST;
the work is in journal/actions.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from journal import actions
from journal.models import Entry
from journal.views.access import get_own_entry, in_my_bin, paginate

DELETED_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def delete_entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    if in_my_bin(request, username, slug):
        # Deleted already: a second press of the button, or an old tab.
        return redirect("journal:deleted_entries")
    entry = get_own_entry(request, username, slug, linked_too=True)
    if request.method == "POST":
        entry = actions.delete_entry(entry=entry)
        until = formats.date_format(entry.restorable_until, gettext("j F Y"))
        messages.success(
            request,
            gettext("“%(title)s” is deleted. You can restore it until %(date)s.")
            % {"title": entry.title, "date": until},
        )
        return redirect("journal:deleted_entries")
    context = {"entry": entry, "goes_with": actions.goes_with(entry)}
    return render(request, "journal/entry_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unpublish_entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    entry = get_own_entry(request, username, slug)
    if not entry.is_published:
        # Already a draft: a second press of the button, or an old tab.
        return redirect(entry.get_edit_url())
    if request.method == "POST":
        actions.unpublish_entry(entry=entry)
        messages.success(
            request,
            gettext("Moved back to draft: only you can see it until you publish it."),
        )
        return redirect(entry.get_edit_url())
    context = {"entry": entry, "goes_with": actions.goes_with(entry)}
    return render(request, "journal/entry_unpublish.html", context)


@login_required
@require_http_methods(["GET"])
def deleted_entries(request: HttpRequest) -> HttpResponse:
    entries = (
        Entry.with_deleted.restorable()
        .filter(author=request.user)
        .select_related("author", "cohort", "thing")
        .order_by("-deleted_at", "-pk")
    )
    context = {"page": paginate(request, entries, DELETED_PER_PAGE)}
    return render(request, "journal/deleted_entries.html", context)


@login_required
@require_POST
def restore_entry(request: HttpRequest, pk: int) -> HttpResponse:
    mine = Entry.with_deleted.filter(author=request.user).select_related("author")
    entry = get_object_or_404(mine, pk=pk)
    if not entry.is_deleted:
        # Restored already: the same form sent twice.
        return redirect(entry.get_absolute_url())
    try:
        restored = actions.restore_entry(entry=entry)
    except actions.NotRestorable:
        raise Http404("Past restoring") from None
    entry = restored.entry
    if restored.as_free_reflection:
        messages.warning(
            request,
            gettext(
                "“%(title)s” is back as a draft free reflection: you have written "
                "another entry on its Thing since. Publish it, copy what you need "
                "into the other entry, or delete it again."
            )
            % {"title": entry.title},
        )
        return redirect(entry.get_edit_url())
    messages.success(
        request, gettext("“%(title)s” is restored.") % {"title": entry.title}
    )
    return redirect(entry.get_absolute_url())
