"""Every change to volunteers' sign-ups, hours and certificates goes through here: member pages,
the API, the Wagtail admin, tasks and commands alike.

Each service checks who may act, locks and re-checks inside ``transaction.atomic``, writes, records
the audit entry (``core.audit``) and queues notices after commit (``core.notify``). Locking order,
the same everywhere so two transactions never wait on each other in a circle: member user rows (in
id order) -> capacity rows (``core.capacity``, in key order) -> sign-up and entry rows.
"""

import logging
import uuid
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from core import audit, cache, notices, waitlist
from core import capacity as places
from core.capacity import CapacityError
from core.errors import NotAllowed
from core.notify import notify
from core.permissions import has_role
from members.models import User
from volunteers.errors import VolunteerError
from volunteers.models import (
    Certificate,
    Correction,
    HoursEntry,
    HoursOutput,
    OpportunityPage,
    Shift,
    SignUp,
    Team,
    VolunteerProfile,
    VolunteerSettings,
    availability_problem,
    mask_id_number,
)
from volunteers.roles import COORDINATORS

logger = logging.getLogger(__name__)

Status = SignUp.Status
Entry = HoursEntry.Status


def is_coordinator(user) -> bool:
    return has_role(user, COORDINATORS)


def require_coordinator(user):
    if not is_coordinator(user):
        raise NotAllowed(gettext("Only volunteer coordinators can do this."))


def _lock_members(ids):
    """Serialise changes to these members' sign-ups and hours (overlap and duplicate checks hold)."""
    return list(User.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk").values_list("pk", flat=True))


def _when(shift):
    start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
    return f"{start:%m-%d %H:%M}-{end:%H:%M}"


def _notice(member, kind, values, key=None):
    """Tell a volunteer (volunteers.notices declares each kind and its parameters)."""
    kind = f"volunteers.{kind}"
    notify(member, kind=kind, params=notices.get(kind).pick(values), channels=("sms",), key=key)


def _signup_notice(signup, kind):
    shift = signup.shift
    _notice(signup.member, kind, {"title": shift.opportunity.title, "when": _when(shift), "place": shift.place_text(),
                                  "code": signup.check_in_code, "position": signup.position or ""},
            key=f"signup {signup.pk}" if kind == "reminder" else None)  # one reminder per sign-up


# --- profiles ----------------------------------------------------------------------------------

PROFILE_FIELDS = ("real_name", "volunteer_number", "id_number", "availability", "emergency_contact_name",
                  "emergency_contact_phone", "leaderboard_consent")


def profile_for(member) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.get_or_create(member=member)
    return profile


def update_profile(actor, member, *, via="api", skills=None, communities=None, **fields) -> VolunteerProfile:
    """The volunteer edits their own profile; a coordinator may edit anyone's."""
    if actor.pk != member.pk:
        require_coordinator(actor)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields {sorted(unknown)}")
    if "availability" in fields and availability_problem(fields["availability"]) is None:
        # Kept in weekday and time order, however the page or the app sent them (slots that
        # break the rule are refused by the model's clean() below, unsorted).
        fields["availability"] = sorted(fields["availability"], key=lambda slot: (slot["weekday"], slot["start"]))
    with transaction.atomic():
        profile = profile_for(member)
        profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
        changed = []
        for name, value in fields.items():
            if getattr(profile, name) != value:
                setattr(profile, name, value)
                changed.append(name)
        try:
            profile.full_clean(exclude=["member", "calendar_token"])
        except ValidationError as exc:
            # The page shows it beside the form, the API as a 422; nothing is saved.
            raise VolunteerError("invalid_profile", " ".join(exc.messages), status=422,
                                 fields=sorted(exc.message_dict)) from exc
        profile.save()
        if skills is not None:
            profile.skills.set([s.strip() for s in skills if s.strip()][:20])
            changed.append("skills")
        if communities is not None:
            profile.communities.set(communities)
            changed.append("communities")
        # Field names only: the ID number and phones are personal data and stay out of the log.
        audit.record(profile, "volunteers.profile", actor=actor, on_behalf_of=member, via=via,
                     data={"changed": changed})
    return profile


# --- shifts and their places ---------------------------------------------------------------------

def sync_shift_places(opportunity: OpportunityPage, *, via="admin", actor=None) -> list:
    """Give every shift of ``opportunity`` its places in core.capacity, resize the ones an editor
    changed (never below what is taken), and move waiting lists up where places grew. Called after
    the page is created, edited or published (wagtail_hooks) and by the demo."""
    promoted = []
    for shift in Shift.objects.filter(opportunity=opportunity).select_related("capacity"):
        with transaction.atomic():
            if shift.capacity_id is None:
                capacity = places.define(shift.capacity_key, shift.places)
                Shift.objects.filter(pk=shift.pk).update(capacity=capacity)
                continue
            if shift.capacity.total == shift.places:
                continue
            grew = shift.places > shift.capacity.total
            try:
                places.define(shift.capacity_key, shift.places)
            except CapacityError:
                # The editor asked for fewer places than are taken: keep the places, say so in the log.
                logger.warning("shift %s: %s places asked, more taken; kept", shift.pk, shift.places)
                Shift.objects.filter(pk=shift.pk).update(places=shift.capacity.total)
                continue
            audit.record(shift.opportunity if shift.opportunity_id else shift, "volunteers.places", actor=actor,
                         via=via, data={"shift": shift.pk, "places": shift.places})
        if grew:
            promoted += promote_waiting(shift, via=via)
    # Places given or resized on the capacity rows, and QuerySet.update()s: no signal tells core.cache.
    cache.mark_stale("volunteers")
    return promoted


def _check_open(shift, now):
    opportunity = shift.opportunity
    if not opportunity.live or opportunity.get_view_restrictions().exists():
        raise VolunteerError("not_published")
    if shift.start <= now:
        raise VolunteerError("started")


def _overlapping_signups(member_ids, shift):
    return (SignUp.objects.filter(member_id__in=member_ids, status__in=(Status.CONFIRMED, Status.WAITLISTED, Status.CHECKED_IN),
                                  shift__start__lt=shift.end, shift__end__gt=shift.start)
            .exclude(shift=shift).select_related("shift__opportunity", "member"))


def _refuse_overlap(member_ids, shift):
    clash = _overlapping_signups(member_ids, shift).first()
    if clash is not None:
        raise VolunteerError(
            "overlap",
            gettext("%(name)s is already signed up for %(title)s, %(when)s, which overlaps this shift.") % {
                "name": clash.member, "title": clash.shift.opportunity.title, "when": _when(clash.shift)},
            member_id=clash.member_id, signup_id=clash.pk)


# --- sign up, withdraw, promote ------------------------------------------------------------------

def sign_up(member: User, shift: Shift, *, actor=None, via="api") -> SignUp:
    """Sign ``member`` up for ``shift``: a place if one is left, else the waiting list (when the
    opportunity keeps one) or ``full``. Refused for a shift that overlaps one of theirs."""
    actor = actor or member
    if actor.pk != member.pk:
        require_coordinator(actor)
    shift = Shift.objects.select_related("opportunity", "capacity").get(pk=shift.pk)
    _check_open(shift, timezone.now())
    if shift.capacity_id and shift.remaining < 1 and not shift.opportunity.waitlist_enabled:
        # Full when read, and no waiting list: say so without queueing for the members' and the
        # capacity's locks (in a race for the last places most callers are refused, and they
        # made the winners wait). A place freed since is only missed as by arriving a moment
        # earlier; a place that looked free is still decided on the locked count below.
        mine = SignUp.objects.filter(member=member, shift=shift, status__in=SignUp.ACTIVE_STATUSES).exists()
        raise VolunteerError("duplicate" if mine else "full")
    with places.atomic():
        _lock_members([member.pk])
        if SignUp.objects.filter(member=member, shift=shift, status__in=SignUp.ACTIVE_STATUSES).exists():
            raise VolunteerError("duplicate")
        _refuse_overlap([member.pk], shift)
        signup = SignUp(shift=shift, member=member, signed_up_by=actor if actor.pk != member.pk else None)
        # Decide on the locked count, claim in the same transaction as the row.
        capacity = places.lock(shift.capacity_key)
        if capacity.remaining < 1:
            if not shift.opportunity.waitlist_enabled:
                raise VolunteerError("full")
            signup.status = Status.WAITLISTED
            signup.position = waitlist.next_position(_queue(shift))
        else:
            places.claim(shift.capacity_key)
            signup.status = Status.CONFIRMED
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError as exc:
            raise VolunteerError("duplicate") from exc
        audit.record(signup, "volunteers.sign_up", actor=actor, on_behalf_of=member, via=via,
                     data={"status": signup.status, "shift": shift.pk})
        _signup_notice(signup, signup.status)
    return signup


def team_sign_up(leader: User, team: Team, shift: Shift, member_ids, *, via="api") -> list:
    """The team's leader signs named members up together: every one of them gets a place, or
    nobody does (no waiting list for a team: a half team is no team)."""
    member_ids = sorted({int(pk) for pk in member_ids})
    if not member_ids:
        raise VolunteerError("empty_team", status=422)
    if team.leader_id != leader.pk and not is_coordinator(leader):
        raise VolunteerError("not_team_leader", status=403)
    allowed = set(team.members.values_list("pk", flat=True)) | {team.leader_id}
    if not set(member_ids) <= allowed:
        raise VolunteerError("not_in_team", status=422, unknown=sorted(set(member_ids) - allowed))
    shift = Shift.objects.select_related("opportunity", "capacity").get(pk=shift.pk)
    _check_open(shift, timezone.now())
    with places.atomic():
        _lock_members(member_ids)
        already = SignUp.objects.filter(member_id__in=member_ids, shift=shift, status__in=SignUp.ACTIVE_STATUSES)
        if already.exists():
            raise VolunteerError("duplicate", gettext("%(name)s has already signed up for this shift.") % {
                "name": already.select_related("member").first().member})
        _refuse_overlap(member_ids, shift)
        try:
            places.claim(shift.capacity_key, len(member_ids))
        except CapacityError as exc:
            raise VolunteerError("not_enough", remaining=exc.extra.get("remaining")) from exc
        members = User.objects.in_bulk(member_ids)
        signups = []
        for pk in member_ids:
            signup = SignUp.objects.create(shift=shift, member=members[pk], team=team, status=Status.CONFIRMED,
                                           signed_up_by=leader if leader.pk != pk else None)
            audit.record(signup, "volunteers.team_sign_up", actor=leader, on_behalf_of=members[pk], via=via,
                         data={"team": team.pk, "shift": shift.pk})
            _signup_notice(signup, "confirmed")
            signups.append(signup)
    return signups


def _queue(shift):
    return SignUp.objects.filter(shift=shift, status=Status.WAITLISTED)


def withdraw(actor: User, signup_id: int, *, via="api", reason="") -> SignUp:
    """A volunteer withdraws before the opportunity's cut-off; a coordinator cancels any place
    until the shift ends (the volunteer is told). A freed place goes to the waiting list."""
    coordinator = is_coordinator(actor)
    signup = SignUp.objects.select_related("shift").get(pk=signup_id)
    if signup.member_id != actor.pk and not coordinator:
        raise NotAllowed()
    with places.atomic():
        places.lock(signup.shift.capacity_key)
        signup = SignUp.objects.select_for_update(of=("self",)).select_related("shift__opportunity", "member").get(pk=signup_id)
        if signup.status not in (Status.CONFIRMED, Status.WAITLISTED):
            raise VolunteerError("not_withdrawable")
        by_staff = signup.member_id != actor.pk
        if not by_staff and not signup.can_withdraw():
            raise VolunteerError("cutoff")
        if by_staff and signup.shift.end <= timezone.now():
            raise VolunteerError("ended")
        had_place = signup.holds_place
        waitlist.close_gap(_queue(signup.shift), signup.position)
        signup.status = Status.CANCELLED if by_staff else Status.WITHDRAWN
        signup.position = None
        signup.withdrawn_at = timezone.now()
        signup.save(update_fields=["status", "position", "withdrawn_at"])
        if had_place:
            places.release(signup.shift.capacity_key)
        audit.record(signup, "volunteers.withdraw", actor=actor, on_behalf_of=signup.member, via=via,
                     data={"had_place": had_place, "reason": reason, "by_staff": by_staff})
        if by_staff:
            _signup_notice(signup, "cancelled")
        if had_place:
            promote_waiting(signup.shift, via=via)
    return signup


def promote_waiting(shift: Shift, *, via="system", actor=None) -> list:
    """Give free places to the waiting list, first come first served, each told after commit.
    Not once the shift has started: a place nobody can reach in time helps nobody."""
    shift = Shift.objects.select_related("opportunity").get(pk=shift.pk)
    if shift.start <= timezone.now():
        return []
    with transaction.atomic():
        capacity = places.lock(shift.capacity_key)
        queue = _queue(shift).select_related("member", "shift__opportunity")

        def promote_one(signup):
            places.claim(shift.capacity_key)
            waitlist.close_gap(_queue(shift), SignUp.objects.filter(pk=signup.pk).values_list("position", flat=True).first())
            signup.status, signup.position = Status.CONFIRMED, None
            signup.save(update_fields=["status", "position"])
            audit.record(signup, "volunteers.promote", actor=actor, on_behalf_of=signup.member, via=via)
            _signup_notice(signup, "promoted")

        return waitlist.promote(queue, capacity.remaining, promote_one)


# --- check-in and check-out ------------------------------------------------------------------------

def _find_signup_by_code(code):
    pk = SignUp.pk_from_code(code)
    signup = SignUp.objects.select_related("shift__opportunity", "member").filter(pk=pk).first() if pk else None
    if signup is None:
        raise VolunteerError("invalid_code", status=422)
    return signup


def check_in(staff: User, shift: Shift, code: str, *, via="page"):
    """A coordinator (or the team's leader) scans a volunteer's code at ``shift``. Idempotent:
    a second scan answers ``(signup, False)``."""
    signup = _find_signup_by_code(code)
    if signup.shift_id != shift.pk:
        raise VolunteerError("wrong_shift", other=str(signup.shift))
    _require_roster_keeper(staff, signup)
    return _check_in(staff, signup, via=via)


def self_check_in(member: User, shift_code: str, *, via="api"):
    """The volunteer scans the code posted at the shift's place."""
    shift_id = Shift.pk_from_code(shift_code)
    if shift_id is None:
        raise VolunteerError("invalid_code", status=422)
    signup = (SignUp.objects.select_related("shift__opportunity", "member")
              .filter(shift_id=shift_id, member=member, status__in=(Status.CONFIRMED, Status.CHECKED_IN)).first())
    if signup is None:
        raise VolunteerError("not_signed_up")
    return _check_in(member, signup, via=via)


def _require_roster_keeper(actor, signup):
    if is_coordinator(actor):
        return
    if signup.team_id and signup.team.leader_id == actor.pk:
        return
    raise NotAllowed(gettext("Only coordinators and the team's leader can check volunteers in and out."))


def _check_in(actor, signup, *, via):
    now = timezone.now()
    with transaction.atomic():
        signup = SignUp.objects.select_for_update(of=("self",)).select_related("shift__opportunity", "member").get(pk=signup.pk)
        if signup.status == Status.CHECKED_IN:
            return signup, False
        if signup.status != Status.CONFIRMED:
            raise VolunteerError("not_confirmed", status_now=signup.status)
        if not signup.shift.check_in_window(now):
            raise VolunteerError("check_in_closed")
        signup.status, signup.checked_in_at = Status.CHECKED_IN, now
        signup.save(update_fields=["status", "checked_in_at"])
        audit.record(signup, "volunteers.check_in", actor=actor, on_behalf_of=signup.member, via=via)
    return signup, True


def clipped_minutes(shift, start, end) -> int:
    """Minutes of [start, end] that fall inside the shift: early arrivals and late stays do not count."""
    begin, finish = max(start, shift.start), min(end, shift.end)
    return max(int((finish - begin).total_seconds() // 60), 0)


def _parse_outputs(opportunity, outputs):
    """{label: quantity} checked against what the opportunity counts."""
    known = {o.label: o for o in opportunity.outputs.all()}
    parsed = []
    for label, quantity in (outputs or {}).items():
        if label not in known:
            raise VolunteerError("unknown_output", status=422, output=label)
        if quantity is None or int(quantity) < 0:
            raise VolunteerError("unknown_output", gettext("A count cannot be negative."), status=422, output=label)
        if int(quantity):
            parsed.append((known[label], int(quantity)))
    return parsed


def check_out(actor: User, signup_id: int, *, outputs=None, via="api", shift_code=None) -> HoursEntry | None:
    """Check a volunteer out: minutes from the real times, clipped to the shift, into the ledger as
    a pending entry with the outputs entered. The volunteer (scanning the shift's code), the team's
    leader or a coordinator does it."""
    signup = SignUp.objects.select_related("shift__opportunity", "team", "member").get(pk=signup_id)
    if actor.pk == signup.member_id:
        if shift_code is not None and Shift.pk_from_code(shift_code) != signup.shift_id:
            raise VolunteerError("wrong_shift")
    else:
        _require_roster_keeper(actor, signup)
    parsed = _parse_outputs(signup.shift.opportunity, outputs)
    with transaction.atomic():
        _lock_members([signup.member_id])
        signup = SignUp.objects.select_for_update(of=("self",)).select_related("shift__opportunity", "team", "member").get(pk=signup_id)
        if signup.status != Status.CHECKED_IN:
            raise VolunteerError("not_checked_in")
        now = timezone.now()
        signup.status, signup.checked_out_at = Status.COMPLETED, min(now, signup.shift.end) if now > signup.shift.end else now
        signup.save(update_fields=["status", "checked_out_at"])
        entry = _entry_for_signup(signup, parsed, flagged=False)
        audit.record(signup, "volunteers.check_out", actor=actor, on_behalf_of=signup.member, via=via,
                     data={"minutes": entry.minutes if entry else 0, "outputs": {o.label: q for o, q in parsed}})
    return entry


def _entry_for_signup(signup, parsed_outputs, *, flagged):
    shift = signup.shift
    minutes = clipped_minutes(shift, signup.checked_in_at, signup.checked_out_at)
    if minutes <= 0:
        return None
    start, end = max(signup.checked_in_at, shift.start), min(signup.checked_out_at, shift.end)
    _refuse_entry_overlap(signup.member_id, start, end)
    entry = HoursEntry.objects.create(
        member=signup.member, activity=shift.opportunity.title, opportunity=shift.opportunity, shift=shift,
        signup=signup, team=signup.team, community=shift.opportunity.community, start=start, end=end,
        minutes=minutes, source=HoursEntry.Source.SHIFT, source_key=f"volunteers.signup.{signup.pk}",
        flagged=flagged,
    )
    for output, quantity in parsed_outputs:
        HoursOutput.objects.create(entry=entry, label=output.label, unit=output.unit, quantity=quantity)
    audit.record(entry, "volunteers.entry", actor=None, on_behalf_of=signup.member, via="system",
                 data={"source": entry.source, "minutes": minutes, "flagged": flagged})
    return entry


def close_shift(shift_id: int, *, now=None) -> dict:
    """After a shift ends: whoever never checked out is checked out at the end, their entry flagged
    for the coordinator (not credited with a night); whoever never came is marked a no-show.
    Idempotent (runs from the scheduled task)."""
    now = now or timezone.now()
    counts = {"auto_checked_out": 0, "no_show": 0}
    with transaction.atomic():
        shift = Shift.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=shift_id)
        if shift.closed_at or shift.end > now:
            return counts
        for signup in SignUp.objects.select_for_update(of=("self",)).select_related("member", "team", "shift__opportunity").filter(
                shift=shift, status__in=(Status.CHECKED_IN, Status.CONFIRMED)):
            if signup.status == Status.CHECKED_IN:
                signup.status, signup.checked_out_at, signup.auto_checked_out = Status.COMPLETED, shift.end, True
                signup.save(update_fields=["status", "checked_out_at", "auto_checked_out"])
                try:
                    with transaction.atomic():
                        _entry_for_signup(signup, [], flagged=True)
                except VolunteerError:
                    logger.warning("sign-up %s: automatic check-out overlaps another entry; no entry made", signup.pk)
                counts["auto_checked_out"] += 1
                action = "volunteers.auto_check_out"
            else:
                signup.status = Status.NO_SHOW
                signup.save(update_fields=["status"])
                counts["no_show"] += 1
                action = "volunteers.no_show"
            audit.record(signup, action, on_behalf_of=signup.member, via="system")
        shift.closed_at = now
        shift.save(update_fields=["closed_at"])
    return counts


def shifts_to_close(now=None):
    return Shift.objects.filter(end__lte=now or timezone.now(), closed_at__isnull=True).order_by("end")


# --- the ledger ------------------------------------------------------------------------------------

def _overlapping_entries(member_id, start, end, exclude_pk=None):
    queryset = HoursEntry.objects.filter(member_id=member_id, start__lt=end, end__gt=start).exclude(status=Entry.DECLINED)
    return queryset.exclude(pk=exclude_pk) if exclude_pk else queryset


def _refuse_entry_overlap(member_id, start, end, exclude_pk=None):
    clash = _overlapping_entries(member_id, start, end, exclude_pk).first()
    if clash is not None:
        raise VolunteerError("overlap", gettext(
            "These minutes are already counted: %(activity)s, %(start)s-%(end)s.") % {
            "activity": clash.activity, "start": f"{timezone.localtime(clash.start):%m-%d %H:%M}",
            "end": f"{timezone.localtime(clash.end):%H:%M}"}, entry_id=clash.pk)


def _validate_span(start, end, minutes, now):
    if end <= start:
        raise VolunteerError("bad_period", status=422)
    if end > now:
        raise VolunteerError("future", status=422)
    span = int((end - start).total_seconds() // 60)
    if minutes is None:
        minutes = span
    if minutes <= 0:
        raise VolunteerError("bad_period", status=422)
    if minutes > span:
        raise VolunteerError("too_many_minutes", status=422)
    return minutes


def self_report(member: User, *, activity: str, start, end, minutes=None, opportunity=None, community=None,
                evidence=None, outputs=None, note="", via="api") -> HoursEntry:
    """A volunteer reports service done outside a shift, with an optional evidence photo.
    Approved at once when no longer than the configured limit, else it waits for a coordinator."""
    now = timezone.now()
    minutes = _validate_span(start, end, minutes, now)
    parsed = _parse_outputs(opportunity, outputs) if opportunity is not None else []
    if outputs and opportunity is None:
        raise VolunteerError("unknown_output", status=422)
    limit = _settings().self_report_auto_approve_minutes
    with transaction.atomic():
        _lock_members([member.pk])
        _refuse_entry_overlap(member.pk, start, end)
        auto = bool(limit) and minutes <= limit
        entry = HoursEntry(
            member=member, activity=activity.strip()[:200], opportunity=opportunity, start=start, end=end, minutes=minutes,
            community=community or (opportunity.community if opportunity else None) or member.community,
            source=HoursEntry.Source.SELF_REPORT, source_key=f"volunteers.self.{uuid.uuid4().hex}", note=note[:300],
            status=Entry.APPROVED if auto else Entry.PENDING, decided_at=now if auto else None,
        )
        if evidence is not None:
            entry.evidence = evidence
        entry.save()
        for output, quantity in parsed:
            HoursOutput.objects.create(entry=entry, label=output.label, unit=output.unit, quantity=quantity)
        audit.record(entry, "volunteers.self_report", actor=member, via=via,
                     data={"minutes": minutes, "auto_approved": auto})
    return entry


def _settings() -> VolunteerSettings:
    """The default site's volunteer settings (defaults when there is no site yet)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return VolunteerSettings.for_site(site) if site else VolunteerSettings()


def _uncovered_span(member_id, start, end):
    """The longest stretch of [start, end] not already counted for the member."""
    free = [(start, end)]
    for other in _overlapping_entries(member_id, start, end).order_by("start"):
        pieces = []
        for a, b in free:
            if other.end <= a or other.start >= b:
                pieces.append((a, b))
                continue
            if other.start > a:
                pieces.append((a, other.start))
            if other.end < b:
                pieces.append((other.end, b))
        free = pieces
    return max(free, key=lambda span: span[1] - span[0], default=None)


def record_credit(event) -> HoursEntry | None:
    """The ``core.credits`` handler: another plugin says a member rendered service.

    Idempotent on the source key. Minutes already counted for the member (a shift at the same
    time, the previous drop of a delivery round) are not counted again: the credit keeps only the
    uncovered part of its span, and none at all when nothing is left. Credits wait for approval
    like any other entry."""
    existing = HoursEntry.objects.filter(source_key=event.source_key).first()
    if existing is not None:
        return existing
    member = User.objects.filter(pk=event.member_id).first()
    if member is None:
        return None
    with transaction.atomic():
        _lock_members([member.pk])
        existing = HoursEntry.objects.filter(source_key=event.source_key).first()
        if existing is not None:
            return existing
        span = _uncovered_span(member.pk, event.start, event.end)
        if span is None or (span[1] - span[0]) < timedelta(minutes=1):
            logger.info("credit %s: member %s already has these minutes counted", event.source_key, member.pk)
            return None
        start, end = span
        minutes = min(event.minutes, int((end - start).total_seconds() // 60))
        entry = HoursEntry.objects.create(
            member=member, activity=event.activity, start=start, end=end, minutes=minutes,
            community_id=event.community_id, source=HoursEntry.Source.CREDIT, source_key=event.source_key,
        )
        for label, quantity in (event.outputs or {}).items():
            if int(quantity) > 0:
                HoursOutput.objects.create(entry=entry, label=str(label)[:40], quantity=int(quantity))
        audit.record(entry, "volunteers.credit", on_behalf_of=member, via="system",
                     data={"source_key": event.source_key, "minutes": minutes})
    return entry


def _decide(actor, entry_ids, status, *, reason="", via="admin") -> dict:
    require_coordinator(actor)
    if status == Entry.DECLINED and not reason.strip():
        raise VolunteerError("reason_required", status=422)
    ids = sorted({int(pk) for pk in entry_ids})
    now = timezone.now()
    decided, skipped = [], []
    with transaction.atomic():
        entries = list(HoursEntry.objects.select_for_update(of=("self",)).select_related("member").filter(pk__in=ids).order_by("pk"))
        for entry in entries:
            if not entry.can_decide():
                skipped.append(entry.pk)
                continue
            entry.status, entry.decided_by, entry.decided_at = status, actor, now
            entry.decline_reason = reason.strip()[:200] if status == Entry.DECLINED else ""
            entry.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
            audit.record(entry, f"volunteers.{'approve' if status == Entry.APPROVED else 'decline'}", actor=actor,
                         on_behalf_of=entry.member, via=via, data={"minutes": entry.minutes, "reason": entry.decline_reason})
            decided.append(entry)
        _decision_notices(decided, status, reason)
    missing = sorted(set(ids) - {e.pk for e in entries})
    return {"decided": [e.pk for e in decided], "skipped": skipped, "missing": missing}


def _decision_notices(entries, status, reason):
    by_member = {}
    for entry in entries:
        by_member.setdefault(entry.member_id, []).append(entry)
    for items in by_member.values():
        hours = round(sum(e.minutes for e in items) / 60, 1)
        _notice(items[0].member, "approved" if status == Entry.APPROVED else "declined",
                {"count": len(items), "hours": hours, "reason": reason})


def approve(actor, entry_ids, *, via="admin") -> dict:
    """Approve pending entries in bulk; decided ones are skipped, not changed."""
    return _decide(actor, entry_ids, Entry.APPROVED, via=via)


def decline(actor, entry_ids, *, reason, via="admin") -> dict:
    """Decline pending entries in bulk, with the reason the volunteers are told."""
    return _decide(actor, entry_ids, Entry.DECLINED, reason=reason, via=via)


def request_correction(member, entry_id, *, start, end, reason, via="api") -> Correction:
    """The volunteer asks for an entry's times to be corrected; nothing changes until accepted."""
    if not reason.strip():
        raise VolunteerError("reason_required", status=422)
    _validate_span(start, end, None, timezone.now())
    with transaction.atomic():
        entry = HoursEntry.objects.select_for_update(of=("self",)).filter(pk=entry_id, member=member).first()
        if entry is None:
            raise NotAllowed()
        if entry.status == Entry.DECLINED:
            raise VolunteerError("declined_entry")
        if entry.corrections.filter(status=Correction.Status.OPEN).exists():
            raise VolunteerError("open_correction")
        correction = Correction.objects.create(entry=entry, requested_by=member, start=start, end=end, reason=reason.strip()[:300])
        audit.record(entry, "volunteers.correction_requested", actor=member, via=via,
                     data={"correction": correction.pk, "start": start.isoformat(), "end": end.isoformat()})
    return correction


def decide_correction(actor, correction_id, *, accept: bool, via="admin") -> Correction:
    """Accept (the entry takes the new times, still refusing an overlap) or reject a correction."""
    require_coordinator(actor)
    with transaction.atomic():
        correction = Correction.objects.select_for_update(of=("self",)).select_related("entry__member").filter(
            pk=correction_id).first()
        if correction is None:
            raise Http404(gettext("No such correction request."))
        if correction.status != Correction.Status.OPEN:
            raise VolunteerError("not_open")
        entry = HoursEntry.objects.select_for_update(of=("self",)).get(pk=correction.entry_id)
        before = {"start": entry.start.isoformat(), "end": entry.end.isoformat(), "minutes": entry.minutes}
        now = timezone.now()
        if accept:
            _lock_members([entry.member_id])
            _refuse_entry_overlap(entry.member_id, correction.start, correction.end, exclude_pk=entry.pk)
            entry.start, entry.end = correction.start, correction.end
            entry.minutes = int((correction.end - correction.start).total_seconds() // 60)
            if entry.shift_id:
                entry.minutes = min(entry.minutes, clipped_minutes(entry.shift, correction.start, correction.end)) or entry.minutes
            entry.status, entry.decided_by, entry.decided_at = Entry.APPROVED, actor, now
            entry.save(update_fields=["start", "end", "minutes", "status", "decided_by", "decided_at"])
        correction.status = Correction.Status.ACCEPTED if accept else Correction.Status.REJECTED
        correction.decided_by, correction.decided_at = actor, now
        correction.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(entry, "volunteers.correction_decided", actor=actor, on_behalf_of=entry.member, via=via,
                     data={"correction": correction.pk, "accepted": accept, "before": before})
        _notice(entry.member, "correction", {
            "activity": entry.activity, "outcome": gettext("accepted") if accept else gettext("rejected")})
    return correction


# --- certificates ----------------------------------------------------------------------------------

def _issuer():
    from volunteers.documents import office_name

    settings = _settings()
    return {"name": settings.issuer_name or office_name(), "person_in_charge": settings.person_in_charge,
            "handler": settings.handler, "contact": settings.contact_phone}, settings.certificate_prefix or "ZYFW"


def _period_bounds(period_start, period_end):
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(period_start, time.min), tz),
            timezone.make_aware(datetime.combine(period_end + timedelta(days=1), time.min), tz))


def issue_certificate(actor, member, *, period_start, period_end, via="api") -> Certificate:
    """Issue a 志愿服务记录证明 of ``member``'s approved hours in the period: the volunteer for
    themself, a coordinator for anyone. The certificate keeps what it printed."""
    if actor.pk != member.pk:
        require_coordinator(actor)
    if period_end < period_start:
        raise VolunteerError("bad_period", status=422)
    begin, finish = _period_bounds(period_start, period_end)
    entries = list(HoursEntry.objects.filter(member=member, status=Entry.APPROVED, start__gte=begin, start__lt=finish)
                   .order_by("start"))
    if not entries:
        raise VolunteerError("nothing_to_certify")
    activities = {}
    for entry in entries:
        row = activities.setdefault(entry.activity, {"activity": entry.activity, "first": entry.start, "last": entry.end,
                                                     "minutes": 0, "count": 0})
        row["first"], row["last"] = min(row["first"], entry.start), max(row["last"], entry.end)
        row["minutes"] += entry.minutes
        row["count"] += 1
    profile = VolunteerProfile.objects.filter(member=member).first()
    issuer, prefix = _issuer()
    now = timezone.now()
    content = {
        "name": profile.display_name if profile else str(member),
        "volunteer_number": profile.volunteer_number if profile else "",
        "masked_id": mask_id_number(profile.id_number) if profile else "",
        "activities": [{"activity": r["activity"], "first": f"{timezone.localtime(r['first']):%Y-%m-%d}",
                        "last": f"{timezone.localtime(r['last']):%Y-%m-%d}", "minutes": r["minutes"],
                        "count": r["count"]} for r in activities.values()],
        "issuer": issuer,
    }
    with transaction.atomic():
        # Numbers run per year without gaps: serialise issuers on the settings-free way, a lock on
        # the year's last certificate (or on nothing, for the first, where the unique number decides).
        year = timezone.localdate(now).year
        last = (Certificate.objects.select_for_update().filter(number__startswith=f"{prefix}-{year}-")
                .order_by("-number").first())
        sequence = int(last.number.rsplit("-", 1)[1]) + 1 if last else 1
        certificate = Certificate.objects.create(
            number=f"{prefix}-{year}-{sequence:06d}", member=member, period_start=period_start, period_end=period_end,
            total_minutes=sum(e.minutes for e in entries), content=content, issued_by=actor, issued_at=now)
        audit.record(certificate, "volunteers.certificate_issued", actor=actor, on_behalf_of=member, via=via,
                     data={"number": certificate.number, "minutes": certificate.total_minutes})
    return certificate


def revoke_certificate(actor, certificate_id, *, reason, via="admin") -> Certificate:
    require_coordinator(actor)
    if not reason.strip():
        raise VolunteerError("reason_required", status=422)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if not certificate.can_revoke():
            raise VolunteerError("revoked")
        certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = timezone.now(), actor, reason.strip()[:200]
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit.record(certificate, "volunteers.certificate_revoked", actor=actor, on_behalf_of=certificate.member,
                     via=via, data={"reason": certificate.revoke_reason})
    return certificate


# --- reminders, data export ------------------------------------------------------------------------

def shifts_needing_reminder(now=None):
    tomorrow = timezone.localdate(now or timezone.now()) + timedelta(days=1)
    return Shift.objects.filter(start__date=tomorrow, reminder_sent_at__isnull=True, opportunity__live=True)


def send_reminders(shift_id: int) -> int:
    """Remind everyone with a place on the shift, once (marked under the row lock)."""
    with transaction.atomic():
        shift = Shift.objects.select_for_update(of=("self",)).get(pk=shift_id)
        if shift.reminder_sent_at:
            return 0
        signups = SignUp.objects.select_related("member", "shift__opportunity").filter(shift=shift, status=Status.CONFIRMED)
        count = 0
        for signup in signups:
            _signup_notice(signup, "reminder")
            count += 1
        shift.reminder_sent_at = timezone.now()
        shift.save(update_fields=["reminder_sent_at"])
    return count


def approved_minutes(member) -> int:
    return HoursEntry.objects.filter(member=member, status=Entry.APPROVED).aggregate(m=Sum("minutes"))["m"] or 0


def export_member_data(user) -> dict:
    """The member's volunteer profile, sign-ups, hours and certificates, for their data export."""
    profile = VolunteerProfile.objects.filter(member=user).first()
    return {
        "volunteer_profile": {
            "real_name": profile.real_name, "volunteer_number": profile.volunteer_number,
            "id_number": profile.id_number, "skills": list(profile.skills.names()),
            "availability": profile.availability, "emergency_contact_name": profile.emergency_contact_name,
            "emergency_contact_phone": profile.emergency_contact_phone,
            "leaderboard_consent": profile.leaderboard_consent,
        } if profile else None,
        "volunteer_signups": [
            {"shift": str(s.shift), "status": s.status, "checked_in_at": s.checked_in_at and s.checked_in_at.isoformat(),
             "checked_out_at": s.checked_out_at and s.checked_out_at.isoformat()}
            for s in SignUp.objects.filter(member=user).select_related("shift__opportunity")
        ],
        "volunteer_hours": [
            {"activity": e.activity, "start": e.start.isoformat(), "end": e.end.isoformat(), "minutes": e.minutes,
             "source": e.source, "status": e.status}
            for e in HoursEntry.objects.filter(member=user)
        ],
        "volunteer_certificates": [
            {"number": c.number, "from": c.period_start.isoformat(), "until": c.period_end.isoformat(),
             "minutes": c.total_minutes, "valid": c.is_valid}
            for c in Certificate.objects.filter(member=user)
        ],
    }
