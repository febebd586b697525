"""Every read of the gig station and every rule of who sees what.

Pages, the API, the admin and commands all ask these functions. Who acts for an employer: the
members of its organisation (several staff per enterprise) or, for an individual employer, the
member who applied. Gig-station officers see everything. A worker's phone reaches an employer
only once the worker is shortlisted (``Application.phone_for_employer``).
"""

import datetime
from collections import defaultdict

from django.db.models import (
    Avg,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Value,
)
from django.utils import timezone

from core.audit import entries_for
from core.geo import bounding_box
from core.permissions import has_role
from gigs import matching
from gigs.models import (
    Application,
    Consultation,
    ConsultationSlot,
    Employer,
    JobNeed,
    NeedFlag,
    Rating,
    TaggedNeedSkill,
    TaggedWorkerSkill,
    WorkerProfile,
    WorkRecord,
)
from gigs.roles import OFFICERS

#: "Suggested candidates" looks no further than this for anyone (a worker's own limit is smaller).
CANDIDATE_RADIUS_M = 30_000
#: How many survivors of the database filter are scored at most, newest first.
SCORE_LIMIT = 2000


def is_officer(user) -> bool:
    return has_role(user, OFFICERS)


def officers():
    """The active members of the gig-station officers' role (who hear of flags and disputes)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name=OFFICERS, is_active=True).distinct().order_by("pk")


def open_items():
    """What waits for an officer, oldest first: open flags (one row per flagged need) and
    disputed work records. Each item is a dict: kind, when, title, detail, url name, object."""
    from django.utils.translation import gettext as _

    items = []
    flags = list(flagged_needs())
    by_need = {}
    for flag in flags:
        by_need.setdefault(flag.need_id, []).append(flag)
    for need_flags in by_need.values():
        first = need_flags[0]
        reasons = "; ".join(sorted({str(f.get_reason_display()) for f in need_flags}))
        items.append({"kind": "flag", "kind_label": _("Flagged need"), "when": first.created_at,
                      "title": first.need.title, "who": first.need.employer.name,
                      "detail": reasons, "count": len(need_flags), "queue": "gigs_flags"})
    for record in disputes():
        application = record.application
        items.append({"kind": "dispute", "kind_label": _("Disputed work record"), "when": record.created_at,
                      "title": application.need.title,
                      "who": f"{application.worker} · {application.need.employer.name}",
                      "detail": f"{record.date:%Y-%m-%d} {record.amount_text()}: {record.dispute_reason}",
                      "count": 1, "queue": "gigs_disputes"})
    items.sort(key=lambda item: item["when"])
    return items


# --- employers ---------------------------------------------------------------------------------

def employers_of(user):
    """The employers ``user`` acts for (as a member of the enterprise, or the individual)."""
    if not user.is_authenticated:
        return Employer.objects.none()
    return Employer.objects.filter(
        Q(organisation__memberships__user=user) | Q(kind=Employer.Kind.INDIVIDUAL, applicant=user)).distinct()


def acts_for(user, employer) -> bool:
    if not user.is_authenticated or employer is None:
        return False
    if employer.kind == Employer.Kind.INDIVIDUAL:
        return employer.applicant_id == user.pk
    return employer.organisation.memberships.filter(user=user).exists()


def may_manage_need(user, need) -> bool:
    """The need's employer's staff, or an officer."""
    return is_officer(user) or acts_for(user, need.employer)


def may_see_licence(user, employer) -> bool:
    """The business licence photo: officers, and the enterprise's own staff (nobody else, not
    even by its address: it lives in the private storage)."""
    return is_officer(user) or acts_for(user, employer)


def employer_staff_list(employer):
    """An enterprise's staff (memberships of its organisation), administrators first."""
    from members.models import OrganisationMembership

    if employer.organisation_id is None:
        return OrganisationMembership.objects.none()
    return (OrganisationMembership.objects.filter(organisation_id=employer.organisation_id)
            .select_related("user").order_by("role", "joined_at", "pk"))


def member_by_phone(phone):
    """The member with this phone number (written any usual way: 139 0571 1111, +86...), or None."""
    from members.models import User
    from members.phones import normalize_phone

    phone = normalize_phone((phone or "").strip())
    return User.objects.filter(phone=phone, is_active=True).first() if phone else None


def verification_queue():
    return Employer.objects.filter(status=Employer.Status.PENDING).select_related(
        "organisation", "applicant", "community").order_by("created_at")


def employer_reliability(employer_ids):
    """{employer id: 0..1}: 1 minus late cancellations and disputes per hire, blended with the
    workers' ratings; employers with no hire yet are left out (unknown)."""
    employer_ids = list(set(employer_ids))
    if not employer_ids:
        return {}
    hires = dict(Application.objects.filter(need__employer_id__in=employer_ids, hired_at__isnull=False)
                 .values_list("need__employer_id").annotate(n=Count("pk")).values_list("need__employer_id", "n"))
    late = dict(Application.objects.filter(need__employer_id__in=employer_ids, late_cancellation=True)
                .values_list("need__employer_id").annotate(n=Count("pk")).values_list("need__employer_id", "n"))
    disputes = dict(WorkRecord.objects.filter(application__need__employer_id__in=employer_ids,
                                              status__in=(WorkRecord.Status.DISPUTED, WorkRecord.Status.RESOLVED))
                    .values_list("application__need__employer_id").annotate(n=Count("pk"))
                    .values_list("application__need__employer_id", "n"))
    stars = dict(Rating.objects.filter(application__need__employer_id__in=employer_ids,
                                       direction=Rating.Direction.OF_EMPLOYER)
                 .values_list("application__need__employer_id").annotate(a=Avg("stars"))
                 .values_list("application__need__employer_id", "a"))
    result = {}
    for employer_id, hired in hires.items():
        record = max(0.0, 1 - (2 * late.get(employer_id, 0) + disputes.get(employer_id, 0)) / hired)
        if employer_id in stars:
            record = 0.7 * record + 0.3 * (float(stars[employer_id]) - 1) / 4
        result[employer_id] = round(record, 3)
    return result


def employer_record(employer):
    """What an officer or worker sees of an employer's record."""
    apps = Application.objects.filter(need__employer=employer)
    return {
        "needs": employer.needs.count(),
        "hires": apps.filter(hired_at__isnull=False).count(),
        "late_cancellations": apps.filter(late_cancellation=True).count(),
        "disputes": WorkRecord.objects.filter(application__need__employer=employer,
                                              status__in=(WorkRecord.Status.DISPUTED, WorkRecord.Status.RESOLVED)).count(),
        "reliability": employer_reliability([employer.pk]).get(employer.pk),
    }


# --- needs -------------------------------------------------------------------------------------

def _skills_prefetch():
    return Prefetch("tagged_skills", queryset=TaggedNeedSkill.objects.select_related("tag"))


def need_queryset():
    return JobNeed.objects.select_related("employer", "community", "capacity").prefetch_related(_skills_prefetch())


def accepting(queryset, now=None):
    """Open needs of verified employers, before their deadline and last day."""
    now = now or timezone.now()
    return queryset.filter(status=JobNeed.Status.OPEN, employer__status=Employer.Status.VERIFIED,
                           end_date__gte=timezone.localdate(now)).filter(Q(deadline__isnull=True) | Q(deadline__gt=now))


def public_needs(now=None):
    """What anyone may browse: open needs of verified employers."""
    return accepting(need_queryset(), now).order_by("-published_at", "-pk")


def filter_needs(queryset, *, category=None, community=None, skill=None, q=None, pay_unit=None):
    if category:
        queryset = queryset.filter(category=category)
    if community:
        queryset = queryset.filter(community__code=community)
    if skill:
        queryset = queryset.filter(tagged_skills__tag__name=skill)
    if pay_unit:
        queryset = queryset.filter(pay_unit=pay_unit)
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(employer__name__icontains=q))
    return queryset.distinct() if skill else queryset


def visible_need(user, need_id):
    """The need if ``user`` may see it: live ones for anyone, every state for its employer's
    staff and for officers; None otherwise."""
    need = need_queryset().filter(pk=need_id).first()
    if need is None:
        return None
    if need.status in JobNeed.LIVE_STATUSES and need.employer.is_verified:
        return need
    return need if may_manage_need(user, need) else None


def employer_needs(user, employer=None):
    queryset = need_queryset().filter(employer__in=employers_of(user))
    if employer is not None:
        queryset = queryset.filter(employer=employer)
    return queryset.annotate(
        applicants=Count("applications", filter=Q(applications__status__in=Application.ACTIVE))).order_by("-created_at")


def review_queue():
    return need_queryset().filter(status=JobNeed.Status.PENDING).order_by("created_at")


def flagged_needs():
    """Open flags, the needs they are on, oldest first."""
    return NeedFlag.objects.filter(status=NeedFlag.Status.OPEN).select_related(
        "need", "need__employer", "reporter").order_by("created_at")


def needs_to_expire(now=None):
    now = now or timezone.now()
    return JobNeed.objects.filter(status=JobNeed.Status.OPEN).filter(
        Q(deadline__lte=now) | Q(end_date__lt=timezone.localdate(now)))


# --- matching ----------------------------------------------------------------------------------

def profile_of(user):
    if not user.is_authenticated:
        return None
    return (WorkerProfile.objects.filter(member=user)
            .prefetch_related(Prefetch("tagged_skills", queryset=TaggedWorkerSkill.objects.select_related("tag")),
                              "communities").first())


def prefiltered_needs(profile, now=None):
    """The database's part of "recommended for you": accepting needs inside the worker's box,
    asking for no skill or one of theirs, whose certificates they have, not applied for yet."""
    now = now or timezone.now()
    queryset = accepting(need_queryset(), now)
    if profile.latitude is not None and profile.longitude is not None:
        min_lat, max_lat, min_lng, max_lng = bounding_box(float(profile.latitude), float(profile.longitude),
                                                          float(profile.max_distance_km) * 1000)
        # Needs without coordinates stay in: their community or address still says where.
        queryset = queryset.filter(Q(latitude__isnull=True) | Q(latitude__range=(min_lat, max_lat),
                                                                longitude__range=(min_lng, max_lng)))
    skills = profile.skill_names()
    if skills:
        asks_any = Exists(TaggedNeedSkill.objects.filter(content_object=OuterRef("pk")))
        asks_mine = Exists(TaggedNeedSkill.objects.filter(content_object=OuterRef("pk"), tag__name__in=skills))
        queryset = queryset.filter(~asks_any | asks_mine)
    if not profile.has_health_certificate:
        queryset = queryset.filter(requires_health_certificate=False)
    if not profile.has_ebike_licence:
        queryset = queryset.filter(requires_ebike_licence=False)
    queryset = queryset.exclude(Exists(Application.objects.filter(
        need=OuterRef("pk"), worker_id=profile.member_id, status__in=Application.ACTIVE)))
    return queryset.exclude(employer__in=employers_of(profile.member))


def recommended_for(profile, now=None, limit=20):
    """Open needs ranked for the worker, best first, each with its score and reasons."""
    now = now or timezone.now()
    needs = list(prefiltered_needs(profile, now)[:SCORE_LIMIT])
    reliability = employer_reliability(n.employer_id for n in needs)
    windows = matching.availability_windows(profile)
    skills = matching.worker_skill_set(profile)
    results = [matching.assess(need, profile, now=now, windows=windows, skills=skills,
                               reliability=reliability.get(need.employer_id), check_open=False) for need in needs]
    results = [m for m in results if m.suitable]
    results.sort(key=lambda m: (-m.score, -(m.need.published_at or now).timestamp(), m.need.pk))
    return results[:limit]


def why_not(profile, need, now=None):
    """The assessment of one need for the worker (its ``why_not`` is empty when it suits them)."""
    now = now or timezone.now()
    match = matching.assess(need, profile, now=now, reliability=employer_reliability([need.employer_id]).get(need.employer_id))
    if Application.objects.filter(need=need, worker_id=profile.member_id, status__in=Application.ACTIVE).exists():
        from django.utils.translation import gettext as _

        match.why_not.append(_("You have already applied for it."))
    if acts_for(profile.member, need.employer):
        from django.utils.translation import gettext as _

        match.why_not.append(_("It is your own employer's need."))
    return match


def candidates_for(need, now=None, limit=20):
    """Searchable workers ranked for ``need`` the same way, best first (phones masked by the
    caller's schema: these workers have not applied)."""
    now = now or timezone.now()
    workers = WorkerProfile.objects.filter(searchable=True).select_related("member").prefetch_related(
        Prefetch("tagged_skills", queryset=TaggedWorkerSkill.objects.select_related("tag")), "communities")
    if need.latitude is not None and need.longitude is not None:
        lat, lng = float(need.latitude), float(need.longitude)
        min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, CANDIDATE_RADIUS_M)
        workers = workers.filter(Q(latitude__isnull=True) | Q(latitude__range=(min_lat, max_lat),
                                                              longitude__range=(min_lng, max_lng)))
        # Each worker's own limit, roughly (a degree of latitude is 111 km); assess() is exact.
        # (A float divisor: SQLite keeps a whole-number decimal as an integer and would divide
        # 10 / 111 to 0.)
        reach = ExpressionWrapper(F("max_distance_km") / Value(111.0), output_field=FloatField())
        workers = workers.filter(Q(latitude__isnull=True) | (
            Q(latitude__gte=Value(lat) - reach) & Q(latitude__lte=Value(lat) + reach)))
    need_skills = need.skill_names()
    if need_skills:
        workers = workers.filter(Exists(TaggedWorkerSkill.objects.filter(content_object=OuterRef("pk"),
                                                                         tag__name__in=need_skills)))
    if need.requires_health_certificate:
        workers = workers.filter(has_health_certificate=True)
    if need.requires_ebike_licence:
        workers = workers.filter(has_ebike_licence=True)
    workers = workers.exclude(Exists(Application.objects.filter(
        need=need, worker=OuterRef("member"), status__in=Application.ACTIVE)))
    reliability = employer_reliability([need.employer_id]).get(need.employer_id)
    results = []
    for profile in workers.order_by("-updated_at")[:SCORE_LIMIT]:
        match = matching.assess(need, profile, now=now, reliability=reliability, check_open=False)
        if match.suitable:
            results.append(match)
    results.sort(key=lambda m: (-m.score, m.profile.pk))
    return results[:limit]


def pushed_workers(need):
    """Ids of the workers an officer has already suggested ``need`` to (its audit entries)."""
    return {worker for worker in entries_for(need).filter(action="gigs.match_pushed")
            .values_list("data__worker", flat=True) if worker is not None}


def matches_to_push(need, now=None, limit=20):
    """What an officer's push would send: the need's suggested candidates, best first, without
    the workers already told of it."""
    told = pushed_workers(need)
    return [m for m in candidates_for(need, now=now, limit=limit + len(told)) if m.profile.member_id not in told][:limit]


def subscribers_for(need, now=None):
    """Subscribed workers whose match with a newly opened need reaches their threshold."""
    now = now or timezone.now()
    matches = candidates_for(need, now=now, limit=SCORE_LIMIT)
    return [m for m in matches if m.profile.subscribed and m.score >= m.profile.subscribe_min_score]


# --- applications ------------------------------------------------------------------------------

def application_queryset():
    return Application.objects.select_related("need", "need__employer", "need__capacity", "worker")


def my_applications(user):
    return application_queryset().filter(worker=user).order_by("-created_at")


def applications_for_need(need, status=None):
    queryset = application_queryset().filter(need=need).order_by("created_at")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def visible_application(user, application_id):
    """The application for its worker, its employer's staff and officers; None for anyone else."""
    application = application_queryset().filter(pk=application_id).first()
    if application is None:
        return None
    if application.worker_id == user.pk or may_manage_need(user, application.need):
        return application
    return None


def work_records(application):
    return application.work_records.select_related("recorded_by").order_by("date")


def disputes():
    return WorkRecord.objects.filter(status=WorkRecord.Status.DISPUTED).select_related(
        "application__need__employer", "application__worker", "disputed_by").order_by("created_at")


def records_to_auto_confirm(now=None):
    now = now or timezone.now()
    return WorkRecord.objects.filter(status=WorkRecord.Status.PENDING,
                                     created_at__lte=now - WorkRecord.AUTO_CONFIRM_AFTER)


# --- guidance ----------------------------------------------------------------------------------

def upcoming_slots(now=None):
    now = now or timezone.now()
    return ConsultationSlot.objects.filter(start__gt=now).select_related("capacity", "officer").order_by("start")


def my_consultations(user):
    return Consultation.objects.filter(member=user).select_related("slot").order_by("-slot__start")


# --- figures -----------------------------------------------------------------------------------

def month_bounds(month: datetime.date):
    """Aware [start, end) of the calendar month of ``month`` in the site's time zone."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(following, datetime.time.min, tzinfo=tz))


def figures(month: datetime.date, by="employer"):
    """The station's figures for one month: needs posted (opened), filled, workers placed, the
    places asked for, and the average time to fill in days, by employer or community; with a total.

    Returns (rows, total); each row {"label", "posted", "places", "filled", "placed", "days_to_fill"}.
    """
    start, end = month_bounds(month)
    key = {"employer": ("employer_id", "employer__name"), "community": ("community_id", "community__name")}[by]
    rows = defaultdict(lambda: {"label": "", "posted": 0, "places": 0, "filled": 0, "placed": 0, "_fill": []})
    for need in JobNeed.objects.filter(published_at__gte=start, published_at__lt=end).values(*key, "headcount"):
        row = rows[need[key[0]]]
        row["label"] = need[key[1]] or ""
        row["posted"] += 1
        row["places"] += need["headcount"]
    for need in JobNeed.objects.filter(filled_at__gte=start, filled_at__lt=end).values(*key, "published_at", "filled_at"):
        row = rows[need[key[0]]]
        row["label"] = need[key[1]] or ""
        row["filled"] += 1
        if need["published_at"]:
            row["_fill"].append((need["filled_at"] - need["published_at"]).total_seconds() / 86400)
    app_key = ("need__" + key[0], "need__" + key[1])
    for hire in Application.objects.filter(hired_at__gte=start, hired_at__lt=end).values(*app_key):
        row = rows[hire[app_key[0]]]
        row["label"] = hire[app_key[1]] or ""
        row["placed"] += 1
    result, all_fill = [], []
    for row in sorted(rows.values(), key=lambda r: (r["label"] == "", r["label"])):
        fills = row.pop("_fill")
        all_fill.extend(fills)
        row["days_to_fill"] = round(sum(fills) / len(fills), 1) if fills else None
        result.append(row)
    total = {name: sum(r[name] for r in result) for name in ("posted", "places", "filled", "placed")}
    total["days_to_fill"] = round(sum(all_fill) / len(all_fill), 1) if all_fill else None
    return result, total


# --- the member's own ---------------------------------------------------------------------------

def member_home(user, now):
    """The gig station's part of the member home: hires still running, interviews and offers."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.plugins import HomeItem, HomeSection, home_when

    if not user.is_authenticated:
        return None
    today = timezone.localdate(now)
    mine = reverse("gigs:my_applications")
    items = []
    for application in my_applications(user).filter(
            status__in=(Application.Status.INTERVIEW, Application.Status.OFFERED, Application.Status.HIRED),
            need__end_date__gte=today)[:50]:
        need = application.need
        day = max(need.start_date, today)
        when = timezone.make_aware(datetime.datetime.combine(day, need.shift_start))
        items.append(HomeItem(when=when, when_text=home_when(when), title=need.title,
                              detail=" · ".join([application.get_status_display(), need.employer.name, need.address]),
                              url=f"{mine}#application-{application.pk}"))
    for booking in my_consultations(user).filter(status=Consultation.Status.BOOKED, slot__start__gt=now)[:10]:
        items.append(HomeItem(when=booking.slot.start, when_text=home_when(booking.slot.start),
                              title=booking.slot.get_topic_display(), detail=booking.slot.place,
                              url=reverse("gigs:guidance")))
    if not items and not WorkerProfile.objects.filter(member=user).exists() and not employers_of(user).exists():
        return None
    return HomeSection(title=_("Gig station"), items=items, link_url=mine, link_text=_("My job applications"))


def export_member_data(user):
    """What the gig station keeps about a member, for their data export."""
    profile = profile_of(user)
    return {"gigs": {
        "profile": None if profile is None else {
            "skills": profile.skill_names(), "availability": profile.availability,
            "has_health_certificate": profile.has_health_certificate, "has_ebike_licence": profile.has_ebike_licence,
            "birth_year": profile.birth_year, "max_distance_km": str(profile.max_distance_km),
            "min_pay": str(profile.min_pay_amount) if profile.min_pay_amount is not None else None,
            "min_pay_unit": profile.min_pay_unit, "searchable": profile.searchable, "subscribed": profile.subscribed,
        },
        "applications": [
            {"need": a.need.title, "employer": a.need.employer.name, "status": a.status,
             "applied_at": a.created_at.isoformat(),
             "work": [{"date": r.date.isoformat(), "hours": str(r.hours) if r.hours is not None else None,
                       "pieces": r.pieces, "status": r.status} for r in a.work_records.all()]}
            for a in my_applications(user).prefetch_related("work_records")
        ],
        "consultations": [{"slot": str(c.slot), "status": c.status} for c in my_consultations(user)],
    }}
