"""Every read and visibility rule of the reports plugin: who sees which report and how much of it,
duplicates nearby, a grid worker's queue, the command centre's lists and dashboard, Open311's
filters. Pages, the API, Open311, the admin and commands all call these."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext

from core import calendar, geo
from core.models import Community
from core.plugins import HomeItem, HomeSection
from reports.models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Category,
    Meeting,
    Question,
    Report,
    ReportPhoto,
    ReportUpdate,
    Status,
)
from reports.roles import COMMAND_CENTRE

#: "Nearby" for duplicates: a ground lock 150 m down the lane is probably the same one.
DUPLICATE_RADIUS_M = 200
#: Public coordinates are rounded to 3 decimals (about 100 m): where, not whose door.
PUBLIC_DECIMALS = 3


# --- who is who ---------------------------------------------------------------------------------

def is_command_centre(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Asked once per report in a listing: remembered on the user object of this request.
    cached = getattr(user, "_reports_command_centre", None)
    if cached is None:
        cached = user._reports_command_centre = user.groups.filter(name=COMMAND_CENTRE).exists()
    return cached


def grid_community_ids(user) -> set[int]:
    """The communities ``user`` serves as a grid worker (core.Community.grid_workers)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_reports_grid_ids", None)
    if cached is None:
        cached = set(Community.grid_workers.through.objects.filter(user_id=user.pk).values_list(
            "community_id", flat=True))
        user._reports_grid_ids = cached
    return cached


def is_grid_worker(user) -> bool:
    return bool(grid_community_ids(user))


def may_work(user, report: Report) -> bool:
    """May ``user`` start, resolve or reject this work order: the command centre, the grid worker
    it was given to, or, while nobody holds it, any grid worker of its community."""
    if is_command_centre(user):
        return True
    if not user.is_authenticated:
        return False
    if report.assignee_id:
        return report.assignee_id == user.pk
    return report.community_id in grid_community_ids(user)


def may_accept(user, report: Report) -> bool:
    return is_command_centre(user) or (user.is_authenticated and report.community_id in grid_community_ids(user))


def may_see_personal(user, report: Report) -> bool:
    """Reporter's name and contact, the exact point: the reporter themself and those who follow
    the work order up. An anonymous report hides the name even from them (see Report.reporter_name)."""
    if not user.is_authenticated:
        return False
    if report.reporter_id == user.pk:
        return True
    return is_command_centre(user) or report.assignee_id == user.pk or report.community_id in grid_community_ids(user)


# --- reports ---------------------------------------------------------------------------------------

def categories(active=True):
    queryset = Category.objects.prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("sort_order", "id")))
    return queryset.filter(is_active=True) if active else queryset


def report_queryset():
    return Report.objects.select_related("category", "community", "assignee", "reporter")


def with_photos(queryset):
    return queryset.prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.order_by("created_at", "id")))


def public_reports():
    """What anybody may see: public categories, not rejected, not folded into another report."""
    return report_queryset().filter(category__is_public=True).exclude(status__in=(Status.REJECTED, Status.MERGED))


def visible_to(user):
    """The reports ``user`` may open: the command centre all; grid workers their communities'
    and their own work orders; members their own and those they said "me too" to; anyone the
    public ones."""
    if is_command_centre(user):
        return report_queryset()
    visible = Q(category__is_public=True) & ~Q(status__in=(Status.REJECTED, Status.MERGED))
    if user.is_authenticated:
        visible |= Q(reporter=user) | Q(supporters__member=user) | Q(assignee=user)
        communities = grid_community_ids(user)
        if communities:
            visible |= Q(community_id__in=communities)
    return report_queryset().filter(visible).distinct()


def report_for(user, report_id):
    """One report ``user`` may see, or None."""
    return with_photos(visible_to(user)).filter(pk=report_id).first()


def timeline(report, user):
    """The report's steps; notes meant for staff only to those who follow it up."""
    updates = ReportUpdate.objects.filter(report=report).order_by("created_at", "id")
    if not (is_command_centre(user) or (user.is_authenticated and report.community_id in grid_community_ids(user))
            or report.assignee_id == getattr(user, "pk", None)):
        updates = updates.filter(is_public=True)
    return updates


def public_point(report) -> tuple[float | None, float | None]:
    if report.latitude is None:
        return None, None
    return round(report.latitude, PUBLIC_DECIMALS), round(report.longitude, PUBLIC_DECIMALS)


def filter_reports(queryset, *, category=None, community=None, status=None, channel=None, overdue=None,
                   escalation=None, since=None, until=None, assignee=None, search=None, today=None):
    """The filters every list shares (public list, command centre, exports, the API)."""
    today = today or timezone.localdate()
    if category:
        queryset = queryset.filter(category__code=category) if isinstance(category, str) else \
            queryset.filter(category=category)
    if community:
        queryset = queryset.filter(community__code=community) if isinstance(community, str) else \
            queryset.filter(community=community)
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        queryset = queryset.filter(status__in=FINAL_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    if channel:
        queryset = queryset.filter(channel=channel)
    if overdue is True:
        queryset = queryset.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    elif overdue is False:
        queryset = queryset.exclude(status__in=OPEN_STATUSES, deadline__lt=today)
    if escalation is not None:
        queryset = queryset.filter(escalation=escalation)
    if since:
        queryset = queryset.filter(submitted_at__date__gte=since)
    if until:
        queryset = queryset.filter(submitted_at__date__lte=until)
    if assignee:
        queryset = queryset.filter(assignee=assignee)
    if search:
        search = search.strip()[:60]
        queryset = queryset.filter(Q(description__icontains=search) | Q(address__icontains=search)
                                   | (Q(pk=int(search)) if search.isdigit() and len(search) < 12 else Q()))
    return queryset


def mappable(queryset, *, bbox=None):
    """Reports with a point, inside ``bbox`` ("west,south,east,north" in WGS-84 degrees) when
    given: the latitude/longitude indexes answer it. A box that is not four numbers in range, or
    whose south is north of its north, is a ValueError."""
    queryset = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    if not bbox:
        return queryset
    west, south, east, north = (float(v) for v in bbox.split(","))
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("bbox")
    queryset = queryset.filter(latitude__range=(south, north))
    if west <= east:
        return queryset.filter(longitude__range=(west, east))
    # Across the antimeridian.
    return queryset.filter(Q(longitude__gte=west) | Q(longitude__lte=east))


@dataclass(frozen=True)
class Nearby:
    report: Report
    distance_m: float


def nearby_open(category, lat, lng, *, radius_m=DUPLICATE_RADIUS_M, limit=5, exclude_id=None) -> list[Nearby]:
    """Open public reports of ``category`` within ``radius_m`` of (lat, lng), nearest first: what
    a reporter is shown before submitting, to say "me too" instead of filing a duplicate. A
    bounding box the latitude/longitude indexes answer, then the exact distance."""
    if lat is None or lng is None or not category.is_public:
        return []
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius_m)
    rows = (Report.objects.filter(category=category, status__in=OPEN_STATUSES,
                                  latitude__range=(min_lat, max_lat), longitude__range=(min_lng, max_lng))
            # No ORDER BY: the distances sort them, and the model's ordering would sort every
            # open report of the category in the box first.
            .exclude(pk=exclude_id).order_by().values_list("pk", "latitude", "longitude")[:500])
    found = sorted((geo.haversine_m(lat, lng, r_lat, r_lng), pk) for pk, r_lat, r_lng in rows)
    found = [(d, pk) for d, pk in found if d <= radius_m][:limit]
    reports = with_photos(report_queryset()).in_bulk([pk for _d, pk in found])
    return [Nearby(reports[pk], d) for d, pk in found if pk in reports]


def community_for_point(lat, lng):
    """The community a point belongs to: the one whose centre (core.Community latitude and
    longitude) is nearest. Communities have no drawn boundaries here, so a point near a border
    may land in the neighbour; the reporter or the command centre can choose another."""
    if lat is None or lng is None:
        return None
    best = None
    for community in Community.objects.exclude(latitude=None).exclude(longitude=None).only("pk", "latitude", "longitude", "name", "code"):
        distance = geo.haversine_m(lat, lng, float(community.latitude), float(community.longitude))
        if best is None or distance < best[0]:
            best = (distance, community)
    return best[1] if best else None


def queue_for(user, *, include_done=False):
    """A grid worker's queue: work orders given to them, and those of their communities nobody
    holds yet; soonest deadline first, escalated first within a day."""
    communities = grid_community_ids(user)
    mine = Q(assignee=user) | Q(assignee__isnull=True, community_id__in=communities)
    queryset = report_queryset().filter(mine)
    if not include_done:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    return queryset.order_by(F("deadline").asc(nulls_last=True), "-escalation", "submitted_at")


def my_reports(user):
    """The member's own reports and those they said "me too" to, newest first."""
    if not user.is_authenticated:
        return Report.objects.none()
    return report_queryset().filter(Q(reporter=user) | Q(supporters__member=user)).distinct()


@dataclass(frozen=True)
class ReaderFlags:
    """Of some reports, the ones the reader filed (``mine``) and said "me too" to (``supported``)."""

    mine: frozenset = frozenset()
    supported: frozenset = frozenset()


def reader_flags(user, report_ids) -> ReaderFlags:
    """The reader's own marks on a page of reports: one query whatever the page size (none for
    an anonymous reader), so the page itself can be the same cached value for everybody."""
    if not user.is_authenticated or not report_ids:
        return ReaderFlags()
    from django.db.models import Exists, OuterRef

    from reports.models import Supporter

    said = Exists(Supporter.objects.filter(report=OuterRef("pk"), member=user))
    rows = (Report.objects.filter(pk__in=report_ids).annotate(said=said).filter(Q(reporter=user) | Q(said=True))
            .order_by().values_list("pk", "reporter_id", "said"))
    mine, supported = set(), set()
    for pk, reporter_id, was_said in rows:
        if reporter_id == user.pk:
            mine.add(pk)
        if was_said:
            supported.add(pk)
    return ReaderFlags(frozenset(mine), frozenset(supported))


def supported_ids(user, report_ids) -> set[int]:
    if not user.is_authenticated:
        return set()
    from reports.models import Supporter

    return set(Supporter.objects.filter(member=user, report_id__in=report_ids).values_list("report_id", flat=True))


def member_home(user, now):
    """The member home: a grid worker's next deadlines, or the member's own reports still open."""
    if not user.is_authenticated:
        return None
    from django.urls import reverse

    from core.plugins import home_when

    zone = timezone.get_current_timezone()

    def when(report):
        day = report.deadline or timezone.localdate(report.submitted_at)
        return datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=zone)

    if is_grid_worker(user):
        orders = list(queue_for(user)[:5])
        if orders:
            return HomeSection(
                title=gettext("My work orders"), link_url=reverse("reports:queue"), link_text=gettext("All my work orders"),
                items=[HomeItem(when=when(r), when_text=gettext("due %(day)s") % {"day": home_when(when(r), with_time=False)},
                                title=f"#{r.pk} {r.category.name}", detail=r.address or (r.community.name if r.community else ""),
                                url=reverse("reports:work", args=[r.pk])) for r in orders])
    mine = list(my_reports(user).filter(status__in=OPEN_STATUSES)[:5])
    if not mine:
        return None
    return HomeSection(
        title=gettext("My reports"), link_url=reverse("reports:mine"), link_text=gettext("All my reports"),
        items=[HomeItem(when=when(r), when_text=gettext("answer due %(day)s") % {"day": home_when(when(r), with_time=False)},
                        title=f"#{r.pk} {r.category.name}", detail=r.get_status_display(),
                        url=reverse("reports:detail", args=[r.pk])) for r in mine])


# --- meetings ---------------------------------------------------------------------------------------

def meetings():
    # An aggregate drops Meta.ordering (Django 3.1+): order again, or the pages shift.
    return Meeting.objects.select_related("community").annotate(item_count=Count("items")).order_by("-date", "-id")


def meeting_items(meeting):
    """What was raised at a meeting and what became of each (its public answer)."""
    return report_queryset().filter(meeting=meeting).order_by("submitted_at", "id")


# --- the command centre ------------------------------------------------------------------------------

AGE_BUCKETS = ((0, 2), (3, 5), (6, 10), (11, 30), (31, None))


def dashboard(*, since=None, until=None, today=None) -> dict:
    """Open reports by age (working days since submission), community and category; average time
    to resolve; deadlines missed; reporters credited. ``since``/``until`` bound the reports
    counted by submission date (the open ones are always today's)."""
    today = today or timezone.localdate()
    scoped = filter_reports(Report.objects.all(), since=since, until=until)
    open_reports = Report.objects.filter(status__in=OPEN_STATUSES)
    ages = [0] * len(AGE_BUCKETS)
    first = open_reports.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    if first is not None:
        # One walk of the calendar for every report: the working-day index of each date.
        start = timezone.localdate(first)
        index, day, count, types = {}, start, 0, calendar.day_types(start, today)
        while day <= today:
            index[day] = count
            count += types[day] in ("weekday", calendar.WORKDAY)
            day += datetime.timedelta(days=1)
        for submitted in open_reports.values_list("submitted_at", flat=True):
            age = index[today] - index.get(timezone.localdate(submitted), 0)
            for i, (low, high) in enumerate(AGE_BUCKETS):
                if age >= low and (high is None or age <= high):
                    ages[i] += 1
                    break
    by_community = list(open_reports.values("community__name").annotate(n=Count("id")).order_by("-n", "community__name"))
    by_category = list(open_reports.values("category__name").annotate(n=Count("id")).order_by("-n", "category__name"))
    resolved = scoped.filter(resolved_at__isnull=False)
    avg = resolved.aggregate(avg=Avg(ExpressionWrapper(F("resolved_at") - F("submitted_at"), output_field=DurationField())))["avg"]
    missed = scoped.filter(Q(status__in=OPEN_STATUSES, deadline__lt=today)
                           | Q(resolved_at__isnull=False, deadline__isnull=False, resolved_at__date__gt=F("deadline")))
    return {
        "open": open_reports.count(),
        "ages": [{"low": low, "high": high, "n": n} for (low, high), n in zip(AGE_BUCKETS, ages, strict=True)],
        "by_community": [{"label": r["community__name"] or gettext("No community"), "n": r["n"]} for r in by_community],
        "by_category": [{"label": r["category__name"], "n": r["n"]} for r in by_category],
        "resolved": resolved.count(),
        "avg_hours_to_resolve": round(avg.total_seconds() / 3600, 1) if avg else None,
        "missed": missed.count(),
        "escalated": scoped.filter(escalation__gt=0).count(),
        "credited": scoped.filter(credited=True).values("reporter").distinct().count(),
    }


def overdue_for_escalation(today=None):
    """Open work orders past their deadline that are not yet escalated as far as they go."""
    today = today or timezone.localdate()
    return Report.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today, escalation__lt=2).order_by("deadline", "id")


# --- Open311 --------------------------------------------------------------------------------------

def open311_requests(*, ids=None, codes=None, start=None, end=None, status=None, limit=200):
    """Open311 ``GET requests``: public reports only; ``ids`` overrides the other filters; with
    no dates, the last 90 days (as the specification says); newest first, at most ``limit`` (the
specification leaves the cap to the server, as FixMyStreet does)."""
    queryset = with_photos(public_reports()).order_by("-submitted_at", "-id")
    if ids:
        return queryset.filter(pk__in=ids)
    if codes:
        queryset = queryset.filter(category__code__in=codes)
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=90)
    if start is not None:
        queryset = queryset.filter(submitted_at__gte=start)
    if end is not None:
        queryset = queryset.filter(submitted_at__lte=end)
    if status:
        wanted = []
        if "open" in status:
            wanted += list(OPEN_STATUSES)
        if "closed" in status:
            wanted += list(FINAL_STATUSES)
        queryset = queryset.filter(status__in=wanted)
    return queryset[:limit]


def export_rows(queryset, user):
    """The command centre's export: one row per report (reporter only to those entitled)."""
    rows = []
    for r in queryset:
        rows.append([r.pk, r.category.name, r.get_status_display(), r.get_channel_display(),
                     r.community.name if r.community else "", r.address, r.description,
                     r.reporter_name if may_see_personal(user, r) else "",
                     r.assignee.display_name if r.assignee else "", timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
                     r.deadline.isoformat() if r.deadline else "", r.get_escalation_display(),
                     timezone.localtime(r.resolved_at).strftime("%Y-%m-%d %H:%M") if r.resolved_at else "",
                     r.supporter_count, r.public_note])
    return rows
