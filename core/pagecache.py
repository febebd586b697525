"""Whole-page cache for anonymous readers, shared by the home page and the plugins' pages.

A public page is the same for every anonymous reader except for the CSRF token in the site
header's language form, so the rendered HTML is cached with the token cut out and a fresh one put
back for each reader. Entries are keyed by a version that changes whenever anything the page shows
changes (``core.models.CacheVersion``, or a plugin's own), so a change is seen at once; the time
limit only bounds how long an unused entry stays in the cache. Logged-in users, previews, requests
carrying flash messages, non-GET requests and non-200 responses bypass the cache.
"""

import hashlib
import re
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PLACEHOLDER = "__PAGE_CSRF_TOKEN__"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def cache_key(request, namespace, version):
    """The key for ``request`` under ``version()`` (called only when the request may be cached:
    it usually costs a query), or None when this request must not be cached."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    if "messages" in request.COOKIES:
        return None
    raw = "|".join([str(version()), request.get_host(), request.scheme, get_language() or "",
                    request.get_full_path()])
    return f"page:{namespace}:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_response(key, request):
    body = cache.get(key)
    if body is None:
        return None
    response = HttpResponse(body.replace(PLACEHOLDER, get_token(request)))
    response["X-Page-Cache"] = "hit"
    return response


def store(key, response, seconds):
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    body = response.content.decode(response.charset)
    cache.set(key, _TOKEN.sub(lambda m: m.group(1) + PLACEHOLDER + m.group(3), body), seconds)
    return response


def cache_for_anonymous(namespace, version, seconds):
    """Decorate a function view: anonymous GETs are answered from the cache under ``version()``
    (a callable) for up to ``seconds()`` (a callable; 0 switches the cache off)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            ttl = seconds()
            key = cache_key(request, namespace, version) if ttl > 0 else None
            if key:
                hit = cached_response(key, request)
                if hit is not None:
                    return hit
            response = view(request, *args, **kwargs)
            return store(key, response, ttl) if key else response

        return wrapper

    return decorator


class CachedPageMixin:
    """For Wagtail page models: ``page_cache_namespace``, ``page_cache_version()`` and
    ``page_cache_seconds`` say how. Pages behind a view restriction are never stored."""

    page_cache_namespace = "pages"
    page_cache_seconds = 600

    def page_cache_version(self):
        raise NotImplementedError

    def serve(self, request, *args, **kwargs):
        key = cache_key(request, self.page_cache_namespace, self.page_cache_version)
        if key:
            hit = cached_response(key, request)
            if hit is not None:
                return hit
        response = super().serve(request, *args, **kwargs)
        # A reader who entered a page's password must not hand it to the next one.
        if key and not self.get_view_restrictions().exists():
            store(key, response, self.page_cache_seconds)
        return response


def invalidate_on_change(bump, *, name, models=(), settings_models=()):
    """Connect ``bump(raw=...)`` to what changes cached public pages: any page published,
    unpublished or moved; saves and deletes of ``models``; and edits of ``settings_models`` (site
    settings the header and footer show; Wagtail creates their row, empty, the first time a page
    reads it, and that creation changes nothing). ``name`` keeps the connections unique."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    def edited(sender, created=False, raw=False, **kwargs):
        if not created:
            bump(raw=raw)

    uid = f"pagecache-{name}-{{}}".format
    page_published.connect(bump, dispatch_uid=uid("published"), weak=False)
    page_unpublished.connect(bump, dispatch_uid=uid("unpublished"), weak=False)
    # A move saves a plain Page (no post_save for the specific type): old addresses must go stale.
    post_page_move.connect(bump, dispatch_uid=uid("moved"), weak=False)
    for model in models:
        post_save.connect(bump, sender=model, dispatch_uid=uid(f"save-{model._meta.label}"), weak=False)
        post_delete.connect(bump, sender=model, dispatch_uid=uid(f"delete-{model._meta.label}"), weak=False)
    for model in settings_models:
        post_save.connect(edited, sender=model, dispatch_uid=uid(f"edit-{model._meta.label}"), weak=False)
