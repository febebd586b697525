"""What goes in and out of /api/v3/stations/ (Ninja schemas), and the one function that turns a
station into its representation (used by the list, the detail and the GeoJSON feature alike)."""

from typing import Literal

from ninja import Field, Schema

from core import images
from core.api import CommunityRef, choice_of
from core.text import local_iso
from stations import geo, queries
from stations.models import Amenity, Confirmation, Kind

Coords = Literal["wgs84", "gcj02"]


class NearestFilter(Schema):
    lat: float | None = Field(None, ge=-90, le=90, description="WGS-84 latitude of the rider")
    lng: float | None = Field(None, ge=-180, le=180, description="WGS-84 longitude of the rider")
    community: str | None = Field(None, max_length=30, description="community code (when no point is given)")
    kind: choice_of(Kind) | None = None
    amenity: list[choice_of(Amenity)] = Field([], description="every one of these (repeat the parameter)")
    open_now: bool = Field(False, description="only stations open now (Asia/Shanghai, office calendar)")
    limit: int = Field(10, ge=1, le=20, description="how many nearest stations")
    coords: Coords = Field("wgs84", description="coordinate system of the answer; gcj02 for Chinese map SDKs")


class CoordsParam(Schema):
    coords: Coords = "wgs84"


class HoursOut(Schema):
    day: int = Field(description="0 = Monday ... 6 = Sunday, 7 = public holidays")
    opens: str
    closes: str


class ConfirmationOut(Schema):
    item: str
    state: str
    note: str
    confirmed_at: str | None


class StatusOut(Schema):
    state: str = Field(description="fresh, or unconfirmed when nobody confirmed anything for N days")
    confirmed_at: str | None
    closed_today: bool
    closed_reason: str
    seats_free: int | None = None
    chargers_free: int | None = None
    batteries_free: int | None = None
    confirmations: list[ConfirmationOut]


class StationOut(Schema):
    id: int
    title: str
    url: str | None
    kind: str
    summary: str
    community: CommunityRef | None
    address: str
    lat: float
    lng: float
    coords: str
    amenities: list[str]
    contact_name: str
    contact_phone: str
    distance_m: int | None
    open_now: bool
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax")
    status: StatusOut


class StationDetailOut(StationOut):
    hours: list[HoursOut]
    photos: list[str]


class StationListOut(Schema):
    count: int
    items: list[StationOut]


class StatusIn(Schema):
    seats_free: int | None = Field(None, ge=0, le=999)
    chargers_free: int | None = Field(None, ge=0, le=999)
    batteries_free: int | None = Field(None, ge=0, le=999)
    closed_today: bool = False
    closed_reason: str = Field("", max_length=120)


class ConfirmationIn(Schema):
    item: choice_of(Confirmation.Item)
    state: choice_of(Confirmation.State)
    note: str = Field("", max_length=120)


class ScanIn(Schema):
    code: str = Field(..., min_length=4, max_length=40)


class ScanOut(Schema):
    visit_id: int
    reported_in_to: str | None
    month: str | None
    counted: bool = Field(description="false when this month's report-in to that branch was already there")


class CreditIn(Schema):
    minutes: int = Field(..., ge=1, le=720)


class CreditOut(Schema):
    visit_id: int
    member_id: int
    minutes: int
    credited_at: str


class MembershipIn(Schema):
    is_mobile: bool = True
    home_organisation: str = Field("", max_length=120)


class MembershipOut(Schema):
    is_mobile: bool
    home_organisation: str
    organisation: str | None
    report_ins: list[dict]


class PartyMemberOut(Schema):
    id: int
    member_id: int
    name: str
    is_mobile: bool
    home_organisation: str
    organisation: str | None


class PartyOrganisationOut(Schema):
    """A party organisation (named apart from members' OrganisationOut: OpenAPI names schemas by
    class, and two of one name documented only one shape)."""

    id: int
    name: str
    kind: str
    setup: str
    parent: str | None
    secretary: str
    communities: list[str]
    enterprises: list[str]
    member_count: int


class CountOut(Schema):
    organisation_id: int
    organisation: str
    month: str
    count: int


def status_data(station, now) -> dict:
    fresh = queries.freshness(station, now)
    status = fresh["status"]
    return {
        "state": fresh["state"], "confirmed_at": local_iso(fresh["confirmed_at"]),
        "closed_today": fresh["closed_today"], "closed_reason": fresh["closed_reason"],
        "seats_free": status.seats_free if status else None,
        "chargers_free": status.chargers_free if status else None,
        "batteries_free": status.batteries_free if status else None,
        "confirmations": [{"item": c.item, "state": c.state, "note": c.note, "confirmed_at": local_iso(c.created_at)}
                          for c in fresh["confirmations"]],
    }


def station_data(station, *, coords="wgs84", distance_m=None, open_now=None, now=None, detail=False) -> dict:
    lat, lng = geo.in_system(station.latitude, station.longitude, coords)
    community = station.community
    data = {
        "id": station.pk, "title": station.title, "url": station.url, "kind": station.kind,
        "summary": station.summary, "address": station.address, "lat": round(lat, 6), "lng": round(lng, 6),
        "coords": coords, "amenities": list(station.amenities),
        "community": {"id": community.pk, "name": community.name, "code": community.code} if community else None,
        "contact_name": station.contact_name, "contact_phone": station.contact_phone,
        "distance_m": round(distance_m) if distance_m is not None else None,
        "open_now": queries.is_open_now(station, now) if open_now is None else open_now,
        "opening_hours": queries.opening_hours_string(station, now),
        "status": status_data(station, now),
    }
    if detail:
        data["hours"] = [{"day": h.weekday, "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
                         for h in sorted(station.hours.all(), key=lambda h: (h.weekday, h.opens))]
        urls = (images.rendition_url(p.image, queries.PHOTO_FILTER) for p in station.photos.all())
        data["photos"] = [url for url in urls if url]  # a photo whose file is missing is left out
    return data


def feature(data: dict) -> dict:
    """A station as a GeoJSON Feature (RFC 7946 order: longitude, latitude)."""
    properties = {k: v for k, v in data.items() if k not in ("lat", "lng")}
    return {"type": "Feature", "id": data["id"],
            "geometry": {"type": "Point", "coordinates": [data["lng"], data["lat"]]}, "properties": properties}


