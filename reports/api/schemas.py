"""What goes in and out of /api/v3/reports/ (Ninja schemas), and the functions that turn a report
into what a given reader may see of it (public, reporter, grid worker, command centre)."""

from django.urls import reverse
from ninja import Field, Schema

from core.api import CommunityRef, choice_of
from core.text import local_iso
from reports import photos, queries
from reports.models import Channel, Question, ReportPhoto, Status


class ReportQuestionOut(Schema):
    code: str
    label: str
    help_text: str
    datatype: choice_of(Question.Datatype)
    required: bool
    choices: list[dict]


class ReportCategoryOut(Schema):
    id: int
    code: str
    name: str
    description: str
    group: str
    department: str
    deadline_working_days: int
    photo_required: bool
    allow_anonymous: bool
    is_public: bool
    questions: list[ReportQuestionOut]


class ReportPhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str = Field(description=f"at most {photos.THUMB_SIDE} px on its longest side")
    kind: choice_of(ReportPhoto.Kind)
    width: int
    height: int


class ReportUpdateOut(Schema):
    status: choice_of(Status)
    note: str
    at: str | None


class HazardReportOut(Schema):
    id: int
    category: str = Field(description="category code")
    category_name: str
    description: str
    status: choice_of(Status)
    status_label: str
    lat: float | None = Field(description="WGS-84; rounded to ~100 m unless you follow this report up or filed it")
    lng: float | None
    address: str
    community: CommunityRef | None
    channel: choice_of(Channel)
    submitted_at: str | None
    deadline: str | None
    overdue: bool
    escalation: int
    public_note: str
    supporters: int = Field(description='how many people said "me too"')
    me_too: bool = Field(description='whether you said "me too" (or could)')
    photos: list[ReportPhotoOut]
    mine: bool


class HazardReportDetailOut(HazardReportOut):
    answers: dict
    timeline: list[ReportUpdateOut]
    reporter: str | None = Field(None, description="only to the reporter and those who follow it up")
    assignee: str | None = None
    can_accept: bool = False
    can_start: bool = False
    can_resolve: bool = False
    can_reopen: bool = False


class HazardReportListOut(Schema):
    count: int
    items: list[HazardReportOut]


class ReportNearbyOut(HazardReportOut):
    distance_m: int


class ReportNearbyListOut(Schema):
    count: int
    items: list[ReportNearbyOut]


class ReportNearbyFilter(Schema):
    category: str = Field(max_length=40, description="category code")
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    radius: int = Field(queries.DUPLICATE_RADIUS_M, ge=10, le=1000, description="metres")


class ReportListFilter(Schema):
    category: str | None = Field(None, max_length=40)
    community: str | None = Field(None, max_length=30)
    status: str | None = Field(None, pattern=r"^(open|closed|" + "|".join(Status.values) + ")$")
    overdue: bool | None = None
    limit: int = Field(20, ge=1, le=20)
    offset: int = Field(0, ge=0, le=1_000_000)


class ReportMapFilter(Schema):
    category: str | None = Field(None, max_length=40)
    community: str | None = Field(None, max_length=30)
    status: str | None = Field(None, pattern=r"^(open|closed|" + "|".join(Status.values) + ")$")
    bbox: str | None = Field(None, max_length=100, pattern=r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
                             description="west,south,east,north (WGS-84 degrees): only reports inside")
    limit: int = Field(100, ge=1, le=200, description="newest first")


class HazardReportIn(Schema):
    category: str = Field(max_length=40, description="category code")
    description: str = Field(max_length=2000)
    answers: dict = Field({}, description="question code -> answer (a list for several choices)")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=200)
    community: str | None = Field(None, max_length=30, description="community code; else found from the point")
    anonymous: bool = False
    photo_ids: list[int] = Field([], max_length=6, description="photos uploaded first to POST photos/")


class ReportResolveIn(Schema):
    note: str = Field(max_length=2000, description="what was done (staff)")
    public_note: str = Field("", max_length=2000, description="the answer shown to the reporter and the public")
    photo_ids: list[int] = Field([], max_length=6)


class ReportReasonIn(Schema):
    reason: str = Field(max_length=200)


class ReportDispatchIn(Schema):
    assignee: int = Field(ge=1, description="user id of a grid worker")
    note: str = Field("", max_length=500)


class ReportMergeIn(Schema):
    into: int = Field(ge=1, le=2**62, description="id of the report this one repeats")


class ReportMeetingItemOut(Schema):
    id: int
    category_name: str
    description: str
    status: choice_of(Status)
    status_label: str
    public_note: str


class ReportMeetingOut(Schema):
    id: int
    title: str
    date: str
    community: CommunityRef | None
    sector: str
    organisations: str
    attendees: int
    summary: str
    items: list[ReportMeetingItemOut]


def category_data(category) -> dict:
    return {
        "id": category.pk, "code": category.code, "name": category.name, "description": category.description,
        "group": category.group, "department": category.department,
        "deadline_working_days": category.deadline_working_days, "photo_required": category.photo_required,
        "allow_anonymous": category.allow_anonymous, "is_public": category.is_public,
        "questions": [{"code": q.code, "label": q.label, "help_text": q.help_text, "datatype": q.datatype,
                       "required": q.required, "choices": [{"key": k, "name": n} for k, n in q.choice_list()]}
                      for q in category.questions.all()],
    }


def photo_data(request, photo) -> dict:
    return {"id": photo.pk, "url": request.build_absolute_uri(reverse("reports:photo", args=[photo.pk])),
            "thumbnail_url": request.build_absolute_uri(reverse("reports:photo_thumbnail", args=[photo.pk])),
            "kind": photo.kind, "width": photo.width, "height": photo.height}


def _community(community):
    return {"id": community.pk, "name": community.name, "code": community.code} if community else None


def report_data(request, report, *, supported=frozenset(), detail=False, distance_m=None, public=False) -> dict:
    """What ``request.user`` may see of ``report``; ``public=True``: what anybody may (no reader's
    flags, the rounded point), the form the public list keeps in the cache for every reader."""
    user = request.user
    personal = not public and queries.may_see_personal(user, report)
    lat, lng = (report.latitude, report.longitude) if personal else queries.public_point(report)
    data = {
        "id": report.pk, "category": report.category.code, "category_name": report.category.name,
        "description": report.description, "status": report.status, "status_label": report.get_status_display(),
        "lat": lat, "lng": lng, "address": report.address, "community": _community(report.community),
        "channel": report.channel, "submitted_at": local_iso(report.submitted_at),
        "deadline": report.deadline.isoformat() if report.deadline else None, "overdue": report.is_overdue(),
        "escalation": report.escalation, "public_note": report.public_note, "supporters": report.supporter_count,
        "me_too": not public and report.pk in supported, "photos": [photo_data(request, p) for p in report.photos.all()],
        "mine": not public and user.is_authenticated and report.reporter_id == user.pk,
    }
    if distance_m is not None:
        data["distance_m"] = round(distance_m)
    if detail:
        data.update({
            "answers": report.answers,
            "timeline": [{"status": u.status, "note": u.note, "at": local_iso(u.created_at)}
                         for u in queries.timeline(report, user)],
            "reporter": report.reporter_name if personal else None,
            "assignee": (report.assignee.display_name or report.assignee.username) if report.assignee_id and personal else None,
            "can_accept": report.can_accept and queries.may_accept(user, report),
            "can_start": report.can_start and queries.may_work(user, report),
            "can_resolve": report.can_resolve and queries.may_work(user, report),
            "can_reopen": report.can_reopen() and report.reporter_id == getattr(user, "pk", None),
        })
    return data


def meeting_data(meeting) -> dict:
    return {"id": meeting.pk, "title": meeting.title, "date": meeting.date.isoformat(),
            "community": _community(meeting.community), "sector": meeting.sector,
            "organisations": meeting.organisations, "attendees": meeting.attendees, "summary": meeting.summary,
            "items": [{"id": r.pk, "category_name": r.category.name, "description": r.description,
                       "status": r.status, "status_label": r.get_status_display(), "public_note": r.public_note}
                      for r in queries.meeting_items(meeting)]}


def report_feature(report) -> dict:
    """A public report as a GeoJSON Feature for the public map: the rounded point (as on the list),
    no person; the first photo's thumbnail for the popup."""
    lat, lng = queries.public_point(report)
    photo = next(iter(report.photos.all()), None)
    return {"type": "Feature", "id": report.pk,
            "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {
                "id": report.pk, "title": f"#{report.pk} {report.category.name}", "category": report.category.code,
                "status": report.status, "status_label": report.get_status_display(), "open": report.is_open,
                "community": report.community.name if report.community else "",
                "submitted_at": local_iso(report.submitted_at), "supporters": report.supporter_count,
                "description": report.description[:120], "url": reverse("reports:detail", args=[report.pk]),
                "thumbnail_url": reverse("reports:photo_thumbnail", args=[photo.pk]) if photo else None,
            }}
