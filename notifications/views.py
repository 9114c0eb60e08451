"""The bell's list, reading notifications, and the e-mail settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.freshness import fragment_key, shared_fragment_key
from notifications import actions
from notifications.forms import PreferencesForm
from notifications.models import Notification, Preference

PER_PAGE = 30
#: What a listed notification shows, fetched with it in one query.
LISTED_WITH = (
    "actor__profile",
    "entry__author",
    "comment",
    "cohort",
    "opening__thing",
    "message",
)


def _mine(request: HttpRequest):
    return Notification.objects.for_recipient(request.user)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, kept for them under `list_state`; one
    with none gets the empty list every such reader shares."""
    if Notification.objects.none_for(request.user):
        context = {"list_key": shared_fragment_key(request, "without-notifications")}
        return render(request, "notifications/list.html", context)

    def page() -> Page:
        notifications = _mine(request).select_related(*LISTED_WITH)
        return Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))

    state = Notification.objects.list_state(request.user)
    context = {
        "page": SimpleLazyObject(page),
        "list_key": state and fragment_key(request, state, request.GET.urlencode()),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks it read and goes to what it is about (links in the list use this)."""
    notification = get_object_or_404(
        _mine(request).select_related("entry__author", "cohort", "opening__thing"),
        pk=pk,
    )
    _mark_read(request, _mine(request).filter(pk=notification.pk))
    return redirect(notification.target_url())


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notifications = _mine(request).select_related(*LISTED_WITH)
    notification = get_object_or_404(notifications, pk=pk)
    _mark_read(request, _mine(request).filter(pk=notification.pk))
    if request.htmx:
        notification.read_at = timezone.now()
        context = {"notification": notification}
        return render(request, "notifications/item.html", context)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = _mark_read(request, _mine(request))
    messages.success(
        request,
        ngettext(
            "Marked %(count)s notification read.",
            "Marked %(count)s notifications read.",
            marked,
        )
        % {"count": marked},
    )
    return redirect("notifications:list")


def _mark_read(request: HttpRequest, notifications) -> int:
    return actions.mark_read(reader=request.user, notifications=notifications)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST or None,
        initial_frequencies=Preference.objects.frequencies_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        for kind, frequency in form.frequencies().items():
            Preference.objects.choose(request.user, kind, frequency)
        messages.success(request, gettext("E-mail settings saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
