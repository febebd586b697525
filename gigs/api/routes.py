"""/api/v3/gigs/: needs of verified employers, "recommended for you" with reasons and "why not",
the worker's profile and applications, employers' needs, applicants (phones masked until
shortlisted), suggested candidates and the hiring pipeline, work records both sides confirm,
officers' decisions and the station's figures.

Thin: reads from :mod:`gigs.queries`, changes through :mod:`gigs.services`; ``GigError`` becomes
problem+json (409 with a ``code``; a seventh hire for six places is 409 ``full``).
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import Pagination, check_limit, choice_of, member_auth, public_auth
from core.cache import cached
from core.errors import NotAllowed
from core.models import Community
from gigs import queries, services
from gigs.api.schemas import (
    GigApplicantOut,
    GigApplicationOut,
    GigApplyIn,
    GigBookIn,
    GigCandidateOut,
    GigConsultationOut,
    GigDecisionIn,
    GigDisputeIn,
    GigEmployerIn,
    GigEmployerOut,
    GigFiguresOut,
    GigFlagIn,
    GigFlagOut,
    GigMatchOut,
    GigMoveIn,
    GigNeedFilter,
    GigNeedIn,
    GigNeedOut,
    GigNeedPatch,
    GigOutcomeIn,
    GigProfileIn,
    GigProfileOut,
    GigPushIn,
    GigRatingIn,
    GigRatingOut,
    GigRenewIn,
    GigReviewIn,
    GigSlotOut,
    GigStaffIn,
    GigWhyNotOut,
    GigWithdrawIn,
    GigWorkIn,
    GigWorkOut,
)
from gigs.errors import GigError
from gigs.models import Application, Employer, WorkRecord

router = Router(tags=["gigs"])


def _profile(request):
    profile = queries.profile_of(request.user)
    if profile is None:
        raise GigError("no_profile", status=422)
    return profile


def _need(request, need_id):
    need = queries.visible_need(request.user, need_id)
    if need is None:
        raise Http404
    return need


def _managed_need(request, need_id):
    need = _need(request, need_id)
    if not queries.may_manage_need(request.user, need):
        raise NotAllowed()
    return need


def _fresh_need(need_id):
    return queries.need_queryset().get(pk=need_id)


# --- needs: public -------------------------------------------------------------------------------

@router.get("/needs/", response=list[GigNeedOut], auth=public_auth, operation_id="gigs_needs",
            summary="Open needs of verified employers, newest first")
# The same for every reader; a minute at most, since a deadline passing changes it with no write.
@decorate_view(cached("gigs", seconds=60, everyone=True))
@paginate(Pagination)
def list_needs(request, filters: GigNeedFilter = Query(...)):
    return queries.filter_needs(queries.public_needs(), category=filters.category, community=filters.community,
                                skill=filters.skill, q=filters.q, pay_unit=filters.pay_unit)


@router.get("/needs/{int:need_id}/", response=GigNeedOut, auth=public_auth, operation_id="gigs_need",
            summary="One need (live ones for anyone; every state for its employer and officers)")
def need_detail(request, need_id: int):
    return _need(request, need_id)


@router.post("/needs/{int:need_id}/flag/", response={201: GigFlagOut}, auth=public_auth, operation_id="gigs_flag",
             summary="Flag a need as fake or unfair (goes to the officers)")
def flag(request, need_id: int, data: GigFlagIn):
    return Status(201, services.flag_need(request.user, need_id, reason=data.reason, detail=data.detail, via="api"))


# --- worker ----------------------------------------------------------------------------------------

@router.get("/profile/", response=GigProfileOut, auth=member_auth, operation_id="gigs_profile",
            summary="My worker profile")
def my_profile(request):
    profile = queries.profile_of(request.user)
    if profile is None:  # nothing to read yet: 404, with the code that says what to do
        raise GigError("no_profile", status=404)
    return profile


@router.put("/profile/", response=GigProfileOut, auth=member_auth, operation_id="gigs_profile_save",
            summary="Create or change my worker profile (only the fields sent)")
def save_profile(request, data: GigProfileIn):
    fields = data.model_dump(exclude_unset=True)
    skills = fields.pop("skills", None)
    community_ids = fields.pop("community_ids", None)
    communities = None
    if community_ids is not None:
        communities = list(Community.objects.filter(pk__in=community_ids))
        if len(communities) != len(set(community_ids)):
            raise HttpError(422, "unknown community")
    for key in [k for k, v in fields.items() if v is None and k in ("has_health_certificate", "has_ebike_licence",
                                                                  "searchable", "subscribed", "min_pay_unit",
                                                                  "max_distance_km", "subscribe_min_score")]:
        fields.pop(key)
    services.save_profile(request.user, skills=skills, communities=communities, via="api", **fields)
    return queries.profile_of(request.user)


@router.get("/recommended/", response=list[GigMatchOut], auth=member_auth, operation_id="gigs_recommended",
            summary="Recommended for you: open needs ranked for my profile, with the reasons")
def recommended(request, limit: int = 20):
    check_limit(limit)
    return queries.recommended_for(_profile(request), limit=max(1, limit))


@router.get("/needs/{int:need_id}/why-not/", response=GigWhyNotOut, auth=member_auth, operation_id="gigs_why_not",
            summary="Why a need is (or is not) recommended for me")
def why_not(request, need_id: int):
    return queries.why_not(_profile(request), _need(request, need_id))


@router.post("/needs/{int:need_id}/apply/", response={201: GigApplicationOut}, auth=member_auth,
             operation_id="gigs_apply", summary="Apply for a need")
def apply(request, need_id: int, data: GigApplyIn | None = None):
    _need(request, need_id)
    application = services.apply(request.user, need_id, note=data.note if data else "", via="api")
    return Status(201, queries.application_queryset().get(pk=application.pk))


@router.get("/applications/", response=list[GigApplicationOut], auth=member_auth, operation_id="gigs_my_applications",
            summary="My applications")
@paginate(Pagination)
def my_applications(request, status: choice_of(Application.Status) | None = None):
    queryset = queries.my_applications(request.user).prefetch_related("need__tagged_skills__tag", "need__community")
    return queryset.filter(status=status) if status else queryset


@router.post("/applications/{int:application_id}/withdraw/", response=GigApplicationOut, auth=member_auth,
             operation_id="gigs_withdraw", summary="Withdraw my application")
def withdraw(request, application_id: int, data: GigWithdrawIn | None = None):
    services.withdraw(request.user, application_id, reason=data.reason if data else "", via="api")
    return queries.application_queryset().get(pk=application_id)


# --- employers -------------------------------------------------------------------------------------

@router.post("/employers/", response={201: GigEmployerOut}, auth=member_auth, operation_id="gigs_employer_apply",
             summary="Apply to post needs (an enterprise with its credit code, or an individual employer)")
def apply_employer(request, data: GigEmployerIn):
    if data.community_id is not None and not Community.objects.filter(pk=data.community_id).exists():
        raise HttpError(422, "unknown community")
    return Status(201, services.apply_employer(request.user, **data.model_dump(), via="api"))


@router.get("/employers/", response=list[GigEmployerOut], auth=member_auth, operation_id="gigs_my_employers",
            summary="The employers I act for")
def my_employers(request):
    return list(queries.employers_of(request.user))


@router.post("/employers/{int:employer_id}/decide/", response=GigEmployerOut, auth=member_auth,
             operation_id="gigs_employer_decide", summary="Verify, reject or suspend an employer (officers)")
def decide_employer(request, employer_id: int, data: GigDecisionIn):
    return services.decide_employer(request.user, employer_id, data.decision, reason=data.reason, via="api")


@router.post("/employers/{int:employer_id}/staff/", response=GigEmployerOut, auth=member_auth,
             operation_id="gigs_employer_staff", summary="Add a member as the enterprise's staff (its administrator)")
def add_staff(request, employer_id: int, data: GigStaffIn):
    employer = get_object_or_404(Employer, pk=employer_id)
    services.add_employer_staff(request.user, employer.pk, queries.member_by_phone(data.phone), via="api")
    return employer


@router.post("/employers/{int:employer_id}/needs/", response={201: GigNeedOut}, auth=member_auth,
             operation_id="gigs_need_create", summary="Post a need (a draft, or straight to review with submit)")
def create_need(request, employer_id: int, data: GigNeedIn):
    employer = get_object_or_404(Employer, pk=employer_id)
    fields = data.model_dump()
    skills, submit = fields.pop("skills"), fields.pop("submit")
    if fields["community_id"] is not None and not Community.objects.filter(pk=fields["community_id"]).exists():
        raise HttpError(422, "unknown community")
    need = services.create_need(request.user, employer, skills=skills, submit=submit, via="api", **fields)
    return Status(201, _fresh_need(need.pk))


@router.get("/my-needs/", response=list[GigNeedOut], auth=member_auth, operation_id="gigs_my_needs",
            summary="The needs of the employers I act for")
@paginate(Pagination)
def my_needs(request):
    return queries.employer_needs(request.user)


@router.patch("/needs/{int:need_id}/", response=GigNeedOut, auth=member_auth, operation_id="gigs_need_update",
              summary="Change a need (a material change to an open need sends it back to review)")
def update_need(request, need_id: int, data: GigNeedPatch):
    _managed_need(request, need_id)
    fields = {k: v for k, v in data.model_dump(exclude_unset=True).items() if v is not None or k == "deadline"}
    skills = fields.pop("skills", None)
    services.update_need(request.user, need_id, skills=skills, via="api", **fields)
    return _fresh_need(need_id)


@router.post("/needs/{int:need_id}/submit/", response=GigNeedOut, auth=member_auth, operation_id="gigs_need_submit",
             summary="Send a draft for review")
def submit_need(request, need_id: int):
    _managed_need(request, need_id)
    services.submit_need(request.user, need_id, via="api")
    return _fresh_need(need_id)


@router.post("/needs/{int:need_id}/review/", response=GigNeedOut, auth=member_auth, operation_id="gigs_need_review",
             summary="Open a need or send it back (officers)")
def review_need(request, need_id: int, data: GigReviewIn):
    services.review_need(request.user, need_id, approve=data.approve, reason=data.reason, via="api")
    return _fresh_need(need_id)


@router.post("/needs/{int:need_id}/close/", response=GigNeedOut, auth=member_auth, operation_id="gigs_need_close",
             summary="Close a need")
def close_need(request, need_id: int):
    _managed_need(request, need_id)
    services.close_need(request.user, need_id, via="api")
    return _fresh_need(need_id)


@router.post("/needs/{int:need_id}/renew/", response=GigNeedOut, auth=member_auth, operation_id="gigs_need_renew",
             summary="Put an expired or closed need up again with new dates (back to review)")
def renew_need(request, need_id: int, data: GigRenewIn):
    _managed_need(request, need_id)
    services.renew_need(request.user, need_id, start_date=data.start_date, end_date=data.end_date,
                        deadline=data.deadline, via="api")
    return _fresh_need(need_id)


@router.get("/needs/{int:need_id}/applications/", response=list[GigApplicantOut], auth=member_auth,
            operation_id="gigs_need_applications", summary="A need's applicants (phones only once shortlisted)")
@paginate(Pagination)
def need_applications(request, need_id: int, status: choice_of(Application.Status) | None = None):
    return queries.applications_for_need(_managed_need(request, need_id), status=status)


@router.get("/needs/{int:need_id}/candidates/", response=list[GigCandidateOut], auth=member_auth,
            operation_id="gigs_candidates", summary="Suggested candidates for a need, ranked, with masked contacts")
def candidates(request, need_id: int, limit: int = 20):
    check_limit(limit)
    return queries.candidates_for(_managed_need(request, need_id), limit=max(1, limit))


@router.post("/applications/{int:application_id}/move/", response=GigApplicantOut, auth=member_auth,
             operation_id="gigs_move",
             summary="Move an application along (shortlist, interview, offer, hire, complete, decline, no-show)")
def move(request, application_id: int, data: GigMoveIn):
    if queries.visible_application(request.user, application_id) is None:
        raise Http404
    services.move(request.user, application_id, data.to, reason=data.reason, via="api")
    return queries.application_queryset().get(pk=application_id)


@router.post("/needs/{int:need_id}/push/", response=GigWhyNotOut, auth=member_auth, operation_id="gigs_push",
             summary="Suggest a worker and a need to each other (officers); both are told")
def push(request, need_id: int, data: GigPushIn):
    from members.models import User

    services.require_officer(request.user)
    worker = get_object_or_404(User, pk=data.worker_id)
    return services.push_match(request.user, need_id, worker, via="api")


# --- work records ----------------------------------------------------------------------------------

def _application(request, application_id):
    application = queries.visible_application(request.user, application_id)
    if application is None:
        raise Http404
    return application


@router.get("/applications/{int:application_id}/work/", response=list[GigWorkOut], auth=member_auth,
            operation_id="gigs_work_list", summary="The work records of a hire")
def work_list(request, application_id: int):
    return list(queries.work_records(_application(request, application_id)))


@router.post("/applications/{int:application_id}/work/", response={201: GigWorkOut}, auth=member_auth,
             operation_id="gigs_work_record", summary="Record a day's hours or pieces (counts as my confirmation)")
def work_record(request, application_id: int, data: GigWorkIn):
    _application(request, application_id)
    return Status(201, services.record_work(request.user, application_id, date=data.date, hours=data.hours,
                                            pieces=data.pieces, via="api"))


def _record(request, record_id):
    record = WorkRecord.objects.filter(pk=record_id).first()
    if record is None or queries.visible_application(request.user, record.application_id) is None:
        raise Http404
    return record


@router.post("/work/{int:record_id}/confirm/", response=GigWorkOut, auth=member_auth, operation_id="gigs_work_confirm",
             summary="Confirm the other side's record")
def work_confirm(request, record_id: int):
    _record(request, record_id)
    return services.confirm_work(request.user, record_id, via="api")


@router.post("/work/{int:record_id}/dispute/", response=GigWorkOut, auth=member_auth, operation_id="gigs_work_dispute",
             summary="Dispute the other side's record (an officer settles it)")
def work_dispute(request, record_id: int, data: GigDisputeIn):
    _record(request, record_id)
    return services.dispute_work(request.user, record_id, reason=data.reason, via="api")


@router.post("/applications/{int:application_id}/rate/", response={201: GigRatingOut}, auth=member_auth,
             operation_id="gigs_rate", summary="Rate the other side after completion")
def rate(request, application_id: int, data: GigRatingIn):
    _application(request, application_id)
    return Status(201, services.rate(request.user, application_id, stars=data.stars, comment=data.comment, via="api"))


# --- guidance ------------------------------------------------------------------------------------

@router.get("/consultations/slots/", response=list[GigSlotOut], auth=public_auth, operation_id="gigs_slots",
            summary="Employment guidance: upcoming consultation slots with places left")
@paginate(Pagination)
def slots(request):
    return queries.upcoming_slots()


@router.post("/consultations/slots/{int:slot_id}/book/", response={201: GigConsultationOut}, auth=member_auth,
             operation_id="gigs_slot_book", summary="Book a consultation")
def book(request, slot_id: int, data: GigBookIn | None = None):
    return Status(201, services.book_consultation(request.user, slot_id, question=data.question if data else "", via="api"))


@router.post("/consultations/{int:booking_id}/outcome/", response=GigConsultationOut, auth=member_auth,
             operation_id="gigs_consultation_outcome", summary="Record a consultation's outcome (officers)")
def outcome(request, booking_id: int, data: GigOutcomeIn):
    return services.record_outcome(request.user, booking_id, outcome=data.outcome, came=data.came, via="api")


# --- figures -------------------------------------------------------------------------------------

@router.get("/figures/", response=GigFiguresOut, auth=member_auth, operation_id="gigs_figures",
            summary="The station's monthly figures (officers)")
def figures(request, month: str | None = None, by: str = "employer"):
    services.require_officer(request.user)
    if by not in ("employer", "community"):
        raise HttpError(422, "by is employer or community")
    try:
        day = datetime.date.fromisoformat(f"{month}-01") if month else timezone.localdate()
    except ValueError as exc:
        raise HttpError(422, "month is YYYY-MM") from exc
    rows, total = queries.figures(day, by=by)
    return {"month": f"{day:%Y-%m}", "by": by, "rows": rows, "total": {"label": "", **total}}
