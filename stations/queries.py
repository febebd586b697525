"""Every read of the stations plugin and every rule of who sees what: the pages, the API, the
admin and the exports all call these.

The nearest search needs no GIS server: a bounding box on the indexed latitude and longitude
finds candidates, the exact haversine distance orders them, and "open now" is decided for the
nearest first, a batch at a time, so ten thousand stations cost a handful of queries.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, F, Max, Prefetch, Q
from django.utils import timezone

from core import calendar
from stations import geo, hours
from stations.models import (
    Confirmation,
    LiveStatus,
    OpeningException,
    OpeningHours,
    PartyMember,
    PartyOrganisation,
    ReportIn,
    StationPage,
    Visit,
    amenity_mask,
    unconfirmed_after_days,
)

#: First search radius; doubled until enough stations are found or MAX_RADIUS_M is reached.
START_RADIUS_M = 1_500
MAX_RADIUS_M = 50_000
#: How many candidates get their hours read per query while looking for open ones.
OPEN_BATCH = 40
PHOTO_FILTER = "fill-640x360|format-webp"


def live_stations():
    return StationPage.objects.live().public()


def station_queryset(now=None):
    """Live, public stations with what a listing or a station page shows, in a fixed number of
    queries: community, live status, hours, exceptions, photos with their renditions, the rider
    confirmations still fresh and the time of the last one."""
    from wagtail.images import get_image_model

    from stations.models import StationPhoto

    images = get_image_model().objects.prefetch_renditions(PHOTO_FILTER)
    recent = Confirmation.objects.filter(created_at__gte=_fresh_since(now)).order_by("-created_at", "-pk")
    return (live_stations().select_related("community", "live_status")
            .annotate(last_confirmed=Max("confirmations__created_at"))
            .prefetch_related("hours", "exceptions",
                              Prefetch("confirmations", queryset=recent, to_attr="recent_confirmations"),
                              Prefetch("photos", queryset=StationPhoto.objects.prefetch_related(
                                  Prefetch("image", queryset=images)))))


def _fresh_since(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=unconfirmed_after_days())


def filter_stations(queryset, *, kind=None, amenities=(), community=None):
    if kind:
        queryset = queryset.filter(kind=kind)
    mask = amenity_mask(amenities)
    if mask:
        queryset = queryset.alias(_has=F("amenity_mask").bitand(mask)).filter(_has=mask)
    if community:
        queryset = queryset.filter(community__code=community)
    return queryset


def local_now(now=None):
    return timezone.localtime(now or timezone.now())


def day_types_around(moment) -> dict:
    """The office calendar for the moment's date and the day before (overnight hours)."""
    today = moment.date()
    return calendar.day_types(today - datetime.timedelta(days=1), today)


def schedules_for(station_ids, moment) -> dict[int, hours.Schedule]:
    """Schedules of many stations in three queries (hours, exceptions of these two days, status)."""
    ids = list(station_ids)
    flags = dict(StationPage.objects.filter(pk__in=ids).values_list("pk", "follows_office_calendar"))
    schedules = {pk: hours.Schedule(follows_office_calendar=flags.get(pk, False)) for pk in ids}
    for page_id, weekday, opens, closes in OpeningHours.objects.filter(page_id__in=ids).values_list(
            "page_id", "weekday", "opens", "closes"):
        schedules[page_id].add_hours(weekday, opens, closes)
    today = moment.date()
    for page_id, date, closed, opens, closes in OpeningException.objects.filter(
            page_id__in=ids, date__range=(today - datetime.timedelta(days=1), today)).values_list(
            "page_id", "date", "closed", "opens", "closes"):
        schedules[page_id].add_exception(date, closed, opens, closes)
    for station_id in LiveStatus.objects.filter(station_id__in=ids, closed_on=today).values_list(
            "station_id", flat=True):
        schedules[station_id].closed_on = today
    return schedules


def is_open_now(station: StationPage, now=None) -> bool:
    """One station's "open now" (its page), by the same rule as the nearest search."""
    moment = local_now(now)
    status = getattr(station, "live_status", None) if _has_status(station) else None
    closed_on = status.closed_on if status else None
    return hours.is_open(station.schedule(closed_on=closed_on), moment, day_types_around(moment))


def _has_status(station):
    try:
        return station.live_status is not None
    except LiveStatus.DoesNotExist:
        return False


def status_of(station) -> LiveStatus | None:
    return station.live_status if _has_status(station) else None


def opening_hours_string(station: StationPage, now=None) -> str:
    status = status_of(station)
    return hours.osm_opening_hours(station.schedule(closed_on=status.closed_on if status else None),
                                   local_now(now).date())


@dataclass
class Found:
    station: StationPage
    distance_m: float | None
    open_now: bool


def nearest(lat: float, lng: float, *, limit: int = 10, kind=None, amenities=(), open_now=False,
            now=None) -> list[Found]:
    """The ``limit`` nearest live stations to (lat, lng) in WGS-84 with their distances, filtered
    by kind, amenities (all of them) and, when ``open_now``, by being open at ``now``."""
    moment = local_now(now)
    day_types = day_types_around(moment)
    base = filter_stations(live_stations(), kind=kind, amenities=amenities)
    if open_now:
        base = base.filter(could_be_open(moment))
    radius, seen, chosen = START_RADIUS_M, set(), []
    while True:
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius)
        rows = base.filter(latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng)) \
            .exclude(pk__in=seen).values_list("pk", "latitude", "longitude")
        candidates = sorted((geo.haversine_m(lat, lng, s_lat, s_lng), pk) for pk, s_lat, s_lng in rows)
        # Only those inside the circle are certainly nearer than anything outside the box.
        inside = [(d, pk) for d, pk in candidates if d <= radius]
        for start in range(0, len(inside), OPEN_BATCH):
            batch = inside[start:start + OPEN_BATCH]
            schedules = schedules_for([pk for _, pk in batch], moment)
            for distance, pk in batch:
                seen.add(pk)
                is_open = hours.is_open(schedules[pk], moment, day_types)
                if is_open or not open_now:
                    chosen.append((distance, pk, is_open))
                if len(chosen) >= limit:
                    break
            if len(chosen) >= limit:
                break
        if len(chosen) >= limit or radius >= MAX_RADIUS_M:
            break
        # Widen by what the density found so far says is needed for ``limit`` (an area grows
        # with the square of the radius), at least twice and at most four times: on a night
        # when little is open each round is a query over a box four times the last one.
        radius *= min(4.0, max(2.0, math.sqrt(limit / max(len(chosen), 1))))
    pages = station_queryset(now).in_bulk([pk for _, pk, _ in chosen])
    return [Found(pages[pk], distance, is_open) for distance, pk, is_open in chosen if pk in pages]


def could_be_open(moment) -> Q:
    """A condition every station open at ``moment`` meets: some weekly interval covers the time of
    day (one starting today, or an overnight one from yesterday), or there is an exception dated
    today or yesterday. It lets the database drop what is certainly closed (at 03:00 nearly
    everything) so the exact rule of ``hours.is_open`` reads few schedules; without it a night
    search read every station's hours in the 50 km radius, 40 at a time (900 queries)."""
    today, time = moment.date(), moment.time()
    yesterday = today - datetime.timedelta(days=1)
    weekdays = {today.weekday(), yesterday.weekday(), 0, hours.PUBLIC_HOLIDAY}
    covering = OpeningHours.objects.filter(weekday__in=weekdays).filter(
        Q(opens__lte=time, closes__gt=time)                          # today, within the day
        | Q(closes__lte=F("opens"), opens__lte=time)                 # today, running past midnight
        | Q(closes__lte=F("opens"), closes__gt=time))                # yesterday's, still running
    dated = OpeningException.objects.filter(date__in=(yesterday, today))
    # IN (subquery), not EXISTS per station: the database reads each list once (a hashed
    # subplan) instead of probing the hours of every station in the box, radius after radius.
    return Q(pk__in=covering.values("page_id")) | Q(pk__in=dated.values("page_id"))


def by_community(*, community=None, kind=None, amenities=(), open_now=False, now=None) -> list[Found]:
    """Without a point: every matching station, grouped by community name (the list that always
    works, with no location shared)."""
    moment = local_now(now)
    day_types = day_types_around(moment)
    stations = filter_stations(station_queryset(now), kind=kind, amenities=amenities, community=community)
    if open_now:
        stations = stations.filter(could_be_open(moment))
    stations = list(stations.order_by(F("community__name").asc(nulls_last=True), "title"))
    found = []
    for station in stations:
        status = status_of(station)
        is_open = hours.is_open(station.schedule(closed_on=status.closed_on if status else None), moment, day_types)
        if is_open or not open_now:
            found.append(Found(station, None, is_open))
    return found


# --- live status and confirmations -----------------------------------------------------------------

def latest_confirmations(station, now=None) -> list[Confirmation]:
    """The newest word per item within the freshness window (older ones are not shown as facts).
    Uses the rows ``station_queryset`` prefetched; else reads them."""
    recent = getattr(station, "recent_confirmations", None)
    if recent is None:
        recent = station.confirmations.filter(created_at__gte=_fresh_since(now)).order_by("-created_at", "-pk")
    latest = {}
    for confirmation in recent:
        latest.setdefault(confirmation.item, confirmation)
    return sorted(latest.values(), key=lambda c: c.item)


def freshness(station, now=None) -> dict:
    """What a rider sees of the status: the facts when someone confirmed them within N days,
    else ``unconfirmed`` with the last time anyone did."""
    now = now or timezone.now()
    status = status_of(station)
    confirmations = latest_confirmations(station, now)
    if hasattr(station, "last_confirmed"):
        last_rider = station.last_confirmed
    else:
        last_rider = station.confirmations.values_list("created_at", flat=True).order_by("-created_at").first()
    stamps = [t for t in (status.updated_at if status else None, last_rider) if t]
    last = max(stamps) if stamps else None
    fresh = last is not None and last >= now - datetime.timedelta(days=unconfirmed_after_days())
    today = local_now(now).date()
    return {
        "state": "fresh" if fresh else "unconfirmed",
        "confirmed_at": last,
        "closed_today": bool(status and status.closed_today(today)),
        "closed_reason": status.closed_reason if status and status.closed_today(today) else "",
        "status": status if (status and status.is_fresh(now)) else None,
        "confirmations": confirmations,
    }


# --- visits, report-in and the party registry --------------------------------------------------

def may_see_party_registry(user) -> bool:
    """Party-work staff (the plugin's role grants the view permission) and superusers."""
    return bool(user.is_authenticated and user.has_perm("stations.view_partymember"))


def party_members_visible_to(user):
    """Everyone for party-work staff; a member sees their own membership only; else nothing."""
    members = PartyMember.objects.select_related("user", "organisation")
    if may_see_party_registry(user):
        return members
    if user.is_authenticated:
        return members.filter(user=user)
    return members.none()


def own_membership(user) -> PartyMember | None:
    if not user.is_authenticated:
        return None
    return PartyMember.objects.select_related("organisation").filter(user=user).first()


def organisations_visible_to(user):
    if not (user.is_authenticated and user.has_perm("stations.view_partyorganisation")):
        return PartyOrganisation.objects.none()
    return (PartyOrganisation.objects.select_related("parent")
            .prefetch_related("communities", "enterprises")
            .annotate(member_count=Count("members", distinct=True)))


def branch_for_community(community_id) -> PartyOrganisation | None:
    """The organisation that receives report-ins for a community: a branch before a joint branch
    before a general branch, then by name, so the answer is stable."""
    if community_id is None:
        return None
    order = {PartyOrganisation.Kind.BRANCH: 0, PartyOrganisation.Kind.JOINT_BRANCH: 1,
             PartyOrganisation.Kind.GENERAL_BRANCH: 2}
    candidates = list(PartyOrganisation.objects.filter(communities=community_id))
    return min(candidates, key=lambda o: (order.get(o.kind, 9), o.name), default=None)


def own_report_ins(user):
    return ReportIn.objects.filter(member=user).select_related("organisation", "station").order_by("-month")


def own_visits(user, limit=20):
    return Visit.objects.filter(member=user).select_related("station").order_by("-created_at")[:limit]


def report_in_counts(user, *, year=None):
    """Report-ins per organisation and month, for party-work staff only (else empty)."""
    if not may_see_party_registry(user):
        return []
    rows = ReportIn.objects.all()
    if year:
        rows = rows.filter(month__year=year)
    return list(rows.values("organisation_id", "organisation__name", "month")
                .annotate(count=Count("pk")).order_by("-month", "organisation__name"))


def visits_today(station, user, now=None):
    """Today's visits to a station, for station staff to credit volunteering (else none)."""
    if not (user.is_authenticated and user.has_perm("stations.view_visit")):
        return Visit.objects.none()
    today = local_now(now).date()
    return (Visit.objects.filter(station=station, created_at__date=today)
            .select_related("member").order_by("-created_at"))


def visits_visible_to(user):
    if not (user.is_authenticated and user.has_perm("stations.view_visit")):
        return Visit.objects.none()
    return Visit.objects.select_related("station", "member")

