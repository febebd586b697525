"""Every change to registrations goes through here: member pages, the API, the admin and commands.

Locking order, the same everywhere so that two transactions never wait on each other in a
circle: the member's user row (register only) -> capacity rows in key order -> registration rows.
Seats are claimed and released only through :mod:`core.capacity`, inside ``transaction.atomic``,
together with the registration row they belong to. Notices go through :func:`core.notify.notify`,
which queues them after commit.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import audit, cache, notices, waitlist
from core import capacity as seats
from core.capacity import CapacityError
from core.errors import DomainError, NotAllowed
from core.formats import local_date
from core.notify import notify
from core.permissions import has_role
from members.models import User
from programs import queries
from programs.models import Attendance, ProgramPage, Registration, Session
from programs.roles import PROGRAM_STAFF

Status = Registration.Status
Channel = Registration.Channel

#: Tests switch this off (with ``core.capacity.LOCKING``) to show that two staff changing the same
#: registration at once both "win" without the row lock: the control of the race tests.
LOCKING = True


def _locked(queryset):
    """``SELECT ... FOR UPDATE`` of the registration rows (their own table only)."""
    return queryset.select_for_update(of=("self",)) if LOCKING else queryset


def _race_window():
    """Hook for tests: widen the gap between re-reading a status and writing the new one."""


class ProgramError(DomainError):
    messages = {
        "closed": _("Registration for this program is closed."),
        "not_open_yet": _("Registration for this program has not opened yet."),
        "full": _("No places are left."),
        "duplicate": _("You are already registered."),
        "ineligible": _("This program is not open to your kind of membership."),
        "past": _("This session has already started or ended."),
        "limit": _("You have reached the number of sessions one member may book for this program."),
        "session_required": _("Choose a session: this program is booked session by session."),
        "series_only": _("This course is taken as a whole series: register for the program, not one session."),
        "wrong_program": _("That session belongs to another program."),
        "not_cancellable": _("This registration cannot be cancelled any more."),
        "not_pending": _("This registration is not waiting for approval."),
        "not_waitlisted": _("This registration is not on the waiting list."),
        "invalid_code": _("This check-in code is not valid."),
        "wrong_session": _("This code is for another session."),
        "not_confirmed": _("This registration is not confirmed, so it cannot be checked in."),
        "not_started": _("Check-in opens on the day of the session."),
        "not_completed": _("A certificate is given once every session of the course has ended and been attended."),
        "no_font": _("Certificates cannot be produced on this server: no Chinese font is installed."),
        "unknown_member": _("No member has this phone number; give a name to create one."),
    }


def is_staff(user):
    """True for program staff (and superusers): the one place that decides it."""
    return has_role(user, PROGRAM_STAFF)


def require_staff(user):
    if not is_staff(user):
        raise NotAllowed(gettext("Only program staff can do this."))


def _capacity_keys(sessions):
    return sorted(s.capacity_key for s in sessions)


def _sessions_for(program, session):
    return [session] if session is not None else list(program.session_list)


def _claim_all(sessions, locked=None):
    """Claim a seat in every session, locking capacity rows in key order (or on the rows
    ``locked`` earlier in this transaction). Raises ProgramError('full')."""
    try:
        seats.claim_many(dict.fromkeys(_capacity_keys(sessions), 1), locked=locked)
    except CapacityError as exc:
        raise ProgramError("full") from exc


def _release_all(sessions):
    for key in _capacity_keys(sessions):
        seats.release(key, 1)


def _known_full(sessions):
    """True when a session has no seat left as last read: from the capacity the caller selected
    with it (the API does), else in one query. Not under a lock: only ever a reason to refuse
    early, never to take a seat."""
    from django.db.models import F

    from core.models import Capacity

    loaded = [s for s in sessions if "capacity" in s._state.fields_cache]
    if any(s.capacity is not None and s.capacity.remaining < 1 for s in loaded):
        return True
    rest = [s.capacity_key for s in sessions if s not in loaded]
    return bool(rest) and Capacity.objects.filter(key__in=rest, taken__gte=F("total")).exists()


def _lock_all(sessions):
    """Lock capacity rows in key order and return {key: Capacity} with fresh counts."""
    return seats.lock_many(_capacity_keys(sessions))


def _resolve_target(program: ProgramPage, session: Session | None):
    if program.is_series:
        if session is not None:
            raise ProgramError("series_only", status=422)
        return None
    if session is None:
        raise ProgramError("session_required", status=422)
    if session.program_id != program.pk:
        raise ProgramError("wrong_program", status=422)
    return session


def _notice(registration, kind):
    """Tell the member what became of their registration (programs.notices declares each kind)."""
    values = {"title": registration.program.title, "when": _when_text(registration),
              "code": registration.check_in_code, "position": registration.position or ""}
    kind = f"programs.{kind}"
    notify(registration.member, kind=kind, params=notices.get(kind).pick(values), channels=("sms",))


def _when_text(registration):
    sessions = registration.covered_sessions()
    if not sessions:
        return ""
    # In the reader's language (config/formats): "12月3日 星期四 14:00", "Thursday 3 December, 14:00".
    start = timezone.localtime(sessions[0].start)
    if len(sessions) == 1:
        return local_date(start, "DAY_TIME_FORMAT")
    return gettext("%(count)s sessions from %(date)s") % {"count": len(sessions), "date": local_date(start, "DAY_FORMAT")}


# --- register --------------------------------------------------------------------------------

def register(member: User, program: ProgramPage, session: Session | None = None, *, channel=Channel.APP,
             via="api", actor=None, staff_override=False, note="") -> Registration:
    """Register ``member`` for ``session`` (per-session programs) or the whole series.

    Checks eligibility, the registration window, the per-member limit and duplicates, then claims
    a seat in every covered session. When a session is full the member joins the waiting list (if
    the program keeps one) or gets ``full``. ``staff_override`` (on-behalf registrations) skips the
    window and approval, never capacity.
    """
    actor = actor or member
    target = _resolve_target(program, session)
    if target is not None:
        target.program = program  # saves a query inside the lock (labels, notices)
    sessions = _sessions_for(program, target)
    now = timezone.now()
    if not sessions:
        raise ProgramError("closed")
    if program.eligible_kinds and member.kind not in program.eligible_kinds:
        raise ProgramError("ineligible")
    if staff_override:
        if max(s.end for s in sessions) <= now:
            raise ProgramError("past")
    else:
        if min(s.start for s in sessions) <= now:
            raise ProgramError("past")
        state = program.registration_state(now)
        if state == "not_yet":
            raise ProgramError("not_open_yet")
        if state == "closed":
            raise ProgramError("closed")
    slot = Registration.slot_for(target)
    if not program.waitlist_enabled and _known_full(sessions):
        # Cheap early answer when a session was already full as we read it, before the member's
        # lock and the seats' locks (most callers of a popular class); the authoritative check
        # is the one on the locked rows below. Someone already registered is told so instead.
        if Registration.objects.active().filter(member=member, program=program, slot=slot).exists():
            raise ProgramError("duplicate")
        raise ProgramError("full")

    with transaction.atomic():
        # Serialises one member's registrations, so the limit and duplicate checks hold.
        User.objects.select_for_update().filter(pk=member.pk).first()
        active = Registration.objects.active().filter(member=member, program=program)
        if active.filter(slot=slot).exists():
            raise ProgramError("duplicate")
        if program.per_member_limit and not program.is_series and active.count() >= program.per_member_limit:
            raise ProgramError("limit")
        registration = Registration(
            program=program, session=target, slot=slot, member=member, channel=channel, note=note,
            registered_by=actor if actor.pk != member.pk else None,
        )
        # Lock every covered capacity row first and decide on the locked counts. (Not a savepoint
        # around claim(): on PostgreSQL, rolling back a savepoint also drops the row locks taken
        # inside it, and the waiting-list positions below must be computed under the lock.)
        capacities = _lock_all(sessions)
        if any(c.remaining < 1 for c in capacities.values()):
            if not program.waitlist_enabled:
                raise ProgramError("full")
            registration.status = Status.WAITLISTED
            registration.position = waitlist.next_position(_queue(program.pk, slot))
        else:
            _claim_all(sessions, capacities)
            if program.approval_required and not staff_override:
                registration.status = Status.PENDING
            else:
                registration.status = Status.CONFIRMED
                registration.confirmed_at = now
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as exc:
            raise ProgramError("duplicate") from exc
        action = "programs.on_behalf" if registration.registered_by_id else "programs.register"
        audit.record(registration, action, actor=actor, on_behalf_of=member, via=via,
                     data={"status": registration.status, "channel": channel, "slot": slot})
        _notice(registration, registration.status)
    return registration


def register_on_behalf(staff: User, member: User, program: ProgramPage, session: Session | None = None, *,
                       channel=Channel.PHONE, via="api", note="") -> Registration:
    """Staff register a phone caller or a walk-in. Skips the registration window and approval."""
    require_staff(staff)
    return register(member, program, session, channel=channel, via=via, actor=staff, staff_override=True, note=note)


def register_for_session(staff: User, session: Session, *, member: User | None = None, phone: str = "",
                         display_name: str = "", kind=User.Kind.RESIDENT, channel=Channel.PHONE, check_in=False,
                         via="api", note="") -> Registration:
    """Staff register a caller or walk-in for the session they picked (its whole course when the
    program is a series), found by ``member`` or by phone (a new account when ``display_name`` is
    given); ``check_in`` checks a walk-in in at once. One transaction: when the registration is
    refused, no account is left behind either."""
    require_staff(staff)
    with transaction.atomic():
        if member is None:
            member = find_or_create_member(staff, phone=phone, display_name=display_name, kind=kind)
        if check_in:
            registration, _created = walk_in(staff, session, member, via=via)
            return registration
        program = session.program
        return register_on_behalf(staff, member, program, None if program.is_series else session, channel=channel,
                                  via=via, note=note)


def find_or_create_member(staff: User, *, phone: str, display_name: str = "", kind=User.Kind.RESIDENT) -> User:
    """The member with this phone, or a new account for a caller who has none (no password yet:
    they can log in later with a code sent to the phone)."""
    require_staff(staff)
    phone = phone.strip()
    member = User.objects.filter(phone=phone).first()
    if member:
        return member
    if not display_name:
        raise ProgramError("unknown_member", status=404)
    with transaction.atomic():
        member = User(username=f"p{phone}", phone=phone, display_name=display_name, kind=kind)
        member.set_unusable_password()
        member.full_clean(exclude=["password", "email"])
        member.save()
        audit.record(member, "wagtail.create", actor=staff, via="system", data={"by": "programs"})
    return member


# --- cancel, promote, approve ----------------------------------------------------------------

def cancel(actor: User, registration_id: int, *, via="api", reason="") -> Registration:
    """Cancel a registration. A member cancels their own before it starts; staff cancel any.
    A freed seat goes to the first person on the waiting list, who is told after commit."""
    registration = Registration.objects.select_related("program", "session", "member").get(pk=registration_id)
    actor_is_staff = is_staff(actor)
    if registration.member_id != actor.pk and not actor_is_staff:
        raise NotAllowed()
    sessions = registration.covered_sessions()
    with transaction.atomic():
        _lock_all(sessions)
        registration = _locked(Registration.objects.select_related("program", "session", "member")).get(
            pk=registration_id)
        if not registration.is_cancellable:
            raise ProgramError("not_cancellable")
        if not registration.can_cancel(by_staff=actor_is_staff):
            raise ProgramError("past")
        had_seat = registration.holds_seat
        _leave_queue(registration)
        registration.status = Status.CANCELLED
        registration.position = None
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "position", "cancelled_at"])
        if had_seat:
            _release_all(sessions)
        audit.record(registration, "programs.cancel", actor=actor, on_behalf_of=registration.member, via=via,
                     data={"had_seat": had_seat, "reason": reason})
        if actor.pk != registration.member_id:
            _notice(registration, "cancelled_by_staff")
        if had_seat:
            promote_waiting(registration.program, registration.session, via=via)
    return registration


def promote_waiting(program: ProgramPage, session: Session | None = None, *, via="system", actor=None) -> list:
    """Move people from the waiting list into free seats, first come first served. Not once the
    session (a course: its last session) has ended, when staff tidy up no-shows: a place in a
    past class helps nobody, and the "good news" text would be nonsense."""
    sessions = _sessions_for(program, session if not program.is_series else None)
    slot = Registration.slot_for(session if not program.is_series else None)
    promoted = []
    if not sessions or max(s.end for s in sessions) <= timezone.now():
        return promoted
    with transaction.atomic():
        capacities = _lock_all(sessions)
        free = min((c.remaining for c in capacities.values()), default=0)
        if free <= 0:
            return promoted
        queue = _queue(program.pk, slot).select_related("program", "session", "member")
        promoted = waitlist.promote(queue, free, lambda r: _promote(r, sessions, actor=actor, via=via))
    return promoted


def promote(actor: User, registration_id: int, *, via="admin") -> Registration:
    """Staff move one person from the waiting list by hand (out of turn)."""
    require_staff(actor)
    registration = Registration.objects.select_related("program", "session").get(pk=registration_id)
    sessions = registration.covered_sessions()
    with transaction.atomic():
        _lock_all(sessions)
        registration = _locked(Registration.objects.select_related("program", "session", "member")).get(
            pk=registration_id)
        if not registration.can_be_promoted:
            raise ProgramError("not_waitlisted")
        _race_window()
        _promote(registration, sessions, actor=actor, via=via)
    return registration


def _leave_queue(registration):
    """Close the gap a registration leaves in its waiting list (callers hold the capacity lock),
    so "you are number N" stays true."""
    # Re-read: an earlier promotion in the same loop may have moved this one up already.
    position = Registration.objects.filter(pk=registration.pk).values_list("position", flat=True).first()
    waitlist.close_gap(_queue(registration.program_id, registration.slot), position)


def _queue(program_id, slot):
    return Registration.objects.filter(program_id=program_id, slot=slot, status=Status.WAITLISTED)


def _promote(registration, sessions, *, actor, via):
    _claim_all(sessions)
    _leave_queue(registration)
    registration.position = None
    if registration.program.approval_required:
        registration.status = Status.PENDING
        kind = "promoted_pending"
    else:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        kind = "promoted"
    registration.save(update_fields=["status", "position", "confirmed_at"])
    audit.record(registration, "programs.promote", actor=actor, on_behalf_of=registration.member, via=via)
    _notice(registration, kind)


def approve(actor: User, registration_id: int, *, via="api") -> Registration:
    """Staff confirm a registration that waits for approval (its seat is already held)."""
    require_staff(actor)
    with transaction.atomic():
        registration = _locked(Registration.objects.select_related("program", "session", "member")).get(
            pk=registration_id)
        if not registration.can_be_approved:
            raise ProgramError("not_pending")
        _race_window()
        registration.status = Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "confirmed_at"])
        audit.record(registration, "programs.approve", actor=actor, on_behalf_of=registration.member, via=via)
        _notice(registration, "approved")
    return registration


# --- check-in --------------------------------------------------------------------------------

def check_in(staff: User, session: Session, code: str, *, via="page"):
    """Check in the holder of ``code`` at ``session``. Idempotent: a second scan answers
    ``(registration, False)``. A code for another session is refused with ``wrong_session``."""
    require_staff(staff)
    pk = Registration.pk_from_code(code)
    if pk is None:
        raise ProgramError("invalid_code", status=422)
    registration = Registration.objects.select_related("program", "session", "member").filter(pk=pk).first()
    if registration is None:
        raise ProgramError("invalid_code", status=422)
    return check_in_registration(staff, session, registration, via=via)


def check_in_registration(staff: User, session: Session, registration: Registration, *, via="admin"):
    """Check ``registration`` in at ``session`` without a code (the admin's button, walk-ins).
    Idempotent like :func:`check_in`; a session the registration does not cover is ``wrong_session``."""
    require_staff(staff)
    if not registration.covers(session):
        raise ProgramError("wrong_session", other=registration.target_label())
    if not session.check_in_open():
        raise ProgramError("not_started")
    with transaction.atomic():
        registration = _locked(Registration.objects.select_related("program", "session", "member")).get(
            pk=registration.pk)
        if not registration.can_check_in:
            raise ProgramError("not_confirmed", status_now=registration.status)
        attendance, created = Attendance.objects.get_or_create(
            registration=registration, session=session, defaults={"checked_in_by": staff})
        if created:
            if registration.status != Status.ATTENDED:
                registration.status = Status.ATTENDED
                registration.save(update_fields=["status"])
            audit.record(registration, "programs.check_in", actor=staff, on_behalf_of=registration.member, via=via,
                         data={"session": session.pk})
    return registration, created


def walk_in(staff: User, session: Session, member: User, *, via="page"):
    """Register someone at the door and check them in at once."""
    require_staff(staff)
    program = session.program
    target = None if program.is_series else session
    with transaction.atomic():
        existing = Registration.objects.active().filter(
            member=member, program=program, slot=Registration.slot_for(target)).first()
        if existing and existing.can_check_in:
            registration = existing
        else:
            if existing:  # pending or waitlisted: the person is here, so give them the seat now
                if existing.can_be_approved:
                    approve(staff, existing.pk, via=via)
                else:
                    promote(staff, existing.pk, via=via)
                registration = Registration.objects.get(pk=existing.pk)
            else:
                registration = register_on_behalf(staff, member, program, target, channel=Channel.WALK_IN, via=via)
            if registration.status != Status.CONFIRMED:
                # The class is full: the walk-in went to the waiting list, which is no use at the door.
                raise ProgramError("full")
        return check_in_registration(staff, session, registration, via=via)


# --- reminders, certificates, statistics -----------------------------------------------------

def send_reminders(session_id: int) -> int:
    """Remind everyone holding a seat in the session. Once per session (marked under a row lock)."""
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("program").get(pk=session_id)
        if session.reminder_sent_at:
            return 0
        count = 0
        for registration in queries.seat_holders(session):
            registration.program = session.program
            _notice_reminder(registration, session)
            count += 1
        session.reminder_sent_at = timezone.now()
        session.save(update_fields=["reminder_sent_at"])
    return count


def _notice_reminder(registration, session):
    start = timezone.localtime(session.start)
    notify(registration.member, kind="programs.reminder", params={
        "title": registration.program.title, "when": f"{start:%m-%d %H:%M}", "place": session.place_text(),
        "code": registration.check_in_code,
    }, key=f"session {session.pk} registration {registration.pk}")  # one reminder, however often asked


def certificate_registration(member: User, program: ProgramPage) -> Registration:
    """The registration a completion certificate is made for; ``not_completed`` until every
    session was attended."""
    registration = queries.certificate_holder(member, program)
    if registration is None:
        raise ProgramError("not_completed")
    return registration


def export_member_data(user: User) -> dict:
    """The member's registrations, for their data export."""
    return {
        "registrations": [
            {
                "program": r.program.title, "session": str(r.session) if r.session_id else None,
                "status": r.status, "channel": r.channel, "registered_at": r.created_at.isoformat(),
                "checked_in": [timezone.localtime(a.checked_in_at).isoformat() for a in r.attendances.all()],
            }
            for r in queries.member_export(user)
        ]
    }


# --- sessions and their seats ----------------------------------------------------------------

def _provide_seats(session: Session, program: ProgramPage, *, actor, via):
    """Give a saved session the seats its ``places`` say: a new one gets its capacity row (and
    a seat for everyone enrolled in the whole course), a changed one is resized (never below
    what is taken: ``below_taken``) and, when it grew, the waiting list moves up at once."""
    if session.capacity_id is None:
        enrolled = Registration.objects.course_seats(program.pk).count() if program.is_series else 0
        capacity = seats.define(session.capacity_key, session.places)
        if enrolled:
            capacity = seats.claim(session.capacity_key, enrolled)
        Session.objects.filter(pk=session.pk).update(capacity=capacity)
        session.capacity = capacity
        audit.record(session, "programs.session_seats", actor=actor, via=via,
                     data={"places": session.places, "course_seats": enrolled})
        cache.mark_stale("programs")  # QuerySet.update(): no signal tells core.cache
        return
    before = seats.lock(session.capacity_key).total
    if before == session.places:
        return
    session.capacity = seats.define(session.capacity_key, session.places)
    audit.record(session, "programs.session_seats", actor=actor, via=via,
                 data={"places": session.places, "before": before})
    if session.places > before:
        promote_waiting(program, None if program.is_series else session, via=via, actor=actor)
    cache.mark_stale("programs")  # seats resized on the capacity row: no signal tells core.cache


def save_session(actor: User | None, session: Session, *, via="admin") -> Session:
    """Create or change one session and its seats (the Sessions admin, the demo, commands).
    ``actor`` None is the system itself; otherwise program staff or whoever may change sessions."""
    if actor is not None and not (is_staff(actor) or actor.has_perm("programs.change_session")):
        raise NotAllowed()
    program = ProgramPage.objects.get(pk=session.program_id)
    with transaction.atomic():
        session.save()
        _provide_seats(session, program, actor=actor, via=via)
    return session


def sync_sessions(program: ProgramPage, *, actor=None, via="admin") -> None:
    """After a program page is published (the page editor saved its sessions): every session
    gets the seats its places say, in capacity-key order (the project's lock order)."""
    with transaction.atomic():
        sessions = sorted(Session.objects.filter(program_id=program.pk), key=lambda s: s.capacity_key)
        for session in sessions:
            _provide_seats(session, program, actor=actor, via=via)


def forget_session_seats(session: Session) -> None:
    """A session removed from its program takes its seats row along (nobody ever registered for
    it: registrations keep their session, RESTRICT)."""
    if session.capacity_id:
        from core.models import Capacity

        Capacity.objects.filter(pk=session.capacity_id).delete()


# --- deletions -------------------------------------------------------------------------------

def release_for_deletion(registration_id: int, *, actor=None, via="system", promote=True):
    """A registration about to be deleted (the admin's delete, its member's account deleted, its
    program deleted) gives its seat back like a cancellation, leaves its waiting list without a
    gap and is recorded (``programs.remove``); the waiting list moves up unless ``promote`` is
    off (the program itself is going). Nothing happens to one already cancelled."""
    registration = Registration.objects.select_related("program", "session", "member").filter(
        pk=registration_id).first()
    if registration is None or registration.status == Status.CANCELLED:
        return registration
    sessions = registration.covered_sessions()
    with transaction.atomic():
        _lock_all(sessions)
        registration = _locked(Registration.objects.select_related("program", "session", "member")).get(
            pk=registration_id)
        if registration.status == Status.CANCELLED:
            return registration
        had_seat = registration.holds_seat
        _leave_queue(registration)
        Registration.objects.filter(pk=registration.pk).update(
            status=Status.CANCELLED, position=None, cancelled_at=timezone.now())
        # update() sends no signal: the office's figures count seats held (core.cache).
        cache.mark_stale("programs.figures")
        if had_seat:
            _release_all(sessions)
        audit.record(registration, "programs.remove", actor=actor, on_behalf_of=registration.member, via=via,
                     data={"had_seat": had_seat, "status": registration.status})
        if had_seat and promote:
            promote_waiting(registration.program, registration.session, via=via, actor=actor)
        cache.mark_stale("programs")  # QuerySet.update(): no signal tells core.cache
    return registration
