"""Certificates of completion and their public verification."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from facilitation import certificates as certs
from programmes.models import (
    Certificate,
    Membership,
)


@login_required
@require_GET
def certificate(request: HttpRequest, cohort: str) -> HttpResponse:
    """The participant's own certificate; a 404 for anyone else or until earned."""
    membership = get_object_or_404(
        Membership.objects.select_related(
            "cohort__programme", "user__profile", "certificate"
        ),
        cohort__slug=cohort,
        user=request.user,
        role=Membership.Role.PARTICIPANT,
    )
    issued = certs.certificate_for(membership)
    if issued is None:
        raise Http404("No certificate yet")
    verify_url = request.build_absolute_uri(
        reverse("facilitation:verify_certificate", kwargs={"token": issued.token})
    )
    context = {
        "details": certs.certificate_details(issued),
        "membership": membership,
        "verify_url": verify_url,
    }
    return render(request, "facilitation/certificate.html", context)


@require_GET
def verify_certificate(request: HttpRequest, token: str) -> HttpResponse:
    """Public: confirms a certificate exists, with nothing of the entries."""
    issued = get_object_or_404(
        Certificate.objects.select_related(
            "membership__cohort__programme", "membership__user__profile"
        ),
        token=token,
    )
    context = {"certificate": issued, "thing_count": certs.things_done_count(issued)}
    return render(request, "facilitation/certificate_verify.html", context)
