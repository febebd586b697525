"""What goes in and out of /api/v3/news/ (Ninja schemas), and the two functions that build a
story's summary and detail for them; the operations are in routes.py. Links name operations by
url name and pages by their own URLs, never a written path."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import field_validator

from core.api import CommunityRef
from core.text import local_iso as _iso
from news import queries
from news.images import absolute
from news.representations import (
    byline_dicts,
    community_dict,
    lead_image_dict,
    page_url,
    section_dict,
    tag_dicts,
)


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


# --- representations -----------------------------------------------------------------------


def story_summary(story, request=None):

    detail = reverse("wagtailapi_v3:news_story_detail", kwargs={"story_id": story.pk}) if story.pk else ""
    return {
        "id": story.pk,
        "type": story.kind,
        "title": story.title,
        "slug": story.slug,
        "kicker": story.kicker,
        "standfirst": story.standfirst,
        "date": story.date.isoformat(),
        "first_published_at": _iso(story.first_published_at),
        "url": page_url(story, request),
        "detail_url": absolute(detail, request),
        "section": section_dict(story.section),
        "community": community_dict(story.community),
        "tags": tag_dicts(story),
        "bylines": byline_dicts(story.byline_list),
        "lead_image": lead_image_dict(story, request),
    }


def story_detail(story, request=None, *, related=True):
    data = story_summary(story, request)
    data.update({
        "seo_title": story.seo_title,
        "search_description": story.search_description,
        "last_published_at": _iso(story.last_published_at),
        "body": story.body.stream_block.get_api_representation(story.body, {"request": request}),
        "related": [
            {"id": s.pk, "title": s.title, "date": s.date.isoformat(),
             "url": page_url(s, request)}
            for s in (queries.related_stories(story) if related and story.pk else [])
        ],
    })
    return data
