from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.cache import SITE


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")
    default_auto_field = "django.db.models.BigAutoField"
    demo = "home.demo.seed"
    # What makes the cached home page stale (core.cache wires it): any page published,
    # unpublished, moved, saved or deleted (the home page itself, or a page its quick links point
    # to), an image changed, a view restriction added or removed ("/" is answered from the cache
    # before Wagtail's privacy check). The office's details are the site frame every cached page
    # shows (SITE). Coarse on purpose: these are rare next to readers.
    cache_invalidation = {
        "home": ("wagtailcore.Page", "wagtailimages.Image", "wagtailcore.PageViewRestriction"),
        SITE: ("home.OfficeSettings",),
    }
