from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Role, Searchable

STATION_STAFF = "Station staff"
PARTY_WORK_STAFF = "Party-work staff"

_ADMIN = ("wagtailadmin.access_admin",)

ROLES = (
    Role(STATION_STAFF, _("Station staff: set live status, print QR posters, read rider confirmations"),
         _ADMIN + ("stations.set_live_status", "stations.view_livestatus",
                   "stations.view_confirmation", "stations.view_visit")),
    # Party membership is sensitive: only this role (and each member for themself) sees it.
    Role(PARTY_WORK_STAFF, _("Party-work staff: the party registry, members and report-ins"),
         _ADMIN + ("stations.view_partyorganisation", "stations.add_partyorganisation",
                   "stations.change_partyorganisation", "stations.view_partymember", "stations.add_partymember",
                   "stations.change_partymember", "stations.view_reportin")),
)


class StationsConfig(PluginConfig):
    name = "stations"
    label = "stations"
    verbose_name = _("Stations")
    title = _("Rest stations")
    description = _("Rest stops for couriers and riders: which are open now and nearest, live status, report-in.")
    api_router = "stations.api.routes.router"
    urls = "stations.urls"
    main_url_name = "stations:index"
    demo = "stations.demo.seed"
    searchables = (Searchable("stations.StationPage", _("Rest stations"), summary="address"),)
    member_export = "stations.services.export_member_data"
    notices = "stations.notices.NOTICES"
    figures = "stations.figures.FIGURES"
    roles = ROLES
    # No answer to riders is cached, on purpose: every one is for one rider's position and the
    # present minute (open now by the office calendar, live status riders confirmed minutes ago),
    # so a cache keyed by coordinates would rarely hit and could only show the past. Only the
    # office's figures (core.figures keeps them) are cached.
    cache_invalidation = {
        "stations.figures": ("stations.StationPage", "stations.Visit", "stations.ReportIn"),
    }

