"""Certificates of completion and their public verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import display_name
from facilitation import actions as facilitation_actions
from facilitation import certificates as certs
from facilitation.progress import PARTICIPANTS_PER_PAGE
from programmes.models import Certificate, Cohort, Membership
from programmes.views.access import get_facilitated_cohort


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


def _participant(cohort: Cohort, membership_id: int) -> Membership:
    return get_object_or_404(
        certs.cohort_participants(cohort), cohort=cohort, pk=membership_id
    )


@login_required
@require_GET
def cohort_certificates(request: HttpRequest, cohort: str) -> HttpResponse:
    """The cohort's facilitators: every participant's certificate, or how far
    they are from one."""
    cohort = get_facilitated_cohort(request, cohort)
    page = Paginator(certs.cohort_participants(cohort), PARTICIPANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "cohort": cohort,
        "role": "facilitator",
        "page": page,
        "rows": certs.member_certificates(cohort, list(page)),
    }
    return render(request, "facilitation/certificates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_certificate(
    request: HttpRequest, cohort: str, membership_id: int
) -> HttpResponse:
    """Confirm, then issue a finished participant's certificate or issue it
    again with today's date."""
    cohort = get_facilitated_cohort(request, cohort)
    membership = _participant(cohort, membership_id)
    [row] = certs.member_certificates(cohort, [membership])
    if not (row.finished or row.certificate):
        raise Http404("Nothing to issue")
    form = certs.IssueCertificateForm(
        request.POST if request.method == "POST" else None,
        initial={"shown_issued_at": row.certificate and row.certificate.issued_at},
    )
    if request.method == "POST" and form.is_valid():
        try:
            issued = facilitation_actions.issue_certificate(
                membership=membership,
                shown_issued_at=form.cleaned_data["shown_issued_at"],
            )
        except facilitation_actions.CertificateNotEarned:
            messages.error(
                request,
                gettext("%(name)s has not finished yet.")
                % {"name": display_name(membership.user)},
            )
        else:
            messages.success(
                request,
                gettext("Certificate for %(name)s, dated %(date)s.")
                % {
                    "name": display_name(membership.user),
                    "date": date_format(timezone.localtime(issued.issued_at)),
                },
            )
        return redirect("facilitation:certificates", cohort=cohort.slug)
    context = {"cohort": cohort, "row": row, "form": form}
    return render(request, "facilitation/certificate_issue.html", context)
