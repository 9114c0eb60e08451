"""A cohort's schedule: dates, cadence, release now, pause and resume."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import is_confirmed
from programmes import actions
from programmes import schedule as cohort_schedule
from programmes.forms import CadenceForm, PaceForm
from programmes.models import Cohort, Membership
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
                request,
                ngettext(
                    "Schedule saved: %(count)s date changed.",
                    "Schedule saved: %(count)s dates changed.",
                    len(changed),
                )
                % {"count": len(changed)},
            )
        else:
            messages.info(request, gettext("No dates changed."))
        return redirect("studio:schedule", slug=cohort.slug)
    return _schedule_page(request, cohort, form=form)


def _schedule_page(
    request: HttpRequest,
    cohort: Cohort,
    *,
    form: cohort_schedule.ScheduleForm | None = None,
    cadence_form: CadenceForm | None = None,
    pace_form: PaceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = cohort_schedule.ScheduleForm(cohort=cohort, releases=cohort.schedule())
    if cadence_form is None:
        cadence_form = CadenceForm(instance=cohort, programme=cohort.programme)
    context = {
        "cohort": cohort,
        "form": form,
        "cadence_form": cadence_form,
        "pace_form": pace_form or PaceForm(instance=cohort),
        "today": cohort_schedule.local_today(cohort),
        "rows": _rows(cohort, form),
    }
    return render(request, "programmes/schedule.html", context, status=status)


def _rows(cohort: Cohort, form: cohort_schedule.ScheduleForm) -> list[tuple]:
    """(release, date field, the release for someone joining today, in a
    self-paced cohort, else None) for each Thing."""
    examples = {}
    if cohort.is_self_paced:
        examples = {r.thing.pk: r for r in cohort_schedule.joining_today(cohort)}
    return [
        (release, field, examples.get(release.thing.pk))
        for release, field in form.rows()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def release_now(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    """Opening a Thing early tells every participant: it is asked first."""
    cohort = get_facilitated_cohort(request, slug)
    thing = get_object_or_404(cohort.programme.things.published(), slug=thing_slug)
    if cohort.is_self_paced:
        messages.error(request, actions.SELF_PACED_DATES)
        return redirect("studio:schedule", slug=cohort.slug)
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
        messages.success(
            request, gettext("Paused: nothing new opens until you resume.")
        )
    else:
        messages.info(request, gettext("The cohort was already paused."))
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def resume_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    days = actions.resume_cohort(cohort=cohort)
    if days is None:
        messages.info(request, gettext("The cohort was not paused."))
    else:
        messages.success(
            request,
            ngettext(
                "Resumed. The default dates moved %(count)s day later; dates set "
                "by hand stay.",
                "Resumed. The default dates moved %(count)s days later; dates set "
                "by hand stay.",
                days,
            )
            % {"count": days},
        )
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def set_cadence(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    form = CadenceForm(request.POST, instance=cohort, programme=cohort.programme)
    if not form.is_valid():
        return _schedule_page(request, cohort, cadence_form=form, status=422)
    if actions.set_cadence(cohort=cohort, **form.cadence_fields()):
        messages.success(
            request, gettext("Cadence saved: the default dates follow it.")
        )
    else:
        messages.info(request, gettext("The cadence was already that."))
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def set_pace(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    form = PaceForm(request.POST)
    if not form.is_valid():
        return _schedule_page(request, cohort, pace_form=form, status=422)
    if actions.set_pace(cohort=cohort, pace=form.cleaned_data["pace"]):
        messages.success(
            request, gettext("Pace saved: every participant's dates follow it.")
        )
    else:
        messages.info(request, gettext("The pace was already that."))
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_http_methods(["GET", "POST"])
def move_later_dates(request: HttpRequest, slug: str) -> HttpResponse:
    """Moving every later date is asked first, as it changes many dates."""
    cohort = get_facilitated_cohort(request, slug)
    if cohort.is_self_paced:
        messages.error(request, actions.SELF_PACED_DATES)
        return redirect("studio:schedule", slug=cohort.slug)
    if not is_confirmed(request):
        upcoming = [
            (release, release.opens_on + datetime.timedelta(weeks=1))
            for release in cohort.schedule()
            if not release.is_open
        ]
        context = {"cohort": cohort, "upcoming": upcoming}
        return render(request, "programmes/move_later_confirm.html", context)
    try:
        seen = int(request.POST.get("pause_days", ""))
    except ValueError:
        seen = None
    moved = actions.move_later_dates(cohort=cohort, seen_pause_days=seen)
    if moved:
        messages.success(
            request,
            ngettext(
                "%(count)s Thing now opens a week later.",
                "%(count)s Things now open a week later.",
                moved,
            )
            % {"count": moved},
        )
    else:
        messages.info(request, gettext("No dates moved."))
    return redirect("studio:schedule", slug=cohort.slug)
