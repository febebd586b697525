from wagtail.views import serve

from core import pagecache
from core.models import CacheVersion
from home.models import HOME_CACHE


def _version():
    return CacheVersion.current(HOME_CACHE)


def root(request):
    """``/``: the home page from the page cache when it can be (one query for the version), else
    Wagtail's routing and serving. Only HomePage.serve stores entries, never for a page behind a
    view restriction, and adding a restriction changes the version (home/signals.py)."""
    key = pagecache.cache_key(request, HOME_CACHE, _version)
    if key:
        hit = pagecache.cached_response(key, request)
        if hit is not None:
            return hit
    return serve(request, "")
