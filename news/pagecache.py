"""Whole-page cache for anonymous readers of news pages.

News pages are the same for every anonymous reader except for the CSRF token in the site
header's language form, so the rendered HTML is cached with the token cut out and a fresh one
put back for each reader. Entries are keyed by the news version (``NewsCacheState``), so
publishing, unpublishing or editing anything a page shows makes them stale at once. Logged-in
users, previews, requests carrying flash messages and non-200 responses bypass the cache.
Pages behind a view restriction are never stored, so answering from the cache before Wagtail's
routing and privacy hooks (news/views.py, for URLs under /news/) never shows a private page; a
restriction added later changes the news version and with it every key.
"""

import hashlib
import re

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

CACHE_SECONDS = 600
PLACEHOLDER = "__NEWS_CSRF_TOKEN__"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def cache_key(request):
    if request.method != "GET" or getattr(request, "is_preview", False):
        return None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    if "messages" in request.COOKIES:
        return None
    from news.signals import cache_version

    raw = "|".join([str(cache_version()), request.get_host(), request.scheme,
                    get_language() or "", request.get_full_path()])
    return "news:page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_response(key, request):
    body = cache.get(key)
    if body is None:
        return None
    response = HttpResponse(body.replace(PLACEHOLDER, get_token(request)))
    response["X-News-Cache"] = "hit"
    return response


def store(key, response):
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    body = response.content.decode(response.charset)
    cache.set(key, _TOKEN.sub(lambda m: m.group(1) + PLACEHOLDER + m.group(3), body), CACHE_SECONDS)
    return response


class CachedPageMixin:
    def serve(self, request, *args, **kwargs):
        key = cache_key(request)
        if key:
            hit = cached_response(key, request)
            if hit is not None:
                return hit
        response = super().serve(request, *args, **kwargs)
        # Never store a page behind a view restriction: a reader who entered its password
        # must not hand it to the next one (news/views.py answers from the cache before
        # Wagtail's privacy hooks run).
        if key and not self.get_view_restrictions().exists():
            store(key, response)
        return response


def serve_path(request):
    """For URLs under the plugin's prefix: the cached page, else Wagtail's normal serving."""
    from wagtail.views import serve

    key = cache_key(request)
    if key:
        hit = cached_response(key, request)
        if hit is not None:
            return hit
    return serve(request, request.path.lstrip("/"))
