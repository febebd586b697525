"""Serving news pages from the shared whole-page cache (core/pagecache.py) before Wagtail routes.

Entries are keyed by the news version (``NewsCacheState``; the page models' ``CachedPageMixin``
stores them), so publishing, unpublishing or editing anything a page shows makes them stale at
once. Pages behind a view restriction are never stored, so answering from the cache before
Wagtail's routing and privacy hooks (news/views.py, for URLs under /news/) never shows a private
page; a restriction added later changes the news version and with it every key.
"""

from core import pagecache
from news.models import CachedPageMixin, NewsCacheState


def serve_path(request):
    """For URLs under the plugin's prefix: the cached page, else Wagtail's normal serving."""
    from wagtail.views import serve

    key = pagecache.cache_key(request, CachedPageMixin.page_cache_namespace, NewsCacheState.current)
    if key:
        hit = pagecache.cached_response(key, request)
        if hit is not None:
            return hit
    return serve(request, request.path.lstrip("/"))
