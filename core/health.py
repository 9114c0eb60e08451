"""/healthz for a load balancer: is this server able to serve?"""

import logging
import uuid
from http import HTTPStatus

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: the database did not answer")
        return False
    return True


def _cache_keeps_values() -> bool:
    """Whether the cache gives back what was stored. A Redis that is away
    does not fail here: it misses (core.cache.FailSoftRedisCache), and the
    cache says so in the log, once per interval, not once per probe."""
    # A key of its own per probe: two servers probing at once must not see each
    # other's value.
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("healthz: the cache failed")
        return False
    return found == "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, else 503; the body also says whether
    the cache is "ok" or "degraded" (pages are then slower, not broken).

    For a load balancer: a cache shared by every app server that is away must
    not take them all out of service at once. `?strict=1`, for monitoring,
    answers 503 when the cache is degraded too. No sign-in, and exempt from
    the HTTPS redirect (SECURE_REDIRECT_EXEMPT); the reason for a failure goes
    to the log, not to whoever probes.
    """
    database_ok = _database_answers()
    cache_ok = _cache_keeps_values()
    strict = request.GET.get("strict", "0") not in {"", "0"}
    healthy = database_ok and (cache_ok or not strict)
    results = {
        "database": "ok" if database_ok else "failed",
        "cache": "ok" if cache_ok else "degraded",
    }
    status = HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE
    return JsonResponse(results, status=status)
