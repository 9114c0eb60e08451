"""Joining a cohort: the open join link and personal invitations.

A GET shows what one would join; only the POST of the page's Join button joins
(programmes/joining.py says why).
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from programmes import actions, joining
from programmes import members as cohort_members
from programmes.models import Cohort, Membership, is_token_shaped


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    cohort = (
        Cohort.objects.select_related("programme").filter(join_token=token).first()
        if is_token_shaped(token)
        else None
    )
    if cohort is None:
        request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
        return render(request, "programmes/join_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
        result = joining.join_by_link(user=request.user, cohort=cohort)
        if not result.is_member:
            return _joining_closed(request, cohort)
        result.tell(request)
        return redirect(cohort)
    role = cohort.role_of(request.user)
    if not cohort.joining_open and role is None:
        return _joining_closed(request, cohort)
    if request.method == "POST":
        return redirect_to_login(request.path)
    return _join_page(request, cohort, role=role, followed=token)


@require_http_methods(["GET", "POST"])
def join_open(request: HttpRequest, cohort: str) -> HttpResponse:
    """An open cohort's Join button (on its programme's public page). A GET
    never joins: it leads back to that page. A visitor is asked to sign up or
    sign in, and joins once signed in (programmes/joining.py)."""
    joinable = Cohort.objects.open_to_join().select_related("programme")
    cohort = get_object_or_404(joinable, slug=cohort)
    if request.method == "GET":
        return redirect(cohort.programme.get_public_url())
    if not request.user.is_authenticated:
        followed = joining.OPEN_PREFIX + cohort.slug
        return _join_page(request, cohort, role=None, followed=followed)
    request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
    result = joining.join_open_cohort(user=request.user, cohort=cohort)
    result.tell(request)
    if result.is_member:
        return redirect(cohort)
    return redirect(cohort.programme.get_public_url())


def _joining_closed(request: HttpRequest, cohort: Cohort) -> HttpResponse:
    # 403, not 410: the link is right and may work again once reopened.
    request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
    context = {"cohort": cohort}
    return render(request, "programmes/join_closed.html", context, status=403)


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        cohort_members.invitation_for(token, request.user)
        if is_token_shaped(token)
        else None
    )
    cohort = invitation.cohort if invitation else None
    role = cohort.role_of(request.user) if cohort else None
    if invitation is None or (invitation.accepted_at and role is None):
        request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
        return render(request, "programmes/invitation_invalid.html", status=404)
    if request.method == "GET":
        followed = joining.INVITATION_PREFIX + token
        return _join_page(request, cohort, role=role, followed=followed)
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
    created = False
    if invitation.accepted_at is None:
        try:
            _membership, created = actions.accept_invitation(
                invitation=invitation, user=request.user
            )
        except actions.InvitationError:
            # Used meanwhile: by this user's other click, or by someone else.
            if cohort.role_of(request.user) is None:
                return render(request, "programmes/invitation_invalid.html", status=404)
    outcome = joining.Outcome.JOINED if created else joining.Outcome.ALREADY_MEMBER
    joining.JoinResult(cohort, outcome).tell(request)
    return redirect(cohort)


def _join_page(
    request: HttpRequest, cohort: Cohort, *, role: str | None, followed: str
) -> HttpResponse:
    """What the link joins, with a Join button, or sign-up and sign-in links for
    a visitor, whose link then waits in the session (programmes/joining.py)."""
    if request.user.is_authenticated:
        request.session.pop(joining.PENDING_JOIN_SESSION_KEY, None)
    else:
        joining.keep_pending_join(request.session, followed)
    facilitators = [
        membership.user
        for membership in cohort.memberships.filter(
            role=Membership.Role.FACILITATOR
        ).select_related("user__profile")
    ]
    context = {
        "cohort": cohort,
        "is_member": role is not None,
        "facilitators": facilitators,
        "joins_on_sign_in": followed.startswith(joining.OPEN_PREFIX),
    }
    return render(request, "programmes/join.html", context)
