from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.roles import CORE_ROLES


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Fengchao core")
    default_auto_field = "django.db.models.BigAutoField"
    #: The site's own staff roles (core.roles); each plugin declares its own.
    roles = CORE_ROLES
    demo = "core.demo.seed"
    #: Wagtail's public page listing (core.api.cache_page_listing) shows every live page's base
    #: fields and URLs.
    cache_invalidation = {
        "pages": ("wagtailcore.Page", "wagtailcore.PageViewRestriction", "wagtailcore.Site", "wagtailcore.Locale"),
    }

    def ready(self):
        from core import openapi

        # Before Wagtail's API module is imported: it builds the page schemas then.
        openapi.register_typed_json_fields()
        from wagtail.api.v3.api import api

        from core import api as core_api
        from core import (
            cache,
            checks,  # noqa: F401
            frontend_cache,
            signals,  # noqa: F401
        )
        from core.admin_views import protect_admin_exports

        api.title = "Fengchao API"
        api.description = "Fengchao (蜂巢): pages, members and every enabled plugin, in one API."
        core_api.register_error_handlers(api)
        openapi.install(api)
        protect_admin_exports()
        # Every app's cache_invalidation, wired once (core.cache); a proxy in front is purged too.
        cache.connect()
        frontend_cache.connect()
        core_api.cache_page_listing()
        api.add_router("/", core_api.router)
