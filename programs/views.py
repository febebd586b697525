"""Member and staff pages. Thin: every change calls :mod:`programs.services`."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.cache import cached
from core.errors import DomainError
from core.formats import local_date
from core.http import redirect_back
from programs import documents, queries, services
from programs.forms import CheckInForm, WalkInForm
from programs.models import CACHE_SECONDS, ProgramIndexPage, Registration, Session


def staff_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not services.is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- listing and program page -------------------------------------------------------------------

@require_GET
@cached("programs", seconds=CACHE_SECONDS)
def index(request):
    """The listing at /programs/; the template reads it through ``programs_tags.program_listing``,
    as the Wagtail index page's does."""
    index_page = ProgramIndexPage.objects.live().first()
    return render(request, "programs/index.html", {"index_page": index_page})


def _program_url(program):
    return program.url or reverse("programs:index")


def _id_or_none(value):
    """A database id from a form field, or None for anything else (text, 0, beyond 64 bits)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**63:
        return None
    return int(value)


@login_required
@require_POST
def register(request, program_id):
    program = get_object_or_404(queries.registrable_programs(), pk=program_id)
    session = None
    try:
        if not program.is_series:
            session_id = _id_or_none(request.POST.get("session"))
            if session_id is None:
                raise services.ProgramError("session_required", status=422)
            session = get_object_or_404(Session, pk=session_id, program=program)
        registration = services.register(request.user, program, session, channel=Registration.Channel.WEB, via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = {
            Registration.Status.CONFIRMED: _("You are registered. Your check-in code is %(code)s."),
            Registration.Status.PENDING: _("Thank you. Staff will confirm your registration soon."),
            Registration.Status.WAITLISTED: _("The class is full: you are number %(position)s on the waiting list."),
        }[registration.status] % {"code": registration.check_in_code, "position": registration.position}
        messages.success(request, text)
        return redirect("programs:my_registrations")
    return redirect(_program_url(program))


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, registration_id):
    """Cancelling asks first, on a page of its own (no JavaScript needed) that names the class and
    its day: a bare "取消" is what phone dialogs use for "close". Only that page's button
    (``confirm=yes``) cancels; anything else shows the question again."""
    registration = get_object_or_404(queries.member_registrations(request.user), pk=registration_id)
    waiting = registration.status == Registration.Status.WAITLISTED
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.cancel(request.user, registration.pk, via="page")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            text = (_("You have left the waiting list for %(title)s.") if waiting else
                    _("Your registration for %(title)s has been cancelled."))
            messages.success(request, text % {"title": registration.program.title})
        return redirect_back(request, "programs:my_registrations")
    session = registration.session
    if session is not None:
        when = local_date(timezone.localtime(session.start), "DAY_TIME_FORMAT")
    else:
        sessions = registration.program.sessions.order_by("start")
        first = sessions.first()
        when = _("Whole course, %(n)s sessions, from %(date)s") % {
            "n": sessions.count(), "date": local_date(timezone.localtime(first.start), "DAY_FORMAT") if first else "—"}
    title = pgettext("programs", "Leave the waiting list") if waiting else pgettext("programs", "Cancel the registration")
    refusal = None if registration.member_can_cancel else _("This registration can no longer be cancelled here. "
                                                            "Please call the street office.")
    return render(request, "confirm.html", {
        "title": title,
        "facts": [(_("Class or activity"), registration.program.title), (_("When"), when),
                  (_("Status"), registration.get_status_display())],
        "question": _("Leave the waiting list? Your place in the queue goes to the next person.") if waiting else
        _("Cancel this registration? Your place goes to someone else."),
        "button": pgettext("programs", "Yes, leave the waiting list") if waiting else
        pgettext("programs", "Yes, cancel the registration"),
        "back": _safe_next(request) or reverse("programs:my_registrations"),
        "back_label": _("No, keep my place"),
        "refusal": refusal, "action": request.path, "next": _safe_next(request),
    })


def _safe_next(request):
    """The ``next`` the page passed along (it returns there), when it is on this site."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


# --- my registrations and their files -----------------------------------------------------------

@login_required
def my_registrations(request):
    registrations = list(queries.member_registrations(request.user).prefetch_related("program__sessions")[:100])
    now = timezone.now()
    current = [r for r in registrations if r.is_current(now)]
    history = [r for r in registrations if r not in current]
    completed = queries.completed_program_ids(request.user) if history else set()
    for registration in history:
        registration.certificate_available = registration.program_id in completed
    return render(request, "programs/my_registrations.html", {"current": current, "history": history})


def _own(request, registration_id):
    registration = queries.member_registration(request.user, registration_id)
    if registration is None:
        raise Http404
    return registration


@login_required
def registration_qr(request, registration_id):
    return documents.qr_response(_own(request, registration_id), request.GET.get("format", "svg"))


@login_required
def registration_ics(request, registration_id):
    return documents.registration_ics_response(_own(request, registration_id), request)


@login_required
def certificate(request, program_id):
    # As the API: a draft or private program is as unknown as a made-up id (a "not completed"
    # message told that the id exists).
    program = get_object_or_404(queries.registrable_programs(), pk=program_id)
    try:
        return documents.certificate_response(services.certificate_registration(request.user, program))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("programs:my_registrations")


@require_GET
def feed(request):
    return documents.feed_ics_response(queries.upcoming_sessions(), request)


# --- staff: sessions, check-in, attendance ----------------------------------------------------

@staff_only
def staff_sessions(request):
    today = timezone.localdate()
    return render(request, "programs/staff_sessions.html", {"sessions": queries.staff_sessions(today), "today": today})


def _staff_session(session_id):
    session = queries.session_with_seats(session_id)
    if session is None:
        raise Http404
    return session


@staff_only
def check_in(request, session_id):
    """Type or scan a code; or register a walk-in and check them in at once."""
    session = _staff_session(session_id)
    form = CheckInForm(prefix="c")
    walk_in_form = WalkInForm(prefix="w")
    result = None
    if request.method == "POST":
        try:
            if "w-phone" in request.POST:
                walk_in_form = WalkInForm(request.POST, prefix="w")
                if walk_in_form.is_valid():
                    registration = services.register_for_session(
                        request.user, session, phone=walk_in_form.cleaned_data["phone"],
                        display_name=walk_in_form.cleaned_data["display_name"], channel=Registration.Channel.WALK_IN,
                        check_in=True, via="page")
                    result = {"registration": registration, "walk_in": True}
                    walk_in_form = WalkInForm(prefix="w")
            else:
                form = CheckInForm(request.POST, prefix="c")
                if form.is_valid():
                    registration, created = services.check_in(request.user, session, form.cleaned_data["code"],
                                                               via="page")
                    result = {"registration": registration, "created": created}
                    form = CheckInForm(prefix="c")
        except DomainError as exc:
            result = {"error": exc.message, "code": exc.code, "other": exc.extra.get("other")}
    session.capacity.refresh_from_db()
    rows = queries.attendance_rows(session)
    checked = sum(1 for _r, at in rows if at)
    return render(request, "programs/check_in.html", {
        "session": session, "form": form, "walk_in_form": walk_in_form, "result": result,
        "checked_count": checked, "expected_count": sum(1 for r, _at in rows if r.holds_seat),
        "recent": sorted([row for row in rows if row[1]], key=lambda row: row[1], reverse=True)[:8],
    }, status=200 if not (result and result.get("error")) else 409)


@staff_only
def attendance(request, session_id):
    session = _staff_session(session_id)
    rows = [(registration, at, queries.registrant_phone(request.user, registration.member))
            for registration, at in queries.attendance_rows(session)]
    return render(request, "programs/attendance.html", {
        "session": session, "rows": rows, "no_show_rate": queries.no_show_rate(session.program),
        "checked_count": sum(1 for _r, at, _phone in rows if at),
    })


EXPORT_HEADER = [
    gettext_lazy("Name"), gettext_lazy("Phone"), gettext_lazy("Member kind"), gettext_lazy("Status"),
    gettext_lazy("Waiting list position"), gettext_lazy("Channel"), gettext_lazy("Registered at"),
    gettext_lazy("Checked in at"),
]


def _export_rows(viewer, session):
    for registration, checked_at in queries.attendance_rows(session):
        member = registration.member
        yield [
            str(member), queries.registrant_phone(viewer, member), member.get_kind_display(), registration.get_status_display(),
            registration.position or "", registration.get_channel_display(),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(checked_at).strftime("%Y-%m-%d %H:%M") if checked_at else "",
        ]


@staff_only
def attendance_export(request, session_id, fmt):
    """Attendance as CSV or Excel, through core's safe table writer."""
    from core.exports import table_response

    session = _staff_session(session_id)
    stem = f"attendance-{session.program.slug}-{timezone.localtime(session.start):%Y%m%d-%H%M}"
    return table_response(fmt, stem, EXPORT_HEADER, list(_export_rows(request.user, session)), title=str(session),
                          sheet_name=_("Attendance"), widths=(14, 16, 16, 12, 10, 16, 18, 18))
