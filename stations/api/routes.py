"""/api/v3/stations/: the nearest stations open now (JSON and GeoJSON), one station, live status
by station staff, rider confirmations, QR scans (visit and report-in), a member's own party
declaration, and the party registry for party-work staff. Thin: reads call
:mod:`stations.queries`, changes call :mod:`stations.services`."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from core import qr
from core.api import member_auth, public_auth
from core.errors import NotAllowed
from stations import queries, services
from stations.api.schemas import (
    ConfirmationIn,
    ConfirmationOut,
    CoordsParam,
    CountOut,
    CreditIn,
    CreditOut,
    MembershipIn,
    MembershipOut,
    NearestFilter,
    PartyMemberOut,
    PartyOrganisationOut,
    ScanIn,
    ScanOut,
    StationDetailOut,
    StationListOut,
    StatusIn,
    StatusOut,
    feature,
    station_data,
    status_data,
)

router = Router(tags=["stations"])


def _search(filters: NearestFilter, now=None) -> list[dict]:
    if (filters.lat is None) != (filters.lng is None):
        raise HttpError(422, _("Give both lat and lng, or neither."))
    amenities = list(filters.amenity)
    kind = filters.kind or None
    if filters.lat is not None:
        found = queries.nearest(filters.lat, filters.lng, limit=filters.limit, kind=kind, amenities=amenities,
                                open_now=filters.open_now, now=now)
    else:
        found = queries.by_community(community=filters.community, kind=kind, amenities=amenities,
                                     open_now=filters.open_now, now=now)[:filters.limit]
    return [station_data(f.station, coords=filters.coords, distance_m=f.distance_m, open_now=f.open_now, now=now)
            for f in found]


@router.get("/", response=StationListOut, auth=public_auth, operation_id="stations_list",
            summary="Nearest stations (or by community), filtered by kind, amenities and open now")
def list_stations(request, filters: NearestFilter = Query(...)):
    items = _search(filters)
    return {"count": len(items), "items": items}


@router.get("/geojson", auth=public_auth, operation_id="stations_geojson",
            summary="The same search as a GeoJSON FeatureCollection, with OSM opening_hours")
def geojson(request, filters: NearestFilter = Query(...)):
    body = {"type": "FeatureCollection", "features": [feature(d) for d in _search(filters)]}
    return JsonResponse(body, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


def _station(station_id):
    return get_object_or_404(queries.station_queryset(), pk=station_id)


@router.get("/{int:station_id}/", response=StationDetailOut, auth=public_auth, operation_id="stations_detail",
            summary="One station with its hours, status and rider confirmations")
def station_detail(request, station_id: int, params: CoordsParam = Query(...)):
    return station_data(_station(station_id), coords=params.coords, detail=True)


@router.put("/{int:station_id}/status/", response=StatusOut, auth=member_auth, operation_id="stations_set_status",
            summary="Station staff: places free now, or closed today with a reason")
def set_status(request, station_id: int, body: StatusIn):
    services.set_live_status(station_id, request.user, via="api", **body.dict())
    return status_data(_station(station_id), None)


@router.post("/{int:station_id}/confirmations/", response={201: ConfirmationOut}, auth=member_auth,
             operation_id="stations_confirm", summary="A rider says what they found (water: yes, charging: no)")
def add_confirmation(request, station_id: int, body: ConfirmationIn):
    c = services.confirm(station_id, request.user, item=body.item, state=body.state, note=body.note,
                         via="api")
    return Status(201, {"item": c.item, "state": c.state, "note": c.note, "confirmed_at": c.created_at.isoformat()})


@router.post("/{int:station_id}/scan/", response={201: ScanOut}, auth=member_auth, operation_id="stations_scan",
             summary="A member scanned the station's QR code: a visit, and a report-in for mobile party members")
def scan(request, station_id: int, body: ScanIn):
    result = services.record_scan(station_id, request.user, body.code, via="api")
    report_in = result["report_in"]
    return Status(201, {"visit_id": result["visit"].pk,
                        "reported_in_to": report_in.organisation.name if report_in else None,
                        "month": f"{report_in.month:%Y-%m}" if report_in else None, "counted": result["counted"]})


@router.get("/{int:station_id}/qr.svg", auth=member_auth, operation_id="stations_qr",
            summary="Station staff: the station's signed QR code (standard QR, SVG)")
def station_qr(request, station_id: int):
    if not services.may_set_status(request.user):
        raise NotAllowed()
    station = get_object_or_404(queries.live_stations(), pk=station_id)
    return qr.svg_response(station.scan_url(), title=station.title)


@router.post("/visits/{int:visit_id}/credit/", response=CreditOut, auth=member_auth,
             operation_id="stations_credit_visit",
             summary="Station staff: credit a visit as volunteering at the station (core.credits)")
def credit_visit(request, visit_id: int, body: CreditIn):
    visit = services.credit_volunteering(visit_id, request.user, minutes=body.minutes, via="api")
    return {"visit_id": visit.pk, "member_id": visit.member_id, "minutes": visit.volunteer_minutes,
            "credited_at": visit.credited_at.isoformat()}


# --- the member's own party declaration -----------------------------------------------------------

def _membership_out(user):
    membership = queries.own_membership(user)
    if membership is None:
        raise HttpError(404, _("You have not declared a party membership."))
    return {"is_mobile": membership.is_mobile, "home_organisation": membership.home_organisation,
            "organisation": membership.organisation.name if membership.organisation else None,
            "report_ins": [{"organisation": r.organisation.name, "month": f"{r.month:%Y-%m}",
                            "station": r.station.title if r.station else None}
                           for r in queries.own_report_ins(user)]}


@router.get("/party/me/", response=MembershipOut, auth=member_auth, operation_id="stations_party_me",
            summary="My own party-membership declaration and report-ins")
def my_membership(request):
    return _membership_out(request.user)


@router.put("/party/me/", response=MembershipOut, auth=member_auth, operation_id="stations_party_declare",
            summary="Declare myself a (mobile) party member")
def declare(request, body: MembershipIn):
    services.declare_party_membership(request.user, is_mobile=body.is_mobile,
                                      home_organisation=body.home_organisation, via="api")
    return _membership_out(request.user)


# --- the party registry: party-work staff only ----------------------------------------------------

def _registry_staff(user):
    if not queries.may_see_party_registry(user):
        raise NotAllowed()


@router.get("/party/members/", response=list[PartyMemberOut], auth=member_auth,
            operation_id="stations_party_members", summary="Party-work staff: party members")
def party_members(request):
    _registry_staff(request.user)
    return [{"id": m.pk, "member_id": m.user_id, "name": str(m.user), "is_mobile": m.is_mobile,
             "home_organisation": m.home_organisation,
             "organisation": m.organisation.name if m.organisation else None}
            for m in queries.party_members_visible_to(request.user)]


@router.get("/party/organisations/", response=list[PartyOrganisationOut], auth=member_auth,
            operation_id="stations_party_organisations", summary="Party-work staff: party organisations")
def organisations(request):
    _registry_staff(request.user)
    return [{"id": o.pk, "name": o.name, "kind": o.kind, "setup": o.setup,
             "parent": o.parent.name if o.parent else None, "secretary": o.secretary,
             "communities": [c.name for c in o.communities.all()], "enterprises": [e.name for e in o.enterprises.all()],
             "member_count": o.member_count}
            for o in queries.organisations_visible_to(request.user)]


@router.get("/party/report-ins/", response=list[CountOut], auth=member_auth,
            operation_id="stations_report_in_counts", summary="Party-work staff: report-ins per branch and month")
def report_in_counts(request, year: int | None = Query(None, ge=2000, le=2100)):
    _registry_staff(request.user)
    return [{"organisation_id": r["organisation_id"], "organisation": r["organisation__name"],
             "month": f"{r['month']:%Y-%m}", "count": r["count"]}
            for r in queries.report_in_counts(request.user, year=year)]
