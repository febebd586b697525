"""Every read of the volunteers plugin and who may see what: pages, API, admin and exports use these."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from volunteers.models import (
    Certificate,
    Correction,
    HoursEntry,
    OpportunityPage,
    Shift,
    SignUp,
    Team,
    VolunteerProfile,
    mask_name,
    star_level,
)

COVER_FILTER = "fill-640x360|format-webp"
Entry = HoursEntry.Status


def opportunity_queryset(now=None, *, covers=True):
    """Live, public opportunities with what a listing shows, in a fixed number of queries: only
    their upcoming shifts (with places, from core.capacity), outputs, skills, and the cover's
    rendition when ``covers`` (the pages show it; the API does not).

    The next start is a correlated subquery rather than ``Min()`` over a join: the aggregate made
    the listing and its count GROUP BY every column of the page tables, which cost more than the
    rows themselves (bench/README.md, volunteers listing)."""
    now = now or timezone.now()
    upcoming = Shift.objects.filter(start__gt=now).select_related("capacity").order_by("start", "pk")
    next_start = Shift.objects.filter(opportunity=OuterRef("pk"), start__gt=now).order_by("start").values("start")[:1]
    prefetches = [Prefetch("shifts", queryset=upcoming, to_attr=UPCOMING), "outputs", "tagged_items__tag"]
    if covers:
        from wagtail.images import get_image_model

        prefetches.append(Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions(COVER_FILTER)))
    return (
        OpportunityPage.objects.live().public()
        .select_related("organiser", "community")
        .prefetch_related(*prefetches)
        .annotate(next_start=Subquery(next_start))
    )


def filter_opportunities(queryset, *, community=None, on=None, q=None, skill=None, past=False):
    if community:
        queryset = queryset.filter(Q(community__code=community) | Q(community__isnull=True))
    if on:
        queryset = queryset.filter(Exists(Shift.objects.filter(opportunity=OuterRef("pk"), start__date=on)))
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if skill:
        queryset = queryset.filter(tagged_items__tag__name=skill).distinct()
    if not past:
        queryset = queryset.filter(next_start__isnull=False)
    return queryset.order_by(F("next_start").asc(nulls_last=True), "pk")


#: Where opportunity_queryset() puts an opportunity's upcoming shifts.
UPCOMING = "upcoming_shift_list"


def upcoming_shifts(opportunity, now=None):
    """Shifts still to start, soonest first: the prefetched ones when the opportunity came from
    opportunity_queryset(), else read now."""
    now = now or timezone.now()
    shifts = getattr(opportunity, UPCOMING, None)
    if shifts is None:
        shifts = opportunity.shifts.all()
    return [s for s in shifts if s.start > now]


def remaining_places(opportunity, now=None):
    """Places left over all upcoming shifts (the capacity rows came with the shifts)."""
    return sum(s.remaining for s in upcoming_shifts(opportunity, now))


def member_signups(user):
    """A member's own sign-ups, soonest first, with what pages and the API show."""
    return (SignUp.objects.filter(member=user)
            .select_related("shift__opportunity", "shift__capacity", "team")
            .order_by("shift__start", "pk"))


def current_signups(user, now=None):
    now = now or timezone.now()
    return member_signups(user).filter(
        shift__end__gt=now - timedelta(hours=12),
        status__in=(SignUp.Status.CONFIRMED, SignUp.Status.WAITLISTED, SignUp.Status.CHECKED_IN))


def calendar_signups(profile):
    """What the private calendar feed holds: the member's places, from a month ago on."""
    return (SignUp.objects.filter(member_id=profile.member_id, status__in=SignUp.ACTIVE_STATUSES,
                                  shift__end__gt=timezone.now() - timedelta(days=30))
            .select_related("shift__opportunity").order_by("shift__start"))


def member_entries(user):
    """The member's ledger, newest first, with outputs and open corrections (fixed queries)."""
    return (HoursEntry.objects.filter(member=user).select_related("opportunity")
            .prefetch_related("outputs", Prefetch("corrections", queryset=Correction.objects.filter(
                status=Correction.Status.OPEN), to_attr="open_corrections"))
            .order_by("-start", "-pk"))


def hours_summary(user) -> dict:
    """Totals the "my hours" page and API show: approved, pending, and the star level."""
    totals = HoursEntry.objects.filter(member=user).aggregate(
        approved=Sum("minutes", filter=Q(status=Entry.APPROVED), default=0),
        pending=Sum("minutes", filter=Q(status=Entry.PENDING), default=0),
        entries=Count("pk"))
    return {**totals, "stars": star_level(totals["approved"])}


def hours_by_month(user, months=12):
    """Approved and pending minutes per local month, newest first (one query)."""
    rows = (HoursEntry.objects.filter(member=user).exclude(status=Entry.DECLINED)
            .annotate(month=TruncMonth("start", tzinfo=timezone.get_current_timezone()))
            .values("month")
            .annotate(approved=Sum("minutes", filter=Q(status=Entry.APPROVED), default=0),
                      pending=Sum("minutes", filter=Q(status=Entry.PENDING), default=0))
            .order_by("-month"))[:months]
    return list(rows)


def member_certificates(user):
    return Certificate.objects.filter(member=user).order_by("-issued_at", "-pk")


def certificate_for_verification(number, code):
    """The certificate a public verification link names, or None when number and code disagree."""
    from django.utils.crypto import constant_time_compare

    certificate = Certificate.objects.filter(number=(number or "").strip().upper()).first()
    if certificate is None or not constant_time_compare((code or "").strip().upper(), certificate.verification_code):
        return None
    return certificate


def public_verification(certificate) -> dict:
    """All the public page may show: it proves the certificate without exposing the person."""
    return {"number": certificate.number, "name": mask_name(certificate.content.get("name", "")),
            "period_start": certificate.period_start, "period_end": certificate.period_end,
            "total_hours": certificate.total_hours, "issued_at": certificate.issued_at,
            "issuer": certificate.content.get("issuer", {}).get("name", ""),
            "valid": certificate.is_valid, "revoked_at": certificate.revoked_at}


# --- the leaderboard ---------------------------------------------------------------------------

def period_start(period, now=None):
    """Start of "month", "year" or None for all time (local calendar)."""
    today = timezone.localdate(now or timezone.now())
    if period == "month":
        day = today.replace(day=1)
    elif period == "year":
        day = today.replace(month=1, day=1)
    else:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


#: How old a cached listing (places left follow every change at once; which shifts are upcoming
#: follows the clock) and a cached leaderboard (the month and year roll over) may get, in seconds.
LISTING_CACHE_SECONDS = 30
LEADERBOARD_CACHE_SECONDS = 300


def leaderboard(*, period="month", community=None, limit=50, now=None):
    """Approved hours per volunteer, most first. Names only of those who consented; everyone else
    appears as a masked name, so the ranks stay true without showing who they are. Two queries."""
    entries = HoursEntry.objects.filter(status=Entry.APPROVED)
    start = period_start(period, now)
    if start is not None:
        entries = entries.filter(start__gte=start)
    if community:
        entries = entries.filter(community__code=community)
    rows = list(entries.values("member_id").annotate(minutes=Sum("minutes")).order_by("-minutes", "member_id")[:limit])
    profiles = {p.member_id: p for p in VolunteerProfile.objects.filter(
        member_id__in=[r["member_id"] for r in rows]).select_related("member")}
    from members.models import User

    users = User.objects.in_bulk([r["member_id"] for r in rows if r["member_id"] not in profiles])
    board = []
    for rank, row in enumerate(rows, start=1):
        profile = profiles.get(row["member_id"])
        consented = bool(profile and profile.leaderboard_consent)
        full = profile.display_name if profile else str(users.get(row["member_id"], ""))
        board.append({"rank": rank, "member_id": row["member_id"] if consented else None,
                      "name": full if consented else mask_name(full), "named": consented,
                      "minutes": row["minutes"], "hours": round(row["minutes"] / 60, 1),
                      "stars": star_level(row["minutes"]) if start is None else None})
    return board


# --- coordinators ----------------------------------------------------------------------------

def approval_queue(*, source=None, opportunity=None, community=None, flagged=None, since=None, until=None,
                   member=None):
    """Pending entries for coordinators, oldest first, filtered as the queue's form asks."""
    queryset = (HoursEntry.objects.filter(status=Entry.PENDING)
                .select_related("member", "opportunity", "community", "team").prefetch_related("outputs"))
    if source:
        queryset = queryset.filter(source=source)
    if opportunity:
        queryset = queryset.filter(opportunity_id=opportunity)
    if community:
        queryset = queryset.filter(community__code=community)
    if flagged is not None:
        queryset = queryset.filter(flagged=flagged)
    if since:
        queryset = queryset.filter(start__date__gte=since)
    if until:
        queryset = queryset.filter(start__date__lte=until)
    if member:
        queryset = queryset.filter(member_id=member)
    return queryset.order_by("start", "pk")


def open_corrections():
    return Correction.objects.filter(status=Correction.Status.OPEN).select_related("entry__member", "requested_by")


def roster(shift):
    """Everyone signed up for (or waiting for) a shift, for its coordinator."""
    order = {SignUp.Status.CHECKED_IN: 0, SignUp.Status.CONFIRMED: 1, SignUp.Status.COMPLETED: 2,
             SignUp.Status.NO_SHOW: 3, SignUp.Status.WAITLISTED: 4}
    rows = list(SignUp.objects.filter(shift=shift, status__in=SignUp.ACTIVE_STATUSES)
                .select_related("member", "team", "hours_entry"))
    rows.sort(key=lambda s: (order.get(s.status, 9), s.position or 0, str(s.member)))
    return rows


def no_shows(since=None):
    queryset = SignUp.objects.filter(status=SignUp.Status.NO_SHOW).select_related("member", "shift__opportunity")
    if since:
        queryset = queryset.filter(shift__start__date__gte=since)
    return queryset.order_by("-shift__start")


def teams_led_by(user):
    return Team.objects.filter(leader=user).prefetch_related("members")


REPORT_KINDS = ("person", "team", "activity", "community")


def report(kind, since, until, *, status=Entry.APPROVED):
    """Hours over a period grouped by person, team, activity or community, with the total row's
    numbers computed once here (pages and exports show the same)."""
    if kind not in REPORT_KINDS:
        raise ValueError(kind)
    tz = timezone.get_current_timezone()
    begin = timezone.make_aware(datetime.combine(since, time.min), tz)
    finish = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min), tz)
    entries = HoursEntry.objects.filter(status=status, start__gte=begin, start__lt=finish)
    field = {"person": "member_id", "team": "team__name", "activity": "activity", "community": "community__name"}[kind]
    rows = list(entries.values(field).annotate(minutes=Sum("minutes"), entries=Count("pk"),
                                               people=Count("member_id", distinct=True)).order_by("-minutes", field))
    if kind == "person":
        from members.models import User

        users = User.objects.in_bulk([r["member_id"] for r in rows])
        profiles = {p.member_id: p for p in VolunteerProfile.objects.filter(member_id__in=users)}
        for row in rows:
            profile = profiles.get(row["member_id"])
            user = users.get(row["member_id"])
            row["label"] = profile.display_name if profile else str(user)
            row["phone"] = user.masked_phone if user else ""
    else:
        for row in rows:
            row["label"] = row[field] or ""
    for row in rows:
        row["hours"] = round(row["minutes"] / 60, 2)
    total = {"minutes": sum(r["minutes"] for r in rows), "entries": sum(r["entries"] for r in rows),
             "people": entries.values("member_id").distinct().count()}
    total["hours"] = round(total["minutes"] / 60, 2)
    return rows, total
