from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from accounts import actions, sso
from accounts.forms import ProfileForm
from accounts.models import Profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    profile, _ = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(profile=profile, **form.cleaned_data)
        messages.success(request, gettext("Your profile is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "sso_providers": sso.providers_configured(),
            "linked_providers": sso.linked_provider_names(request.user),
            "sso_only": settings.PONDER_SSO_ONLY,
        },
    )
