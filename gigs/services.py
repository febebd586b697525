"""Every change at the gig station: member pages, the API, the admin and commands call these.

Each one checks who may do it, locks the row it changes (``select_for_update``), re-reads its
state, writes, records the audit entry (``core.audit.record``) and notifies the other side with
``core.notify`` (queued after commit). Headcount is ``core.capacity``: a hire claims one place of
``gigs.need.<id>`` in the same transaction as the application's new status, so a need never hires
past its headcount, whoever hires at the same moment. Locking order, the same everywhere: the
need row, then the capacity row, then the application row.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext

from core import audit, notices
from core import capacity as places
from core.capacity import CapacityError
from core.errors import NotAllowed
from core.models import Capacity
from core.notify import notify
from gigs import creditcode, queries
from gigs.errors import GigError
from gigs.models import (
    Application,
    Consultation,
    ConsultationSlot,
    Employer,
    JobNeed,
    NeedFlag,
    Rating,
    WorkerProfile,
    WorkRecord,
)
from members.models import Organisation, OrganisationMembership

AppStatus = Application.Status
NeedStatus = JobNeed.Status

#: Tests switch this off (with ``core.capacity.LOCKING``) to show the race is real without locks.
LOCKING = True
#: A hire declined by the employer this close to the first shift counts as a late cancellation.
LATE_CANCELLATION = datetime.timedelta(hours=24)


def _locked(queryset):
    return queryset.select_for_update(of=("self",)) if LOCKING else queryset


def _race_window():
    """Hook for tests: widen the gap between re-reading a status and writing the new one."""


def require_officer(user):
    if not queries.is_officer(user):
        raise NotAllowed(gettext("Only gig-station officers can do this."))


def _require_manager(user, need):
    if not queries.may_manage_need(user, need):
        raise NotAllowed(gettext("Only the employer's own staff or an officer can do this."))


def _clean(instance, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        label = instance._meta.get_field(field).verbose_name if field != "__all__" else ""
        message = f"{label}: {errors[0]}" if label else errors[0]
        raise GigError("invalid", message, status=422, field=field) from exc


def employer_staff(employer):
    """The people who act for ``employer`` (notices go to all of them)."""
    if employer.kind == Employer.Kind.INDIVIDUAL or employer.organisation_id is None:
        return [employer.applicant]
    return [m.user for m in employer.organisation.memberships.select_related("user")]


def _tell_employer(employer, kind, params):
    for person in employer_staff(employer):
        notify(person, kind=kind, params=params, channels=("sms",))


def _tell_worker(worker, kind, params):
    notify(worker, kind=kind, params=params, channels=("sms",))


def _tell_officers(kind, params):
    """Every gig-station officer hears of something waiting for them (a flag, a dispute): by
    e-mail when they have an address, else by SMS; the link opens their list of open items."""
    from django.conf import settings
    from django.urls import reverse

    params = {**params, "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("gigs_open_items")}
    for officer in queries.officers():
        notify(officer, kind=kind, params=params, channels=("email",) if officer.email else ("sms",))


# --- employers ---------------------------------------------------------------------------------

def apply_employer(user, *, kind=Employer.Kind.ENTERPRISE, name, contact_name, contact_phone, credit_code="",
                   licence=None, community_id=None, address="", via="api") -> Employer:
    """An enterprise (with its unified social credit code, checked) or an individual employer asks
    to post needs. The enterprise becomes a ``members.Organisation`` waiting for verification, with
    the applicant as its administrator; an officer decides."""
    name = (name or "").strip()
    if not name:
        raise GigError("invalid", gettext("Give the employer's name."), status=422, field="name")
    if kind == Employer.Kind.ENTERPRISE:
        credit_code = creditcode.normalise(credit_code)
        problem = creditcode.problem(credit_code)
        if problem:
            raise GigError("invalid_credit_code", problem, status=422, field="credit_code")
    else:
        credit_code = ""
    with transaction.atomic():
        organisation = None
        if kind == Employer.Kind.ENTERPRISE:
            organisation = Organisation.objects.select_for_update().filter(name=name).first()
            if organisation is not None:
                if Employer.objects.filter(organisation=organisation).exists():
                    raise GigError("duplicate_employer")
                if not organisation.memberships.filter(user=user).exists():
                    # Someone else's organisation of that name: not theirs to apply for.
                    raise GigError("duplicate_employer")
            else:
                organisation = Organisation(name=name, kind=Organisation.Kind.ENTERPRISE, credit_code=credit_code,
                                            address=address, contact_phone=contact_phone, community_id=community_id)
                try:
                    organisation.full_clean()
                except ValidationError as exc:
                    raise GigError("invalid", "; ".join(m for ms in exc.message_dict.values() for m in ms),
                                   status=422) from exc
                organisation.save()
                OrganisationMembership.objects.create(organisation=organisation, user=user,
                                                      role=OrganisationMembership.Role.ADMIN)
        employer = Employer(kind=kind, organisation=organisation, applicant=user, name=name, credit_code=credit_code,
                            contact_name=contact_name, contact_phone=contact_phone, community_id=community_id,
                            address=address)
        if licence is not None:
            employer.licence = licence
        _clean(employer, exclude=("licence",))
        employer.save()
        audit.record(employer, "gigs.employer_applied", actor=user, via=via, data={"kind": kind})
    return employer


DECISIONS = {"verify": Employer.Status.VERIFIED, "reject": Employer.Status.REJECTED, "suspend": Employer.Status.SUSPENDED}


def decide_employer(officer, employer_id, decision, *, reason="", via="api") -> Employer:
    """Verify, reject (with a reason) or suspend (with a reason) an employer. Only a verified
    employer's needs are shown and can be applied for; suspending hides them at once."""
    require_officer(officer)
    if decision not in DECISIONS:
        raise GigError("not_decidable", status=422)
    reason = (reason or "").strip()[:200]
    if decision in ("reject", "suspend") and not reason:
        raise GigError("reason_required", status=422)
    with transaction.atomic():
        employer = _locked(Employer.objects.filter(pk=employer_id)).first()
        if employer is None:
            raise GigError("unknown", gettext("No such employer."), status=404)
        _race_window()
        if not employer.can_decide(decision):
            raise GigError("not_decidable")
        old = employer.status
        employer.status = DECISIONS[decision]
        employer.reason = "" if decision == "verify" else reason
        employer.decided_by, employer.decided_at = officer, timezone.now()
        employer.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        if employer.organisation_id and decision in ("verify", "reject"):
            # The organisation is verified or rejected with it (members' own status, shown there).
            Organisation.objects.filter(pk=employer.organisation_id).update(
                status=Organisation.Status.VERIFIED if decision == "verify" else Organisation.Status.REJECTED,
                verified_by=officer, verified_at=employer.decided_at,
                rejection_reason="" if decision == "verify" else reason)
        audit.record(employer, f"gigs.employer_{decision}", actor=officer, via=via,
                     data={"from": old, "to": employer.status, "reason": reason})
        kind = f"gigs.employer_{decision}"
        _tell_employer(employer, kind, notices.get(kind).pick({"name": employer.name, "reason": reason}))
    return employer


def _staff_employer(actor, employer_id):
    """The enterprise ``actor`` may manage the staff of (its administrator, or an officer), locked."""
    employer = _locked(Employer.objects.filter(pk=employer_id)).first()
    if employer is None:
        raise GigError("unknown", gettext("No such employer."), status=404)
    if employer.organisation_id is None:
        raise GigError("invalid", gettext("An individual employer has no staff."), status=422)
    is_admin = OrganisationMembership.objects.filter(organisation_id=employer.organisation_id, user=actor,
                                                     role=OrganisationMembership.Role.ADMIN).exists()
    if not (is_admin or queries.is_officer(actor)):
        raise NotAllowed(gettext("Only the enterprise's administrator or an officer can manage its staff."))
    return employer


def add_employer_staff(actor, employer_id, member, *, role=OrganisationMembership.Role.STAFF, via="api"):
    """An enterprise's administrator (or an officer) adds a member as its staff (or another
    administrator); the member is told. Adding someone already there changes nothing."""
    if role not in OrganisationMembership.Role.values:
        raise GigError("invalid", gettext("Choose staff or administrator."), status=422, field="role")
    with transaction.atomic():
        # Who may manage the staff is checked first: nobody else learns whether a phone is a member's.
        employer = _staff_employer(actor, employer_id)
        if member is None or not member.is_active:
            raise GigError("unknown", gettext("No member has this phone number."), status=404, field="phone")
        membership, created = OrganisationMembership.objects.get_or_create(
            organisation_id=employer.organisation_id, user=member, defaults={"role": role})
        if created:
            audit.record(employer, "gigs.employer_staff", actor=actor, on_behalf_of=member, via=via,
                         data={"member": member.pk, "role": role})
            _tell_worker(member, "gigs.employer_staff", {"name": employer.name})
    return membership


def remove_employer_staff(actor, employer_id, member, *, via="api"):
    """Take a member off an enterprise's staff. The last administrator stays: someone must be
    able to add staff again."""
    with transaction.atomic():
        employer = _staff_employer(actor, employer_id)
        membership = OrganisationMembership.objects.select_for_update().filter(
            organisation_id=employer.organisation_id, user=member).first()
        if membership is None:
            raise GigError("unknown", gettext("This member is not on the enterprise's staff."), status=404)
        if membership.role == OrganisationMembership.Role.ADMIN and not OrganisationMembership.objects.filter(
                organisation_id=employer.organisation_id, role=OrganisationMembership.Role.ADMIN).exclude(
                pk=membership.pk).exists():
            raise GigError("last_admin")
        membership.delete()
        audit.record(employer, "gigs.employer_staff_removed", actor=actor, on_behalf_of=member, via=via,
                     data={"member": member.pk})
    return employer


# --- needs -------------------------------------------------------------------------------------

NEED_FIELDS = ("title", "description", "category", "headcount", "pay_amount", "pay_unit", "settlement", "start_date",
               "end_date", "shift_start", "shift_end", "address", "community_id", "latitude", "longitude",
               "requires_health_certificate", "requires_ebike_licence", "min_age", "max_age", "deadline")


def _check_need(need):
    if need.start_date and need.end_date and need.end_date < need.start_date:
        raise GigError("bad_dates", status=422)
    if need.min_age and need.max_age and need.max_age < need.min_age:
        raise GigError("bad_ages", status=422)
    _clean(need, exclude=("capacity", "employer"))


def create_need(user, employer, *, skills=(), submit=False, via="api", **fields) -> JobNeed:
    """A draft need of ``employer`` (its headcount a capacity row); ``submit`` sends it for review."""
    if not (queries.acts_for(user, employer) or queries.is_officer(user)):
        raise NotAllowed(gettext("Only the employer's own staff or an officer can do this."))
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise GigError("invalid", gettext("Unknown field: %(name)s") % {"name": sorted(unknown)[0]}, status=422)
    with transaction.atomic():
        need = JobNeed(employer=employer, created_by=user, **fields)
        _check_need(need)
        need.save()
        need.capacity = places.define(need.capacity_key, need.headcount)
        need.save(update_fields=["capacity"])
        if skills:
            need.skills.set(_skill_list(skills))
        audit.record(need, "wagtail.create", actor=user, via=via)
    if submit:
        need = submit_need(user, need.pk, via=via)
    return need


def _skill_list(skills):
    return [s.strip()[:50] for s in skills if s and s.strip()][:12]


def update_need(user, need_id, *, skills=None, via="api", **fields) -> JobNeed:
    """Change a need. A material change to an open need sends it back to review; the headcount
    never goes below the workers already hired."""
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise GigError("invalid", gettext("Unknown field: %(name)s") % {"name": sorted(unknown)[0]}, status=422)
    with transaction.atomic():
        need = _locked(JobNeed.objects.select_related("employer").filter(pk=need_id)).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        _require_manager(user, need)
        if not need.can_edit():
            raise GigError("not_editable")
        changed = [name for name, value in fields.items() if getattr(need, name) != value]
        old_skills = set(need.skill_names())
        for name, value in fields.items():
            setattr(need, name, value)
        _check_need(need)
        if "headcount" in changed:
            try:
                places.define(need.capacity_key, need.headcount)
            except CapacityError as exc:
                raise GigError("headcount_below_hired", exc.message, status=409) from exc
        skills_changed = skills is not None and set(_skill_list(skills)) != old_skills
        material = [name for name in changed if name in JobNeed.MATERIAL_FIELDS] + (["skills"] if skills_changed else [])
        back_to_review = need.status == NeedStatus.OPEN and bool(material)
        if back_to_review:
            need.status = NeedStatus.PENDING
        need.save()
        if skills_changed:
            need.skills.set(_skill_list(skills))
        audit.record(need, "gigs.need_changed", actor=user, via=via,
                     data={"fields": changed + (["skills"] if skills_changed else []), "back_to_review": back_to_review})
    return need


def submit_need(user, need_id, *, via="api") -> JobNeed:
    with transaction.atomic():
        need = _locked(JobNeed.objects.select_related("employer").filter(pk=need_id)).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        _require_manager(user, need)
        if not need.can_submit():
            raise GigError("not_draft")
        if not need.employer.is_verified:
            raise GigError("not_verified")
        need.status = NeedStatus.PENDING
        need.save(update_fields=["status"])
        audit.record(need, "gigs.need_submitted", actor=user, via=via)
    return need


def review_need(officer, need_id, *, approve, reason="", via="api") -> JobNeed:
    """An officer opens a need waiting for review, or sends it back to draft with a reason.
    Subscribed workers it suits are told after commit."""
    require_officer(officer)
    reason = (reason or "").strip()[:200]
    if not approve and not reason:
        raise GigError("reason_required", status=422)
    with transaction.atomic():
        need = _locked(JobNeed.objects.select_related("employer").filter(pk=need_id)).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        _race_window()
        if need.status != NeedStatus.PENDING:
            raise GigError("not_pending")
        if approve and not need.employer.is_verified:
            raise GigError("not_verified")
        now = timezone.now()
        if approve:
            hired = Capacity.objects.get(pk=need.capacity_id)
            need.status = NeedStatus.FILLED if hired.remaining == 0 else NeedStatus.OPEN
            need.published_at = need.published_at or now
        else:
            need.status = NeedStatus.DRAFT
        need.review_note = reason
        need.save(update_fields=["status", "published_at", "review_note"])
        audit.record(need, "gigs.need_approved" if approve else "gigs.need_returned", actor=officer, via=via,
                     data={"reason": reason})
        if approve:
            _tell_employer(need.employer, "gigs.need_open", {"title": need.title})
            transaction.on_commit(lambda: _queue_subscribers(need.pk), robust=True)
        else:
            _tell_employer(need.employer, "gigs.need_returned", {"title": need.title, "reason": reason})
    return need


def _queue_subscribers(need_id):
    notify_subscribers_task.enqueue(need_id)


@task()
def notify_subscribers_task(need_id: int):
    """The background half of :func:`notify_subscribers` (queued after the need opened). It lives
    beside what it runs, as core.notify's task does, so services and tasks import one way."""
    return notify_subscribers(need_id)


def notify_subscribers(need_id):
    """Tell subscribed workers about a newly opened need that matches them well enough."""
    need = queries.need_queryset().filter(pk=need_id, status=NeedStatus.OPEN).first()
    if need is None:
        return 0
    sent = 0
    for match in queries.subscribers_for(need):
        _tell_worker(match.profile.member, "gigs.new_need", {
            "score": match.score, "title": need.title, "pay": need.pay_text(), "reasons": "; ".join(match.reasons[:3])})
        sent += 1
    return sent


def close_need(user, need_id, *, via="api") -> JobNeed:
    with transaction.atomic():
        need = _locked(JobNeed.objects.select_related("employer").filter(pk=need_id)).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        _require_manager(user, need)
        if not need.can_close():
            raise GigError("not_closable")
        need.status, need.closed_at = NeedStatus.CLOSED, timezone.now()
        need.save(update_fields=["status", "closed_at"])
        audit.record(need, "gigs.need_closed", actor=user, via=via)
    return need


def renew_need(user, need_id, *, start_date, end_date, deadline=None, via="api") -> JobNeed:
    """Put an expired or closed need up again with new dates: it goes back to review."""
    with transaction.atomic():
        need = _locked(JobNeed.objects.select_related("employer").filter(pk=need_id)).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        _require_manager(user, need)
        if not need.can_renew():
            raise GigError("not_renewable")
        if end_date < timezone.localdate():
            raise GigError("bad_dates", gettext("The new last day must not be in the past."), status=422)
        need.start_date, need.end_date, need.deadline = start_date, end_date, deadline
        _check_need(need)
        need.status, need.closed_at = NeedStatus.PENDING, None
        need.save()
        audit.record(need, "gigs.need_renewed", actor=user, via=via,
                     data={"start": str(start_date), "end": str(end_date)})
    return need


def expire_needs(now=None) -> int:
    """Open needs past their deadline or last day become expired (run on schedule)."""
    now = now or timezone.now()
    count = 0
    for need_id in list(queries.needs_to_expire(now).values_list("pk", flat=True)):
        with transaction.atomic():
            need = _locked(JobNeed.objects.filter(pk=need_id)).first()
            if need is None or not need.has_expired(now):
                continue
            need.status, need.closed_at = NeedStatus.EXPIRED, now
            need.save(update_fields=["status", "closed_at"])
            audit.record(need, "gigs.need_expired", via="system")
            count += 1
    return count


# --- flags ---------------------------------------------------------------------------------------

def flag_need(user, need_id, *, reason, detail="", via="api") -> NeedFlag:
    """Anyone says a need is fake or unfair; it goes to the officers' queue."""
    if reason not in NeedFlag.Reason.values:
        raise GigError("invalid", gettext("Choose a reason."), status=422, field="reason")
    with transaction.atomic():
        need = JobNeed.objects.filter(pk=need_id, status__in=JobNeed.LIVE_STATUSES + (NeedStatus.CLOSED, NeedStatus.EXPIRED)).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        reporter = user if user.is_authenticated else None
        if reporter and NeedFlag.objects.filter(need=need, reporter=reporter, status=NeedFlag.Status.OPEN).exists():
            raise GigError("already_flagged")
        # Officers hear of the first open flag on a need; more flags on it wait in the same list
        # (anyone may flag, signed in or not: a crowd of flags must not become a crowd of texts).
        first = not NeedFlag.objects.filter(need=need, status=NeedFlag.Status.OPEN).exists()
        flag = NeedFlag.objects.create(need=need, reporter=reporter, reason=reason, detail=(detail or "")[:1000])
        audit.record(flag, "gigs.flagged", actor=reporter, via=via, data={"need": need.pk, "reason": reason})
        if first:
            _tell_officers("gigs.flag_received", {
                "title": need.title, "employer": need.employer.name, "reason": flag.get_reason_display()})
    return flag


def decide_flag(officer, flag_id, *, uphold, note="", via="admin") -> NeedFlag:
    """Uphold a flag (the need is closed and its employer told why) or dismiss it."""
    require_officer(officer)
    with transaction.atomic():
        flag = _locked(NeedFlag.objects.filter(pk=flag_id)).first()
        if flag is None:
            raise GigError("unknown", gettext("No such flag."), status=404)
        if flag.status != NeedFlag.Status.OPEN:
            raise GigError("flag_decided")
        flag.status = NeedFlag.Status.UPHELD if uphold else NeedFlag.Status.DISMISSED
        flag.decided_by, flag.decided_at, flag.decision_note = officer, timezone.now(), (note or "")[:200]
        flag.save()
        audit.record(flag, "gigs.flag_decided", actor=officer, via=via, data={"uphold": uphold})
        if uphold:
            need = _locked(JobNeed.objects.select_related("employer").filter(pk=flag.need_id)).first()
            if need.can_close():
                need.status, need.closed_at = NeedStatus.CLOSED, timezone.now()
                need.review_note = flag.decision_note or str(flag.get_reason_display())
                need.save(update_fields=["status", "closed_at", "review_note"])
                audit.record(need, "gigs.need_closed", actor=officer, via=via, data={"flag": flag.pk})
                _tell_employer(need.employer, "gigs.need_closed_by_officer",
                               {"title": need.title, "reason": need.review_note})
            # Other open flags on the same need are settled with it.
            NeedFlag.objects.filter(need_id=flag.need_id, status=NeedFlag.Status.OPEN).update(
                status=NeedFlag.Status.UPHELD, decided_by=officer, decided_at=flag.decided_at)
    return flag


# --- worker profiles -----------------------------------------------------------------------------

PROFILE_FIELDS = ("has_health_certificate", "has_ebike_licence", "birth_year", "availability", "latitude", "longitude",
                  "max_distance_km", "min_pay_amount", "min_pay_unit", "searchable", "subscribed", "subscribe_min_score")


def clean_availability(slots):
    """[{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}] checked and normalised."""
    cleaned = []
    for slot in slots or []:
        try:
            weekday = int(slot["weekday"])
            start = datetime.time.fromisoformat(str(slot["start"]))
            end = datetime.time.fromisoformat(str(slot["end"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise GigError("bad_availability", status=422) from exc
        if not 0 <= weekday <= 6 or start == end:
            raise GigError("bad_availability", status=422)
        cleaned.append({"weekday": weekday, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return cleaned[:28]


def save_profile(user, *, skills=None, communities=None, via="api", **fields) -> WorkerProfile:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise GigError("invalid", gettext("Unknown field: %(name)s") % {"name": sorted(unknown)[0]}, status=422)
    if "availability" in fields:
        fields["availability"] = clean_availability(fields["availability"])
    with transaction.atomic():
        profile, created = WorkerProfile.objects.select_for_update().get_or_create(member=user)
        for name, value in fields.items():
            setattr(profile, name, value)
        _clean(profile, exclude=("member",))
        profile.save()
        if skills is not None:
            profile.skills.set(_skill_list(skills))
        if communities is not None:
            profile.communities.set(communities)
        audit.record(profile, "gigs.profile", actor=user, via=via, data={"fields": sorted(fields), "created": created})
    return profile


# --- applications --------------------------------------------------------------------------------

def apply(worker, need_id, *, note="", via="api", pushed_by=None) -> Application:
    """A worker applies for an open need (it must suit their profile's certificates)."""
    profile = queries.profile_of(worker)
    if profile is None:
        raise GigError("no_profile", status=422)
    with transaction.atomic():
        need = JobNeed.objects.select_related("employer").filter(pk=need_id).first()
        if need is None:
            raise GigError("unknown", gettext("No such need."), status=404)
        if need.status != NeedStatus.OPEN or not need.employer.is_verified:
            raise GigError("full" if need.status == NeedStatus.FILLED else "not_open")
        if not need.is_accepting():
            raise GigError("deadline")
        if queries.acts_for(worker, need.employer):
            raise GigError("own_need")
        match = queries.why_not(profile, need)
        if Application.objects.filter(need=need, worker=worker, status__in=Application.ACTIVE).exists():
            raise GigError("duplicate")
        try:
            with transaction.atomic():
                application = Application.objects.create(need=need, worker=worker, note=(note or "")[:300],
                                                         score=match.score, pushed_by=pushed_by)
        except IntegrityError as exc:  # the same worker twice at once
            raise GigError("duplicate") from exc
        audit.record(application, "gigs.applied", actor=worker, via=via, data={"need": need.pk, "score": match.score})
        _tell_employer(need.employer, "gigs.applied", {"worker": worker, "title": need.title})
    return application


def move(actor, application_id, to, *, reason="", via="api") -> Application:
    """The employer's staff (or an officer) move an application along its pipeline.

    Hiring claims one place of the need's headcount (409 ``full`` when none is left, whoever
    hired at the same moment); declining a hired worker or recording a no-show gives it back."""
    if to not in Application.EMPLOYER_MOVES:
        raise GigError("bad_move", status=422)
    with transaction.atomic():
        application = Application.objects.select_related("need", "need__employer", "worker").filter(pk=application_id).first()
        if application is None:
            raise GigError("unknown", gettext("No such application."), status=404)
        need = application.need
        _require_manager(actor, need)
        if to == AppStatus.HIRED and need.status not in (NeedStatus.OPEN, NeedStatus.FILLED, NeedStatus.EXPIRED):
            raise GigError("not_open")
        now = timezone.now()
        touches_places = to in (AppStatus.HIRED, AppStatus.DECLINED, AppStatus.NO_SHOW)
        if touches_places:
            # The capacity row before the application row: the order everywhere, so a hire and a
            # decline of the same need never wait on each other in a circle.
            places.lock(need.capacity_key)
        application = _locked(Application.objects.filter(pk=application_id)).get()
        _race_window()
        if not application.can_move_to(to):
            raise GigError("bad_move", gettext("This application is %(status)s: it cannot become %(to)s.") % {
                "status": application.get_status_display(), "to": AppStatus(to).label})
        if to == AppStatus.HIRED:
            try:
                capacity = places.claim(need.capacity_key)
            except CapacityError as exc:
                raise GigError("full", gettext("All %(n)s places of “%(title)s” are filled: nobody else can be hired.")
                               % {"n": need.headcount, "title": need.title}) from exc
        old = application.status
        application.status = to
        fields = ["status", "updated_at"]
        if to == AppStatus.SHORTLISTED or (to in Application.CONTACT_VISIBLE and application.shortlisted_at is None):
            application.shortlisted_at = now
            fields.append("shortlisted_at")
        if to == AppStatus.HIRED:
            application.hired_at = now
            fields.append("hired_at")
            if capacity.remaining == 0:
                JobNeed.objects.filter(pk=need.pk, status=NeedStatus.OPEN).update(status=NeedStatus.FILLED, filled_at=now)
        if to in (AppStatus.COMPLETED, AppStatus.DECLINED, AppStatus.NO_SHOW):
            application.ended_at = now
            fields.append("ended_at")
        if old == AppStatus.HIRED and to in (AppStatus.DECLINED, AppStatus.NO_SHOW):
            places.release(need.capacity_key)
            JobNeed.objects.filter(pk=need.pk, status=NeedStatus.FILLED).update(status=NeedStatus.OPEN)
            first_shift = timezone.make_aware(datetime.datetime.combine(need.start_date, need.shift_start))
            if to == AppStatus.DECLINED and first_shift - now < LATE_CANCELLATION:
                application.late_cancellation = True
                fields.append("late_cancellation")
        if reason:
            application.reason = reason[:200]
            fields.append("reason")
        application.save(update_fields=fields)
        audit.record(application, f"gigs.{to}", actor=actor, on_behalf_of=None, via=via,
                     data={"from": old, "to": to, "need": need.pk, "reason": reason})
        kind = f"gigs.{to}"  # gigs.notices: one kind for each move a worker hears of
        _tell_worker(application.worker, kind, notices.get(kind).pick({
            "employer": need.employer.name, "title": need.title, "pay": need.pay_text(), "dates": need.dates_text(),
            "shift": need.shift_text(), "address": need.address}))
    application.need = need
    return application


def withdraw(worker, application_id, *, reason="", via="api") -> Application:
    with transaction.atomic():
        application = _locked(Application.objects.filter(pk=application_id, worker=worker)).first()
        if application is None:
            raise GigError("unknown", gettext("No such application."), status=404)
        if not application.can_withdraw:
            raise GigError("bad_move")
        old = application.status
        application.status, application.ended_at, application.reason = AppStatus.WITHDRAWN, timezone.now(), reason[:200]
        application.save(update_fields=["status", "ended_at", "reason", "updated_at"])
        audit.record(application, "gigs.withdrawn", actor=worker, via=via, data={"from": old})
        need = JobNeed.objects.select_related("employer").get(pk=application.need_id)
        _tell_employer(need.employer, "gigs.withdrawn", {"worker": worker, "title": need.title})
    return application


def _tell_worker_of_match(officer, need, worker, match, via):
    audit.record(need, "gigs.match_pushed", actor=officer, on_behalf_of=worker, via=via,
                 data={"worker": worker.pk, "score": match.score})
    _tell_worker(worker, "gigs.match_pushed", {
        "title": need.title, "pay": need.pay_text(), "reasons": "; ".join(match.reasons[:3])})


def push_match(officer, need_id, worker, *, via="admin"):
    """An officer points a worker and an employer at each other: both are told, nothing else."""
    require_officer(officer)
    need = queries.need_queryset().filter(pk=need_id).first()
    if need is None or not need.is_accepting():
        raise GigError("not_open")
    profile = queries.profile_of(worker)
    if profile is None:
        raise GigError("no_profile", status=422)
    match = queries.why_not(profile, need)
    with transaction.atomic():
        _tell_worker_of_match(officer, need, worker, match, via)
        _tell_employer(need.employer, "gigs.match_pushed_employer",
                       {"worker": worker, "title": need.title, "score": match.score})
    return match


#: How many of a need's suggested candidates one push from the admin tells at most.
PUSH_LIMIT = 20


def push_matches(officer, need_id, *, limit=PUSH_LIMIT, via="admin"):
    """An officer sends an open need to its best-suited workers at once (its suggested
    candidates, ranked as the employer sees them, leaving out those already told of it): each
    worker is texted the need with its reasons, the employer is told once who was suggested.
    Returns the matches told (an empty list when nobody is left to tell)."""
    require_officer(officer)
    need = queries.need_queryset().filter(pk=need_id).first()
    if need is None:
        raise GigError("unknown", gettext("No such need."), status=404)
    if not need.is_accepting():
        raise GigError("not_open")
    matches = queries.matches_to_push(need, limit=limit)
    if not matches:
        return []
    with transaction.atomic():
        for match in matches:
            _tell_worker_of_match(officer, need, match.profile.member, match, via)
        names = "、".join(str(m.profile.member) for m in matches[:5])
        _tell_employer(need.employer, "gigs.matches_pushed_employer",
                       {"title": need.title, "count": len(matches), "names": names})
    return matches


# --- work records --------------------------------------------------------------------------------

def _side(actor, application):
    if actor.pk == application.worker_id:
        return "worker"
    if queries.may_manage_need(actor, application.need):
        return "employer"
    raise NotAllowed(gettext("Only the worker or the employer can do this."))


def record_work(actor, application_id, *, date, hours=None, pieces=None, via="api") -> WorkRecord:
    """Either side records a day's hours or pieces of a hire; it counts as their confirmation,
    and the other side is asked for theirs."""
    if (hours is None) == (pieces is None):
        raise GigError("hours_or_pieces", status=422)
    with transaction.atomic():
        application = _locked(Application.objects.filter(pk=application_id)).select_related("need", "need__employer",
                                                                                             "worker").first()
        if application is None:
            raise GigError("unknown", gettext("No such application."), status=404)
        side = _side(actor, application)
        if not application.can_record_work:
            raise GigError("not_hired")
        need = application.need
        if not need.start_date <= date <= need.end_date:
            raise GigError("outside_dates", status=422)
        if date > timezone.localdate():
            raise GigError("future_day", status=422)
        if WorkRecord.objects.filter(application=application, date=date).exists():
            raise GigError("record_exists")
        now = timezone.now()
        record = WorkRecord(application=application, date=date, recorded_by=actor,
                            hours=Decimal(str(hours)) if hours is not None else None, pieces=pieces)
        setattr(record, f"{side}_confirmed_at", now)
        _clean(record, exclude=("application",))
        record.save()
        audit.record(record, "gigs.work_recorded", actor=actor, via=via,
                     data={"date": str(date), "hours": str(hours) if hours is not None else None, "pieces": pieces})
        params = {"who": actor, "amount": record.amount_text(), "date": f"{date:%m-%d}", "title": need.title}
        if side == "worker":
            _tell_employer(need.employer, "gigs.work_recorded", params)
        else:
            _tell_worker(application.worker, "gigs.work_recorded", params)
    return record


def confirm_work(actor, record_id, *, via="api") -> WorkRecord:
    with transaction.atomic():
        record = _locked(WorkRecord.objects.filter(pk=record_id)).first()
        if record is None:
            raise GigError("unknown", gettext("No such record."), status=404)
        application = Application.objects.select_related("need", "need__employer").get(pk=record.application_id)
        side = _side(actor, application)
        _race_window()
        if record.awaiting() != side:
            raise GigError("not_awaiting")
        now = timezone.now()
        setattr(record, f"{side}_confirmed_at", now)
        record.status, record.settled_at = WorkRecord.Status.CONFIRMED, now
        record.save()
        audit.record(record, "gigs.work_confirmed", actor=actor, via=via, data={"side": side})
    return record


def dispute_work(actor, record_id, *, reason, via="api") -> WorkRecord:
    reason = (reason or "").strip()[:300]
    if not reason:
        raise GigError("reason_required", status=422)
    with transaction.atomic():
        record = _locked(WorkRecord.objects.filter(pk=record_id)).first()
        if record is None:
            raise GigError("unknown", gettext("No such record."), status=404)
        application = Application.objects.select_related("need", "need__employer", "worker").get(pk=record.application_id)
        side = _side(actor, application)
        if record.awaiting() != side:
            raise GigError("not_awaiting")
        record.status, record.dispute_reason, record.disputed_by = WorkRecord.Status.DISPUTED, reason, actor
        record.save()
        audit.record(record, "gigs.work_disputed", actor=actor, via=via, data={"side": side, "reason": reason})
        params = {"date": f"{record.date:%m-%d}", "title": application.need.title}
        _tell_worker(application.worker, "gigs.work_disputed", params)
        _tell_employer(application.need.employer, "gigs.work_disputed", params)
        _tell_officers("gigs.dispute_received", {
            "who": actor, "date": f"{record.date:%m-%d}", "title": application.need.title,
            "worker": application.worker, "employer": application.need.employer.name, "reason": reason})
    return record


def resolve_dispute(officer, record_id, *, resolution, hours=None, pieces=None, via="admin") -> WorkRecord:
    """An officer settles a disputed record, with the hours or pieces decided."""
    require_officer(officer)
    resolution = (resolution or "").strip()[:300]
    if not resolution:
        raise GigError("reason_required", status=422)
    with transaction.atomic():
        record = _locked(WorkRecord.objects.filter(pk=record_id)).first()
        if record is None:
            raise GigError("unknown", gettext("No such record."), status=404)
        if record.status != WorkRecord.Status.DISPUTED:
            raise GigError("not_disputed")
        if hours is not None:
            record.hours, record.pieces = Decimal(str(hours)), None
        elif pieces is not None:
            record.pieces, record.hours = pieces, None
        record.status, record.resolution, record.resolved_by = WorkRecord.Status.RESOLVED, resolution, officer
        record.settled_at = timezone.now()
        _clean(record, exclude=("application",))
        record.save()
        audit.record(record, "gigs.dispute_resolved", actor=officer, via=via, data={"resolution": resolution})
        application = Application.objects.select_related("need", "need__employer", "worker").get(pk=record.application_id)
        params = {"date": f"{record.date:%m-%d}", "title": application.need.title, "amount": record.amount_text(),
                  "why": resolution}
        _tell_worker(application.worker, "gigs.dispute_resolved", params)
        _tell_employer(application.need.employer, "gigs.dispute_resolved", params)
    return record


def auto_confirm_records(now=None) -> int:
    """Records nobody answered within 48 hours are confirmed automatically (run on schedule)."""
    now = now or timezone.now()
    count = 0
    for record_id in list(queries.records_to_auto_confirm(now).values_list("pk", flat=True)):
        with transaction.atomic():
            record = _locked(WorkRecord.objects.filter(pk=record_id)).first()
            if record is None or not record.auto_confirm_due(now):
                continue
            record.status, record.settled_at = WorkRecord.Status.AUTO_CONFIRMED, now
            record.save(update_fields=["status", "settled_at"])
            audit.record(record, "gigs.work_auto_confirmed", via="system")
            count += 1
    return count


# --- ratings -------------------------------------------------------------------------------------

def rate(actor, application_id, *, stars, comment="", via="api") -> Rating:
    """After completion the worker rates the employer and the employer the worker, once each."""
    application = Application.objects.select_related("need", "need__employer").filter(pk=application_id).first()
    if application is None:
        raise GigError("unknown", gettext("No such application."), status=404)
    side = _side(actor, application)
    if application.status != AppStatus.COMPLETED:
        raise GigError("not_completed")
    if not 1 <= int(stars) <= 5:
        raise GigError("invalid", gettext("Give 1 to 5 stars."), status=422, field="stars")
    direction = Rating.Direction.OF_EMPLOYER if side == "worker" else Rating.Direction.OF_WORKER
    try:
        with transaction.atomic():
            rating = Rating.objects.create(application=application, direction=direction, stars=int(stars),
                                           comment=(comment or "")[:300], rated_by=actor)
            audit.record(rating, "gigs.rated", actor=actor, via=via, data={"stars": int(stars), "direction": direction})
    except IntegrityError as exc:
        raise GigError("already_rated") from exc
    return rating


# --- employment guidance -------------------------------------------------------------------------

def sync_slot_places(slot, *, actor=None, via="admin"):
    """Give a consultation slot its places (core.capacity), or resize them."""
    with transaction.atomic():
        capacity = places.define(slot.capacity_key, slot.places)
        if slot.capacity_id != capacity.pk:
            ConsultationSlot.objects.filter(pk=slot.pk).update(capacity=capacity)
            slot.capacity = capacity
    return slot


def book_consultation(member, slot_id, *, question="", via="api") -> Consultation:
    with places.atomic():
        slot = ConsultationSlot.objects.filter(pk=slot_id).first()
        if slot is None or slot.capacity_id is None:
            raise GigError("unknown", gettext("No such slot."), status=404)
        if slot.start <= timezone.now():
            raise GigError("slot_past")
        if Consultation.objects.filter(slot=slot, member=member, status=Consultation.Status.BOOKED).exists():
            raise GigError("already_booked")
        try:
            places.claim(slot.capacity_key)
        except CapacityError as exc:
            raise GigError("slot_full") from exc
        booking = Consultation.objects.create(slot=slot, member=member, question=(question or "")[:300])
        audit.record(booking, "gigs.consultation_booked", actor=member, via=via)
        _tell_worker(member, "gigs.consultation_booked", {
                   "topic": slot.get_topic_display(), "when": f"{timezone.localtime(slot.start):%m-%d %H:%M}",
                   "place": slot.place})
    return booking


def cancel_consultation(member, booking_id, *, via="api") -> Consultation:
    with transaction.atomic():
        booking = _locked(Consultation.objects.filter(pk=booking_id)).first()
        if booking is None or (booking.member_id != member.pk and not queries.is_officer(member)):
            raise GigError("unknown", gettext("No such booking."), status=404)
        if booking.status != Consultation.Status.BOOKED:
            raise GigError("not_booked")
        slot = ConsultationSlot.objects.get(pk=booking.slot_id)
        places.release(slot.capacity_key)
        booking.status = Consultation.Status.CANCELLED
        booking.save(update_fields=["status"])
        audit.record(booking, "gigs.consultation_cancelled", actor=member, via=via)
    return booking


def record_outcome(officer, booking_id, *, outcome, came=True, via="admin") -> Consultation:
    """An officer records how a consultation went (what was advised), or that the member did not
    come. Only once the slot has begun, and once."""
    require_officer(officer)
    outcome = (outcome or "").strip()
    if came and not outcome:
        raise GigError("outcome_required", status=422, field="outcome")
    if len(outcome) > 2000:
        raise GigError("invalid", gettext("Keep the outcome under 2,000 characters."), status=422, field="outcome")
    with transaction.atomic():
        booking = _locked(Consultation.objects.filter(pk=booking_id)).first()
        if booking is None:
            raise GigError("unknown", gettext("No such booking."), status=404)
        if booking.status != Consultation.Status.BOOKED:
            raise GigError("not_booked")
        if ConsultationSlot.objects.filter(pk=booking.slot_id, start__gt=timezone.now()).exists():
            raise GigError("slot_not_begun")
        booking.status = Consultation.Status.DONE if came else Consultation.Status.NO_SHOW
        booking.outcome, booking.recorded_by = outcome, officer
        booking.save(update_fields=["status", "outcome", "recorded_by"])
        audit.record(booking, "gigs.consultation_outcome", actor=officer, via=via, data={"came": came})
    return booking
