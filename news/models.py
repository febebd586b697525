"""News: a newsroom index, stories and photo briefs, with section and author snippets.

A photo brief is a story with a photo, a caption and a line of text and no long body, so
``BriefPage`` extends ``StoryPage``: one table holds everything listings need, and one query
(with its prefetches) lists stories and briefs together.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import cache
from core.slugs import AutoSlugPageForm
from news import representations
from news import search as segmentation
from news.blocks import StoryBodyBlock


class CachedPageMixin(cache.CachedPageMixin):
    """News pages for anonymous readers, in core's page cache under the "news" namespace (what
    makes it stale: NewsConfig.cache_invalidation)."""

    cache_namespaces = ("news",)


class Section(index.Indexed, models.Model):
    """A news section: party-building, community stories, photo briefs ..."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True, allow_unicode=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    # Writable: the snippet API creates and edits sections from these (validated like the admin).
    api_fields = [APIField("name", writable=True), APIField("slug", writable=True),
                  APIField("description", writable=True)]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("news section")
        verbose_name_plural = _("news sections")

    def __str__(self):
        return self.name


class Author(index.Indexed, models.Model):
    """Someone who writes or photographs for the newsroom; credited through bylines."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        PHOTOGRAPHER = "photographer", _("Photographer")
        CORRESPONDENT = "correspondent", _("Correspondent")
        EDITOR = "editor", _("Editor")

    name = models.CharField(_("name"), max_length=60)
    default_role = models.CharField(_("usual role"), max_length=20, choices=Role.choices,
                                    default=Role.REPORTER)
    affiliation = models.CharField(_("affiliation"), max_length=80, blank=True,
                                   help_text=_("e.g. 青石街道融媒体中心, 荷花社区通讯员"))
    bio = models.TextField(_("short biography"), blank=True, max_length=500)

    panels = [FieldPanel("name"), FieldPanel("default_role"), FieldPanel("affiliation"), FieldPanel("bio")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"),
                     index.SearchField("affiliation")]
    api_fields = ["name", "default_role", "affiliation", "bio"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name


class StoryTag(TaggedItemBase):
    content_object = ParentalKey("news.StoryPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsIndexPage(CachedPageMixin, Page):
    """The newsroom: lists stories and briefs, filtered by section, tag, community and month."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    page_size = models.PositiveSmallIntegerField(_("stories per page"), default=12)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("page_size")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.StoryPage", "news.BriefPage"]
    api_fields = ["intro", "page_size"]
    template = "news/news_index_page.html"

    class Meta:
        verbose_name = _("news index")

    # No get_context: the template asks news_tags for its listing (news.queries), so the model
    # imports nothing that reads or serves it.


class StoryPage(CachedPageMixin, Page):
    base_form_class = AutoSlugPageForm  # a Chinese title gives a pinyin slug: none to type

    kicker = models.CharField(_("kicker"), max_length=40, blank=True,
                              help_text=_("A few words above the headline, e.g. 暖心服务"))
    standfirst = models.TextField(_("standfirst"), max_length=300, blank=True,
                                  help_text=_("One or two sentences under the headline."))
    date = models.DateField(_("publication date"), default=timezone.localdate, db_index=True)
    section = models.ForeignKey(Section, verbose_name=_("section"), null=True, blank=False,
                                on_delete=models.PROTECT, related_name="stories")
    community = models.ForeignKey("core.Community", verbose_name=_("community"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="news_stories")
    tags = ClusterTaggableManager(through=StoryTag, blank=True, verbose_name=_("tags"))
    lead_image = models.ForeignKey("wagtailimages.Image", verbose_name=_("lead image"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    lead_image_alt = models.CharField(_("lead image alt text"), max_length=200, blank=True,
                                      help_text=_("Leave empty to use the image's own description."))
    lead_image_caption = models.CharField(_("lead image caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(_("lead image credit"), max_length=100, blank=True)
    body = StreamField(StoryBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        FieldPanel("kicker"),
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("section"), FieldPanel("community")]),
        InlinePanel("bylines", heading=_("Bylines"), label=_("byline")),
        MultiFieldPanel([
            FieldPanel("lead_image"), FieldPanel("lead_image_alt"),
            FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit"),
        ], heading=_("Lead image")),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "news/story_page.html"

    search_fields = Page.search_fields + [
        index.SearchField("kicker"),
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.SearchField("search_segmented"),
        index.FilterField("date"),
        index.FilterField("section"),
        index.FilterField("community"),
    ]

    api_fields = [
        "kicker", "standfirst", "date", "tags", "body",
        APIField("section_data"), APIField("community_data"), APIField("byline_data"),
        APIField("lead_image_data"),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    # --- derived values -------------------------------------------------------------------------

    @property
    def kind(self):
        return "brief" if isinstance(self, BriefPage) or self.specific_class is BriefPage else "story"

    @cached_property
    def byline_list(self):
        """Bylines with their authors, in order: from a listing's prefetch, else one query
        (not one more per author)."""
        if "bylines" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.bylines.all())
        return list(self.bylines.select_related("author"))

    @property
    def byline_names(self):
        return [b.author.name for b in self.byline_list if b.author_id]

    @property
    def search_segmented(self):
        """What a reader may type that the story's own fields do not hold: its bylines', tags',
        section's and community's names, the lead image caption and the body's text. The search
        backend segments it (core/search_backend.py)."""
        names = self.byline_names
        # Byline names are taught to the segmenter so they also stay whole words (the index
        # holds their character pairs whatever jieba knows: 晓岚 finds 周晓岚).
        segmentation.add_words(*names, *Author.objects.values_list("name", flat=True))
        tag_names = [t.name for t in self.tags.all()]
        return " ".join(filter(None, [
            self.lead_image_caption,
            self.section.name if self.section_id else "",
            self.community.name if self.community_id else "",
            *tag_names, *names,
        ]))

    #: Addresses under the news index that the plugin's own URLs (news/urls.py) answer first.
    RESERVED_SLUGS = frozenset({"feed", "sections"})

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            from django.core.exceptions import ValidationError

            raise ValidationError({"slug": _("This address is taken by the news feeds: choose another slug.")})

    def get_sitemap_urls(self, request=None):
        return [{"location": self.get_full_url(request), "lastmod": self.last_published_at or self.latest_revision_created_at}]

    # --- Wagtail's own API (/api/v3/pages/) -----------------------------------------------------

    @property
    def section_data(self):
        return representations.section_dict(self.section)

    @property
    def community_data(self):
        return representations.community_dict(self.community)

    @property
    def byline_data(self):
        return representations.byline_dicts(self.byline_list)

    @property
    def lead_image_data(self):
        return representations.lead_image_dict(self)

    # --- preview ----------------------------------------------------------------------------------

    @property
    def preview_modes(self):
        modes = [("", _("Page"))]
        if getattr(settings, "FENGCHAO_PREVIEW_URL", ""):
            modes.append(("headless", _("Front end")))
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name == "headless":
            from django.shortcuts import redirect

            preview = NewsPreview.store(self)
            return redirect(preview.front_end_url())
        return super().serve_preview(request, mode_name)


class BriefPage(StoryPage):
    """A photo brief: "on the 3rd, X community held Y", one photo and a credit line."""

    content_panels = [
        FieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst", heading=_("Text")),
        FieldRowPanel([FieldPanel("date"), FieldPanel("section"), FieldPanel("community")]),
        MultiFieldPanel([
            FieldPanel("lead_image", heading=_("Photo")), FieldPanel("lead_image_alt"),
            FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit"),
        ], heading=_("Photo")),
        InlinePanel("bylines", heading=_("Bylines"), label=_("byline")),
        FieldPanel("tags"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "news/brief_page.html"

    class Meta:
        verbose_name = _("photo brief")
        verbose_name_plural = _("photo briefs")


class Byline(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(_("role"), max_length=20, choices=Author.Role.choices, default=Author.Role.REPORTER)

    panels = [FieldPanel("author"), FieldPanel("role")]
    api_fields = ["author", "role"]

    class Meta(Orderable.Meta):
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")

    def __str__(self):
        return f"{self.get_role_display()} {self.author}"


class NewsPreview(models.Model):
    """A draft an editor previews in the external front end. The front end fetches it by token
    from /api/v3/news/preview/<token>/; tokens expire after a day."""

    token = models.CharField(max_length=64, unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    content_json = models.JSONField(encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    LIFETIME = timedelta(days=1)

    class Meta:
        verbose_name = _("preview")

    @classmethod
    def store(cls, page):
        from django.contrib.contenttypes.models import ContentType

        cls.objects.filter(created_at__lt=timezone.now() - cls.LIFETIME).delete()
        return cls.objects.create(
            token=secrets.token_urlsafe(32),
            content_type=ContentType.objects.get_for_model(page.specific_class or type(page)),
            content_json=page.serializable_data(),
        )

    def front_end_url(self):
        from urllib.parse import urlencode

        base = settings.FENGCHAO_PREVIEW_URL
        sep = "&" if "?" in base else "?"
        return base + sep + urlencode({"token": self.token, "type": self.content_type.model_class()._meta.label})

    def as_page(self):
        model = self.content_type.model_class()
        return model.from_serializable_data(self.content_json)
