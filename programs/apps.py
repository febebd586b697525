from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Searchable
from programs.roles import ROLES


class ProgramsConfig(PluginConfig):
    name = "programs"
    label = "programs"
    verbose_name = _("Programs")
    title = _("Classes and activities")
    description = _("Free public classes, health services and care activities: sign up, check in, certificates.")
    api_router = "programs.api.router"
    urls = "programs.urls"
    main_url_name = "programs:index"
    demo = "programs.demo.seed"
    member_export = "programs.services.export_member_data"
    member_home = "programs.queries.member_home"
    searchables = (Searchable("programs.ProgramPage", _("Classes and activities"), summary="summary"),)
    roles = ROLES
    notices = "programs.notices.NOTICES"
    figures = "programs.figures.FIGURES"
    # What makes the cached listing (page and API) and program pages stale (core.cache wires
    # it): the pages published, unpublished, moved or saved, their sessions, every registration
    # (places left, waiting lists), and the communities and images they show.
    cache_invalidation = {
        "programs": ("programs.ProgramPage", "programs.ProgramIndexPage", "programs.Session",
                     "programs.Registration", "core.Community", "wagtailimages.Image"),
        # The office's figures (core.figures keeps them).
        "programs.figures": ("programs.ProgramPage", "programs.Session", "programs.Registration", "programs.Attendance"),
    }

    def ready(self):
        super().ready()
        from programs import signals  # noqa: F401
