"""/api/v3/volunteers/: opportunities and shifts with places left, sign-up, my shifts and hours,
self-reports, certificates and their public verification; coordinators' roster, check-in/out,
approval and certificates. Thin: reads from volunteers.queries, changes through volunteers.services.
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
from core.models import Community
from core.text import local_iso
from members.models import User
from volunteers import documents, queries, services
from volunteers.api.schemas import (
    CertificateIn,
    CertificateOut,
    CheckOutIn,
    CheckOutOut,
    CorrectionIn,
    CorrectionOut,
    DecideCorrectionIn,
    DecisionOut,
    DeclineIn,
    EntryOut,
    IdsIn,
    IssueIn,
    LeaderRow,
    MonthOut,
    OpportunityDetailOut,
    OpportunityFilter,
    OpportunityOut,
    ProfileIn,
    ProfileOut,
    QueueRow,
    RevokeIn,
    RosterRow,
    SelfReportIn,
    ShiftCheckInOut,
    ShiftCodeIn,
    SignUpOut,
    StaffCodeIn,
    SummaryOut,
    TeamSignUpIn,
    VerificationOut,
    WithdrawIn,
)
from volunteers.models import (
    STAR_THRESHOLDS_HOURS,
    Certificate,
    HoursEntry,
    OpportunityPage,
    Shift,
    SignUp,
    Team,
)

router = Router(tags=["volunteers"])


def _coordinator(request):
    services.require_coordinator(request.user)


def _shift(shift_id):
    return get_object_or_404(Shift.objects.select_related("opportunity", "capacity"), pk=shift_id)


def _fresh_signup(pk):
    return SignUp.objects.select_related("shift__opportunity", "shift__capacity", "team").get(pk=pk)


# --- public reads --------------------------------------------------------------------------------

@router.get("/", response=list[OpportunityOut], auth=public_auth, operation_id="volunteers_list",
            summary="Volunteer opportunities with upcoming shifts and places left")
@decorate_view(cached("volunteers", everyone=True, seconds=queries.LISTING_CACHE_SECONDS))
@paginate(Pagination)
def list_opportunities(request, filters: OpportunityFilter = Query(...)):
    return queries.filter_opportunities(queries.opportunity_queryset(covers=False), community=filters.community,
                                        on=filters.date, q=filters.q, skill=filters.skill)


@router.get("/{int:opportunity_id}/", response=OpportunityDetailOut, auth=public_auth,
            operation_id="volunteers_detail", summary="An opportunity with its upcoming shifts")
def opportunity_detail(request, opportunity_id: int):
    return get_object_or_404(queries.opportunity_queryset(covers=False), pk=opportunity_id)


@router.get("/leaderboard/", response=list[LeaderRow], auth=public_auth, operation_id="volunteers_leaderboard",
            summary="Approved hours, most first (names only of those who consented)")
@decorate_view(cached("volunteers.hours", everyone=True, seconds=queries.LEADERBOARD_CACHE_SECONDS))
def leaderboard(request, period: str = "month", community: str | None = None):
    if period not in ("month", "year", "all"):
        raise HttpError(422, _("The period must be month, year or all."))
    if community and not Community.objects.filter(code=community).exists():
        raise HttpError(404, _("No such community."))
    return queries.leaderboard(period=period, community=community)


@router.get("/certificates/verify/{number}/", response=VerificationOut, auth=public_auth,
            operation_id="volunteers_verify", summary="Check a certificate by its number and verification code")
def verify(request, number: str, code: str = ""):
    certificate = queries.certificate_for_verification(number[:30], code[:20])
    if certificate is None:
        raise Http404(_("No certificate has this number and code."))
    data = queries.public_verification(certificate)
    data["issued_at"], data["revoked_at"] = local_iso(data["issued_at"]), local_iso(data["revoked_at"])
    return data


@router.get("/calendar/{token}.ics", auth=public_auth, operation_id="volunteers_calendar", url_name="volunteers_calendar",
            response={200: None},
            summary="A volunteer's private calendar feed of shifts (the token is the key)")
def calendar(request, token: str):
    from volunteers.models import VolunteerProfile

    profile = VolunteerProfile.objects.filter(calendar_token=token[:64]).first()
    if profile is None:
        raise Http404()
    return documents.calendar_response(queries.calendar_signups(profile))


# --- my shifts -------------------------------------------------------------------------------

@router.post("/shifts/{int:shift_id}/sign-up/", response={201: SignUpOut}, auth=member_auth,
             operation_id="volunteers_sign_up", summary="Sign up for a shift (or join its waiting list)")
def sign_up(request, shift_id: int):
    shift = _shift(shift_id)
    signup = services.sign_up(request.user, shift, via="api")
    return Status(201, _fresh_signup(signup.pk))


@router.post("/shifts/{int:shift_id}/team-sign-up/", response={201: list[SignUpOut]}, auth=member_auth,
             operation_id="volunteers_team_sign_up", summary="Team leader: sign named team members up, all or nothing")
def team_sign_up(request, shift_id: int, data: TeamSignUpIn):
    shift = _shift(shift_id)
    team = get_object_or_404(Team, pk=data.team_id)
    signups = services.team_sign_up(request.user, team, shift, data.member_ids, via="api")
    return Status(201, [_fresh_signup(s.pk) for s in signups])


@router.get("/signups/", response=list[SignUpOut], auth=member_auth, operation_id="volunteers_my_signups",
            summary="My shifts")
@paginate(Pagination)
def my_signups(request, status: choice_of(SignUp.Status) | None = None):
    queryset = queries.member_signups(request.user)
    return queryset.filter(status=status) if status else queryset


def _own_signup(request, signup_id):
    return get_object_or_404(queries.member_signups(request.user), pk=signup_id)


@router.post("/signups/{int:signup_id}/withdraw/", response=SignUpOut, auth=member_auth,
             operation_id="volunteers_withdraw", summary="Withdraw (mine before the cut-off; coordinators any)")
def withdraw(request, signup_id: int, data: WithdrawIn):
    if not services.is_coordinator(request.user):
        _own_signup(request, signup_id)
    else:
        get_object_or_404(SignUp, pk=signup_id)
    services.withdraw(request.user, signup_id, via="api", reason=data.reason)
    return _fresh_signup(signup_id)


@router.get("/signups/{int:signup_id}/qr.svg", auth=member_auth, operation_id="volunteers_qr", url_name="volunteers_qr",
            response={200: None},
            summary="My check-in code as a QR image (SVG; ?format=png)")
def signup_qr(request, signup_id: int, format: str = "svg"):
    if format not in ("svg", "png"):
        raise HttpError(422, _("The format must be svg or png."))
    return documents.signup_qr_response(_own_signup(request, signup_id), format)


@router.post("/check-in/", response=ShiftCheckInOut, auth=member_auth, operation_id="volunteers_self_check_in",
             summary="Check myself in by scanning the shift's code")
def self_check_in(request, data: ShiftCodeIn):
    signup, created = services.self_check_in(request.user, data.shift_code, via="api")
    return _check_in_out(signup, created)


def _check_in_out(signup, created):
    return {"signup_id": signup.pk, "member": str(signup.member), "masked_phone": signup.member.masked_phone,
            "shift_id": signup.shift_id, "already_checked_in": not created}


@router.post("/signups/{int:signup_id}/check-out/", response=CheckOutOut, auth=member_auth,
             operation_id="volunteers_check_out",
             summary="Check out with the outputs counted (the volunteer, the team leader or a coordinator)")
def check_out(request, signup_id: int, data: CheckOutIn):
    signup = get_object_or_404(SignUp.objects.select_related("team"), pk=signup_id)
    if signup.member_id != request.user.pk and not services.is_coordinator(request.user) and not (
            signup.team_id and signup.team.leader_id == request.user.pk):
        raise Http404()
    entry = services.check_out(request.user, signup_id, outputs=data.outputs, shift_code=data.shift_code, via="api")
    if entry is not None:
        entry = queries.member_entries(entry.member_id).get(pk=entry.pk)
    return {"signup_id": signup_id, "entry": entry}


# --- my hours ----------------------------------------------------------------------------------

@router.get("/hours/", response=list[EntryOut], auth=member_auth, operation_id="volunteers_my_hours",
            summary="My hours ledger, newest first")
@paginate(Pagination)
def my_hours(request, status: choice_of(HoursEntry.Status) | None = None):
    queryset = queries.member_entries(request.user)
    return queryset.filter(status=status) if status else queryset


@router.get("/hours/summary/", response=SummaryOut, auth=member_auth, operation_id="volunteers_my_summary",
            summary="My approved and pending hours and star level")
def my_summary(request):
    summary = queries.hours_summary(request.user)
    hours = summary["approved"] / 60
    return {"approved_minutes": summary["approved"], "pending_minutes": summary["pending"],
            "approved_hours": round(hours, 1), "entries": summary["entries"], "stars": summary["stars"],
            "next_star_hours": next((t for t in STAR_THRESHOLDS_HOURS if t > hours), None)}


@router.get("/hours/months/", response=list[MonthOut], auth=member_auth, operation_id="volunteers_my_months",
            summary="My hours by month")
def my_months(request):
    return [{"month": f"{row['month']:%Y-%m}", "approved_hours": round(row["approved"] / 60, 1),
             "pending_hours": round(row["pending"] / 60, 1)} for row in queries.hours_by_month(request.user)]


@router.post("/hours/", response={201: EntryOut}, auth=member_auth, operation_id="volunteers_self_report",
             summary="Report hours served outside a shift")
def self_report(request, data: SelfReportIn):
    opportunity = get_object_or_404(OpportunityPage.objects.live(), pk=data.opportunity_id) if data.opportunity_id else None
    entry = services.self_report(request.user, activity=data.activity, start=data.start, end=data.end,
                                 minutes=data.minutes, opportunity=opportunity, outputs=data.outputs, note=data.note,
                                 via="api")
    return Status(201, queries.member_entries(request.user).get(pk=entry.pk))


@router.post("/hours/{int:entry_id}/correction/", response={201: CorrectionOut}, auth=member_auth,
             operation_id="volunteers_request_correction", summary="Ask for one of my entries to be corrected")
def request_correction(request, entry_id: int, data: CorrectionIn):
    get_object_or_404(HoursEntry, pk=entry_id, member=request.user)
    correction = services.request_correction(request.user, entry_id, start=data.start, end=data.end,
                                             reason=data.reason, via="api")
    return Status(201, {"id": correction.pk, "entry_id": entry_id, "status": correction.status,
                        "start": local_iso(correction.start), "end": local_iso(correction.end),
                        "reason": correction.reason})


# --- certificates ------------------------------------------------------------------------------

@router.get("/certificates/", response=list[CertificateOut], auth=member_auth,
            operation_id="volunteers_my_certificates", summary="My certificates")
def my_certificates(request):
    return list(queries.member_certificates(request.user))


@router.post("/certificates/", response={201: CertificateOut}, auth=member_auth,
             operation_id="volunteers_certificate", summary="Issue myself a certificate of my approved hours")
def my_certificate(request, data: CertificateIn):
    return Status(201, services.issue_certificate(request.user, request.user, period_start=data.period_start,
                                                  period_end=data.period_end, via="api"))


@router.get("/certificates/{int:certificate_id}/pdf", auth=member_auth, operation_id="volunteers_certificate_pdf",
            url_name="volunteers_certificate_pdf",
            response={200: None}, summary="A certificate as PDF (mine; coordinators any)")
def certificate_pdf(request, certificate_id: int):
    queryset = Certificate.objects.all() if services.is_coordinator(request.user) else queries.member_certificates(request.user)
    return documents.certificate_response(get_object_or_404(queryset, pk=certificate_id))


# --- my profile --------------------------------------------------------------------------------

@router.get("/profile/", response=ProfileOut, auth=member_auth, operation_id="volunteers_my_profile",
            summary="My volunteer profile")
def my_profile(request):
    return services.profile_for(request.user)


@router.put("/profile/", response=ProfileOut, auth=member_auth, operation_id="volunteers_update_profile",
            summary="Change my volunteer profile")
def update_profile(request, data: ProfileIn):
    values = data.model_dump(exclude_unset=True, exclude={"skills", "community_ids"})
    values = {k: v for k, v in values.items() if v is not None}
    if "id_number" in values:
        values["id_number"] = values["id_number"].upper()
    communities = None
    if data.community_ids is not None:
        communities = list(Community.objects.filter(pk__in=data.community_ids))
        if len(communities) != len(set(data.community_ids)):
            raise HttpError(422, _("Unknown community."))
    return services.update_profile(request.user, request.user, via="api", skills=data.skills,
                                   communities=communities, **values)


# --- coordinators ------------------------------------------------------------------------------

@router.get("/shifts/{int:shift_id}/roster/", response=list[RosterRow], auth=member_auth,
            operation_id="volunteers_roster", summary="Coordinator: who is signed up for a shift")
def roster(request, shift_id: int):
    _coordinator(request)
    return [{"signup_id": s.pk, "member": str(s.member), "masked_phone": s.member.masked_phone, "status": s.status,
             "position": s.position, "team": s.team.name if s.team_id else None,
             "checked_in_at": local_iso(s.checked_in_at), "checked_out_at": local_iso(s.checked_out_at),
             "auto_checked_out": s.auto_checked_out} for s in queries.roster(_shift(shift_id))]


@router.post("/shifts/{int:shift_id}/check-in/", response=ShiftCheckInOut, auth=member_auth,
             operation_id="volunteers_check_in", summary="Coordinator or team leader: check a volunteer in by code")
def check_in(request, shift_id: int, data: StaffCodeIn):
    signup, created = services.check_in(request.user, _shift(shift_id), data.code, via="api")
    return _check_in_out(signup, created)


@router.get("/queue/", response=list[QueueRow], auth=member_auth, operation_id="volunteers_queue",
            summary="Coordinator: entries waiting for approval, oldest first")
@paginate(Pagination)
def queue(request, source: choice_of(HoursEntry.Source) | None = None, flagged: bool | None = None,
          community: str | None = None):
    _coordinator(request)
    return queries.approval_queue(source=source, flagged=flagged, community=community)


@router.post("/hours/approve/", response=DecisionOut, auth=member_auth, operation_id="volunteers_approve",
             summary="Coordinator: approve entries in bulk")
def approve(request, data: IdsIn):
    return services.approve(request.user, data.ids, via="api")


@router.post("/hours/decline/", response=DecisionOut, auth=member_auth, operation_id="volunteers_decline",
             summary="Coordinator: decline entries in bulk, with the reason")
def decline(request, data: DeclineIn):
    return services.decline(request.user, data.ids, reason=data.reason, via="api")


@router.post("/corrections/{int:correction_id}/decide/", response=CorrectionOut, auth=member_auth,
             operation_id="volunteers_decide_correction", summary="Coordinator: accept or reject a correction")
def decide_correction(request, correction_id: int, data: DecideCorrectionIn):
    _coordinator(request)
    correction = services.decide_correction(request.user, correction_id, accept=data.accept, via="api")
    return {"id": correction.pk, "entry_id": correction.entry_id, "status": correction.status,
            "start": local_iso(correction.start), "end": local_iso(correction.end), "reason": correction.reason}


@router.post("/certificates/issue/", response={201: CertificateOut}, auth=member_auth,
             operation_id="volunteers_issue_certificate", summary="Coordinator: issue a certificate for anyone")
def issue_certificate(request, data: IssueIn):
    _coordinator(request)
    member = get_object_or_404(User, pk=data.member_id)
    return Status(201, services.issue_certificate(request.user, member, period_start=data.period_start,
                                                  period_end=data.period_end, via="api"))


@router.post("/certificates/{int:certificate_id}/revoke/", response=CertificateOut, auth=member_auth,
             operation_id="volunteers_revoke_certificate", summary="Coordinator: revoke a certificate")
def revoke_certificate(request, certificate_id: int, data: RevokeIn):
    _coordinator(request)
    get_object_or_404(Certificate, pk=certificate_id)
    return services.revoke_certificate(request.user, certificate_id, reason=data.reason, via="api")
