"""One-click unsubscribe from notification e-mail, with no sign-in.

The link carries the user's id and the kinds the e-mail told of, signed with
the site's secret: the signature is the authority, so the page needs neither a
session nor a CSRF token, and mail clients can POST to it (RFC 8058). A GET
only asks for confirmation, because mail scanners follow links.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.models import Frequency, Kind, Preference

SALT = "notifications.unsubscribe"


def unsubscribe_token(user: User, kinds: Iterable[str]) -> str:
    return signing.Signer(salt=SALT).sign_object(
        {"user": user.pk, "kinds": list(kinds)}
    )


def unsubscribe_url(user: User, kinds: Iterable[str]) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kinds)])
    return settings.SITE_URL + path


def _read(token: str) -> tuple[User, list[str]]:
    """The user and kinds a token names; a 404 for anything else."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
        user_id, kinds = int(payload["user"]), list(payload["kinds"])
        known = kinds and set(kinds) <= set(Kind.values)
    except (signing.BadSignature, ValueError, TypeError, KeyError) as error:
        raise Http404("No such link.") from error
    user = User.objects.filter(pk=user_id, is_active=True).first() if known else None
    if user is None:
        raise Http404("No such link.")
    return user, kinds


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user, kinds = _read(token)
    done = request.method == "POST"
    if done:
        for kind in kinds:
            Preference.objects.choose(user, kind, Frequency.NEVER)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kinds": [Kind(kind).in_sentence for kind in kinds], "done": done},
    )
