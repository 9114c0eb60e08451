"""A cohort's members, invitations and nudges."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import display_name
from core.markdown import as_safe_html, render_markdown
from programmes import members as cohort_members
from programmes import nudges
from programmes.models import (
    Cohort,
    Membership,
    NudgeDelivery,
)
from programmes.views.access import (
    get_facilitated_cohort,
)

MEMBERS_PER_PAGE = 50


NUDGES_PER_PAGE = 20


def _members_page(
    request: HttpRequest,
    cohort: Cohort,
    invitation_form: cohort_members.InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = cohort.memberships.select_related("user__profile").order_by(
        "-role", "user__username"
    )
    context = {
        "cohort": cohort,
        "page": Paginator(memberships, MEMBERS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "invitation_form": invitation_form or cohort_members.InvitationForm(),
        "pending_invitations": cohort.invitations.filter(
            accepted_at__isnull=True
        ).count(),
    }
    return render(request, "programmes/members.html", context, status=status)


@login_required
@require_GET
def cohort_members_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _members_page(request, get_facilitated_cohort(request, slug))


def _get_membership(cohort: Cohort, membership_id: int) -> Membership:
    return get_object_or_404(
        cohort.memberships.select_related("user__profile", "cohort"),
        pk=membership_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    membership = _get_membership(cohort, membership_id)
    if request.method == "POST":
        try:
            cohort_members.remove_member(membership=membership)
        except cohort_members.MembershipRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{display_name(membership.user)} left {cohort.name}."
            )
            if membership.user_id == request.user.pk:
                return redirect("studio:index")
        return redirect("studio:members", slug=cohort.slug)
    context = {"cohort": cohort, "membership": membership}
    return render(request, "programmes/member_remove.html", context)


@login_required
@require_POST
def set_member_role(
    request: HttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    membership = _get_membership(cohort, membership_id)
    try:
        cohort_members.set_role(
            membership=membership, role=request.POST.get("role", "")
        )
    except cohort_members.MembershipRuleError as error:
        messages.error(request, str(error))
        return redirect("studio:members", slug=cohort.slug)
    messages.success(
        request,
        f"{display_name(membership.user)} is now a "
        f"{membership.get_role_display().lower()}.",
    )
    if membership.user_id == request.user.pk and not membership.is_facilitator:
        return redirect("studio:index")
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_POST
def set_joining(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    is_open = request.POST.get("open") == "1"
    cohort_members.set_joining_open(cohort=cohort, is_open=is_open)
    if is_open:
        messages.success(request, "Joining is open: the join link works again.")
    else:
        messages.success(
            request, "Joining is closed: the join link lets nobody new in."
        )
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    form = cohort_members.InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, cohort, form, status=422)
    result = cohort_members.invite_by_email(
        cohort=cohort, invited_by=request.user, addresses=form.cleaned_data["addresses"]
    )
    parts = [f"Invited {len(result.invited)}"]
    if result.already_members:
        parts.append(
            f"skipped {len(result.already_members)} already a member "
            f"({', '.join(result.already_members)})"
        )
    if result.already_invited:
        parts.append(
            f"skipped {len(result.already_invited)} already invited "
            f"({', '.join(result.already_invited)})"
        )
    messages.success(request, "; ".join(parts) + ".")
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_http_methods(["GET", "POST"])
def compose_nudge(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    data = request.POST if request.method == "POST" else request.GET
    asked = nudges.participant_ids(data.getlist("participant"))
    recipients = list(nudges.cohort_participants(cohort, asked))
    form = nudges.NudgeForm(request.POST if request.method == "POST" else None)
    preview = None
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if not recipients:
            form.add_error(None, "Choose at least one participant of this cohort.")
            valid = False
        if valid and "send" in request.POST:
            nudges.send_nudge(
                cohort=cohort,
                sender=request.user,
                recipients=recipients,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            messages.success(
                request,
                f"Message sent to {len(recipients)} "
                f"participant{'s' if len(recipients) != 1 else ''}.",
            )
            return redirect("studio:nudges", slug=cohort.slug)
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
    }
    return render(request, "programmes/nudge_compose.html", context, status=status)


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
    return render(request, "programmes/nudge_log.html", context)


@login_required
@require_GET
def nudge_message(request: HttpRequest, pk: int) -> HttpResponse:
    """A recipient reads a nudge: only their own copy exists for them."""
    delivery = get_object_or_404(nudges.deliveries_for(request.user), pk=pk)
    nudges.mark_read(delivery)
    return render(request, "programmes/nudge_message.html", {"delivery": delivery})
