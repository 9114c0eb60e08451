from http import HTTPStatus

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views import csrf, defaults
from django.views.decorators.http import require_POST

from core.decorators import is_json_endpoint
from core.jsonbody import json_error, wants_json
from core.markdown import as_safe_html, images_in, render_markdown

PREVIEW_MAX_LENGTH = 100_000
# The editors send their own field: an entry's body, a Thing's introduction.
PREVIEW_FIELDS = ("body", "introduction")


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Markdown preview through the same sanitiser as the published page."""
    field = next((name for name in PREVIEW_FIELDS if name in request.POST), None)
    text = request.POST[field][:PREVIEW_MAX_LENGTH] if field else ""
    # The writer's own images show, as they will once saved.
    images = images_in(text, owner_ids=[request.user.pk])
    html = as_safe_html(render_markdown(text, images=images))
    return render(request, "core/preview.html", {"preview_html": html})


# The site's error answers: a page for people, JSON for scripts (a view marked
# core.decorators.json_endpoint, or a request that sent or asked for JSON).


def _for_script(request: HttpRequest) -> bool:
    return is_json_endpoint(request) or wants_json(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. The editor refetches its page for a new token on 403."""
    if _for_script(request):
        message = gettext(
            "The form's security token is missing or out of date: "
            "reload the page and try again."
        )
        return json_error(HTTPStatus.FORBIDDEN, "csrf", message)
    return csrf.csrf_failure(request, reason)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: also a body over DATA_UPLOAD_MAX_MEMORY_SIZE or with too many
    fields, refused by Django before any view reads it."""
    if not _for_script(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        message = gettext("The request is too large.")
        return json_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", message)
    message = gettext("The request could not be read.")
    return json_error(HTTPStatus.BAD_REQUEST, "bad_request", message)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_script(request):
        message = gettext("You may not do this.")
        return json_error(HTTPStatus.FORBIDDEN, "forbidden", message)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _for_script(request):
        message = gettext("There is no such page.")
        return json_error(HTTPStatus.NOT_FOUND, "not_found", message)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_script(request):
        message = gettext("Something went wrong on our side. Try again in a moment.")
        return json_error(HTTPStatus.INTERNAL_SERVER_ERROR, "server_error", message)
    return defaults.server_error(request)
