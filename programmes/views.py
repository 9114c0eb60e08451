from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.adapter import INVITATION_PREFIX, PENDING_JOIN_SESSION_KEY
from accounts.models import display_name
from core.markdown import as_safe_html, render_markdown
from journal.cpd import csv_text
from programmes import actions, nudges, portable
from programmes import certificates as certs
from programmes import members as cohort_members
from programmes import progress as grid_progress
from programmes import schedule as cohort_schedule
from programmes.forms import CohortForm, ImportProgrammeForm, ProgrammeForm, ThingForm
from programmes.models import (
    Certificate,
    Cohort,
    Membership,
    NudgeDelivery,
    Programme,
    Thing,
)


def _get_owned_programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme.objects.owned_by(request.user), slug=slug)


def _get_owned_thing(request: HttpRequest, slug: str, thing_slug: str) -> Thing:
    programme = _get_owned_programme(request, slug)
    return get_object_or_404(programme.things, slug=thing_slug)


def _get_facilitated_cohort(request: HttpRequest, slug: str) -> Cohort:
    cohorts = Cohort.objects.facilitated_by(request.user).select_related("programme")
    return get_object_or_404(cohorts, slug=slug)


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


@login_required
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    context = {
        "programmes": Programme.objects.owned_by(request.user),
        "cohorts": Cohort.objects.facilitated_by(request.user).select_related(
            "programme"
        ),
        "can_create": request.user.has_perm("programmes.add_programme"),
    }
    return render(request, "programmes/studio.html", context)


@login_required
@permission_required("programmes.add_programme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def new_programme(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = actions.create_programme(owner=request.user, **form.cleaned_data)
        messages.success(request, "Programme created. Now add its Things.")
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _get_owned_programme(request, slug)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        messages.success(request, "Programme saved.")
        return redirect(programme)
    context = {
        "programme": programme,
        "form": form,
        "things": programme.things.all(),
        "cohorts": programme.cohorts.all(),
    }
    return render(request, "programmes/programme.html", context)


def _thing_form_page(request: HttpRequest, form: ThingForm, thing: Thing | None):
    preview_html = None
    if "preview" in request.POST:
        preview_html = as_safe_html(
            render_markdown(request.POST.get("introduction", ""))
        )
    context = {
        "programme": form.programme,
        "form": form,
        "thing": thing,
        "preview_html": preview_html,
    }
    return render(request, "programmes/thing_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_thing(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _get_owned_programme(request, slug)
    form = ThingForm(request.POST or None, programme=programme)
    if "save" in request.POST and form.is_valid():
        thing = actions.add_thing(programme=programme, **form.cleaned_data)
        messages.success(request, f"{thing} added.")
        return redirect(programme)
    return _thing_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = _get_owned_thing(request, slug, thing_slug)
    form = ThingForm(request.POST or None, instance=thing, programme=thing.programme)
    if "save" in request.POST and form.is_valid():
        thing = form.save()
        messages.success(request, f"{thing} saved.")
        return redirect(thing.programme)
    return _thing_form_page(request, form, thing)


@login_required
@require_POST
def move_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = _get_owned_thing(request, slug, thing_slug)
    offsets = {"up": -1, "down": 1}
    if request.POST.get("direction") not in offsets:
        raise Http404("Unknown direction")
    actions.move_thing(thing=thing, offset=offsets[request.POST["direction"]])
    return redirect(f"{thing.programme.get_absolute_url()}#things")


@login_required
@require_POST
def publish_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = _get_owned_thing(request, slug, thing_slug)
    publish = request.POST.get("publish") == "1"
    thing.status = Thing.Status.PUBLISHED if publish else Thing.Status.DRAFT
    thing.save(update_fields=["status"])
    messages.success(request, f"{thing} is {thing.get_status_display().lower()}.")
    return redirect(f"{thing.programme.get_absolute_url()}#things")


@login_required
@require_http_methods(["GET", "POST"])
def new_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _get_owned_programme(request, slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = actions.create_cohort(
            programme=programme, facilitator=request.user, **form.cleaned_data
        )
        messages.success(request, f"{cohort.name} created. Share its join link.")
        return redirect("studio:cohort", slug=cohort.slug)
    context = {"programme": programme, "form": form}
    return render(request, "programmes/cohort_form.html", context)


@login_required
@require_GET
def cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    join_url = request.build_absolute_uri(cohort.get_join_url())
    context = {
        "cohort": cohort,
        "join_url": join_url,
        "schedule": cohort.schedule(),
        "member_count": cohort.memberships.count(),
    }
    return render(request, "programmes/cohort_studio.html", context)


@login_required
@require_POST
def rotate_join_link(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    cohort.rotate_join_token()
    messages.success(request, "A new join link is ready. The old one no longer works.")
    return redirect("studio:cohort", slug=cohort.slug)


# Progress (issue 3): the grid, its CSV and charts live in programmes/progress.py.


@login_required
@require_GET
def progress(request: HttpRequest, cohort: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, cohort)
    show = grid_progress.parse_choice(
        request.GET.get("show"), grid_progress.Show, grid_progress.Show.ALL
    )
    sort = grid_progress.parse_choice(
        request.GET.get("sort"), grid_progress.Sort, grid_progress.Sort.NAME
    )
    grid = grid_progress.grid_for(cohort)
    members = grid_progress.participants(grid, show=show, sort=sort)
    page = Paginator(members, grid_progress.PARTICIPANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "cohort": cohort,
        "role": "facilitator",
        "grid": grid,
        "page": page,
        "rows": grid_progress.rows_for(grid, list(page)),
        "show": show,
        "sort": sort,
        "show_choices": grid_progress.Show.choices,
        "sort_choices": grid_progress.Sort.choices,
        "charts": grid_progress.charts_for(grid),
        "stale_days": grid_progress.STALE_AFTER.days,
    }
    return render(request, "programmes/progress.html", context)


@login_required
@require_GET
def progress_csv(request: HttpRequest, cohort: str) -> StreamingHttpResponse:
    cohort = _get_facilitated_cohort(request, cohort)
    show = grid_progress.parse_choice(
        request.GET.get("show"), grid_progress.Show, grid_progress.Show.ALL
    )
    sort = grid_progress.parse_choice(
        request.GET.get("sort"), grid_progress.Sort, grid_progress.Sort.NAME
    )
    zone = timezone.get_current_timezone()
    grid = grid_progress.grid_for(cohort)
    members = grid_progress.participants(grid, show=show, sort=sort)
    response = StreamingHttpResponse(
        csv_text(grid_progress.csv_rows(grid, members, zone)),
        content_type="text/csv; charset=utf-8",
    )
    filename = grid_progress.csv_filename(cohort, zone)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


# Schedule: dates, release now, pause and resume (programmes/schedule.py)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    form = cohort_schedule.ScheduleForm(
        request.POST or None, cohort=cohort, releases=cohort.schedule()
    )
    if request.method == "POST" and form.is_valid():
        changed = cohort_schedule.save_schedule(cohort=cohort, dates=form.dates())
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
@require_POST
def release_now(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    thing = get_object_or_404(cohort.programme.things.published(), slug=thing_slug)
    try:
        released = cohort_schedule.release_now(cohort=cohort, thing=thing)
    except cohort_schedule.ScheduleError as error:
        messages.error(request, str(error))
    else:
        if released:
            messages.success(request, f"{thing} is open to participants now.")
        else:
            messages.info(request, f"{thing} was already open.")
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def pause_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    if cohort_schedule.pause_cohort(cohort=cohort):
        messages.success(request, "Paused: nothing new opens until you resume.")
    else:
        messages.info(request, "The cohort was already paused.")
    return redirect("studio:schedule", slug=cohort.slug)


@login_required
@require_POST
def resume_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    days = cohort_schedule.resume_cohort(cohort=cohort)
    if days is None:
        messages.info(request, "The cohort was not paused.")
    else:
        messages.success(
            request,
            f"Resumed. The default dates moved {days} day{'s' if days != 1 else ''}"
            " later; dates set by hand stay.",
        )
    return redirect("studio:schedule", slug=cohort.slug)


# Completion and reuse (issue 3): the rules live in programmes/certificates.py
# and programmes/portable.py.


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
        reverse("programmes:verify_certificate", kwargs={"token": issued.token})
    )
    context = {
        "details": certs.certificate_details(issued),
        "membership": membership,
        "verify_url": verify_url,
    }
    return render(request, "programmes/certificate.html", context)


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
    return render(request, "programmes/certificate_verify.html", context)


@login_required
@require_POST
def duplicate_programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _get_owned_programme(request, slug)
    copy = portable.duplicate_programme(programme=programme, owner=request.user)
    messages.success(
        request, f"{copy.title} is ready, with its {copy.things.count()} Things."
    )
    return redirect(copy)


@login_required
@require_GET
def export_programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _get_owned_programme(request, slug)
    response = HttpResponse(
        portable.export_programme(programme), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}.zip"'
    return response


@login_required
@permission_required("programmes.add_programme", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_programme(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportProgrammeForm(request.POST, request.FILES)
    else:
        form = ImportProgrammeForm()
    if request.method == "POST" and form.is_valid():
        data = form.programme_data
        programme = portable.import_programme(data=data, owner=request.user)
        note = (
            ""
            if programme.slug == data.slug
            else f" Another programme has the address {data.slug}, "
            f"so this one is {programme.slug}."
        )
        messages.success(
            request,
            f"{programme.title} imported with {len(data.things)} Things.{note}",
        )
        return redirect(programme)
    return render(request, "programmes/import.html", {"form": form})


# Nudges and people (programmes/nudges.py, programmes/members.py)

MEMBERS_PER_PAGE = 50
NUDGES_PER_PAGE = 20


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
    return _members_page(request, _get_facilitated_cohort(request, slug))


def _get_membership(cohort: Cohort, membership_id: int) -> Membership:
    return get_object_or_404(
        cohort.memberships.select_related("user__profile", "cohort"),
        pk=membership_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    membership = _get_membership(cohort, membership_id)
    if request.method == "POST":
        try:
            cohort_members.remove_member(membership=membership)
        except cohort_members.MembershipRuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{display_name(membership.user)} left {cohort.name}."
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
    cohort = _get_facilitated_cohort(request, slug)
    membership = _get_membership(cohort, membership_id)
    try:
        cohort_members.set_role(
            membership=membership, role=request.POST.get("role", "")
        )
    except cohort_members.MembershipRuleError as error:
        messages.error(request, str(error))
        return redirect("studio:members", slug=cohort.slug)
    messages.success(
        request,
        f"{display_name(membership.user)} is now a "
        f"{membership.get_role_display().lower()}.",
    )
    if membership.user_id == request.user.pk and not membership.is_facilitator:
        return redirect("studio:index")
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_POST
def set_joining(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    is_open = request.POST.get("open") == "1"
    cohort_members.set_joining_open(cohort=cohort, is_open=is_open)
    if is_open:
        messages.success(request, "Joining is open: the join link works again.")
    else:
        messages.success(
            request, "Joining is closed: the join link lets nobody new in."
        )
    return redirect("studio:members", slug=cohort.slug)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    form = cohort_members.InvitationForm(request.POST)
    if not form.is_valid():
        return _members_page(request, cohort, form, status=422)
    result = cohort_members.invite_by_email(
        cohort=cohort, invited_by=request.user, addresses=form.cleaned_data["addresses"]
    )
    parts = [f"Invited {len(result.invited)}"]
    if result.already_members:
        parts.append(
            f"skipped {len(result.already_members)} already a member "
            f"({', '.join(result.already_members)})"
        )
    if result.already_invited:
        parts.append(
            f"skipped {len(result.already_invited)} already invited "
            f"({', '.join(result.already_invited)})"
        )
    messages.success(request, "; ".join(parts) + ".")
    return redirect("studio:members", slug=cohort.slug)


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


@login_required
@require_http_methods(["GET", "POST"])
def compose_nudge(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    data = request.POST if request.method == "POST" else request.GET
    asked = nudges.participant_ids(data.getlist("participant"))
    recipients = list(nudges.cohort_participants(cohort, asked))
    form = nudges.NudgeForm(request.POST or None)
    preview = None
    status = 200
    if request.method == "POST":
        if not recipients:
            form.add_error(None, "Choose at least one participant of this cohort.")
        if form.is_valid() and "send" in request.POST:
            nudges.send_nudge(
                cohort=cohort,
                sender=request.user,
                recipients=recipients,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            messages.success(
                request,
                f"Message sent to {len(recipients)} "
                f"participant{'s' if len(recipients) != 1 else ''}.",
            )
            return redirect("studio:nudges", slug=cohort.slug)
        if form.is_valid():
            [first] = nudges.personalise(
                cohort=cohort,
                recipients=recipients[:1],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
            preview = {
                "recipient": first.recipient,
                "subject": first.subject,
                "body": as_safe_html(render_markdown(first.body)),
            }
        else:
            status = 422
    context = {
        "cohort": cohort,
        "form": form,
        "recipients": recipients,
        "not_found": len(asked) - len(recipients),
        "placeholders": nudges.PLACEHOLDERS,
        "preview": preview,
    }
    return render(request, "programmes/nudge_compose.html", context, status=status)


@login_required
@require_GET
def nudge_log(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_facilitated_cohort(request, slug)
    sent = (
        cohort.nudges.select_related("sender__profile")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=NudgeDelivery.objects.select_related(
                    "recipient__profile"
                ).order_by("recipient__username"),
            )
        )
        .order_by("-created", "-pk")
    )
    page = Paginator(sent, NUDGES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"cohort": cohort, "page": page}
    return render(request, "programmes/nudge_log.html", context)


@login_required
@require_GET
def nudge_message(request: HttpRequest, pk: int) -> HttpResponse:
    """A recipient reads a nudge: only their own copy exists for them."""
    delivery = get_object_or_404(nudges.deliveries_for(request.user), pk=pk)
    nudges.mark_read(delivery)
    return render(request, "programmes/nudge_message.html", {"delivery": delivery})
