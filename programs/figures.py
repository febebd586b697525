"""Programs' live figures for the office (core.figures contract), by the month a session started
and the program's community.

The no-show rate follows :func:`programs.queries.no_show_rate` (one program's rate, on the
register page): the share of seats held at sessions that have ended where nobody checked in. A
seat is a session registration holding a seat, or a whole-course registration, which holds one
at every session of its program.
"""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import bounds, combine, grouped, ratio
from core.plugins import Figure
from programs.models import Attendance, Registration, Session

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("programs.figures",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


COMMUNITY = "program__community_id"


def _sessions(start, end, now=None):
    low, high = bounds(start, end)
    return Session.objects.filter(start__gte=low, start__lt=high, start__lte=now or timezone.now())


def sessions_held(start, end):
    return grouped(_sessions(start, end), when="start", start=start, end=end, community=COMMUNITY)


def _attendances(start, end):
    low, high = bounds(start, end)
    return Attendance.objects.filter(session__start__gte=low, session__start__lt=high)


def attendances(start, end):
    return grouped(_attendances(start, end), when="session__start", start=start, end=end, community="session__program__community_id")


def attendees(start, end):
    return grouped(_attendances(start, end), when="session__start", start=start, end=end, community="session__program__community_id",
                   value=Count("registration__member", distinct=True), additive=False)


def no_show_rate(start, end):
    now = timezone.now()
    low, high = bounds(start, end)
    ended = _sessions(start, end, now).filter(end__lte=now)
    seat = list(Registration.SEAT_STATUSES)
    # Seats: session registrations at their session, and course registrations at every session.
    by_session = grouped(
        Registration.objects.filter(session__in=ended, status__in=seat),
        when="session__start", start=start, end=end, community="session__program__community_id")
    by_course = grouped(
        ended.filter(program__registrations__session__isnull=True, program__registrations__status__in=seat),
        when="start", start=start, end=end, community=COMMUNITY, value=Count("program__registrations"))
    # Check-ins of seat-holding registrations at a session their seat is for.
    came = grouped(
        Attendance.objects.filter(session__start__gte=low, session__start__lt=high, session__end__lte=now,
                                  registration__status__in=seat)
        .filter(Q(registration__session__isnull=True) | Q(registration__session=F("session"))),
        when="session__start", start=start, end=end, community="session__program__community_id")
    seats = combine(by_session, by_course)
    return ratio(combine(seats, came, sign=(1, -1)), seats)


FIGURES = (
    figure("programs.sessions_held", pgettext_lazy("figure", "Classes and activities held"), pgettext_lazy("unit", "sessions"),
           _("Sessions of classes, consultations, health services and care activities that have "
             "started, by the program's community."), sessions_held),
    figure("programs.attendances", pgettext_lazy("figure", "Attendances"), pgettext_lazy("unit", "check-ins"),
           _("Check-ins at sessions: one person at one session counts once."), attendances),
    figure("programs.attendees", pgettext_lazy("figure", "Distinct attendees"), pgettext_lazy("unit", "people"),
           _("Different people checked in at least once in the month (someone at several sessions "
             "counts once)."), attendees, additive=False),
    figure("programs.no_show_rate", pgettext_lazy("figure", "No-show rate"), "%",
           _("Of the seats held at sessions that have ended, the share where nobody checked in."),
           no_show_rate, additive=False, rate=True, decimals=1),
)
