"""Every read of the newsroom and the one visibility rule: readers (pages, feeds, the news API,
sitemaps, related stories) see live, public stories only, whoever asks. Changes are Wagtail's
page actions; set-up is :mod:`news.services`."""

import re
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.images import get_image_model

from news import search as segmentation
from news.errors import NewsError
from news.images import all_specs
from news.models import (
    Author,
    BriefPage,
    Byline,
    NewsIndexPage,
    NewsPreview,
    Section,
    StoryPage,
    StoryTag,
)

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def visible_stories():
    """Stories and briefs a reader may see: live and not behind a view restriction."""
    return StoryPage.objects.live().public()


def story_queryset(*, with_images=True):
    """Live, public stories and briefs with everything a listing shows, in a constant number of
    queries: section, community and lead image joined; bylines (with authors), tags and the lead
    image's renditions prefetched."""
    Rendition = get_image_model().get_rendition_model()
    qs = (
        visible_stories()
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


def related_stories(story, limit=4):
    """Visible stories sharing the most tags with ``story``, newest first on a tie; with what
    their cards show fetched in a fixed number of queries, like every listing."""
    tag_ids = [t.pk for t in story.tags.all()] if story.pk else []
    if not tag_ids:
        return []
    return list(
        story_queryset().exclude(pk=story.pk)
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(shared=Count("tagged_items", distinct=True))
        .order_by("-shared", "-date", "-pk")[:limit]
    )


def feed_stories(section=None, *, size=30):
    """The newest visible stories for a feed, of one section or all (no renditions: feeds link)."""
    qs = story_queryset(with_images=False)
    if section is not None:
        qs = qs.filter(section=section)
    return qs[:size]


def newsroom_index():
    """The news index readers are sent to (the first live, public one in the tree)."""
    return NewsIndexPage.objects.live().public().order_by("path").first()


def sections():
    """Sections that can be shown: one without a slug has no address to link to."""
    return Section.objects.exclude(slug="")


def author(author_id):
    return Author.objects.filter(pk=author_id).first()


def live_preview(token):
    """The draft shared under ``token`` for headless preview, while it has not expired."""
    return NewsPreview.objects.filter(token=token, created_at__gte=timezone.now() - NewsPreview.LIFETIME).first()


# --- the index page ------------------------------------------------------------------------------

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
        return visible_stories().child_of(self.page)

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
        # A row without a slug has no address (a bad import or an old API write): leave it out
        # rather than fail the whole listing on reversing its feed URL.
        return list(sections())

    @cached_property
    def communities(self):
        from core.models import Community

        return list(Community.objects.all())
