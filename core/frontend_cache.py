"""Purging a caching proxy in front of the app servers (nginx, Varnish) when pages go stale.

Wagtail's frontend cache (``wagtail.contrib.frontend_cache``, installed when
``FRONTEND_CACHE_URL`` is set) sends an HTTP ``PURGE`` for a page's URLs when that page is
published or unpublished. A page also goes stale when something else it shows changes: a
story published appears on the news index and the home page, a seat taken changes a program
page's places left, the office's settings change every page's footer. core.cache already knows
this (each page type's ``cache_namespaces``, each app's ``cache_invalidation``); when it makes a
namespace stale, :func:`namespaces_changed` purges the live public pages of every page type
cached under it (every cached page for :data:`core.cache.SITE`), at most
``FENGCHAO_FRONTEND_PURGE_MAX`` of them, through Wagtail's purge task (a background task with
``TASKS_BACKEND=database``, off the request).
"""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def page_models(namespaces):
    """The page models whose cached pages depend on any of ``namespaces``."""
    from django.apps import apps
    from wagtail.models import Page

    from core.cache import SITE, CachedPageMixin

    wanted = set(namespaces)
    return [model for model in apps.get_models()
            if issubclass(model, Page) and issubclass(model, CachedPageMixin) and model.cache_namespaces
            and (SITE in wanted or wanted & set(model.cache_namespaces))]


def connect():
    """Purge on every stale namespace (core's ``ready()``; does nothing without a proxy)."""
    from core.cache import stale

    stale.connect(_stale, dispatch_uid="core-frontend-cache")


def _stale(sender, namespaces=(), **kwargs):
    namespaces_changed(namespaces)


def namespaces_changed(namespaces):
    """Purge the pages cached under ``namespaces`` from the proxy (called after the commit that
    made them stale). Returns how many pages were sent for purging."""
    if not enabled():
        return 0
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    models = page_models(namespaces)
    if not models:
        return 0
    limit = getattr(settings, "FENGCHAO_FRONTEND_PURGE_MAX", 500)
    pages = list(Page.objects.live().public().type(*models).specific(defer=True)
                 .order_by("-last_published_at")[:limit + 1])
    if len(pages) > limit:
        logger.warning("frontend cache: %s made more than %d pages stale; the most recently published %d are "
                       "purged, the proxy's own expiry must bound the rest", ", ".join(sorted(namespaces)),
                       limit, limit)
        pages = pages[:limit]
    batch = PurgeBatch()
    batch.add_pages(pages)
    batch.purge()
    return len(pages)
