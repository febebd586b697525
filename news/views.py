from django.http import Http404
from django.shortcuts import redirect

from core import cache
from news import queries


def serve_path(request):
    """For URLs under the plugin's prefix: the page core's page cache holds for this request
    (no query), else Wagtail's normal routing and serving. Only the page models
    (news.models.CachedPageMixin) store entries, never for a page behind a view restriction, and
    adding a restriction makes the news namespace stale (NewsConfig), so answering before
    Wagtail's privacy hooks never shows a private page."""
    from wagtail.views import serve

    hit = cache.serve_page_from_cache(request, ("news",))
    return hit if hit is not None else serve(request, request.path.lstrip("/"))


def index(request):
    """/news/ (the plugin's main link): the newsroom page. Wagtail serves it when the index page
    lives at /news/ (the default), so page privacy and hooks apply; otherwise redirect to it."""
    try:
        return serve_path(request)
    except Http404:
        page = queries.newsroom_index()
        url = page.get_url(request) if page else None
        if not url or url.rstrip("/") == request.path.rstrip("/"):
            raise
        return redirect(url)


def page(request, rest):
    """Any other page under /news/: answered from the page cache when possible (no query),
    else routed and served by Wagtail as usual."""
    return serve_path(request)
