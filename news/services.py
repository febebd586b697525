"""Newsroom services: the listing query (shared by pages, feeds and the API), filters, search,
representations, and setting up the newsroom (index page, editor permissions, workflow)."""

import re
from datetime import date

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from core.errors import DomainError
from core.text import local_iso as _iso
from news import search as segmentation
from news.blocks import rich_text_html
from news.images import SIZES, absolute, all_specs, image_data, renditions
from news.models import Author, Byline, NewsIndexPage, Section, StoryPage, StoryTag

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


class NewsError(DomainError):
    messages = {
        "bad_month": _("Month must look like 2026-11."),
        "unknown_section": _("There is no such section."),
        "unknown_community": _("There is no such community."),
    }


# --- the listing query -----------------------------------------------------------------------------


def story_queryset(*, with_images=True):
    """Live, public stories and briefs with everything a listing shows, in a constant number of
    queries: section, community and lead image joined; bylines (with authors), tags and the lead
    image's renditions prefetched."""
    Rendition = get_image_model().get_rendition_model()
    qs = (
        StoryPage.objects.live().public()
        .select_related("section", "community", "lead_image")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author").order_by("sort_order")),
            Prefetch("tagged_items", queryset=StoryTag.objects.select_related("tag").order_by("tag__name")),
        )
        .order_by("-date", "-pk")
    )
    if with_images:
        qs = qs.prefetch_related(
            Prefetch("lead_image__renditions",
                     queryset=Rendition.objects.filter(filter_spec__in=all_specs()),
                     to_attr="prefetched_renditions"),
        )
    return qs


def parse_month(value):
    if not value:
        return None
    match = MONTH_RE.match(value.strip())
    # Year 0 matches the pattern but is no date (ValueError, a 500 before this check).
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise NewsError("bad_month", status=422)
    return date(int(match.group(1)), int(match.group(2)), 1)


def filter_stories(qs, *, section=None, tag=None, community=None, month=None, kind=None, author=None,
                   q=None):
    """Apply the reader's filters. ``month`` is a date (first of the month) or None; ``author`` an
    author id; ``q`` is searched in Chinese (see news/search.py) and orders by relevance."""
    if section:
        qs = qs.filter(section__slug=section)
    if tag:
        qs = qs.filter(tagged_items__tag__slug=tag)
    if community:
        qs = qs.filter(community__code=community)
    if month:
        qs = qs.filter(date__year=month.year, date__month=month.month)
    if kind in ("story", "brief"):
        from django.contrib.contenttypes.models import ContentType

        from news.models import BriefPage

        brief_ct = ContentType.objects.get_for_model(BriefPage)
        qs = qs.filter(content_type=brief_ct) if kind == "brief" else qs.exclude(content_type=brief_ct)
    if author:
        qs = qs.filter(bylines__author_id=author).distinct()
    if q and q.strip():
        # Byline names are taught to the segmenter when a story is indexed, and only in the
        # process that indexed it: teach this one too, or it cuts a name it never saw
        # differently from the index (欧阳明月 -> 欧阳明 / 月) and finds nothing.
        segmentation.add_words(*Author.objects.values_list("name", flat=True))
        # Only ids come back from the backend: loading 500 bodies would double the time.
        ids = segmentation.search_ids(StoryPage.objects.live().only("id"), q)
        if not ids:
            return qs.none()
        rank = Case(*[When(pk=pk, then=Value(pos)) for pos, pk in enumerate(ids)], output_field=IntegerField())
        qs = qs.filter(pk__in=ids).annotate(search_rank=rank).order_by("search_rank")
    return qs


# --- representations --------------------------------------------------------------------------------


def section_dict(section):
    if section is None:
        return None
    return {"id": section.pk, "name": section.name, "slug": section.slug}


def community_dict(community):
    if community is None:
        return None
    return {"id": community.pk, "name": community.name, "code": community.code}


def byline_dicts(bylines):
    return [
        {
            "author": {"id": b.author.pk, "name": b.author.name, "affiliation": b.author.affiliation},
            "role": b.role,
            "role_label": str(b.get_role_display()),
        }
        for b in bylines
    ]


def story_tags(story):
    """Tags in a stable order, from the prefetch when there is one."""
    if story.pk and "tagged_items" in getattr(story, "_prefetched_objects_cache", {}):
        return [item.tag for item in story.tagged_items.all()]
    return sorted(story.tags.all(), key=lambda t: t.name)


def tag_dicts(story):
    return [{"name": t.name, "slug": t.slug} for t in story_tags(story)]


def lead_image_dict(story, request=None):
    return image_data(story.lead_image, request, alt=story.lead_image_alt,
                      caption=story.lead_image_caption, credit=story.lead_image_credit)


def _page_url(page, request):
    try:
        return absolute(page.get_url(request) or "", request)
    except Exception:  # an unsaved draft in preview has no place in the tree yet
        return ""


def story_summary(story, request=None):
    from django.urls import reverse

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
        "url": _page_url(story, request),
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
             "url": _page_url(s, request)}
            for s in (story.related_stories() if related and story.pk else [])
        ],
    })
    return data


# --- pages ------------------------------------------------------------------------------------------------


_CONTROL = dict.fromkeys(range(32))


def _clean_filters(request):
    get = {key: value.translate(_CONTROL) for key, value in request.GET.items()}
    month = None
    month_error = False
    try:
        month = parse_month(get.get("month", ""))
    except NewsError:
        month_error = True
    return {
        "section": get.get("section", "").strip() or None,
        "tag": get.get("tag", "").strip() or None,
        "community": get.get("community", "").strip() or None,
        "month": month,
        "kind": get.get("kind", "").strip() or None,
        "q": get.get("q", "").strip()[:100] or None,
    }, month_error


class IndexListing:
    """What the index page shows, computed only when the template asks: with the listing
    fragment cached (keyed by the news version), a cache hit runs none of these queries."""

    def __init__(self, index_page, request):
        self.page = index_page
        self.request = request
        self.filters, self.month_error = _clean_filters(request)
        self.month_value = "" if self.month_error else request.GET.get("month", "")
        self.filtered = any(self.filters.values())

    @cached_property
    def stories(self):
        qs = filter_stories(story_queryset().child_of(self.page), **self.filters)
        # get_page: a bad number is the first page, one past the end the last.
        return Paginator(qs, self.page.page_size or 12).get_page(self.request.GET.get("page"))

    @cached_property
    def _live(self):
        return StoryPage.objects.live().public().child_of(self.page)

    @cached_property
    def months(self):
        return list(self._live.dates("date", "month", order="DESC"))

    @cached_property
    def tags(self):
        from taggit.models import Tag

        return list(Tag.objects.filter(news_storytag_items__content_object__in=self._live)
                    .distinct().order_by("name")[:40])

    @cached_property
    def sections(self):
        return list(Section.objects.all())

    @cached_property
    def communities(self):
        from core.models import Community

        return list(Community.objects.all())


def fragment_cache(request):
    """Template fragment cache settings: keyed by the news version; never in a preview, which
    shows a draft that must not be served from (or stored in) the cache."""
    from news.signals import cache_version

    if getattr(request, "is_preview", False):
        return {"news_version": "preview", "news_cache_seconds": 0}
    return {"news_version": cache_version(), "news_cache_seconds": 600}


def index_context(index_page, request):
    return {"listing": IndexListing(index_page, request), **fragment_cache(request)}


def story_context(story, request):
    # A callable: the template calls it only when its cached fragment is missing.
    return {"related_stories": story.related_stories if story.pk else list, **fragment_cache(request)}


def story_jsonld(story, request=None):
    """schema.org NewsArticle for search engines and link previews."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title[:110],
        "datePublished": _iso(story.first_published_at) or story.date.isoformat(),
        "dateModified": _iso(story.last_published_at or story.first_published_at) or story.date.isoformat(),
        "mainEntityOfPage": story.get_full_url(request) if story.pk else "",
        "description": story.standfirst or story.search_description,
        "author": [{"@type": "Person", "name": b.author.name} for b in story.byline_list],
        "keywords": [t.name for t in story_tags(story)],
    }
    if story.section_id:
        data["articleSection"] = story.section.name
    found = renditions(story.lead_image, SIZES["full"]) if story.lead_image_id else None
    if found:
        data["image"] = [absolute(found[SIZES["full"]].url, request)]
    if story.community_id:
        data["contentLocation"] = {"@type": "Place", "name": story.community.name}
    return data


# --- newsroom setup ---------------------------------------------------------------------------------------

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
WORKFLOW_NAME = "新闻审核"
TASK_NAME = "审核员审核"


@transaction.atomic
def ensure_newsroom(using="default"):
    """Idempotent: a news index under the home page, editors limited to it, and the moderation
    workflow (Editors submit, Moderators approve) assigned to it. Run after every migrate."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    from home.models import HomePage

    index = NewsIndexPage.objects.using(using).order_by("path").first()
    if index is None:
        home = HomePage.objects.using(using).order_by("path").first()
        if home is None:
            return None
        index = home.add_child(instance=NewsIndexPage(title="新闻", slug="news",
                                                       intro="<p>街道和社区的新鲜事。</p>"))
        index.save_revision().publish()

    editors = Group.objects.using(using).filter(name="Editors").first()
    moderators = Group.objects.using(using).filter(name="Moderators").first()
    page_perms = {p.codename: p for p in Permission.objects.using(using).filter(
        content_type__app_label="wagtailcore", codename__in=MODERATOR_PAGE_PERMISSIONS)}
    if editors is not None:
        # Wagtail's initial data lets Editors edit the whole tree (the root page); the newsroom
        # is theirs. Only that grant goes: this runs on every deploy, and a permission an
        # admin gave Editors since (Settings -> Groups) must survive it.
        GroupPagePermission.objects.using(using).filter(group=editors, page__depth=1).delete()
        for codename in EDITOR_PAGE_PERMISSIONS:
            if codename in page_perms:
                GroupPagePermission.objects.using(using).get_or_create(
                    group=editors, page=index, permission=page_perms[codename])
    if moderators is not None:
        for codename in MODERATOR_PAGE_PERMISSIONS:
            if codename in page_perms:
                GroupPagePermission.objects.using(using).get_or_create(
                    group=moderators, page=index, permission=page_perms[codename])

        workflow = Workflow.objects.using(using).filter(name=WORKFLOW_NAME).first()
        if workflow is None:
            workflow = Workflow.objects.using(using).create(name=WORKFLOW_NAME, active=True)
            task = GroupApprovalTask.objects.using(using).create(name=TASK_NAME, active=True)
            task.groups.set([moderators])
            WorkflowTask.objects.using(using).create(workflow=workflow, task=task, sort_order=0)
        # get_or_create: a workflow an admin assigned to the newsroom since stays.
        WorkflowPage.objects.using(using).get_or_create(page=index, defaults={"workflow": workflow})
    return index


__all__ = [
    "Author", "NewsError", "ensure_newsroom", "filter_stories", "story_queryset", "story_summary",
    "story_detail", "rich_text_html",
]
