from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.cache import CachedPageMixin
from core.plugins import plugins

#: The cache namespace of the home page (what makes it stale: HomeConfig.cache_invalidation).
HOME_CACHE = "home"


class QuickLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=30)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(label=_("or a path or URL"), required=False, max_length=200)
    description = blocks.CharBlock(label=_("description"), required=False, max_length=80)

    class Meta:
        icon = "link"
        label = _("quick link")


class HomePage(CachedPageMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=80, blank=True)
    hero_text = models.CharField(_("hero text"), max_length=240, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("hero image"),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    quick_links = StreamField([("link", QuickLinkBlock())], blank=True, verbose_name=_("quick links"))

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image"),
        FieldPanel("intro"), FieldPanel("quick_links"),
    ]
    api_fields = ["hero_title", "hero_text", "intro", "quick_links"]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    cache_namespaces = (HOME_CACHE,)  # home/views.py answers "/" from the same entries

    class Meta:
        verbose_name = _("home page")

    def plugin_links(self):
        """Quick links to every enabled plugin's main page, after the editor's own links."""
        links = []
        for config in plugins():
            if not config.main_url_name:
                continue
            try:
                url = reverse(config.main_url_name)
            except NoReverseMatch:
                continue
            links.append({"title": config.title, "url": url, "description": config.description})
        # The office's public figures (core): with or without plugins, the page says what it has.
        links.append({"title": _("Our work in figures"), "url": reverse("core:impact"),
                      "description": _("What the street office's services did this month, in numbers")})
        return links


@register_setting(icon="site")
class OfficeSettings(BaseSiteSetting):
    office_name = models.CharField(_("office name"), max_length=80, default="")
    hotline = models.CharField(_("hotline"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    footer_note = models.CharField(_("footer note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("street office")
