"""Files made for members: QR codes (core.qr), iCalendar (RFC 5545, icalendar) and PDF certificates (fpdf2).

Certificates need a font with Chinese glyphs. On Debian install ``fonts-wqy-microhei`` (or
``fonts-noto-cjk``); :func:`find_cjk_font` looks in the usual places at run time, and the setting
``FENGCHAO_CJK_FONT`` may name a .ttf/.ttc/.otf file explicitly.
"""

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

#: (file name, face index inside a .ttc collection). Noto's collections put Simplified Chinese third.
CJK_FONT_CANDIDATES = [
    ("wqy-microhei.ttc", 0),
    ("NotoSansCJK-Regular.ttc", 2),
    ("NotoSerifCJK-Regular.ttc", 2),
    ("NotoSansCJKsc-Regular.otf", 0),
    ("wqy-zenhei.ttc", 0),
    ("DroidSansFallbackFull.ttf", 0),
]
FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")]

ICAL_TZ = "Asia/Shanghai"


# --- iCalendar ---------------------------------------------------------------------------------

def _calendar(name: str):
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Fengchao//programs//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", ICAL_TZ)
    return cal


def _event(*, uid, summary, start, end, location="", description="", url="", status="CONFIRMED"):
    from icalendar import Event

    tz = ZoneInfo(ICAL_TZ)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start.astimezone(tz))
    event.add("dtend", end.astimezone(tz))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("status", status)
    return event


def _host():
    return settings.WAGTAILADMIN_BASE_URL.split("//", 1)[-1].split("/", 1)[0] or "fengchao"


def registration_ics(registration, request=None) -> bytes:
    """One event per session the registration covers, with a reminder the evening before."""
    from icalendar import Alarm

    from programs.models import Registration

    program = registration.program
    cal = _calendar(program.title)
    url = program.get_full_url(request) or ""
    # A calendar that already holds the event updates it by UID: a cancellation shows as such.
    status = {Registration.Status.WAITLISTED: "TENTATIVE", Registration.Status.PENDING: "TENTATIVE",
              Registration.Status.CANCELLED: "CANCELLED"}.get(registration.status, "CONFIRMED")
    for session in registration.covered_sessions():
        event = _event(
            uid=f"programs-registration-{registration.pk}-session-{session.pk}@{_host()}",
            summary=f"{program.title}{' · ' + session.title if session.title else ''}",
            start=session.start, end=session.end, location=session.place_text(),
            description=_("Check-in code: %(code)s") % {"code": registration.check_in_code}, url=url,
            status=status,
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", program.title)
        alarm.add("trigger", -timedelta(hours=12))
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(sessions, request=None) -> bytes:
    """The feed of upcoming sessions of live programs (one event each)."""
    cal = _calendar(_("Classes and activities"))
    for session in sessions:
        program = session.program
        cal.add_component(_event(
            uid=f"programs-session-{session.pk}@{_host()}",
            summary=f"{program.title}{' · ' + session.title if session.title else ''}",
            start=session.start, end=session.end, location=session.place_text(),
            description=program.summary, url=program.get_full_url(request) or "",
        ))
    cal.add_missing_timezones()
    return cal.to_ical()


# --- certificates ------------------------------------------------------------------------------

def find_cjk_font():
    """(path, face index) of an installed font with Chinese glyphs, or None."""
    explicit = getattr(settings, "FENGCHAO_CJK_FONT", "")
    if explicit and Path(explicit).is_file():
        return explicit, 0
    for name, index in CJK_FONT_CANDIDATES:
        for directory in FONT_DIRS:
            base = Path(directory)
            if not base.is_dir():
                continue
            for path in base.rglob(name):
                return str(path), index
    return None


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
    dates = f"{first:%Y年%m月%d日}" if first == last else f"{first:%Y年%m月%d日} – {last:%Y年%m月%d日}"
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
    pdf.cell(217, 10, f"{timezone.localdate():%Y年%m月%d日}", align="R")
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
    return _file_response(registration_ics(registration, request), "text/calendar; charset=utf-8",
                          f"program-{registration.pk}.ics")


def feed_ics_response(sessions, request=None):
    return _file_response(feed_ics(sessions, request), "text/calendar; charset=utf-8", "fengchao-programs.ics",
                          inline=True)


def certificate_response(registration):
    """The PDF certificate as a download. Raises ProgramError('no_font')."""
    return _file_response(certificate_pdf(registration), "application/pdf",
                          f"certificate-{registration.program_id}.pdf")
