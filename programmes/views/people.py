"""A cohort's members and invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import display_name
from core.forms import is_confirmed
from programmes import actions
from programmes import members as cohort_members
from programmes.models import (
    Cohort,
    Membership,
)
from programmes.views.access import (
    get_facilitated_cohort,
)

MEMBERS_PER_PAGE = 50


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
    if is_confirmed(request):
        try:
            actions.remove_member(membership=membership)
        except actions.MembershipRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("%(name)s left %(cohort)s.")
                % {"name": display_name(membership.user), "cohort": cohort.name},
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
        actions.set_role(membership=membership, role=request.POST.get("role", ""))
    except actions.MembershipRuleError as error:
        messages.error(request, str(error))
        return redirect("studio:members", slug=cohort.slug)
    if membership.is_facilitator:
        message = gettext("%(name)s is now a facilitator.")
    else:
        message = gettext("%(name)s is now a participant.")
    messages.success(request, message % {"name": display_name(membership.user)})
    if membership.user_id == request.user.pk and not membership.is_facilitator:
        return redirect("studio:index")
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_POST
def set_joining(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    is_open = request.POST.get("open") == "1"
    actions.set_joining_open(cohort=cohort, is_open=is_open)
    if is_open:
        messages.success(
            request, gettext("Joining is open: the join link works again.")
        )
    else:
        messages.success(
            request, gettext("Joining is closed: the join link lets nobody new in.")
        )
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    form = cohort_members.InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, cohort, form, status=422)
    result = actions.invite_by_email(
        cohort=cohort,
        invited_by=request.user,
        addresses=form.cleaned_data["addresses"],
        submission_key=form.cleaned_data["submission"],
    )
    parts = [
        ngettext("Invited %(count)s", "Invited %(count)s", len(result.invited))
        % {"count": len(result.invited)}
    ]
    if result.already_members:
        parts.append(
            ngettext(
                "skipped %(count)s already a member (%(addresses)s)",
                "skipped %(count)s already members (%(addresses)s)",
                len(result.already_members),
            )
            % {
                "count": len(result.already_members),
                "addresses": ", ".join(result.already_members),
            }
        )
    if result.already_invited:
        parts.append(
            ngettext(
                "skipped %(count)s already invited (%(addresses)s)",
                "skipped %(count)s already invited (%(addresses)s)",
                len(result.already_invited),
            )
            % {
                "count": len(result.already_invited),
                "addresses": ", ".join(result.already_invited),
            }
        )
    messages.success(request, "; ".join(parts) + ".")
    return redirect("studio:members", slug=cohort.slug)
