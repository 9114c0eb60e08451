"""Joining a cohort: the open join link and personal invitations."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.adapter import INVITATION_PREFIX, PENDING_JOIN_SESSION_KEY
from programmes import actions
from programmes import members as cohort_members
from programmes.models import (
    Cohort,
)


@require_GET
def join(request: HttpRequest, token: str) -> HttpResponse:
    cohort = Cohort.objects.select_related("programme").filter(join_token=token).first()
    if cohort is None:
        request.session.pop(PENDING_JOIN_SESSION_KEY, None)
        return render(request, "programmes/join_invalid.html", status=404)
    if not cohort.joining_open and cohort.role_of(request.user) is None:
        # 403, not 410: the link is right and may work again once reopened.
        request.session.pop(PENDING_JOIN_SESSION_KEY, None)
        context = {"cohort": cohort}
        return render(request, "programmes/join_closed.html", context, status=403)
    if not request.user.is_authenticated:
        request.session[PENDING_JOIN_SESSION_KEY] = token
        return render(request, "programmes/join_signed_out.html", {"cohort": cohort})
    request.session.pop(PENDING_JOIN_SESSION_KEY, None)
    _membership, created = actions.join_cohort(user=request.user, cohort=cohort)
    if created:
        messages.success(request, f"Welcome to {cohort.name}!")
    else:
        messages.info(request, f"You are already a member of {cohort.name}.")
    return redirect(cohort)


@require_GET
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = cohort_members.pending_invitation(token)
    if invitation is None:
        request.session.pop(PENDING_JOIN_SESSION_KEY, None)
        return render(request, "programmes/invitation_invalid.html", status=404)
    cohort = invitation.cohort
    if not request.user.is_authenticated:
        request.session[PENDING_JOIN_SESSION_KEY] = INVITATION_PREFIX + token
        return render(request, "programmes/join_signed_out.html", {"cohort": cohort})
    request.session.pop(PENDING_JOIN_SESSION_KEY, None)
    try:
        _membership, created = cohort_members.accept_invitation(
            invitation=invitation, user=request.user
        )
    except cohort_members.InvitationError:
        return render(request, "programmes/invitation_invalid.html", status=404)
    if created:
        messages.success(request, f"Welcome to {cohort.name}!")
    else:
        messages.info(request, f"You are already a member of {cohort.name}.")
    return redirect(cohort)
