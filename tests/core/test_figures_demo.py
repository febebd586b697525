"""Every built-in plugin's figures (core.figures contract) against the demo rows they count.

The demo is seeded once; each plugin's expected values are counted here by hand, row by row in
Python (no GROUP BY), and compared with what the plugin's compute returns for the thirteen months
to next month, cell by cell (month, community) and month by month. A plugin that is not enabled
is skipped. All mismatches are reported together.
"""

import datetime
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import figures
from core.plugins import plugin_labels

pytestmark = pytest.mark.django_db


def month_of(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.replace(day=1)


class Expected:
    """Cells and month totals counted by hand; ``distinct`` keeps sets of people."""

    def __init__(self, distinct=False):
        self.distinct = distinct
        self.cells = defaultdict(set if distinct else int)
        self.totals = defaultdict(set if distinct else int)

    def add(self, when, community_id, value=1):
        key = (month_of(when), community_id)
        if self.distinct:
            self.cells[key].add(value)
            self.totals[key[0]].add(value)
        else:
            self.cells[key] += value
            self.totals[key[0]] += value

    def result(self):
        if self.distinct:
            return ({k: len(v) for k, v in self.cells.items()}, {k: len(v) for k, v in self.totals.items()})
        return dict(self.cells), dict(self.totals)


def in_range(when, start, end):
    return start <= month_of(when) < end


def expect_news(start, end):
    from news.models import StoryPage

    e = Expected()
    for story in StoryPage.objects.live():
        if in_range(story.date, start, end):
            e.add(story.date, story.community_id)
    return {"news.stories_published": e.result()}


def expect_programs(start, end):
    from programs.models import Attendance, Registration, Session

    now = timezone.now()
    held, came, people = Expected(), Expected(), Expected(distinct=True)
    seats, shows = Expected(), Expected()
    for session in Session.objects.select_related("program"):
        if in_range(session.start, start, end) and session.start <= now:
            held.add(session.start, session.program.community_id)
    for a in Attendance.objects.select_related("session__program", "registration"):
        if in_range(a.session.start, start, end):
            came.add(a.session.start, a.session.program.community_id)
            people.add(a.session.start, a.session.program.community_id, a.registration.member_id)
    registrations = list(Registration.objects.filter(status__in=Registration.SEAT_STATUSES)
                         .prefetch_related("attendances"))
    for session in Session.objects.select_related("program"):
        if not (in_range(session.start, start, end) and session.end <= now):
            continue
        for r in registrations:
            if r.program_id != session.program_id or r.session_id not in (None, session.pk):
                continue
            seats.add(session.start, session.program.community_id)
            if any(x.session_id == session.pk for x in r.attendances.all()):
                shows.add(session.start, session.program.community_id)
    seat_cells, seat_totals = seats.result()
    show_cells, show_totals = shows.result()

    def rate(n, d):
        return (Decimal(d - n) * 100 / Decimal(d)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    no_show = ({k: rate(show_cells.get(k, 0), d) for k, d in seat_cells.items()},
               {k: rate(show_totals.get(k, 0), d) for k, d in seat_totals.items()})
    return {"programs.sessions_held": held.result(), "programs.attendances": came.result(),
            "programs.attendees": people.result(), "programs.no_show_rate": no_show}


def expect_canteen(start, end):
    from canteen.models import Booking, Delivery, WelfareAlert

    today = timezone.localdate()
    meals, subsidy, elders, delivered, alerts = Expected(), Expected(), Expected(distinct=True), Expected(), Expected()
    for b in Booking.objects.select_related("slot__canteen"):
        day, community = b.slot.date, b.slot.canteen.community_id
        if b.status != "confirmed" or not in_range(day, start, end) or day > today:
            continue
        meals.add(day, community, b.portions)
        subsidy.add(day, community, b.subsidy)
        if b.diner_id:
            elders.add(day, community, b.diner_id)
    for d in Delivery.objects.select_related("booking__slot__canteen"):
        if d.status == "delivered" and in_range(d.booking.slot.date, start, end):
            delivered.add(d.booking.slot.date, d.booking.slot.canteen.community_id, d.booking.portions)
    for a in WelfareAlert.objects.select_related("delivery__booking__slot__canteen"):
        if in_range(a.opened_at, start, end):
            alerts.add(a.opened_at, a.delivery.booking.slot.canteen.community_id)
    return {"canteen.meals_served": meals.result(), "canteen.meals_delivered": delivered.result(),
            "canteen.subsidy_paid": subsidy.result(), "canteen.elders_served": elders.result(),
            "canteen.welfare_alerts": alerts.result()}


def expect_volunteers(start, end):
    from volunteers.models import HoursEntry, HoursOutput

    active, minutes = Expected(distinct=True), Expected()
    for h in HoursEntry.objects.all():
        if h.status == "approved" and in_range(h.start, start, end):
            active.add(h.start, h.community_id, h.member_id)
            minutes.add(h.start, h.community_id, h.minutes)
    cells, totals = minutes.result()

    def hours(v):
        return (Decimal(v) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)

    out = {"volunteers.active": active.result(),
           "volunteers.hours": ({k: hours(v) for k, v in cells.items()}, {k: hours(v) for k, v in totals.items()})}
    outputs = defaultdict(Expected)
    for o in HoursOutput.objects.select_related("entry"):
        if o.entry.status == "approved" and in_range(o.entry.start, start, end):
            outputs[o.label].add(o.entry.start, o.entry.community_id, o.quantity)
    for label, e in outputs.items():
        out[f"volunteers.output.{label}"] = e.result()
    return out


def expect_stations(start, end):
    from stations.models import ReportIn, Visit

    visits, report_ins = Expected(), Expected()
    for v in Visit.objects.select_related("station"):
        if in_range(v.created_at, start, end):
            visits.add(v.created_at, v.station.community_id)
    for r in ReportIn.objects.select_related("station"):
        if in_range(r.month, start, end):
            report_ins.add(r.month, r.station.community_id if r.station else None)
    return {"stations.visits": visits.result(), "stations.report_ins": report_ins.result()}


def expect_reports(start, end):
    from reports.models import Report

    received, resolved, meeting, on_time = Expected(), Expected(), Expected(), Expected()
    for r in Report.objects.all():
        if (r.resolved_at and in_range(r.resolved_at, start, end) and r.deadline
                and timezone.localtime(r.resolved_at).date() <= r.deadline):
            on_time.add(r.resolved_at, r.community_id)
        if in_range(r.submitted_at, start, end) and r.status != "merged":
            received.add(r.submitted_at, r.community_id)
        if r.resolved_at and in_range(r.resolved_at, start, end):
            resolved.add(r.resolved_at, r.community_id)
        if r.channel == "meeting" and in_range(r.submitted_at, start, end):
            meeting.add(r.submitted_at, r.community_id)
    return {"reports.received": received.result(), "reports.resolved": resolved.result(),
            "reports.meeting_items": meeting.result(), "reports.resolved_on_time": on_time.result()}


def expect_gigs(start, end):
    from gigs.models import Application, Consultation, JobNeed

    posted, filled, placed, guidance = Expected(), Expected(), Expected(distinct=True), Expected()
    for need in JobNeed.objects.all():
        if need.published_at and in_range(need.published_at, start, end):
            posted.add(need.published_at, need.community_id)
        if need.filled_at and in_range(need.filled_at, start, end):
            filled.add(need.filled_at, need.community_id)
    for a in Application.objects.select_related("need"):
        if a.hired_at and in_range(a.hired_at, start, end):
            placed.add(a.hired_at, a.need.community_id, a.worker_id)
    for c in Consultation.objects.select_related("slot", "member"):
        if c.status == "done" and in_range(c.slot.start, start, end):
            guidance.add(c.slot.start, c.member.community_id)
    # Days to fill: the median of (filled - opened) in days, by the month filled, counted by hand.
    spans_by_cell, spans_by_month = defaultdict(list), defaultdict(list)
    for need in JobNeed.objects.exclude(filled_at=None).exclude(published_at=None):
        if in_range(need.filled_at, start, end):
            days = Decimal((need.filled_at - need.published_at).total_seconds()) / 86400
            spans_by_cell[(month_of(need.filled_at), need.community_id)].append(days)
            spans_by_month[month_of(need.filled_at)].append(days)

    def median(values):
        values = sorted(values)
        middle = len(values) // 2
        value = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        return value.quantize(Decimal("0.1"), ROUND_HALF_UP)

    days_to_fill = ({k: median(v) for k, v in spans_by_cell.items()}, {k: median(v) for k, v in spans_by_month.items()})
    assert len(set(days_to_fill[0].values())) > 1, "the demo fills needs at different speeds"
    return {"gigs.needs_posted": posted.result(), "gigs.needs_filled": filled.result(),
            "gigs.workers_placed": placed.result(), "gigs.guidance_sessions": guidance.result(),
            "gigs.days_to_fill": days_to_fill}


EXPECTED = {"gigs": expect_gigs, "news": expect_news, "programs": expect_programs, "canteen": expect_canteen,
            "volunteers": expect_volunteers, "stations": expect_stations, "reports": expect_reports}


def add_station_visits():
    """The demo records no station visit yet: two riders' scans, so the figure has rows to count."""
    from stations.models import StationPage, Visit
    from tests.factories import UserFactory

    stations = list(StationPage.objects.live()[:2])
    for i, station in enumerate(stations):
        Visit.objects.create(station=station, member=UserFactory(), created_at=timezone.now() - datetime.timedelta(days=40 * i))


def nonzero(values):
    return {k: v for k, v in values.items() if v}


def test_every_plugins_figures_match_the_demo_rows():
    enabled = plugin_labels() & set(EXPECTED)
    if not enabled:
        pytest.skip("no built-in plugin with figures is enabled")
    call_command("seed_demo", stdout=io.StringIO())
    if "stations" in enabled:
        add_station_visits()
    this = figures.this_month()
    start, end = figures.add_months(this, -12), figures.add_months(this, 2)
    declared = {f.key: f for f in figures.all_figures()}
    computed = figures.compute(declared.values(), start, end)
    problems, checked = [], set()
    for label in sorted(enabled):
        expected = EXPECTED[label](start, end)
        for key, (cells, totals) in expected.items():
            checked.add(key)
            if key not in computed:
                problems.append(f"{key}: not declared")
                continue
            got = computed[key]
            if nonzero(got.cells) != nonzero(cells):
                problems.append(f"{key} cells: got {nonzero(got.cells)}, counted {nonzero(cells)}")
            if nonzero(got.totals) != nonzero(totals):
                problems.append(f"{key} totals: got {nonzero(got.totals)}, counted {nonzero(totals)}")
        mine = {k for k, f in declared.items() if f.plugin == label}
        # Every figure the plugin declares is checked here, and the demo gives each plugin's
        # figures something to count (an all-zero comparison would prove nothing).
        unchecked = mine - checked
        if unchecked - {k for k in mine if k.startswith("volunteers.output.")}:
            problems.append(f"{label}: figures without an expectation: {sorted(unchecked)}")
        for key in unchecked:  # outputs nobody counted on approved hours: nothing to show
            if nonzero(computed[key].totals):
                problems.append(f"{key}: got {nonzero(computed[key].totals)}, counted nothing")
        if not any(nonzero(computed[k].totals) for k in mine):
            problems.append(f"{label}: the demo gives none of its figures a value")
    assert not problems, "\n".join(problems)
    # Spot-check the demo gives the figures the issue names something real to show.
    if "canteen" in enabled:
        assert sum(computed["canteen.meals_served"].totals.values()) > 0
        assert sum(computed["canteen.subsidy_paid"].totals.values()) > 0
    if "volunteers" in enabled:
        assert any(k.startswith("volunteers.output.") and nonzero(computed[k].totals) for k in computed)
