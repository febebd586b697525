"""Every state change of the stations plugin: live status, rider confirmations, scans (visits and
report-ins) and party-membership declarations. Each locks what it changes, re-checks, writes,
records its audit entry (core.audit) and notifies after commit (core.notify). Pages, the API, the
admin and commands all call these."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import audit, credits
from core.errors import DomainError, NotAllowed
from core.notify import notify
from stations import queries
from stations.models import (
    Confirmation,
    LiveStatus,
    PartyMember,
    ReportIn,
    StationPage,
    Visit,
    month_of,
)

#: A rider repeating the same word on the same item within this time updates it instead of
#: adding another row (a double tap, or pressing again after a slow page).
REPEAT_WINDOW = datetime.timedelta(minutes=10)


class StationError(DomainError):
    messages = {
        "invalid_code": _("This QR code does not belong to this station. Scan the poster at the station again."),
        "not_live": _("This station is not open to the public."),
        "invalid_item": _("Choose what you are confirming."),
        "invalid_state": _("Say whether it works."),
        "invalid_count": _("A number of free places must be between 0 and 999."),
        "reason_required": _("Say why the station is closed today, so riders know."),
        "visit_not_found": _("No such visit."),
        "invalid_minutes": _("Volunteering is credited in minutes, from 1 to 720."),
        "already_credited": _("This visit has already been credited."),
        "own_visit": _("Another member of staff must credit your own volunteering."),
    }


def may_set_status(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("stations.set_live_status"))


def _live_station(station_id) -> StationPage:
    station = queries.live_stations().filter(pk=station_id).first()
    if station is None:
        raise StationError("not_live", status=404)
    return station


def set_live_status(station_id, actor, *, seats_free=None, chargers_free=None, batteries_free=None,
                    closed_today=False, closed_reason="", via="page") -> LiveStatus:
    """Station staff say what is free now, or that the station is closed today (with a reason)."""
    if not may_set_status(actor):
        raise NotAllowed()
    for value in (seats_free, chargers_free, batteries_free):
        if value is not None and not 0 <= value <= 999:
            raise StationError("invalid_count", status=422)
    closed_reason = (closed_reason or "").strip()
    if closed_today and not closed_reason:
        raise StationError("reason_required", status=422)
    station = _live_station(station_id)
    today = timezone.localdate()
    with transaction.atomic():
        status, _created = LiveStatus.objects.select_for_update().get_or_create(station=station)
        before = {"closed_on": status.closed_on.isoformat() if status.closed_on else None,
                  "seats_free": status.seats_free}
        status.seats_free, status.chargers_free, status.batteries_free = seats_free, chargers_free, batteries_free
        if closed_today:
            status.closed_on, status.closed_reason = today, closed_reason[:120]
        elif status.closed_on == today:
            status.closed_on, status.closed_reason = None, ""
        status.updated_at, status.updated_by = timezone.now(), actor
        status.save()
        audit.record(station, "stations.status", actor=actor, via=via, data={
            "before": before, "seats_free": seats_free, "chargers_free": chargers_free,
            "batteries_free": batteries_free, "closed_today": bool(closed_today), "reason": status.closed_reason})
    return status


def confirm(station_id, member, *, item, state, note="", via="page") -> Confirmation:
    """A rider says what they found. The same word again within minutes refreshes the first one."""
    if not member.is_authenticated:
        raise NotAllowed()
    if item not in Confirmation.Item.values:
        raise StationError("invalid_item", status=422)
    if state not in Confirmation.State.values:
        raise StationError("invalid_state", status=422)
    station = _live_station(station_id)
    now = timezone.now()
    with transaction.atomic():
        repeat = (Confirmation.objects.select_for_update()
                  .filter(station=station, member=member, item=item, state=state, created_at__gte=now - REPEAT_WINDOW)
                  .first())
        if repeat:
            repeat.created_at, repeat.note = now, (note or repeat.note)[:120]
            repeat.save(update_fields=["created_at", "note"])
            return repeat
        confirmation = Confirmation.objects.create(station=station, member=member, item=item, state=state,
                                                   note=(note or "")[:120], created_at=now)
        audit.record(station, "stations.confirm", actor=member, via=via, data={"item": item, "state": state})
    return confirmation


def record_scan(station_id, member, code, *, via="page", now=None) -> dict:
    """A member scanned the station's poster: a visit, and for a mobile party member a report-in
    to the branch responsible for the station's community, counted once per month.

    Returns ``{"visit", "report_in", "counted"}``: ``counted`` is False when this month's
    report-in to that branch was already there."""
    if not member.is_authenticated:
        raise NotAllowed()
    station = _live_station(station_id)
    if not station.check_scan_code(code):
        raise StationError("invalid_code", status=403)
    now = now or timezone.now()
    report_in, counted = None, False
    with transaction.atomic():
        visit = Visit.objects.create(station=station, member=member, created_at=now)
        membership = PartyMember.objects.filter(user=member, is_mobile=True).first()
        branch = queries.branch_for_community(station.community_id) if membership else None
        if branch is not None:
            month = month_of(now)
            try:
                # A savepoint: two scans racing for the month's report-in leave one row, no error.
                with transaction.atomic():
                    report_in = ReportIn.objects.create(member=member, organisation=branch, station=station,
                                                        month=month, created_at=now)
                counted = True
            except IntegrityError:
                report_in = ReportIn.objects.get(member=member, organisation=branch, month=month)
        # Party membership stays out of the station's history: the report-in is logged on itself.
        audit.record(station, "stations.visit", actor=member, via=via)
        if counted:
            audit.record(report_in, "stations.report_in", actor=member, via=via,
                         data={"organisation": branch.name, "month": f"{month:%Y-%m}"})
    if counted:
        notify(member, kind="stations.report_in", channels=("sms",), params={
            "branch": branch.name, "month": f"{month:%Y-%m}", "station": station.title})
    return {"visit": visit, "report_in": report_in, "counted": counted}


def credit_volunteering(visit_id, actor, *, minutes, via="page") -> Visit:
    """Station staff say a member's visit was spent volunteering at the station (staffing it,
    helping riders): the minutes go to whichever hours ledger is enabled, through core.credits,
    without this plugin knowing which. Once per visit; never by the member themself."""
    if not may_set_status(actor):
        raise NotAllowed()
    if not isinstance(minutes, int) or not 1 <= minutes <= 720:
        raise StationError("invalid_minutes", status=422)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().select_related("station", "member").filter(pk=visit_id).first()
        if visit is None:
            raise StationError("visit_not_found", status=404)
        if visit.is_credited:
            raise StationError("already_credited")
        if visit.member_id == actor.pk:
            raise StationError("own_visit", status=403)
        now = timezone.now()
        visit.volunteer_minutes, visit.credited_by, visit.credited_at = minutes, actor, now
        visit.save(update_fields=["volunteer_minutes", "credited_by", "credited_at"])
        start = visit.created_at
        credits.credit(member=visit.member, activity=gettext("Volunteering at %(station)s") % {
            "station": visit.station.title}, start=start, end=max(now, start + datetime.timedelta(minutes=minutes)),
            minutes=minutes, source_key=visit.source_key, community=visit.station.community_id)
        audit.record(visit.station, "stations.credit", actor=actor, on_behalf_of=visit.member, via=via,
                     data={"visit": visit.pk, "minutes": minutes})
    return visit


def declare_party_membership(user, *, is_mobile, home_organisation="", via="page") -> PartyMember:
    """A member says they are a (mobile) party member, and where their membership is kept."""
    if not user.is_authenticated:
        raise NotAllowed()
    home_organisation = (home_organisation or "").strip()[:120]
    with transaction.atomic():
        membership, created = PartyMember.objects.select_for_update().get_or_create(
            user=user, defaults={"is_mobile": is_mobile, "home_organisation": home_organisation})
        if not created:
            membership.is_mobile, membership.home_organisation = is_mobile, home_organisation
            membership.save(update_fields=["is_mobile", "home_organisation"])
        audit.record(membership, "stations.declare", actor=user, via=via, data={"is_mobile": is_mobile})
    return membership


def withdraw_party_membership(user, *, via="page") -> bool:
    """A member takes back their own declaration (the registry forgets it)."""
    if not user.is_authenticated:
        raise NotAllowed()
    with transaction.atomic():
        deleted, _ = PartyMember.objects.filter(user=user).delete()
        if deleted:
            audit.record(user, "stations.withdraw", actor=user, via=via)
    return bool(deleted)


def export_member_data(user) -> dict:
    """What a member's data export holds from this plugin: their own visits, confirmations,
    party declaration and report-ins."""
    membership = queries.own_membership(user)
    return {
        "visits": [{"station": v.station.title, "at": v.created_at.isoformat()} for v in queries.own_visits(user, 1000)],
        "confirmations": [{"station_id": c.station_id, "item": c.item, "state": c.state, "at": c.created_at.isoformat()}
                          for c in Confirmation.objects.filter(member=user)],
        "party_membership": None if membership is None else {
            "is_mobile": membership.is_mobile, "home_organisation": membership.home_organisation,
            "organisation": membership.organisation.name if membership.organisation else None},
        "report_ins": [{"organisation": r.organisation.name, "month": f"{r.month:%Y-%m}"}
                       for r in queries.own_report_ins(user)],
    }
