"""A cohort's schedule: dates, release now, pause and resume."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import is_confirmed
from programmes import actions
from programmes import schedule as cohort_schedule
from programmes.models import Membership
from programmes.views.access import (
    get_facilitated_cohort,
)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    form = cohort_schedule.ScheduleForm(
        request.POST or None, cohort=cohort, releases=cohort.schedule()
    )
    if request.method == "POST" and form.is_valid():
        changed = actions.save_schedule(cohort=cohort, dates=form.dates())
        if changed:
            messages.success(
                request, f"Schedule saved: {len(changed)} date(s) changed."
            )
        else:
            messages.info(request, "No dates changed.")
        return redirect("studio:schedule", slug=cohort.slug)
    context = {
        "cohort": cohort,
        "form": form,
        "today": cohort_schedule.local_today(cohort),
    }
    return render(request, "programmes/schedule.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def release_now(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    """Opening a Thing early tells every participant: it is asked first."""
    cohort = get_facilitated_cohort(request, slug)
    thing = get_object_or_404(cohort.programme.things.published(), slug=thing_slug)
    release = next(r for r in cohort.schedule() if r.thing.pk == thing.pk)
    if release.is_open:
        messages.info(
            request, gettext("%(thing)s was already open.") % {"thing": thing}
        )
        return redirect("studio:schedule", slug=cohort.slug)
    if not is_confirmed(request):
        context = {
            "cohort": cohort,
            "release": release,
            "participants": cohort.memberships.filter(
                role=Membership.Role.PARTICIPANT
            ).count(),
            "today": cohort_schedule.local_today(cohort),
        }
        return render(request, "programmes/release_confirm.html", context)
    try:
        actions.release_now(cohort=cohort, thing=thing)
    except actions.ScheduleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("%(thing)s is open to participants now.") % {"thing": thing},
        )
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def pause_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    if actions.pause_cohort(cohort=cohort):
        messages.success(request, "Paused: nothing new opens until you resume.")
    else:
        messages.info(request, "The cohort was already paused.")
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def resume_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    days = actions.resume_cohort(cohort=cohort)
    if days is None:
        messages.info(request, "The cohort was not paused.")
    else:
        messages.success(
            request,
            f"Resumed. The default dates moved {days} day{'s' if days != 1 else ''}"
            " later; dates set by hand stay.",
        )
    return redirect("studio:schedule", slug=cohort.slug)
