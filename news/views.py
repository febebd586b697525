from django.http import Http404
from django.shortcuts import redirect

from news import queries
from news.pagecache import serve_path


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
    """Any other page under /news/: answered from the page cache when possible (one query),
    else routed and served by Wagtail as usual."""
    return serve_path(request)
