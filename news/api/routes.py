"""The news API, mounted at /api/v3/news/: stories and briefs ready for a front end.

Listings are filtered by section, tag, community, month, kind, author and a Chinese full-text
search; every item carries its section, community, tags, bylines and lead image renditions
(thumbnail, card, full width, each also WebP, with width, height and alt). Drafts and private
pages never appear: every read comes from :mod:`news.queries`, whoever asks. Schemas are in
:mod:`news.api.schemas`.

Listings and story details are the same for every reader, so they are kept in core's cache
under the "news" namespace (``core.cache.cached``; NewsConfig declares what makes it stale): a
hit costs no query until an editor publishes, unpublishes or changes something news shows.
"""

import json

from django.http import Http404, HttpResponse
from ninja import Query, Router
from ninja.decorators import decorate_view

from core.api import check_limit, public_auth
from core.cache import cached
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

router = Router(tags=["news"])


# --- helpers ---------------------------------------------------------------------------------------


def _json(data, status=200):
    return HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        content_type="application/json", status=status)


def _check_id(value):
    if not 1 <= value < 2**63:
        raise Http404


# --- endpoints -------------------------------------------------------------------------------------


@router.get("/stories/", response=StoryListOut, auth=public_auth, operation_id="news_stories_list",
            summary="List stories and briefs", url_name="news_story_list")
@decorate_view(cached("news", everyone=True))
def list_stories(request, filters: StoryFilters = Query(...)):
    check_limit(filters.limit)
    month = queries.parse_month(filters.month)
    qs = queries.filter_stories(
        queries.story_queryset(), section=filters.section, tag=filters.tag,
        community=filters.community, month=month, kind=filters.kind, author=filters.author,
        q=filters.search)
    count = qs.count()
    page = list(qs[filters.offset:filters.offset + filters.limit])
    return _json({"count": count, "items": [story_summary(s, request) for s in page]})


@router.get("/stories/{story_id}/", response=StoryDetailOut, auth=public_auth,
            operation_id="news_stories_detail", summary="Story detail", url_name="news_story_detail")
@decorate_view(cached("news", everyone=True))
def get_story(request, story_id: int):
    _check_id(story_id)
    story = queries.story_queryset().filter(pk=story_id).first()
    if story is None:
        raise Http404
    return _json(story_detail(story, request))


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
