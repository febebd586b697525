"""The news API, mounted at /api/v3/news/: stories and briefs ready for a front end.

Listings are filtered by section, tag, community, month, kind, author and a Chinese full-text
search; every item carries its section, community, tags, bylines and lead image renditions
(thumbnail, card, full width, each also WebP, with width, height and alt). Drafts and private
pages never appear: every query starts from ``live().public()``, whoever asks.

Responses are cached per published-news version (``NewsCacheState``), so a listing costs one
small query until an editor publishes, unpublishes or changes something news shows.
"""

import hashlib
import json
from datetime import date

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, gettext
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from core.api import check_limit, public_auth
from news import services
from news.models import Author, NewsPreview, Section
from news.signals import cache_version

router = Router(tags=["news"])

CACHE_SECONDS = 600


# --- schemas -------------------------------------------------------------------------------------


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    format: str


class ImageOut(Schema):
    id: int
    title: str
    alt: str
    caption: str
    credit: str
    width: int
    height: int
    renditions: dict[str, RenditionOut] = Field(
        description="thumbnail, card, full, and the same as WebP: thumbnail_webp, card_webp, full_webp")


class SectionOut(Schema):
    id: int
    name: str
    slug: str


class SectionDetailOut(SectionOut):
    description: str


class CommunityRef(Schema):
    id: int
    name: str
    code: str


class AuthorRef(Schema):
    id: int
    name: str
    affiliation: str


class AuthorOut(AuthorRef):
    default_role: str
    bio: str


class BylineOut(Schema):
    author: AuthorRef
    role: str
    role_label: str


class TagOut(Schema):
    name: str
    slug: str


class StorySummaryOut(Schema):
    id: int
    type: str = Field(description="story or brief")
    title: str
    slug: str
    kicker: str
    standfirst: str
    date: date
    first_published_at: str | None
    url: str = Field(description="the page for people")
    detail_url: str
    section: SectionOut | None
    community: CommunityRef | None
    tags: list[TagOut]
    bylines: list[BylineOut]
    lead_image: ImageOut | None


class RelatedOut(Schema):
    id: int
    title: str
    date: date
    url: str


class StoryDetailOut(StorySummaryOut):
    seo_title: str
    search_description: str
    last_published_at: str | None
    body: list[dict] = Field(description="StreamField blocks: {type, value, id}; paragraph values are "
                                         "HTML with resolved links and absolute URLs, images carry renditions")
    related: list[RelatedOut]


class StoryListOut(Schema):
    count: int
    items: list[StorySummaryOut]


class StoryFilters(Schema):
    section: str | None = Field(None, max_length=100, description="section slug")
    tag: str | None = Field(None, max_length=100, description="tag slug")
    community: str | None = Field(None, max_length=100, description="community code, e.g. hehua")
    month: str | None = Field(None, description="YYYY-MM", pattern=r"^\d{4}-\d{1,2}$")
    kind: str | None = Field(None, description="story or brief", pattern="^(story|brief)$")
    author: int | None = Field(None, ge=1, le=2**63 - 1, description="author id")
    search: str | None = Field(None, max_length=100, description="words in Chinese or English")
    limit: int = Field(20, ge=1, le=2**31)
    offset: int = Field(0, ge=0, le=2**31)

    @field_validator("section", "tag", "community", "search")
    @classmethod
    def no_control_characters(cls, value):
        if value is not None and any(ord(ch) < 32 for ch in value):
            raise ValueError(gettext("Control characters are not allowed."))
        return value


# --- helpers ---------------------------------------------------------------------------------------


def _json(data, status=200):
    return HttpResponse(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        content_type="application/json", status=status)


def _cache_key(request, name):
    # The language too: role labels are translated for each reader (Accept-Language).
    raw = "|".join([str(cache_version()), name, get_language() or "", request.scheme, request.get_host(),
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
    month = services.parse_month(filters.month)

    def build():
        qs = services.filter_stories(
            services.story_queryset(), section=filters.section, tag=filters.tag,
            community=filters.community, month=month, kind=filters.kind, author=filters.author,
            q=filters.search)
        count = qs.count()
        page = list(qs[filters.offset:filters.offset + filters.limit])
        return {"count": count, "items": [services.story_summary(s, request) for s in page]}

    return _cached(request, "list", build)


@router.get("/stories/{story_id}/", response=StoryDetailOut, auth=public_auth,
            operation_id="news_stories_detail", summary="Story detail", url_name="news_story_detail")
def get_story(request, story_id: int):
    _check_id(story_id)
    def build():
        story = get_object_or_404(services.story_queryset(), pk=story_id)
        return services.story_detail(story, request)

    return _cached(request, f"story:{story_id}", build)


@router.get("/sections/", response=list[SectionDetailOut], auth=public_auth,
            operation_id="news_sections_list", summary="List news sections")
def list_sections(request):
    return Section.objects.all()


@router.get("/authors/{author_id}/", response=AuthorOut, auth=public_auth,
            operation_id="news_authors_detail", summary="Author detail")
def get_author(request, author_id: int):
    _check_id(author_id)
    return get_object_or_404(Author, pk=author_id)


@router.get("/preview/{token}/", response=StoryDetailOut, auth=public_auth,
            operation_id="news_preview", summary="A draft shared for headless preview")
def get_preview(request, token: str):
    """What an editor is previewing, for the external front end (FENGCHAO_PREVIEW_URL). The
    front end receives ``?token=...`` and asks here; tokens expire after a day."""
    from django.utils import timezone

    preview = get_object_or_404(NewsPreview, token=token,
                                created_at__gte=timezone.now() - NewsPreview.LIFETIME)
    page = preview.as_page()
    data = services.story_detail(page, request, related=False)
    return _json(data)
