"""Images: uploading them from the editor, describing them, and serving each
only to who may see it."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from core import ratelimit
from core.decorators import json_endpoint, login_required_json, visitors_sign_in_on_404
from core.images import ImageRefused
from core.jsonbody import json_error
from core.storage import CACHE_CONTROL, signed_url
from journal import actions
from journal.forms import ImageAltForm, ImageUploadForm
from journal.models import Image

#: Nothing in an image runs, and nothing takes it for another type.
IMAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    # Readers' own browsers may keep it; no shared cache may.
    "Cache-Control": CACHE_CONTROL,
}


@visitors_sign_in_on_404
@require_GET
def image(
    request: HttpRequest, public_id: str, width: int | None = None
) -> HttpResponse:
    """One width of an image (the largest without `width`), for whoever may
    read something that shows it (Image.is_readable_by); a 404 for others."""
    shown = get_object_or_404(Image, public_id=public_id)
    if not shown.is_readable_by(request.user):
        raise Http404("No such image")
    name = shown.file_name(width)
    if name is None:
        raise Http404("No such width")
    url = signed_url(default_storage, name)
    if url is not None:
        response: HttpResponse = HttpResponseRedirect(url)
    else:
        response = FileResponse(
            default_storage.open(name), content_type=shown.content_type
        )
    for header, value in IMAGE_HEADERS.items():
        response[header] = value
    patch_vary_headers(response, ["Cookie"])
    return response


def _described(image: Image) -> dict:
    return {
        "id": image.public_id,
        "url": image.get_absolute_url(),
        "markdown": image.markdown(),
        "alt": image.alt,
        "decorative": image.decorative,
        "width": image.width,
        "height": image.height,
    }


@login_required_json
@json_endpoint(methods=["POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """The editor's upload (a button, a drop or a paste): multipart in, JSON
    out, with the Markdown that shows the image."""
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return json_error(
            HTTPStatus.UNPROCESSABLE_ENTITY, "invalid", errors[0], field=field
        )
    try:
        uploaded = upload_counted(
            request,
            upload=form.cleaned_data["image"],
            alt=form.cleaned_data["alt"],
            decorative=form.cleaned_data["decorative"],
            submission_key=form.cleaned_data["submission"],
        )
    except ImageRefused as refused:
        return json_error(
            HTTPStatus.UNPROCESSABLE_ENTITY, "refused", str(refused), field="image"
        )
    return JsonResponse(_described(uploaded), status=HTTPStatus.CREATED)


def upload_counted(request: HttpRequest, **upload) -> Image:
    """`actions.upload_image` by the person asking, counted towards their
    limit of image uploads (core/ratelimit.py): RateLimited when over it."""
    ratelimit.count("images", request.user)
    return actions.upload_image(owner=request.user, **upload)


def _back_to(request: HttpRequest, fallback: str) -> str:
    """The page the form was on: a path of this site, else `fallback`."""
    wanted = request.POST.get("next", "")
    if (
        wanted.startswith("/")
        and wanted.isprintable()
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts=None, require_https=request.is_secure()
        )
    ):
        return wanted
    return fallback


@login_required
@require_POST
def describe(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change an image's alt text (or mark it decorative): the author's own."""
    own = get_object_or_404(Image, public_id=public_id, owner=request.user)
    form = ImageAltForm(request.POST)
    if form.is_valid():
        actions.set_image_alt(
            image=own,
            alt=form.cleaned_data["alt"],
            decorative=form.cleaned_data["decorative"],
        )
        messages.success(request, gettext("Image description saved."))
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return HttpResponseRedirect(_back_to(request, reverse("home")))
