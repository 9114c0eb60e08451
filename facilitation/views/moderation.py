"""Reporting entries and comments; the facilitators' queue, actions and log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ratelimit
from facilitation import actions, moderation
from journal.forms import HideForm, ReportForm
from journal.models import Comment, Entry, ModerationAction, Report
from journal.views.access import get_visible_entry, paginate
from programmes.models import Cohort, Membership
from programmes.views.access import get_facilitated_cohort

REPORTS_PER_PAGE = 20
HIDDEN_SHOWN = 50
HELD_SHOWN = 50
LOG_PER_PAGE = 50


# Reporting -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_entry(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    entry = get_visible_entry(request, username, slug)
    if entry.is_hidden:
        raise Http404("Hidden already")
    return _report(request, entry, cohort=entry.cohort, author_id=entry.author_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    comments = (
        Comment.objects.visible_to(request.user)
        .filter(state=Comment.State.VISIBLE, hidden_at__isnull=True)
        .select_related("author__profile", "entry__author", "entry__cohort")
    )
    comment = get_object_or_404(comments, pk=pk)
    return _report(
        request, comment, cohort=comment.entry.cohort, author_id=comment.author_id
    )


def _report(
    request: HttpRequest,
    item: Entry | Comment,
    *,
    cohort: Cohort | None,
    author_id: int | None,
) -> HttpResponse:
    """Members of the item's cohort report what they read, never their own."""
    if cohort is None or cohort.role_of(request.user) is None:
        raise Http404("Not a member of this cohort")
    if author_id == request.user.pk:
        raise Http404("Your own")
    form = ReportForm(request.POST if request.method == "POST" else None)
    refused = form.is_valid() and ratelimit.count_or_tell(form, "reports", request.user)
    if form.is_valid():
        _made, created = actions.report_item(
            reporter=request.user,
            item=item,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
        )
        if created:
            messages.success(
                request, _("Thank you: the cohort's facilitators will look at it.")
            )
        else:
            messages.info(request, _("You have reported this already."))
        return redirect(item)
    status = 422 if form.is_bound else 200
    context = {"item": item, "is_entry": isinstance(item, Entry), "form": form}
    response = render(request, "facilitation/report.html", context, status=status)
    return refused.mark(response) if refused else response


# The facilitators' side ----------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    moderator = request.user
    context = {
        "cohort": cohort,
        "role": Membership.Role.FACILITATOR,
        "page": paginate(
            request, moderation.queue(cohort, moderator), REPORTS_PER_PAGE
        ),
        "held_entries": moderation.held_entries(cohort, moderator)[:HELD_SHOWN],
        "held_comments": moderation.held_comments(cohort, moderator)[:HELD_SHOWN],
        "hidden_entries": moderation.hidden_entries(cohort, moderator)[:HIDDEN_SHOWN],
        "hidden_comments": moderation.hidden_comments(cohort, moderator)[:HIDDEN_SHOWN],
    }
    return render(request, "facilitation/moderation.html", context)


@login_required
@require_GET
def log(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    context = {
        "cohort": cohort,
        "role": Membership.Role.FACILITATOR,
        "page": paginate(request, moderation.log(cohort, request.user), LOG_PER_PAGE),
        "undo_after": timezone.now() - actions.SPAMMER_UNDO_WINDOW,
    }
    return render(request, "facilitation/moderation_log.html", context)


def _moderated_entry(request: HttpRequest, cohort: Cohort, pk: int) -> Entry:
    entries = Entry.objects.visible_to(request.user).filter(cohort=cohort)
    return get_object_or_404(entries.select_related("cohort", "author"), pk=pk)


def _moderated_comment(request: HttpRequest, cohort: Cohort, pk: int) -> Comment:
    comments = Comment.objects.visible_to(request.user).filter(
        entry__cohort=cohort, state=Comment.State.VISIBLE
    )
    return get_object_or_404(comments.select_related("entry__cohort"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def hide_entry(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    return _hide(request, cohort, _moderated_entry(request, cohort, pk))


@login_required
@require_http_methods(["GET", "POST"])
def hide_comment(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    return _hide(request, cohort, _moderated_comment(request, cohort, pk))


@login_required
@require_POST
def restore_entry(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    return _restore(request, cohort, _moderated_entry(request, cohort, pk))


@login_required
@require_POST
def restore_comment(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    return _restore(request, cohort, _moderated_comment(request, cohort, pk))


@login_required
@require_POST
def approve_entry(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    return _approve(request, cohort, _moderated_entry(request, cohort, pk))


@login_required
@require_POST
def approve_comment(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    return _approve(request, cohort, _moderated_comment(request, cohort, pk))


def _approve(
    request: HttpRequest, cohort: Cohort, item: Entry | Comment
) -> HttpResponse:
    if actions.approve_item(actor=request.user, item=item) is None:
        messages.info(request, _("It was not waiting for approval."))
    else:
        messages.success(
            request,
            _(
                "Approved: everyone who may read it sees it now, and its "
                "writer's posts in this cohort no longer wait for approval."
            ),
        )
    return _back(request, cohort)


@login_required
@require_http_methods(["GET", "POST"])
def remove_spammer(request: HttpRequest, cohort: str, username: str) -> HttpResponse:
    """A page saying what removing the member does, whose button does it."""
    cohort = get_facilitated_cohort(request, cohort)
    membership = get_object_or_404(
        cohort.memberships.select_related("user__profile", "cohort"),
        user__username=username,
        user__is_active=True,
    )
    refusal = actions.removal_refusal(membership)
    if request.method == "POST" and refusal is None:
        actions.remove_spammer(actor=request.user, membership=membership)
        messages.success(
            request,
            _(
                "Removed: their posts in this cohort are hidden and their "
                "account cannot sign in. You can undo it from the log for a day."
            ),
        )
        return redirect(
            reverse("facilitation:moderation_log", kwargs={"cohort": cohort.slug})
        )
    entries, comments = actions.spammer_posts(membership)
    context = {
        "cohort": cohort,
        "role": Membership.Role.FACILITATOR,
        "member": membership.user,
        "refusal": refusal,
        "entry_count": entries.count(),
        "comment_count": comments.count(),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "facilitation/remove_spammer.html", context, status=status)


@login_required
@require_POST
def undo_spammer_removal(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    action = get_object_or_404(
        cohort.moderation_actions.filter(action=ModerationAction.Action.REMOVE_SPAMMER),
        pk=pk,
    )
    try:
        actions.undo_spammer_removal(actor=request.user, action=action)
    except actions.NotUndoable:
        messages.error(
            request, _("That removal can no longer be undone (a day has passed).")
        )
    else:
        messages.success(
            request, _("Undone: their posts are back and their account can sign in.")
        )
    return redirect(
        reverse("facilitation:moderation_log", kwargs={"cohort": cohort.slug})
    )


@login_required
@require_POST
def dismiss_report(request: HttpRequest, cohort: str, pk: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, cohort)
    report = get_object_or_404(moderation.open_reports(cohort, request.user), pk=pk)
    actions.dismiss_report(actor=request.user, report=report)
    messages.success(request, _("Report dismissed."))
    return _back(request, cohort)


def _hide(request: HttpRequest, cohort: Cohort, item: Entry | Comment) -> HttpResponse:
    """The Hide buttons lead here: the facilitator gives the author a reason,
    then the item is hidden. A POST with no reason field (a Hide button's)
    asks for one and changes nothing."""
    if item.is_hidden:
        messages.info(request, _("It was hidden already."))
        return _back(request, cohort)
    form = HideForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        actions.hide_item(
            actor=request.user,
            item=item,
            reason=form.cleaned_data["reason"],
            report=_answered_report(request, cohort, item),
        )
        messages.success(
            request,
            _("Hidden: only its author and the cohort's facilitators see it now."),
        )
        return _back(request, cohort)
    data = request.POST if request.method == "POST" else request.GET
    context = {
        "cohort": cohort,
        "item": item,
        "is_entry": isinstance(item, Entry),
        "form": form,
        "next": data.get("next", ""),
        "report": data.get("report", ""),
    }
    status = 422 if form.is_bound else 200
    return render(request, "facilitation/hide.html", context, status=status)


def _answered_report(
    request: HttpRequest, cohort: Cohort, item: Entry | Comment
) -> Report | None:
    """The open report on the item the facilitator acted on from the queue."""
    try:
        report_id = int(request.POST.get("report", ""))
    except ValueError:
        return None
    target = {"entry": item} if isinstance(item, Entry) else {"comment": item}
    reports = moderation.open_reports(cohort, request.user)
    return reports.filter(pk=report_id, **target).first()


def _restore(
    request: HttpRequest, cohort: Cohort, item: Entry | Comment
) -> HttpResponse:
    if not item.is_hidden:
        messages.info(request, _("It was not hidden."))
        return _back(request, cohort)
    actions.restore_item(actor=request.user, item=item)
    messages.success(request, _("Restored: everyone who may read it sees it again."))
    return _back(request, cohort)


def _back(request: HttpRequest, cohort: Cohort) -> HttpResponse:
    """To the page the button was on (the entry, the queue), else the queue."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Not redirect(): it would take a bare word for a URL name to reverse.
        return HttpResponseRedirect(target)
    return redirect(reverse("facilitation:moderation", kwargs={"cohort": cohort.slug}))
