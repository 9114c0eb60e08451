"""Deleting one's account: it reaches into every app, so it lives above them."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from accounts.forms import DeleteAccountForm
from facilitation import actions


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """GET says exactly what goes; POST, with the password, deletes it all."""
    user = request.user
    plan = actions.deletion_plan(user)
    if request.method == "GET":
        return _deletion_page(request, DeleteAccountForm(user), plan)
    # The same limit as allauth's "confirm your password" step: a session left
    # open must not become a way to guess the password.
    if not ratelimit.consume(request, action="reauthenticate", user=user):
        form = DeleteAccountForm(user)
        return _deletion_page(request, form, plan, status=429, rate_limited=True)
    form = DeleteAccountForm(user, request.POST)
    if not plan.blockers and form.is_valid():
        try:
            actions.delete_account(user=user)
        except actions.AccountDeletionRefused:
            # Someone joined a cohort of theirs a moment ago: show why.
            plan = actions.deletion_plan(user)
        else:
            logout(request)
            messages.success(
                request,
                gettext("Your account is deleted, with your journal and your profile."),
            )
            return redirect("home")
    return _deletion_page(request, form, plan, status=422)


def _deletion_page(
    request: HttpRequest,
    form: DeleteAccountForm,
    plan: actions.DeletionPlan,
    status: int = 200,
    rate_limited: bool = False,
) -> HttpResponse:
    context = {"form": form, "plan": plan, "rate_limited": rate_limited}
    return render(request, "facilitation/delete_account.html", context, status=status)
