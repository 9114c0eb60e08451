from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts import actions, sso
from accounts.forms import LanguageForm, ProfileForm
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


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The language switcher: a cookie for everyone (Django's `set_language`,
    which also goes back to a safe `next`), and the profile of a signed-in
    person, whose choice there would otherwise win over the cookie."""
    form = LanguageForm(request.POST)
    if request.user.is_authenticated and form.is_valid():
        profile, _ = Profile.objects.get_or_create(user=request.user)
        actions.update_profile(profile=profile, language=form.cleaned_data["language"])
    return set_language(request)
