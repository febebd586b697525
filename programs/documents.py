"""Files made for members: QR codes (core.qr), iCalendar (RFC 5545, icalendar) and PDF certificates (fpdf2).

Certificates need a font with Chinese glyphs: :func:`core.fonts.find_cjk_font` finds one.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import ical
from core.fonts import find_cjk_font

# --- iCalendar (core.ical) ------------------------------------------------------------------

def registration_ics(registration, request=None) -> bytes:
    """One event per session the registration covers, with a reminder the evening before."""
    from programs.models import Registration

    program = registration.program
    cal = ical.calendar(program.title, "programs")
    url = program.get_full_url(request) or ""
    # A calendar that already holds the event updates it by UID: a cancellation shows as such.
    status = {Registration.Status.WAITLISTED: "TENTATIVE", Registration.Status.PENDING: "TENTATIVE",
              Registration.Status.CANCELLED: "CANCELLED"}.get(registration.status, "CONFIRMED")
    for session in registration.covered_sessions():
        cal.add_component(ical.event(
            uid=f"programs-registration-{registration.pk}-session-{session.pk}@{ical.host()}",
            summary=f"{program.title}{' · ' + session.title if session.title else ''}",
            start=session.start, end=session.end, location=session.place_text(),
            description=_("Check-in code: %(code)s") % {"code": registration.check_in_code}, url=url,
            status=status, alarm_before=timedelta(hours=12), alarm_text=program.title,
        ))
    return ical.to_ics(cal)


def feed_ics(sessions, request=None) -> bytes:
    """The feed of upcoming sessions of live programs (one event each)."""
    cal = ical.calendar(_("Classes and activities"), "programs")
    for session in sessions:
        program = session.program
        cal.add_component(ical.event(
            uid=f"programs-session-{session.pk}@{ical.host()}",
            summary=f"{program.title}{' · ' + session.title if session.title else ''}",
            start=session.start, end=session.end, location=session.place_text(),
            description=program.summary, url=program.get_full_url(request) or "",
        ))
    return ical.to_ics(cal)


# --- certificates ------------------------------------------------------------------------------

def office_name():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        try:
            from home.models import OfficeSettings

            name = OfficeSettings.for_site(site).office_name
            if name:
                return name
        except Exception:  # noqa: S110 - the settings table may be missing in a minimal install
            pass
    return _("Street office")


def certificate_pdf(registration) -> bytes:
    """An A4 landscape certificate: member, course, dates, the office. Raises ProgramError('no_font')."""
    from fpdf import FPDF

    from programs.services import ProgramError

    font = find_cjk_font()
    if font is None:
        raise ProgramError("no_font", status=503)
    path, index = font
    program = registration.program
    sessions = program.session_list
    first = timezone.localtime(sessions[0].start).date()
    last = timezone.localtime(sessions[-1].end).date()
    # In the language the certificate is made in: 2026年11月3日, or 3 November 2026 (config/formats).
    dates = date_format(first) if first == last else f"{date_format(first)} – {date_format(last)}"
    name = str(registration.member)
    office = office_name()

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_("Certificate of completion"))
    pdf.set_author(office)
    pdf.set_creator("Fengchao")
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(138, 28, 18)
    pdf.set_line_width(2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_line_width(0.6)
    pdf.rect(17, 17, 263, 176)
    pdf.set_text_color(138, 28, 18)
    pdf.set_font("cjk", size=34)
    pdf.set_xy(17, 38)
    pdf.cell(263, 16, _("Certificate of completion"), align="C")
    pdf.set_text_color(17, 17, 17)
    pdf.set_font("cjk", size=18)
    pdf.set_xy(40, 75)
    body = _(
        "%(name)s took part in every session of “%(course)s” (%(count)s sessions, %(dates)s) "
        "and has completed the course."
    ) % {"name": name, "course": program.title, "count": len(sessions), "dates": dates}
    pdf.multi_cell(217, 12, body, align="C")
    pdf.set_xy(40, 150)
    pdf.set_font("cjk", size=16)
    pdf.cell(217, 10, office, align="R")
    pdf.set_xy(40, 162)
    pdf.cell(217, 10, date_format(timezone.localdate()), align="R")
    pdf.set_font("cjk", size=10)
    pdf.set_text_color(80, 80, 80)
    pdf.set_xy(17, 182)
    pdf.cell(263, 6, _("Certificate number: %(code)s") % {"code": registration.check_in_code}, align="C")
    return bytes(pdf.output())


# --- responses (the member pages and the API serve the same files) ----------------------------

def _file_response(body: bytes, content_type: str, filename: str, *, inline=False):
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


def qr_response(registration, fmt="svg"):
    """The registration's check-in code as a QR image: SVG, or PNG when ``fmt`` is "png"."""
    from core import qr

    if fmt == "png":
        return qr.png_response(registration.check_in_code)
    return qr.svg_response(registration.check_in_code, title=registration.program.title)


def registration_ics_response(registration, request=None):
    return ical.ics_response(registration_ics(registration, request), f"program-{registration.pk}.ics")


def feed_ics_response(sessions, request=None):
    return ical.ics_response(feed_ics(sessions, request), "fengchao-programs.ics", inline=True)


def certificate_response(registration):
    """The PDF certificate as a download. Raises ProgramError('no_font')."""
    return _file_response(certificate_pdf(registration), "application/pdf",
                          f"certificate-{registration.program_id}.pdf")
