from django.http import Http404
from django.shortcuts import redirect
from wagtail.views import serve

from news.models import NewsIndexPage


def index(request):
    """/news/ (the plugin's main link): the newsroom page. Wagtail serves it when the index page
    lives at /news/ (the default), so page privacy and hooks apply; otherwise redirect to it."""
    try:
        return serve(request, request.path.lstrip("/"))
    except Http404:
        page = NewsIndexPage.objects.live().public().order_by("path").first()
        url = page.get_url(request) if page else None
        if not url or url.rstrip("/") == request.path.rstrip("/"):
            raise
        return redirect(url)
