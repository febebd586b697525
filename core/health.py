"""The health check a load balancer polls: ``GET /healthz``.

200 ``{"status": "ok", "checks": {"database": "ok", "cache": "ok"}}`` when the database answers
``SELECT 1`` and the cache stores and returns a value; 503 with the failing check(s) marked
``"unavailable"`` otherwise, so the balancer takes this server out until they come back.

It is a middleware, first in ``MIDDLEWARE``, so the answer comes before everything else: no
session, no login, no locale, no page cache, no HTTPS redirect (balancers often poll plain HTTP)
and no ``ALLOWED_HOSTS`` check (they poll by address; the answer names no host and shows nothing
but these two words). It costs one query and two cache round trips; the reason for a failure is
logged, never shown.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"
_KEY = "core:health"


def check_database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise RuntimeError(f"SELECT 1 on {alias!r} did not answer 1")


def check_cache():
    token = uuid.uuid4().hex
    cache.set(_KEY, token, 30)
    if cache.get(_KEY) != token:
        raise RuntimeError("the cache did not return what was just stored")


CHECKS = (("database", check_database), ("cache", check_cache))


def health():
    """(all well, {check: "ok" | "unavailable"})."""
    results = {}
    for name, check in CHECKS:
        try:
            check()
        except Exception:
            logger.exception("health check: %s unavailable", name)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results


class HealthCheckMiddleware:
    """Answers :data:`PATH` (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "method_not_allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        ok, checks = health()
        response = JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                                status=200 if ok else 503)
        response["Cache-Control"] = "no-store"
        return response
