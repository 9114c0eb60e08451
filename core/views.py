from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.markdown import as_safe_html, render_markdown

PREVIEW_MAX_LENGTH = 100_000
# The editors send their own field: an entry's body, a Thing's introduction.
PREVIEW_FIELDS = ("body", "introduction")


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Markdown preview through the same sanitiser as the published page."""
    field = next((name for name in PREVIEW_FIELDS if name in request.POST), None)
    text = request.POST[field][:PREVIEW_MAX_LENGTH] if field else ""
    html = as_safe_html(render_markdown(text))
    return render(request, "core/preview.html", {"preview_html": html})
