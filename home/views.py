from django.shortcuts import render
from wagtail.views import serve

from core import cache
from home.models import HOME_CACHE


def root(request):
    """``/``: the home page from the page cache when it can be (no query on a hit), else
    Wagtail's routing and serving. Only HomePage.serve stores entries, never for a page behind a
    view restriction, and adding a restriction makes the home namespace stale (HomeConfig)."""
    hit = cache.serve_page_from_cache(request, (HOME_CACHE,))
    return hit if hit is not None else serve(request, "")


def search(request):
    """``/search/``: every enabled plugin's public content (core.sitesearch), in Chinese too.
    Not cached: the query is the reader's, and results follow each publish at once."""
    from core.sitesearch import SearchPage

    return render(request, "search.html", {"search": SearchPage(request)})
