"""The news API, mounted at /api/v3/news/: stories and briefs ready for a front end.

Listings are filtered by section, tag, community, month, kind, author and a Chinese full-text
search; every item carries its section, community, tags, bylines and lead image renditions
(thumbnail, card, full width, each also WebP, with width, height and alt). Drafts and private
pages never appear: every read comes from :mod:`news.queries`, whoever asks. Schemas are in
:mod:`news.api.schemas`.

Responses are cached per published-news version (``NewsCacheState``), so a listing costs one
small query until an editor publishes, unpublishes or changes something news shows.
"""

import hashlib
import json

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from ninja import Query, Router

from core.api import check_limit, public_auth
from news import queries
from news.api.schemas import (
    AuthorOut,
    SectionDetailOut,
    StoryDetailOut,
    StoryFilters,
    StoryListOut,
    story_detail,
    story_summary,
)
from news.models import NewsCacheState

router = Router(tags=["news"])

CACHE_SECONDS = 600


# --- helpers ---------------------------------------------------------------------------------------


def _json(data, status=200):
    return HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        content_type="application/json", status=status)


def _cache_key(request, name):
    # The language too: role labels are translated for each reader (Accept-Language).
    raw = "|".join([str(NewsCacheState.current()), name, get_language() or "", request.scheme, request.get_host(),
                    request.GET.urlencode()])
    return "news:api:" + hashlib.sha256(raw.encode()).hexdigest()


def _cached(request, name, build):
    key = _cache_key(request, name)
    body = cache.get(key)
    if body is None:
        body = json.dumps(build(), ensure_ascii=False, separators=(",", ":"))
        cache.set(key, body, CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json")


def _check_id(value):
    if not 1 <= value < 2**63:
        raise Http404


# --- endpoints -------------------------------------------------------------------------------------


@router.get("/stories/", response=StoryListOut, auth=public_auth, operation_id="news_stories_list",
            summary="List stories and briefs", url_name="news_story_list")
def list_stories(request, filters: StoryFilters = Query(...)):
    check_limit(filters.limit)
    month = queries.parse_month(filters.month)

    def build():
        qs = queries.filter_stories(
            queries.story_queryset(), section=filters.section, tag=filters.tag,
            community=filters.community, month=month, kind=filters.kind, author=filters.author,
            q=filters.search)
        count = qs.count()
        page = list(qs[filters.offset:filters.offset + filters.limit])
        return {"count": count, "items": [story_summary(s, request) for s in page]}

    return _cached(request, "list", build)


@router.get("/stories/{story_id}/", response=StoryDetailOut, auth=public_auth,
            operation_id="news_stories_detail", summary="Story detail", url_name="news_story_detail")
def get_story(request, story_id: int):
    _check_id(story_id)
    def build():
        story = queries.story_queryset().filter(pk=story_id).first()
        if story is None:
            raise Http404
        return story_detail(story, request)

    return _cached(request, f"story:{story_id}", build)


@router.get("/sections/", response=list[SectionDetailOut], auth=public_auth,
            operation_id="news_sections_list", summary="List news sections")
def list_sections(request):
    return queries.sections()


@router.get("/authors/{author_id}/", response=AuthorOut, auth=public_auth,
            operation_id="news_authors_detail", summary="Author detail")
def get_author(request, author_id: int):
    _check_id(author_id)
    found = queries.author(author_id)
    if found is None:
        raise Http404
    return found


@router.get("/preview/{token}/", response=StoryDetailOut, auth=public_auth,
            operation_id="news_preview", summary="A draft shared for headless preview")
def get_preview(request, token: str):
    """What an editor is previewing, for the external front end (FENGCHAO_PREVIEW_URL). The
    front end receives ``?token=...`` and asks here; tokens expire after a day."""
    preview = queries.live_preview(token)
    if preview is None:
        raise Http404
    data = story_detail(preview.as_page(), request, related=False)
    return _json(data)
