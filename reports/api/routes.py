"""/api/v3/reports/: categories, the public list, duplicates nearby, photo upload, submitting,
"me too", one's own reports, a grid worker's queue and the work order's steps, and meetings.
Thin: reads call :mod:`reports.queries`, changes call :mod:`reports.services`."""

import hashlib

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from ninja import File, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from core.api import member_auth, public_auth
from core.cache import cached, cached_values
from reports import queries, services
from reports.api.schemas import (
    HazardReportDetailOut,
    HazardReportIn,
    HazardReportListOut,
    ReportCategoryOut,
    ReportDispatchIn,
    ReportListFilter,
    ReportMapFilter,
    ReportMeetingOut,
    ReportMergeIn,
    ReportNearbyFilter,
    ReportNearbyListOut,
    ReportPhotoOut,
    ReportReasonIn,
    ReportResolveIn,
    category_data,
    meeting_data,
    photo_data,
    report_data,
    report_feature,
)
from reports.models import Channel, Meeting

router = Router(tags=["reports"])


def _page(request, queryset, filters):
    queryset = queries.with_photos(queries.filter_reports(
        queryset, category=filters.category, community=filters.community, status=filters.status,
        overdue=filters.overdue))
    count = queryset.count()
    rows = list(queryset[filters.offset:filters.offset + filters.limit])
    supported = queries.supported_ids(request.user, [r.pk for r in rows])
    return {"count": count, "items": [report_data(request, r, supported=supported) for r in rows]}


#: How long a page of the public list is kept at most: what the clock alone changes ("overdue")
#: moves by the day, and every report's change makes the entry stale at once.
PUBLIC_LIST_SECONDS = 300


def _public_page(request, filters):
    """The public list: the page as anybody sees it comes from core.cache (namespace "reports",
    made stale by any report's change), the same value for every reader; the reader's own "mine"
    and "me too" marks are added with one query over the page's ids (none when anonymous). A hit
    counts nothing, not even the open reports of 100,000."""
    raw = "|".join(str(part) for part in (
        filters.category, filters.community, filters.status, filters.overdue, filters.limit, filters.offset,
        request.scheme, request.get_host(), get_language(), timezone.localdate()))
    key = "reports.list:" + hashlib.sha256(raw.encode()).hexdigest()[:32]

    def build(keys):
        queryset = queries.with_photos(queries.filter_reports(
            queries.public_reports(), category=filters.category, community=filters.community, status=filters.status,
            overdue=filters.overdue))
        rows = list(queryset[filters.offset:filters.offset + filters.limit])
        count = queryset.count() if len(rows) == filters.limit or filters.offset else len(rows)
        return {keys[0]: {"count": count, "items": [report_data(request, r, public=True) for r in rows]}}

    page = cached_values(("reports",), [key], build, seconds=PUBLIC_LIST_SECONDS)[key]
    flags = queries.reader_flags(request.user, [item["id"] for item in page["items"]])
    return {"count": page["count"], "items": [
        {**item, "mine": item["id"] in flags.mine, "me_too": item["id"] in flags.supported} for item in page["items"]]}


def _detail(request, report_id):
    report = queries.report_for(request.user, report_id)
    if report is None:
        raise services.ReportError("not_found", status=404)
    return report_data(request, report, detail=True, supported=queries.supported_ids(request.user, [report.pk]))


@router.get("/categories/", response=list[ReportCategoryOut], auth=public_auth, operation_id="reports_categories",
            summary="Categories open for reports, with their extra questions")
@decorate_view(cached("reports", everyone=True))
def categories(request):
    return [category_data(c) for c in queries.categories()]


@router.get("/", response=HazardReportListOut, auth=public_auth, operation_id="reports_list",
            summary="Public reports (public categories only; personal data removed, points rounded for every reader)")
def list_reports(request, filters: ReportListFilter = Query(...)):
    return _public_page(request, filters)


@router.get("/geojson", auth=public_auth, operation_id="reports_geojson", url_name="reports_geojson",
            summary="Public reports as a GeoJSON FeatureCollection for the public map (points rounded, no person)")
def geojson(request, filters: ReportMapFilter = Query(...)):
    """The same for every reader, so one cached value (namespace "reports") serves them all; a
    miss is one query for the reports and one for their photos, whatever the limit."""
    raw = "|".join(str(part) for part in (filters.category, filters.community, filters.status, filters.bbox,
                                          filters.limit, get_language()))
    key = "reports.geojson:" + hashlib.sha256(raw.encode()).hexdigest()[:32]

    def build(keys):
        queryset = queries.with_photos(queries.filter_reports(
            queries.public_reports(), category=filters.category, community=filters.community, status=filters.status))
        queryset = queries.mappable(queryset, bbox=filters.bbox)
        return {keys[0]: {"type": "FeatureCollection",
                          "features": [report_feature(r) for r in queryset[:filters.limit]]}}

    try:
        body = cached_values(("reports",), [key], build, seconds=PUBLIC_LIST_SECONDS)[key]
    except ValueError:
        raise services.ReportError("bad_bbox", status=422) from None
    return JsonResponse(body, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


@router.get("/nearby/", response=ReportNearbyListOut, auth=public_auth, operation_id="reports_nearby",
            summary='Open reports of a category near a point: show these before submitting, for "me too"')
def nearby(request, filters: ReportNearbyFilter = Query(...)):
    category = queries.categories().filter(code=filters.category).first()
    if category is None:
        raise services.ReportError("category_closed", status=422)
    found = queries.nearby_open(category, filters.lat, filters.lng, radius_m=filters.radius)
    supported = queries.supported_ids(request.user, [f.report.pk for f in found])
    items = [report_data(request, f.report, supported=supported, distance_m=f.distance_m) for f in found]
    return {"count": len(items), "items": items}


@router.post("/photos/", response={201: ReportPhotoOut}, auth=member_auth, operation_id="reports_photo_upload",
             summary="Upload a photo (multipart, field 'photo'); it is re-encoded without EXIF or GPS")
def upload_photo(request, photo: File[UploadedFile]):
    return Status(201, photo_data(request, services.upload_photo(request.user, photo)))


@router.post("/", response={201: HazardReportDetailOut}, auth=member_auth, operation_id="reports_submit",
             summary="Submit a report (ask nearby/ first; say me-too/ instead when it is already reported)")
def submit(request, body: HazardReportIn):
    report = services.submit(request.user, category=body.category, description=body.description, answers=body.answers,
                             lat=body.lat, lng=body.lng, address=body.address, community=body.community,
                             anonymous=body.anonymous, photo_ids=body.photo_ids, channel=Channel.APP, via="api")
    return Status(201, _detail(request, report.pk))


@router.get("/mine/", response=HazardReportListOut, auth=member_auth, operation_id="reports_mine",
            summary='My reports and those I said "me too" to')
def mine(request, filters: ReportListFilter = Query(...)):
    return _page(request, queries.my_reports(request.user), filters)


@router.get("/queue/", response=HazardReportListOut, auth=member_auth, operation_id="reports_queue",
            summary="A grid worker's queue: my work orders and my communities' unclaimed ones, soonest deadline first")
def queue(request, filters: ReportListFilter = Query(...)):
    if not (queries.is_grid_worker(request.user) or queries.is_command_centre(request.user)):
        raise services.NotAllowed()
    return _page(request, queries.queue_for(request.user), filters)


@router.get("/{int:report_id}/", response=HazardReportDetailOut, auth=public_auth, operation_id="reports_detail",
            summary="One report, with its public timeline")
def detail(request, report_id: int):
    return _detail(request, report_id)


@router.post("/{int:report_id}/me-too/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_me_too",
             summary='"Me too": join an open report instead of filing a duplicate')
def me_too(request, report_id: int):
    services.me_too(report_id, request.user, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/accept/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_accept",
             summary="Accept a submitted work order (a grid worker of its community, or the command centre)")
def accept(request, report_id: int):
    services.accept(report_id, request.user, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/dispatch/", response=HazardReportDetailOut, auth=member_auth,
             operation_id="reports_dispatch", summary="Give the work order to a grid worker (command centre)")
def dispatch(request, report_id: int, body: ReportDispatchIn):
    services.dispatch(report_id, request.user, body.assignee, note=body.note, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/start/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_start",
             summary="Start work on it")
def start(request, report_id: int):
    services.start(report_id, request.user, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/resolve/", response=HazardReportDetailOut, auth=member_auth,
             operation_id="reports_resolve", summary="Resolved, with a note and (upload first) a photo")
def resolve(request, report_id: int, body: ReportResolveIn):
    services.resolve(report_id, request.user, note=body.note, public_note=body.public_note,
                     photo_ids=body.photo_ids, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/reject/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_reject",
             summary="Not taken up, with the reason the reporter is told")
def reject(request, report_id: int, body: ReportReasonIn):
    services.reject(report_id, request.user, reason=body.reason, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/merge/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_merge",
             summary="A duplicate of another open report (command centre)")
def merge(request, report_id: int, body: ReportMergeIn):
    services.merge(report_id, request.user, body.into, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/close/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_close",
             summary="Close a resolved work order (the command centre, or the reporter confirming)")
def close(request, report_id: int):
    services.close(report_id, request.user, via="api")
    return _detail(request, report_id)


@router.post("/{int:report_id}/reopen/", response=HazardReportDetailOut, auth=member_auth, operation_id="reports_reopen",
             summary="Not fixed: the reporter reopens it within the set days")
def reopen(request, report_id: int, body: ReportReasonIn):
    services.reopen(report_id, request.user, reason=body.reason, via="api")
    return _detail(request, report_id)


@router.get("/meetings/{int:meeting_id}/", response=ReportMeetingOut, auth=public_auth, operation_id="reports_meeting",
            summary="A needs-gathering meeting and what became of each thing raised")
@decorate_view(cached("reports", everyone=True))
def meeting(request, meeting_id: int):
    return meeting_data(get_object_or_404(Meeting.objects.select_related("community"), pk=meeting_id))
