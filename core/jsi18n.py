"""The messages of static/js/*.js in the reader's language: Django's
JavaScript catalogue (the djangojs domain), served as a script file.

The Content-Security-Policy allows no inline script, so base.html loads the
catalogue from a URL naming the language and a version, before ponder.js. The
version is a digest of the compiled catalogues the view reads (and Django's
version, for its number and date formats): a deploy with new translations
makes a new URL, so browsers may keep each one for a year.
"""

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

DOMAIN = "djangojs"
#: How long a browser keeps the catalogue of the current version.
YEAR = 365 * 24 * 60 * 60


def catalogue_url(language: str) -> str:
    return reverse(
        "javascript_catalogue",
        kwargs={"language": language, "version": catalogue_version(language)},
    )


def catalogue_version(language: str) -> str:
    return _version(language, tuple(str(path) for path in settings.LOCALE_PATHS))


@cache
def _version(language: str, locale_paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for path in locale_paths:
        mo = (
            Path(path)
            / translation.to_locale(language)
            / "LC_MESSAGES"
            / f"{DOMAIN}.mo"
        )
        if mo.is_file():
            digest.update(mo.read_bytes())
    return digest.hexdigest()[:12]


@require_safe
def javascript_catalogue(
    request: HttpRequest, language: str, version: str
) -> HttpResponse:
    """The catalogue of `language`, whichever language the page asking is in.
    Only the current version's URL is kept long: an old page asking for an
    old version gets today's catalogue, but its browser must ask again."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        # Our own catalogue (LOCALE_PATHS) and Django's, not every app's.
        response = JavaScriptCatalog.as_view(domain=DOMAIN, packages=["core"])(request)
    response["Content-Language"] = language
    if version == catalogue_version(language):
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        patch_cache_control(response, no_cache=True)
    return response
