"""Phone-first pages: the station list (nearest first when the phone shares its location, by
community otherwise; works with no JavaScript), a station's page, confirmations, live status for
staff, the printable QR poster, the scan page, a member's own party declaration and the party
registry for party-work staff. Thin: reads call :mod:`stations.queries`, changes
:mod:`stations.services`."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import maps, qr
from core.errors import DomainError
from core.exports import table_response
from core.http import redirect_back
from core.models import Community
from stations import geo, queries, services
from stations.models import Amenity, Confirmation, Kind, StationIndexPage

LIST_LIMIT = 20


class SearchForm(forms.Form):
    lat = forms.FloatField(label=gettext_lazy("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=gettext_lazy("Longitude"), required=False, min_value=-180, max_value=180)
    community = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("All kinds"))] + list(Kind.choices))
    amenity = forms.MultipleChoiceField(label=gettext_lazy("Must have"), required=False, choices=Amenity.choices,
                                        widget=forms.CheckboxSelectMultiple)
    open_now = forms.BooleanField(label=gettext_lazy("Open now"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = list(Community.objects.only("code", "name", "latitude", "longitude"))
        self.fields["community"].choices = [("", _("All communities"))] + [(c.code, c.name) for c in self.communities]

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("lat") is None) != (cleaned.get("lng") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned

    def point(self):
        """The rider's point, else the chosen community's centre, else None."""
        data = self.cleaned_data
        if data.get("lat") is not None:
            return data["lat"], data["lng"], None
        for community in self.communities:
            if community.code == data.get("community") and community.latitude is not None:
                return float(community.latitude), float(community.longitude), community
        return None


def listing_context(request, index_page=None):
    form = SearchForm(request.GET or None)
    found, point, near_community = [], None, None
    if form.is_bound and not form.is_valid():
        filters = {}
    else:
        filters = form.cleaned_data if form.is_bound else {}
        point = form.point() if form.is_bound else None
    kind, amenities, open_now = filters.get("kind") or None, filters.get("amenity") or [], filters.get("open_now", False)
    if point:
        lat, lng, near_community = point
        found = queries.nearest(lat, lng, limit=LIST_LIMIT, kind=kind, amenities=amenities, open_now=open_now)
    elif not form.is_bound or form.is_valid():
        found = queries.by_community(community=filters.get("community") or None, kind=kind, amenities=amenities,
                                     open_now=open_now)
    rows = [{"station": f.station, "distance_m": f.distance_m, "open_now": f.open_now,
             "distance_km": f.distance_m / 1000 if f.distance_m is not None else None,
             "freshness": queries.freshness(f.station)} for f in found]
    context = {"search_form": form, "rows": rows, "index_page": index_page, "by_distance": bool(point),
               "near_community": near_community, "now": queries.local_now()}
    if not form.is_bound or form.is_valid():
        context["map"] = map_context(filters, point, shown=len(rows))
    return context


def map_context(filters, point, *, shown):
    """What the map needs (core.maps; in data-* attributes, as the CSP allows no inline script):
    the GeoJSON search that matches the list, the rider's point, this page's texts."""
    coords = maps.tile_coords()
    params = [("limit", LIST_LIMIT), ("coords", coords)]
    if point:
        params += [("lat", point[0]), ("lng", point[1])]
    elif filters.get("community"):
        params.append(("community", filters["community"]))
    if filters.get("kind"):
        params.append(("kind", filters["kind"]))
    params += [("amenity", a) for a in filters.get("amenity") or []]
    if filters.get("open_now"):
        params.append(("open_now", "true"))
    here = geo.in_system(point[0], point[1], coords) if point and point[2] is None else None
    return maps.map_context(
        f"{reverse('wagtailapi_v3:geojson')}?{urlencode(params)}", id="station-map", css_class="station-map",
        heading_level=3, label=_("Map of the stations in the list"), title=_("On the map"),
        here=f"{here[0]:.6f},{here[1]:.6f}" if here else "",
        partial_note=_("The map shows the first %(n)s stations of the list.") % {"n": LIST_LIMIT}
        if shown > LIST_LIMIT else "",
        notes={"plain": _("This site has no map server set up, so the stations are drawn on a plain background, "
                          "without streets. The list below has them all, with addresses."),
               "tiles_failed": _("The map background could not be loaded (no connection to the map server), so "
                                 "the stations are drawn on a plain background. The list below has them all, "
                                 "with addresses."),
               "load_failed": _("The map could not load the stations. The list below has them all.")},
        data={"label-open": _("Open now"), "label-closed": _("Closed now"), "label-m": _("%(m)s m"),
              "label-km": _("%(km)s km")})


@require_GET
@maps.allow_tiles
def index(request):
    index_page = StationIndexPage.objects.live().first()
    return render(request, "stations/index.html", listing_context(request, index_page=index_page))


def station_context(request, station):
    station = queries.station_queryset().filter(pk=station.pk).first() or station
    return {
        "station": station, "open_now": queries.is_open_now(station),
        "opening_hours": queries.opening_hours_string(station), "freshness": queries.freshness(station),
        "items": Confirmation.Item.choices, "states": Confirmation.State.choices,
        "may_set_status": services.may_set_status(request.user),
        "unconfirmed_days": queries.unconfirmed_after_days(),
        "visits_today": queries.visits_today(station, request.user),
    }


def _page_url(station_id):
    station = queries.live_stations().filter(pk=station_id).first()
    return station.url if station else reverse("stations:index")


def _count(value):
    value = (value or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 3:
        raise services.StationError("invalid_count", status=422)
    return int(value)


@login_required
@require_POST
def confirm(request, station_id):
    try:
        services.confirm(station_id, request.user, item=request.POST.get("item", ""),
                         state=request.POST.get("state", ""), note=request.POST.get("note", ""), via="page")
        messages.success(request, _("Thank you. The next rider will see what you found."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect_back(request, _page_url(station_id))


@login_required
@require_POST
def set_status(request, station_id):
    if not services.may_set_status(request.user):
        raise PermissionDenied
    try:
        services.set_live_status(
            station_id, request.user, seats_free=_count(request.POST.get("seats_free")),
            chargers_free=_count(request.POST.get("chargers_free")),
            batteries_free=_count(request.POST.get("batteries_free")),
            closed_today=bool(request.POST.get("closed_today")), closed_reason=request.POST.get("closed_reason", ""),
            via="page")
        messages.success(request, _("The station's status is updated."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect_back(request, _page_url(station_id))


@login_required
@require_POST
def credit_visit(request, visit_id):
    minutes = (request.POST.get("minutes") or "").strip()
    try:
        if not minutes.isascii() or not minutes.isdigit() or len(minutes) > 4:
            raise services.StationError("invalid_minutes", status=422)
        visit = services.credit_volunteering(visit_id, request.user, minutes=int(minutes), via="page")
        messages.success(request, _("%(minutes)s minutes of volunteering credited to %(name)s.")
                         % {"minutes": visit.volunteer_minutes, "name": visit.member})
    except DomainError as error:
        if error.code == "not_allowed":
            raise PermissionDenied from error
        messages.error(request, error.message)
    return redirect_back(request, reverse("stations:index"))


def _staff_station(request, station_id):
    if not request.user.is_authenticated:
        return None
    if not services.may_set_status(request.user):
        raise PermissionDenied
    return get_object_or_404(queries.live_stations(), pk=station_id)


@require_GET
def poster(request, station_id):
    station = _staff_station(request, station_id)
    if station is None:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    svg = qr.svg(station.scan_url(), title=station.title).decode("utf-8")
    return render(request, "stations/poster.html", {"station": station, "qr_svg": svg})


@require_GET
def station_qr(request, station_id):
    station = _staff_station(request, station_id)
    if station is None:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    return qr.svg_response(station.scan_url(), title=station.title)


@login_required
@require_http_methods(["GET", "POST"])
def scan(request, station_id, code):
    station = get_object_or_404(queries.live_stations(), pk=station_id)
    if not station.check_scan_code(code):
        return render(request, "stations/scan.html", {"station": station, "invalid": True}, status=403)
    if request.method == "POST":
        try:
            result = services.record_scan(station_id, request.user, code, via="page")
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(request.path)
        return render(request, "stations/scan.html", {"station": station, "result": result})
    return render(request, "stations/scan.html", {"station": station, "membership": queries.own_membership(request.user)})


class MembershipForm(forms.Form):
    is_mobile = forms.BooleanField(label=gettext_lazy("I am a mobile party member (流动党员)"), required=False)
    home_organisation = forms.CharField(label=gettext_lazy("My home party organisation"), required=False,
                                        max_length=120)


@login_required
@require_http_methods(["GET", "POST"])
def my_party(request):
    membership = queries.own_membership(request.user)
    if request.method == "POST":
        if request.POST.get("withdraw"):
            services.withdraw_party_membership(request.user, via="page")
            messages.success(request, _("Your declaration is removed."))
            return redirect("stations:party")
        form = MembershipForm(request.POST)
        if form.is_valid():
            services.declare_party_membership(request.user, via="page", **form.cleaned_data)
            messages.success(request, _("Your declaration is saved. Only party-work staff and you can see it."))
            return redirect("stations:party")
    else:
        form = MembershipForm(initial={"is_mobile": membership.is_mobile, "home_organisation":
                                       membership.home_organisation} if membership else {"is_mobile": True})
    return render(request, "stations/party.html", {
        "form": form, "membership": membership, "report_ins": queries.own_report_ins(request.user),
        "visits": queries.own_visits(request.user)})


def _registry_staff(request):
    if not queries.may_see_party_registry(request.user):
        raise PermissionDenied


@login_required
@require_GET
def registry(request):
    _registry_staff(request)
    return render(request, "stations/registry.html", {
        "organisations": queries.organisations_visible_to(request.user),
        "members": queries.party_members_visible_to(request.user),
        "counts": queries.report_in_counts(request.user)})


@login_required
@require_GET
def registry_export(request, fmt):
    _registry_staff(request)
    header = [_("Organisation"), _("Month"), _("Report-ins")]
    rows = [[r["organisation__name"], f"{r['month']:%Y-%m}", r["count"]] for r in queries.report_in_counts(request.user)]
    return table_response(fmt, f"report-ins-{timezone.localdate():%Y%m%d}", header, rows,
                          title=_("Report-ins per branch and month"), widths=(40, 12, 12))
