"""Nudges: a facilitator writes to some participants; each reads their copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import is_confirmed
from core.markdown import as_safe_html, render_markdown
from facilitation import actions, nudges
from programmes.models import NudgeDelivery
from programmes.views.access import get_facilitated_cohort

NUDGES_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def compose_nudge(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    data = request.POST if request.method == "POST" else request.GET
    asked = nudges.participant_ids(data.getlist("participant"))
    recipients = list(nudges.cohort_participants(cohort, asked))
    form = nudges.NudgeForm(request.POST if request.method == "POST" else None)
    preview = None
    confirm_send = False
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if not recipients:
            form.add_error(
                None, gettext("Choose at least one participant of this cohort.")
            )
            valid = False
        sending = valid and "send" in request.POST
        # Writing to many at once is asked first, beside the preview: a press
        # on "Send" cannot be taken back.
        confirm_send = sending and len(recipients) > 1 and not is_confirmed(request)
        if sending and not confirm_send:
            actions.send_nudge(
                cohort=cohort,
                sender=request.user,
                recipients=recipients,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                submission_key=form.cleaned_data["submission"],
            )
            messages.success(
                request,
                ngettext(
                    "Message sent to %(count)s participant.",
                    "Message sent to %(count)s participants.",
                    len(recipients),
                )
                % {"count": len(recipients)},
            )
            return redirect("facilitation:nudges", slug=cohort.slug)
        if valid:
            [first] = nudges.personalise(
                cohort=cohort,
                recipients=recipients[:1],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            preview = {
                "recipient": first.recipient,
                "subject": first.subject,
                "body": as_safe_html(render_markdown(first.body)),
            }
        else:
            status = 422
    context = {
        "cohort": cohort,
        "form": form,
        "recipients": recipients,
        "not_found": len(asked) - len(recipients),
        "placeholders": nudges.PLACEHOLDERS,
        "preview": preview,
        "confirm_send": confirm_send,
    }
    return render(request, "facilitation/nudge_compose.html", context, status=status)


@login_required
@require_GET
def nudge_log(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    sent = (
        cohort.nudges.select_related("sender__profile")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=NudgeDelivery.objects.select_related(
                    "recipient__profile"
                ).order_by("recipient__username"),
            )
        )
        .order_by("-created", "-pk")
    )
    page = Paginator(sent, NUDGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"cohort": cohort, "page": page}
    return render(request, "facilitation/nudge_log.html", context)


@login_required
@require_GET
def nudge_message(request: HttpRequest, pk: int) -> HttpResponse:
    """A recipient reads a nudge: only their own copy exists for them."""
    delivery = get_object_or_404(nudges.deliveries_for(request.user), pk=pk)
    actions.mark_nudge_read(delivery=delivery)
    return render(request, "facilitation/nudge_message.html", {"delivery": delivery})
