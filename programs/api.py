"""/api/v3/programs/: programs and sessions with places left, my registrations, staff operations.

Thin: every change calls :mod:`programs.services`; ``ProgramError`` becomes problem+json (409
with a ``code``). Listings make a fixed number of queries whatever the page size.
"""

import datetime as dt
from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import Pagination, member_auth, public_auth
from core.text import local_iso
from members.models import User
from programs import documents, services
from programs.cache import cached_listing
from programs.models import Audience, Kind, ProgramPage, Registration, Session
from programs.queries import (
    COVER_FILTER,
    filter_programs,
    member_registrations,
    program_queryset,
    upcoming_sessions,
)

router = Router(tags=["programs"])


def page_path(page):
    """The page's path on its site, from Wagtail's cached site root paths: Page.get_url() costs a
    Site lookup per request (measured at ~7 ms of a registration's ~30 ms)."""
    from wagtail.models import Site

    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path):
            return page.url_path[len(root.root_path) - 1:]
    return None


# --- schemas -----------------------------------------------------------------------------------

class Ref(Schema):
    id: int
    name: str


class CommunityRef(Schema):
    id: int
    name: str
    code: str


class CoverOut(Schema):
    url: str
    width: int
    height: int
    alt: str


class SessionOut(Schema):
    id: int
    title: str
    start: datetime
    end: datetime
    place: str
    places: int
    remaining: int

    @staticmethod
    def resolve_start(obj):
        return local_iso(obj.start)

    @staticmethod
    def resolve_end(obj):
        return local_iso(obj.end)

    @staticmethod
    def resolve_place(obj):
        return obj.place_text()


class ProgramOut(Schema):
    id: int
    title: str
    slug: str
    url: str | None
    kind: str
    kind_label: str
    audience: str
    summary: str
    community: CommunityRef | None
    organiser: Ref | None
    partners: list[Ref]
    location: str
    cover: CoverOut | None
    enrolment: str
    registration: str = Field(description="not_yet, open or closed")
    approval_required: bool
    waitlist_enabled: bool
    next_session: SessionOut | None
    sessions_count: int
    remaining_places: int

    @staticmethod
    def resolve_url(obj, context):
        return page_path(obj)

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_partners(obj):
        return list(obj.partners.all())

    @staticmethod
    def resolve_location(obj):
        return obj.location_text()

    @staticmethod
    def resolve_cover(obj, context):
        image = obj.cover_image
        if image is None:
            return None
        rendition = image.get_rendition(COVER_FILTER)
        return {"url": context["request"].build_absolute_uri(rendition.url), "width": rendition.width,
                "height": rendition.height, "alt": image.default_alt_text or image.title}

    @staticmethod
    def resolve_registration(obj):
        return obj.registration_state()

    @staticmethod
    def resolve_next_session(obj):
        upcoming = obj.upcoming_sessions()
        return upcoming[0] if upcoming else None

    @staticmethod
    def resolve_sessions_count(obj):
        return len(obj.session_list)

    @staticmethod
    def resolve_remaining_places(obj):
        return obj.remaining_places()


class ProgramDetailOut(ProgramOut):
    description: list
    eligible_kinds: list[str]
    per_member_limit: int
    registration_opens: datetime | None
    registration_closes: datetime | None
    sessions: list[SessionOut]
    no_show_rate: float | None = None

    @staticmethod
    def resolve_description(obj, context):
        return obj.description.stream_block.get_api_representation(obj.description, context)

    @staticmethod
    def resolve_sessions(obj):
        return obj.session_list

    @staticmethod
    def resolve_registration_opens(obj):
        return local_iso(obj.registration_opens)

    @staticmethod
    def resolve_registration_closes(obj):
        return local_iso(obj.registration_closes)


class ProgramFilter(Schema):
    kind: Kind | None = None
    audience: Audience | None = None
    community: str | None = Field(None, max_length=30, description="community code")
    date: dt.date | None = Field(None, description="programs with a session on this day (Asia/Shanghai)")
    q: str | None = Field(None, max_length=60)
    past: bool = Field(False, description="include programs whose sessions have all ended (after upcoming ones)")


class ProgramBrief(Schema):
    id: int
    title: str
    url: str | None

    @staticmethod
    def resolve_url(obj, context):
        return page_path(obj)


class RegistrationOut(Schema):
    id: int
    program: ProgramBrief
    session: SessionOut | None
    status: str
    status_label: str
    position: int | None
    channel: str
    created_at: datetime
    check_in_code: str
    qr_svg_url: str
    ics_url: str
    certificate_url: str | None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_created_at(obj):
        return local_iso(obj.created_at)

    @staticmethod
    def resolve_qr_svg_url(obj):
        return f"/api/v3/programs/registrations/{obj.pk}/qr.svg"

    @staticmethod
    def resolve_ics_url(obj):
        return f"/api/v3/programs/registrations/{obj.pk}/calendar.ics"

    @staticmethod
    def resolve_certificate_url(obj, context):
        if obj.status != Registration.Status.ATTENDED:
            return None
        cache = context["request"].__dict__.setdefault("_programs_completed", {})  # per response, not per row
        if obj.member_id not in cache:
            cache[obj.member_id] = services.completed_program_ids(obj.member_id)
        if obj.program_id not in cache[obj.member_id]:
            return None
        return f"/api/v3/programs/{obj.program_id}/certificate.pdf"


class RegisterIn(Schema):
    session_id: int | None = Field(None, ge=1, description="required unless the program is a whole series")


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class OnBehalfIn(Schema):
    member_id: int | None = Field(None, ge=1)
    phone: str | None = Field(None, pattern=r"^\+?\d{6,15}$", description="find the member by phone")
    display_name: str = Field("", max_length=60, description="to create an account for a caller who has none")
    kind: User.Kind = User.Kind.RESIDENT
    channel: Registration.Channel = Registration.Channel.PHONE
    check_in: bool = Field(False, description="walk-in: register and check in at once")
    note: str = Field("", max_length=200)


class CheckInIn(Schema):
    code: str = Field(..., min_length=4, max_length=40)


class MemberBrief(Schema):
    id: int
    name: str
    masked_phone: str
    kind: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class CheckInOut(Schema):
    registration_id: int
    member: MemberBrief
    program: str
    session_id: int
    already_checked_in: bool
    status: str


class AttendanceRow(Schema):
    registration_id: int
    member: MemberBrief
    status: str
    channel: str
    position: int | None
    checked_in_at: datetime | None


# --- public reads ------------------------------------------------------------------------------

@router.get("/", response=list[ProgramOut], auth=public_auth, operation_id="programs_list",
            summary="Programs, upcoming first, with places left")
@decorate_view(cached_listing)
@paginate(Pagination)
def list_programs(request, filters: ProgramFilter = Query(...)):
    return filter_programs(program_queryset(), kind=filters.kind, audience=filters.audience,
                           community=filters.community, on=filters.date, past=filters.past, q=filters.q)


@router.get("/feed.ics", auth=public_auth, operation_id="programs_feed", summary="iCalendar feed of upcoming sessions",
            response={200: None})
def feed(request):
    return documents.feed_ics_response(upcoming_sessions(), request)


@router.get("/{int:program_id}/", response=ProgramDetailOut, auth=public_auth, operation_id="programs_detail",
            summary="A program with its sessions")
def program_detail(request, program_id: int):
    program = get_object_or_404(program_queryset(), pk=program_id)
    if services.is_staff(request.user):
        program.no_show_rate = services.no_show_rate(program)
    return program


# --- my registrations --------------------------------------------------------------------------

@router.get("/registrations/", response=list[RegistrationOut], auth=member_auth,
            operation_id="programs_my_registrations", summary="My registrations")
@paginate(Pagination)
def list_my_registrations(request, status: Registration.Status | None = None):
    queryset = member_registrations(request.user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


@router.post("/{int:program_id}/register/", response={201: RegistrationOut}, auth=member_auth,
             operation_id="programs_register", summary="Register (a session, or the whole series)")
def register(request, program_id: int, data: RegisterIn):
    program = get_object_or_404(ProgramPage.objects.live().public(), pk=program_id)
    session = get_object_or_404(Session.objects.select_related("capacity"), pk=data.session_id) if data.session_id else None
    registration = services.register(request.user, program, session, channel=Registration.Channel.APP, via="api")
    # The session's capacity was read before the place was taken: answer with what is left now.
    return Status(201, _fresh(registration.pk))


def _fresh(registration_id):
    """The registration as it is after a change, with what RegistrationOut reads."""
    return Registration.objects.select_related("program", "session", "session__capacity").get(pk=registration_id)


def _own(request, registration_id):
    return get_object_or_404(member_registrations(request.user), pk=registration_id)


@router.get("/registrations/{int:registration_id}/", response=RegistrationOut, auth=member_auth,
            operation_id="programs_my_registration", summary="One of my registrations")
def my_registration(request, registration_id: int):
    return _own(request, registration_id)


@router.post("/registrations/{int:registration_id}/cancel/", response=RegistrationOut, auth=member_auth,
             operation_id="programs_cancel", summary="Cancel a registration (mine, or any for program staff)")
def cancel(request, registration_id: int, data: CancelIn | None = None):
    if not services.is_staff(request.user):
        _own(request, registration_id)
    else:
        get_object_or_404(Registration, pk=registration_id)
    services.cancel(request.user, registration_id, via="api", reason=data.reason if data else "")
    return _fresh(registration_id)


@router.get("/registrations/{int:registration_id}/qr.svg", auth=member_auth, operation_id="programs_qr",
            summary="My check-in QR code (SVG; ?format=png for PNG)", response={200: None})
def qr_code(request, registration_id: int, format: str = "svg"):
    registration = _own(request, registration_id)
    if format not in ("svg", "png"):
        raise HttpError(422, _("The format must be svg or png."))
    return documents.qr_response(registration, format)


@router.get("/registrations/{int:registration_id}/calendar.ics", auth=member_auth, operation_id="programs_my_ics",
            summary="iCalendar file for one of my registrations", response={200: None})
def registration_calendar(request, registration_id: int):
    return documents.registration_ics_response(_own(request, registration_id), request)


@router.get("/{int:program_id}/certificate.pdf", auth=member_auth, operation_id="programs_certificate",
            summary="My completion certificate (PDF)", response={200: None})
def certificate(request, program_id: int):
    program = get_object_or_404(ProgramPage, pk=program_id)
    return documents.certificate_response(services.certificate_registration(request.user, program))


# --- staff -------------------------------------------------------------------------------------

def _staff(request):
    services.require_staff(request.user)


def _session(session_id):
    return get_object_or_404(Session.objects.select_related("program", "capacity"), pk=session_id)


@router.post("/sessions/{int:session_id}/on-behalf/", response={201: RegistrationOut}, auth=member_auth,
             operation_id="programs_register_on_behalf",
             summary="Staff: register a phone caller or walk-in (optionally check them in)")
def register_on_behalf(request, session_id: int, data: OnBehalfIn):
    _staff(request)
    session = _session(session_id)
    member = get_object_or_404(User, pk=data.member_id) if data.member_id else None
    if member is None and not data.phone:
        raise HttpError(422, _("Give member_id or phone."))
    registration = services.register_for_session(
        request.user, session, member=member, phone=data.phone or "", display_name=data.display_name, kind=data.kind,
        channel=data.channel, check_in=data.check_in, via="api", note=data.note)
    return Status(201, _fresh(registration.pk))


@router.post("/sessions/{int:session_id}/check-in/", response=CheckInOut, auth=member_auth,
             operation_id="programs_check_in", summary="Staff: check someone in by code (idempotent)")
def check_in(request, session_id: int, data: CheckInIn):
    _staff(request)
    session = _session(session_id)
    registration, created = services.check_in(request.user, session, data.code, via="api")
    return {"registration_id": registration.pk, "member": registration.member, "program": registration.program.title,
            "session_id": session.pk, "already_checked_in": not created, "status": registration.status}


@router.get("/sessions/{int:session_id}/attendance/", response=list[AttendanceRow], auth=member_auth,
            operation_id="programs_attendance", summary="Staff: everyone registered for a session, with check-ins")
def attendance(request, session_id: int):
    _staff(request)
    session = _session(session_id)
    return [
        {"registration_id": r.pk, "member": r.member, "status": r.status, "channel": r.channel,
         "position": r.position, "checked_in_at": local_iso(checked)}
        for r, checked in services.attendance_rows(session)
    ]


@router.post("/registrations/{int:registration_id}/approve/", response=RegistrationOut, auth=member_auth,
             operation_id="programs_approve", summary="Staff: approve a registration waiting for approval")
def approve(request, registration_id: int):
    _staff(request)
    get_object_or_404(Registration, pk=registration_id)
    services.approve(request.user, registration_id, via="api")
    return _fresh(registration_id)


@router.post("/registrations/{int:registration_id}/promote/", response=RegistrationOut, auth=member_auth,
             operation_id="programs_promote", summary="Staff: move someone up from the waiting list by hand")
def promote(request, registration_id: int):
    _staff(request)
    get_object_or_404(Registration, pk=registration_id)
    services.promote(request.user, registration_id, via="api")
    return _fresh(registration_id)
