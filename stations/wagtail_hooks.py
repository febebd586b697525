"""Stations in the admin: live status and rider confirmations for station staff, visits, and the
party registry (organisations, members, report-ins) for party-work staff only. Wagtail serves the
station pages through the plugin's own views (before_serve_page), so models import no views."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core import maps
from core.audit import register_action
from stations import views
from stations.models import (
    Confirmation,
    LiveStatus,
    PartyMember,
    PartyOrganisation,
    ReportIn,
    StationIndexPage,
    StationPage,
    Visit,
)


@hooks.register("register_log_actions")
def register_station_actions(actions):
    register_action(actions, "stations.status", _("Live status set"), _("Set the station's live status"))
    register_action(actions, "stations.confirm", _("Rider confirmation"), _("Confirmed what they found"))
    register_action(actions, "stations.visit", _("Station visit"), _("Scanned the station's QR code"))
    register_action(actions, "stations.report_in", _("Report-in"), _("Reported in to a party branch"))
    register_action(actions, "stations.credit", _("Volunteering credited"), _("Credited volunteering at the station"))
    register_action(actions, "stations.withdraw", _("Party membership withdrawn"), _("Withdrew a party membership"))
    register_action(actions, "stations.declare", _("Party membership declared"), _("Declared a party membership"))


@hooks.register("before_serve_page")
def serve_station_pages(page, request, serve_args, serve_kwargs):
    if isinstance(page, StationIndexPage):
        context = {"page": page, "self": page, **views.listing_context(request, index_page=page)}
        # The tile server's images are let in on this page as on /stations/.
        return maps.allow_tiles(lambda r: render(r, "stations/index.html", context))(request)
    if isinstance(page, StationPage):
        context = {"page": page, "self": page, **views.station_context(request, page)}
        return render(request, "stations/station_page.html", context)
    return None


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Rows written only by the services (confirmations, visits, report-ins): staff read them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a == "view"])


for model in (Confirmation, Visit, ReportIn, LiveStatus):
    register_permission_policy(model, ReadOnlyPolicy(model))


class LiveStatusViewSet(ModelViewSet):
    model = LiveStatus
    icon = "time"
    menu_label = _("Live status")
    inspect_view_enabled = True
    list_display = ["station", "seats_free", "chargers_free", "batteries_free", "closed_on", "closed_reason",
                    "updated_at", "updated_by"]
    list_filter = ["closed_on"]
    form_fields = ["seats_free"]


class ConfirmationViewSet(ModelViewSet):
    model = Confirmation
    icon = "tick"
    menu_label = _("Rider confirmations")
    inspect_view_enabled = True
    list_display = ["station", "item", "state", "note", "created_at"]
    list_filter = ["item", "state"]
    list_export = ["station", "item", "state", "note", "created_at"]
    form_fields = ["note"]


class VisitViewSet(ModelViewSet):
    model = Visit
    icon = "user"
    menu_label = _("Visits")
    inspect_view_enabled = True
    list_display = ["station", "member", "created_at", "volunteer_minutes"]
    list_export = ["station", "member", "created_at", "volunteer_minutes", "credited_by", "credited_at"]
    form_fields = ["station"]


class PartyOrganisationViewSet(ModelViewSet):
    model = PartyOrganisation
    icon = "group"
    menu_label = _("Party organisations")
    list_display = ["name", "kind", "setup", "parent", "secretary", "set_up_on"]
    list_filter = ["kind", "setup"]
    search_fields = ["name", "secretary"]
    list_export = ["name", "kind", "setup", "parent", "secretary", "set_up_on"]
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("setup"), FieldPanel("parent"),
              FieldPanel("secretary"), FieldPanel("set_up_on"), FieldPanel("communities"), FieldPanel("enterprises")]


class PartyMemberViewSet(ModelViewSet):
    model = PartyMember
    icon = "user"
    menu_label = _("Party members")
    list_display = ["user", "organisation", "is_mobile", "home_organisation", "declared_at"]
    list_filter = ["is_mobile", "organisation"]
    search_fields = ["user__display_name", "home_organisation"]
    list_export = ["user", "organisation", "is_mobile", "home_organisation", "declared_at"]
    form_fields = ["user", "organisation", "is_mobile", "home_organisation"]


class ReportInViewSet(ModelViewSet):
    model = ReportIn
    icon = "pick"
    menu_label = _("Report-ins")
    inspect_view_enabled = True
    list_display = ["member", "organisation", "station", "month", "created_at"]
    list_filter = ["organisation", "month"]
    list_export = ["member", "organisation", "station", "month", "created_at"]
    form_fields = ["organisation"]


class StationsAdminGroup(ModelViewSetGroup):
    menu_label = _("Stations")
    menu_icon = "site"
    menu_order = 260
    items = (LiveStatusViewSet("station_status"), ConfirmationViewSet("station_confirmations"),
             VisitViewSet("station_visits"))


class PartyRegistryGroup(ModelViewSetGroup):
    menu_label = _("Party registry")
    menu_icon = "group"
    menu_order = 270
    items = (PartyOrganisationViewSet("party_organisations"), PartyMemberViewSet("party_members"),
             ReportInViewSet("party_report_ins"))


@hooks.register("register_admin_viewset")
def register_stations_admin():
    return [StationsAdminGroup(), PartyRegistryGroup()]


class RegistryCountsMenuItem(MenuItem):
    def is_shown(self, request):
        from stations import queries

        return queries.may_see_party_registry(request.user)


@hooks.register("register_admin_menu_item")
def registry_counts_menu_item():
    return RegistryCountsMenuItem(_("Report-ins per branch"), "/stations/party/registry/", icon_name="table",
                                  order=271)
