"""A short-lived cache of the public programs listing (API), invalidated on every change.

The listing is the same for everyone (no personal data), read far more often than seats change,
and costs a handful of queries plus serialisation. Responses are cached per URL, host and
language under a version number that every change bumps after commit (registrations,
cancellations, promotions, sessions saved, pages published or unpublished). The time limit
(``PROGRAMS_LISTING_CACHE_SECONDS``, default 5; 0 switches the cache off) bounds staleness where
the cache is per process (the in-memory default with several workers); with Redis the version
is shared and a change is seen at once.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

from core import pagecache

VERSION_KEY = "programs:listing:version"
NAMESPACE = "programs"


def seconds():
    return int(getattr(settings, "PROGRAMS_LISTING_CACHE_SECONDS", 5))


def version():
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY, 1)
    return value


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def invalidate():
    """Bump the listing version once the current transaction commits (now, outside one)."""
    transaction.on_commit(_bump)


def cached_listing(run):
    """Wrap a ninja operation's ``run`` so 200 answers to GET are served from the cache."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        ttl = seconds()
        if ttl <= 0 or request.method != "GET":
            return run(request, *args, **kwargs)
        raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
        key = f"programs:listing:{version()}:{hashlib.sha256(raw.encode()).hexdigest()}"
        hit = cache.get(key)
        if hit is not None:
            content_type, body = hit
            return HttpResponse(body, content_type=content_type)
        response = run(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            cache.set(key, (response["Content-Type"], response.content), ttl)
        return response

    return wrapper


def listing_page(view):
    """The listing page for anonymous readers, cached like the API listing (same version, same
    time limit: places left are never staler than the API's)."""
    return pagecache.cache_for_anonymous(NAMESPACE, version, seconds)(view)


class CachedProgramPageMixin(pagecache.CachedPageMixin):
    """Program and programs-index pages for anonymous readers, under the listing's version."""

    page_cache_namespace = NAMESPACE

    def page_cache_version(self):
        return version()

    @property
    def page_cache_seconds(self):
        return seconds()
