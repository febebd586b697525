from django.http import Http404
from django.shortcuts import redirect
from wagtail.views import serve

from news.models import NewsIndexPage


def index(request):
    """/news/ (the plugin's main link): the newsroom page. When the index page lives at /news/
    itself, Wagtail serves it here (so page privacy and hooks apply); otherwise redirect to it."""
    page = NewsIndexPage.objects.live().public().order_by("path").first()
    if page is None:
        raise Http404
    url = page.get_url(request)
    if url and url.rstrip("/") != request.path.rstrip("/"):
        return redirect(url)
    return serve(request, request.path.lstrip("/"))
