"""/api/v3/programs/: programs and sessions with places left, my registrations, staff operations.

Thin: reads ask :mod:`programs.queries`, every change calls :mod:`programs.services`;
``ProgramError`` becomes problem+json (409 with a ``code``). Listings make a fixed number of
queries whatever the page size. Schemas are in :mod:`programs.api.schemas`.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import Pagination, choice_of, member_auth, public_auth
from core.cache import cached
from core.text import local_iso
from members.models import User
from programs import documents, queries, services
from programs.api.schemas import (
    AttendanceRow,
    CancelIn,
    CheckInIn,
    CheckInOut,
    OnBehalfIn,
    ProgramDetailOut,
    ProgramFilter,
    ProgramOut,
    RegisterIn,
    RegistrationOut,
)
from programs.models import CACHE_SECONDS, Registration, Session

router = Router(tags=["programs"])


# --- public reads ------------------------------------------------------------------------------

@router.get("/", response=list[ProgramOut], auth=public_auth, operation_id="programs_list",
            summary="Programs, upcoming first, with places left")
@decorate_view(cached("programs", everyone=True, seconds=CACHE_SECONDS))
@paginate(Pagination)
def list_programs(request, filters: ProgramFilter = Query(...)):
    return queries.filter_programs(queries.program_queryset(), kind=filters.kind, audience=filters.audience,
                           community=filters.community, on=filters.date, past=filters.past, q=filters.q)


@router.get("/feed.ics", auth=public_auth, operation_id="programs_feed", summary="iCalendar feed of upcoming sessions",
            response={200: None})
def feed(request):
    return documents.feed_ics_response(queries.upcoming_sessions(), request)


@router.get("/{int:program_id}/", response=ProgramDetailOut, auth=public_auth, operation_id="programs_detail",
            summary="A program with its sessions")
def program_detail(request, program_id: int):
    program = get_object_or_404(queries.program_queryset(), pk=program_id)
    if services.is_staff(request.user):
        program.no_show_rate = queries.no_show_rate(program)
    return program


# --- my registrations --------------------------------------------------------------------------

@router.get("/registrations/", response=list[RegistrationOut], auth=member_auth,
            operation_id="programs_my_registrations", summary="My registrations")
@paginate(Pagination)
def list_my_registrations(request, status: choice_of(Registration.Status) | None = None):
    queryset = queries.member_registrations(request.user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


@router.post("/{int:program_id}/register/", response={201: RegistrationOut}, auth=member_auth,
             operation_id="programs_register", summary="Register (a session, or the whole series)")
def register(request, program_id: int, data: RegisterIn):
    program = get_object_or_404(queries.registrable_programs(), pk=program_id)
    session = get_object_or_404(Session.objects.select_related("capacity"), pk=data.session_id) if data.session_id else None
    registration = services.register(request.user, program, session, channel=Registration.Channel.APP, via="api")
    # The session's capacity was read before the place was taken: answer with what is left now.
    return Status(201, _fresh(registration.pk))


def _fresh(registration_id):
    """The registration as it is after a change, with what RegistrationOut reads."""
    return Registration.objects.select_related("program", "session", "session__capacity").get(pk=registration_id)


def _own(request, registration_id):
    registration = queries.member_registration(request.user, registration_id)
    if registration is None:
        raise Http404
    return registration


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
            url_name="programs_qr",
            summary="My check-in QR code (SVG; ?format=png for PNG)", response={200: None})
def qr_code(request, registration_id: int, format: str = "svg"):
    registration = _own(request, registration_id)
    if format not in ("svg", "png"):
        raise HttpError(422, _("The format must be svg or png."))
    return documents.qr_response(registration, format)


@router.get("/registrations/{int:registration_id}/calendar.ics", auth=member_auth, operation_id="programs_my_ics",
            url_name="programs_my_ics",
            summary="iCalendar file for one of my registrations", response={200: None})
def registration_calendar(request, registration_id: int):
    return documents.registration_ics_response(_own(request, registration_id), request)


@router.get("/{int:program_id}/certificate.pdf", auth=member_auth, operation_id="programs_certificate",
            url_name="programs_certificate",
            summary="My completion certificate (PDF)", response={200: None},
            openapi_extra={"x-conflict-codes": ["not_completed"]})
def certificate(request, program_id: int):
    # A draft or private program is as unknown here as anywhere else in the API (it answered 409,
    # telling that the id exists).
    program = get_object_or_404(queries.registrable_programs(), pk=program_id)
    return documents.certificate_response(services.certificate_registration(request.user, program))


# --- staff -------------------------------------------------------------------------------------

def _staff(request):
    services.require_staff(request.user)


def _session(session_id):
    session = queries.session_with_seats(session_id)
    if session is None:
        raise Http404
    return session


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
        {"registration_id": r.pk, "member": r.member, "phone": queries.registrant_phone(request.user, r.member),
         "status": r.status, "channel": r.channel,
         "position": r.position, "checked_in_at": local_iso(checked)}
        for r, checked in queries.attendance_rows(session)
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
