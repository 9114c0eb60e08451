"""The studio: programmes, their Things, cohorts, and reuse."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import is_confirmed
from core.images import ImageRefused
from core.markdown import as_safe_html
from programmes import actions, portable
from programmes.forms import (
    CohortForm,
    ImportProgrammeForm,
    OpenJoiningForm,
    ProgrammeForm,
    ThingForm,
)
from programmes.models import (
    Cohort,
    Programme,
    Thing,
)
from programmes.schedule import joining_today
from programmes.views.access import (
    get_facilitated_cohort,
    get_owned_programme,
    get_owned_thing,
)


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
        messages.success(request, gettext("Programme created. Now add its Things."))
        return redirect(programme)
    return render(request, "programmes/programme_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_owned_programme(request, slug)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        programme = actions.update_programme(programme=programme, **form.cleaned_data)
        messages.success(request, gettext("Programme saved."))
        return redirect(programme)
    context = {
        "programme": programme,
        "form": form,
        "things": programme.things.all(),
        "cohorts": programme.cohorts.all(),
    }
    return render(request, "programmes/programme.html", context)


@login_required
@require_POST
def set_programme_open(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_owned_programme(request, slug)
    is_open = request.POST.get("open") == "1"
    actions.set_programme_open(programme=programme, is_open=is_open)
    if is_open:
        messages.success(request, gettext("The programme is open: anyone may read it."))
    else:
        messages.success(request, gettext("The programme is closed: its page is gone."))
    return redirect(f"{programme.get_absolute_url()}#public-page")


def _thing_form_page(request: HttpRequest, form: ThingForm, thing: Thing | None):
    preview_html = None
    if "preview" in request.POST:
        html, _images = form.programme.render_introduction(
            request.POST.get("introduction", "")
        )
        preview_html = as_safe_html(html)
    context = {
        "programme": form.programme,
        "form": form,
        "thing": thing,
        "preview_html": preview_html,
    }
    return render(request, "programmes/thing_form.html", context)


def _new_image(request: HttpRequest, form: ThingForm) -> actions.NewImage | None:
    if form.new_image is None:
        return None
    return actions.NewImage(owner=request.user, image=form.new_image)


@login_required
@require_http_methods(["GET", "POST"])
def new_thing(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_owned_programme(request, slug)
    form = ThingForm(request.POST or None, request.FILES or None, programme=programme)
    if "save" in request.POST and form.is_valid():
        try:
            thing = actions.add_thing(
                programme=programme,
                image=_new_image(request, form),
                **form.cleaned_data,
            )
        except ImageRefused as refused:
            form.add_error("image", str(refused))
            return _thing_form_page(request, form, None)
        messages.success(request, gettext("%(thing)s added.") % {"thing": thing})
        return redirect(programme)
    return _thing_form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = get_owned_thing(request, slug, thing_slug)
    form = ThingForm(
        request.POST or None,
        request.FILES or None,
        instance=thing,
        programme=thing.programme,
    )
    if "save" in request.POST and form.is_valid():
        try:
            thing = actions.update_thing(
                thing=thing, image=_new_image(request, form), **form.cleaned_data
            )
        except ImageRefused as refused:
            form.add_error("image", str(refused))
            return _thing_form_page(request, form, thing)
        messages.success(request, gettext("%(thing)s saved.") % {"thing": thing})
        return redirect(thing.programme)
    return _thing_form_page(request, form, thing)


@login_required
@require_POST
def move_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = get_owned_thing(request, slug, thing_slug)
    offsets = {"up": -1, "down": 1}
    if request.POST.get("direction") not in offsets:
        raise Http404("Unknown direction")
    actions.move_thing(thing=thing, offset=offsets[request.POST["direction"]])
    return redirect(f"{thing.programme.get_absolute_url()}#things")


@login_required
@require_POST
def publish_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = get_owned_thing(request, slug, thing_slug)
    if request.POST.get("publish") != "1":
        # Unpublishing takes participants' Thing away: it is asked first.
        return redirect("studio:unpublish_thing", slug=slug, thing_slug=thing_slug)
    thing = actions.set_thing_published(thing=thing, published=True)
    messages.success(request, gettext("%(thing)s is published.") % {"thing": thing})
    return redirect(f"{thing.programme.get_absolute_url()}#things")


@login_required
@require_http_methods(["GET", "POST"])
def unpublish_thing(request: HttpRequest, slug: str, thing_slug: str) -> HttpResponse:
    thing = get_owned_thing(request, slug, thing_slug)
    things_url = f"{thing.programme.get_absolute_url()}#things"
    if not thing.is_published:
        messages.info(request, gettext("%(thing)s is draft.") % {"thing": thing})
        return redirect(things_url)
    if is_confirmed(request):
        thing = actions.set_thing_published(thing=thing, published=False)
        messages.success(request, gettext("%(thing)s is draft.") % {"thing": thing})
        return redirect(things_url)
    context = {
        "thing": thing,
        "cohorts": thing.programme.cohorts.order_by("name"),
        "cancel_url": things_url,
    }
    return render(request, "programmes/thing_unpublish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_owned_programme(request, slug)
    form = CohortForm(request.POST or None, programme=programme)
    open_joining = OpenJoiningForm(request.POST or None)
    # Both forms are checked, so every error shows at once.
    valid = all([form.is_valid(), open_joining.is_valid()])
    if request.method == "POST" and valid:
        cohort = actions.create_cohort(
            programme=programme,
            facilitator=request.user,
            open_joining=open_joining.cleaned_data,
            **form.cleaned_data,
        )
        messages.success(
            request,
            gettext("%(cohort)s created. Share its join link.")
            % {"cohort": cohort.name},
        )
        return redirect("studio:cohort", slug=cohort.slug)
    context = {"programme": programme, "form": form, "open_joining": open_joining}
    return render(request, "programmes/cohort_form.html", context)


@login_required
@require_GET
def cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    return _cohort_page(request, cohort, OpenJoiningForm(instance=cohort))


def _cohort_page(
    request: HttpRequest,
    cohort: Cohort,
    open_joining: OpenJoiningForm,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    join_url = request.build_absolute_uri(cohort.get_join_url())
    context = {
        "cohort": cohort,
        "join_url": join_url,
        "schedule": joining_today(cohort)
        if cohort.is_self_paced
        else cohort.schedule(),
        "member_count": cohort.memberships.count(),
        "open_joining": open_joining,
    }
    return render(request, "programmes/cohort_studio.html", context, status=status)


@login_required
@require_POST
def set_open_joining(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    form = OpenJoiningForm(request.POST, instance=Cohort.objects.get(pk=cohort.pk))
    if not form.is_valid():
        return _cohort_page(
            request, cohort, form, status=HTTPStatus.UNPROCESSABLE_ENTITY
        )
    actions.set_open_joining(cohort=cohort, **form.cleaned_data)
    messages.success(request, gettext("Open joining saved."))
    return redirect(f"{reverse('studio:cohort', kwargs={'slug': slug})}#open-joining")


@login_required
@require_POST
def rotate_join_link(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_facilitated_cohort(request, slug)
    actions.rotate_join_link(cohort=cohort)
    messages.success(
        request, gettext("A new join link is ready. The old one no longer works.")
    )
    return redirect("studio:cohort", slug=cohort.slug)


@login_required
@require_POST
def duplicate_programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_owned_programme(request, slug)
    copy = portable.duplicate_programme(programme=programme, owner=request.user)
    count = copy.things.count()
    messages.success(
        request,
        ngettext(
            "%(title)s is ready, with its %(count)s Thing.",
            "%(title)s is ready, with its %(count)s Things.",
            count,
        )
        % {"title": copy.title, "count": count},
    )
    return redirect(copy)


@login_required
@require_GET
def export_programme(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_owned_programme(request, slug)
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
        try:
            programme = portable.import_programme(data=data, owner=request.user)
        except portable.PortableFileError as error:
            form.add_error("file", error.problems)
            return render(request, "programmes/import.html", {"form": form})
        count = len(data.things)
        message = ngettext(
            "%(title)s imported with %(count)s Thing.",
            "%(title)s imported with %(count)s Things.",
            count,
        ) % {"title": programme.title, "count": count}
        if programme.slug != data.slug:
            message += " " + gettext(
                "Another programme has the address %(asked)s, so this one is %(slug)s."
            ) % {"asked": data.slug, "slug": programme.slug}
        messages.success(request, message)
        return redirect(programme)
    return render(request, "programmes/import.html", {"form": form})
