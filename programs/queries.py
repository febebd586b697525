"""Every read of programs and every rule of who sees what: the member pages, the API, the
admin, the feed, exports and the reminder command all ask here, so they cannot disagree.
Changes are :mod:`programs.services`' job; one row's own predicates (``is_cancellable``,
``can_check_in`` ...) are methods of the models."""

from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q
from django.utils import timezone

from programs.models import Attendance, Audience, ProgramPage, Registration, Session

Status = Registration.Status

#: WebP: smaller, and Pillow writes it without the fileno() call that makes Wagtail leak a
#: rolled-over temporary file per JPEG rendition.
COVER_FILTER = "fill-640x360|format-webp"


def program_queryset(now=None):
    """Live, public programs with everything a listing shows, in a fixed number of queries."""
    from wagtail.images import get_image_model

    now = now or timezone.now()
    images = get_image_model().objects.prefetch_renditions(COVER_FILTER)
    return (
        ProgramPage.objects.live().public()
        .select_related("organiser", "community", "location_page")
        .prefetch_related(
            Prefetch("cover_image", queryset=images),
            Prefetch("sessions", queryset=Session.objects.select_related("capacity").order_by("start", "pk")),
            "partners",
        )
        .annotate(
            next_start=Min("sessions__start", filter=Q(sessions__end__gt=now)),
            last_start=Max("sessions__start"),
        )
    )


def filter_programs(queryset, *, kind=None, audience=None, community=None, on=None, past=False, q=None):
    if kind:
        queryset = queryset.filter(kind=kind)
    if audience:
        queryset = queryset.filter(Q(audience=audience) | Q(audience=Audience.EVERYONE))
    if community:
        queryset = queryset.filter(Q(community__code=community) | Q(community__isnull=True))
    if on:
        queryset = queryset.filter(Exists(Session.objects.filter(program=OuterRef("pk"), start__date=on)))
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if not past:
        queryset = queryset.filter(next_start__isnull=False)
    return queryset.order_by(F("next_start").asc(nulls_last=True), F("last_start").desc(nulls_last=True), "pk")


def upcoming_sessions(limit=200):
    """Sessions of live, unrestricted programs that have not ended, soonest first (for the feed)."""
    public = ProgramPage.objects.live().public().values("pk")
    return (Session.objects.filter(end__gt=timezone.now(), program__in=public)
            .select_related("program", "program__location_page").order_by("start")[:limit])


def registrable_programs():
    """Programs a member may register for from a page or the API: live and not behind a view
    restriction (eligibility, the window and seats are the service's to decide, with a reason)."""
    return ProgramPage.objects.live().public()


def member_registrations(user):
    """A member's registrations, newest first, with what the API and the member pages show
    (sessions, places, the page a program's place links to) in a fixed number of queries."""
    return (Registration.objects.filter(member=user)
            .select_related("program", "program__location_page", "session", "session__capacity", "session__program",
                            "session__program__location_page")
            .order_by("-created_at", "-pk"))


def member_registration(user, registration_id):
    """One of the member's registrations, or None: nobody reads another member's."""
    return member_registrations(user).filter(pk=registration_id).first()


def active_registrations_by_session(user, program):
    """The member's active registrations for ``program`` by session id (None: the whole course)."""
    if not user.is_authenticated:
        return {}
    return {r.session_id: r for r in Registration.objects.active().filter(member=user, program=program)
            .select_related("session", "program")}


def staff_sessions(today=None, *, days_back=7, limit=60):
    """Sessions staff run check-in for: from a week ago on, soonest first."""
    today = today or timezone.localdate()
    return (Session.objects.filter(start__date__gte=today - timezone.timedelta(days=days_back))
            .select_related("program", "capacity").order_by("start")[:limit])


def bookable_sessions(now=None):
    """Sessions staff may register someone for: not ended, of a published program (a draft's
    sessions have no seats yet)."""
    return (Session.objects.select_related("program").filter(end__gt=now or timezone.now(), program__live=True)
            .order_by("start"))


def session_with_seats(session_id):
    return Session.objects.select_related("program", "capacity").filter(pk=session_id).first()


def attendance_rows(session: Session):
    """``(registration, checked_in_at or None)`` for everyone holding or waiting for a place at
    ``session``: present first, then confirmed, pending and the waiting list in order."""
    registrations = (
        Registration.objects.active()
        .filter(Q(session=session) | Q(session__isnull=True, program_id=session.program_id))
        .select_related("member", "registered_by")
        .prefetch_related(Prefetch("attendances", queryset=Attendance.objects.filter(session=session)))
    )
    order = {Status.ATTENDED: 0, Status.CONFIRMED: 1, Status.PENDING: 2, Status.WAITLISTED: 3}
    rows = []
    for registration in registrations:
        checks = list(registration.attendances.all())
        rows.append((registration, checks[0].checked_in_at if checks else None))
    rows.sort(key=lambda row: (order.get(row[0].status, 9), row[0].position or 0, str(row[0].member)))
    return rows


#: Who sees registrants' phone numbers in full (programs.roles says why program staff hold it).
FULL_PHONE_PERMISSION = "programs.view_registrant_phone"


def registrant_phone(viewer, member) -> str:
    """``member``'s phone as ``viewer`` may see it, the one rule for the attendance page, its
    CSV/Excel exports, the admin's registration export and the API: in full for staff who phone
    people (FULL_PHONE_PERMISSION), masked (138****5678) for everyone else. ``has_perm`` caches
    the viewer's permissions, so a list costs one query, not one per row."""
    if viewer.has_perm(FULL_PHONE_PERMISSION):
        return member.phone or ""
    return member.masked_phone


def seat_holders(session: Session):
    """Everyone holding a seat at ``session`` (its own registrations and the course's), for the
    reminder. Attended too: a course member checked in at an earlier session still has this seat."""
    registrations = Registration.objects.select_related("program", "session", "member").filter(
        program_id=session.program_id, status__in=Registration.SEAT_STATUSES,
        slot__in=[Registration.slot_for(session), "series"])
    return [r for r in registrations if r.covers(session)]


def sessions_needing_reminder(now=None):
    """Sessions starting tomorrow (local date) whose reminder has not been sent."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timezone.timedelta(days=1)
    return Session.objects.filter(start__date=tomorrow, reminder_sent_at__isnull=True,
                                  program__live=True).order_by("start")


def completed(registration: Registration, now=None) -> bool:
    """True when every session of the program has ended and the member attended each one.

    Ended, not only attended: staff may check people in ahead of time (or by mistake), and a
    certificate for a course that has not taken place yet is worth nothing."""
    if registration.status != Status.ATTENDED:
        return False
    return registration.program_id in completed_program_ids(registration.member_id, now,
                                                            program_ids=[registration.program_id])


def completed_program_ids(member, now=None, program_ids=None) -> set:
    """Ids of the programs whose every session has ended and was attended by ``member`` (a user
    or an id): two queries, for listings that offer the certificate."""
    now = now or timezone.now()
    attendances = Attendance.objects.filter(registration__member=member)
    if program_ids is not None:
        attendances = attendances.filter(registration__program_id__in=program_ids)
    attended = {}
    for program_id, session_id in attendances.values_list("registration__program_id", "session_id"):
        attended.setdefault(program_id, set()).add(session_id)
    sessions, unfinished = {}, set()
    for program_id, session_id, end in Session.objects.filter(program_id__in=attended).values_list(
            "program_id", "pk", "end"):
        sessions.setdefault(program_id, set()).add(session_id)
        if end > now:
            unfinished.add(program_id)
    return {program_id for program_id, ids in sessions.items()
            if program_id not in unfinished and ids <= attended[program_id]}


def certificate_holder(member, program):
    """The member's attended registration for ``program`` once every session has ended and was
    attended, else None."""
    registration = Registration.objects.select_related("program", "member").filter(
        member=member, program=program, status=Status.ATTENDED).first()
    return registration if registration is not None and completed(registration) else None


def no_show_rate(program: ProgramPage, now=None):
    """Share of seats held for sessions that have ended where nobody checked in (None if no data)."""
    now = now or timezone.now()
    expected = attended = 0
    registrations = list(program.registrations.holding_seat().prefetch_related("attendances"))
    for session in program.session_list:
        if session.end > now:
            continue
        for registration in registrations:
            if registration.session_id not in (None, session.pk):
                continue
            expected += 1
            attended += any(a.session_id == session.pk for a in registration.attendances.all())
    return None if expected == 0 else round((expected - attended) / expected, 3)


def member_export(user):
    """The member's registrations with their check-ins, for the data export."""
    return (Registration.objects.filter(member=user).select_related("program", "session", "session__program")
            .prefetch_related("attendances"))


def member_home(user, now):
    """The programs part of the member home: each registration still ahead (confirmed, waiting
    for approval or on the waiting list), at its next session."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.plugins import HomeItem, HomeSection, home_when

    mine = reverse("programs:my_registrations")
    items = []
    for registration in member_registrations(user).exclude(status=Status.CANCELLED).prefetch_related(
            "program__sessions")[:100]:
        upcoming = [s for s in registration.covered_sessions() if s.end > now]
        if not upcoming:
            continue
        session = min(upcoming, key=lambda s: s.start)
        status = registration.get_status_display()
        if registration.position:
            status = _("%(status)s, number %(n)s") % {"status": status, "n": registration.position}
        items.append(HomeItem(when=session.start, when_text=home_when(session.start), title=registration.program.title,
                              detail=" · ".join(filter(None, [status, session.place_text()])),
                              url=f"{mine}#registration-{registration.pk}"))
    return HomeSection(title=_("Classes and activities"), items=items, link_url=mine, link_text=_("My registrations"))
