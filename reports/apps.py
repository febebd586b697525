from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Searchable
from reports.roles import ROLES


class ReportsConfig(PluginConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Reports")
    title = _("Report a problem")
    description = _("Hazards and needs reported by riders and residents, followed up as work orders with "
                    "deadlines; an Open311 API.")
    api_router = "reports.api.routes.router"
    urls = "reports.urls"
    main_url_name = "reports:index"
    #: Open311 GeoReport v2 lives where Open311 clients look for it, beside the plugin's pages.
    extra_urls = (("open311/v2", "reports.open311.urls"),)
    demo = "reports.demo.seed"
    member_export = "reports.services.export_member_data"
    member_home = "reports.queries.member_home"
    notices = "reports.notices.NOTICES"
    figures = "reports.figures.FIGURES"
    roles = ROLES
    #: Public reports only (reports.queries.public_reports: public categories, not rejected or
    #: merged); the index holds their description, answer, category and community, no person.
    searchables = (Searchable("reports.Report", _("Reported problems"), public="reports.queries.public_reports",
                              summary="description"),)
    #: One namespace: a report's every step changes the public list, the meetings' answers and the
    #: Open311 answers alike (core.cache bumps it after commit).
    cache_invalidation = {"reports": (
        "reports.Category", "reports.Question", "reports.Report", "reports.ReportPhoto", "reports.ReportUpdate",
        "reports.Supporter", "reports.Meeting", "core.Community"),
        # The office's figures (core.figures keeps them).
        "reports.figures": ("reports.Report",),
    }
