"""Files made for volunteers: check-in QR images (core.qr), the private calendar feed (core.ical)
and the certificate of volunteer service, 志愿服务记录证明 (fpdf2, CJK font from core.fonts)."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import ical, qr
from core.fonts import find_cjk_font


def office_name():
    """The street office's name from its site settings, for the issuer line."""
    from wagtail.models import Site

    from home.models import OfficeSettings

    site = Site.objects.filter(is_default_site=True).first()
    name = OfficeSettings.for_site(site).office_name if site else ""
    return name or _("Street office")


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def verification_url(certificate):
    return absolute(reverse("volunteers:verify", args=[certificate.number]) + f"?code={certificate.verification_code}")


# --- QR and calendar ---------------------------------------------------------------------------

def signup_qr_response(signup, fmt="svg"):
    if fmt == "png":
        return qr.png_response(signup.check_in_code)
    return qr.svg_response(signup.check_in_code, title=signup.shift.opportunity.title)


def shift_qr_response(shift, fmt="svg"):
    if fmt == "png":
        return qr.png_response(shift.check_in_code)
    return qr.svg_response(shift.check_in_code, title=str(shift))


def calendar_feed(signups) -> bytes:
    """The volunteer's shifts; a withdrawn or cancelled place shows as cancelled in place."""
    from volunteers.models import SignUp

    cal = ical.calendar(_("My volunteer shifts"), "volunteers")
    for signup in signups:
        shift = signup.shift
        status = {SignUp.Status.WAITLISTED: "TENTATIVE"}.get(signup.status, "CONFIRMED")
        cal.add_component(ical.event(
            uid=f"volunteers-signup-{signup.pk}@{ical.host()}", summary=shift.opportunity.title,
            start=shift.start, end=shift.end, location=shift.place_text(),
            description=_("Check-in code: %(code)s") % {"code": signup.check_in_code},
            url=absolute(shift.opportunity.url or "") if shift.opportunity.url else "", status=status,
            alarm_before=timedelta(hours=12),
        ))
    return ical.to_ics(cal)


def calendar_response(signups):
    return ical.ics_response(calendar_feed(signups), "volunteer-shifts.ics", inline=True)


# --- the certificate ---------------------------------------------------------------------------

def certificate_pdf(certificate) -> bytes:
    """A4 portrait 志愿服务记录证明 from what the certificate kept at issue: the volunteer, each
    activity with its dates and hours, the total, the issuer, number and date, and a QR code of the
    public verification page. Raises VolunteerError('no_font') without a Chinese font."""
    from fpdf import FPDF

    from volunteers.errors import VolunteerError

    font = find_cjk_font()
    if font is None:
        raise VolunteerError("no_font", status=503)
    path, index = font
    content = certificate.content
    issuer = content.get("issuer", {})

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_("Certificate of volunteer service"))
    pdf.set_author(issuer.get("name", ""))
    pdf.set_creator("Fengchao")
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.set_auto_page_break(True, margin=30)
    pdf.add_page()
    pdf.set_font("cjk", size=22)
    pdf.cell(0, 14, _("Certificate of volunteer service"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 6, _("Certificate number: %(number)s") % {"number": certificate.number}, align="C",
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=12)
    lines = [
        _("Name: %(name)s") % {"name": content.get("name", "")},
        _("Volunteer number: %(number)s") % {"number": content.get("volunteer_number") or _("none")},
    ]
    if content.get("masked_id"):
        lines.append(_("ID card number: %(id)s") % {"id": content["masked_id"]})
    # Dates in the language the certificate is made in (config/formats): 2026年11月3日, 3 November 2026.
    lines.append(_("Period: %(start)s to %(end)s") % {"start": date_format(certificate.period_start),
                                                     "end": date_format(certificate.period_end)})
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (70, 65, 25, 30)
    pdf.set_font("cjk", size=11)
    for width, heading in zip(widths, (_("Activity"), _("Dates"), _("Times"), _("Hours")), strict=True):
        pdf.cell(width, 8, heading, border=1, align="C")
    pdf.ln()
    for row in content.get("activities", []):
        # The certificate keeps ISO dates (its content is frozen at issue); they are written out here
        # in the reader's short format: 2026年11月3日, or 3 Nov 2026.
        first, last = (date_format(date.fromisoformat(row[key]), "SHORT_DATE_FORMAT") for key in ("first", "last"))
        dates = first if first == last else f"{first} – {last}"
        cells = (_fit(pdf, row["activity"], widths[0] - 2), dates, str(row["count"]), f"{row['minutes'] / 60:.1f}")
        for width, text, align in zip(widths, cells, ("L", "C", "C", "R"), strict=True):
            pdf.cell(width, 8, text, border=1, align=align)
        pdf.ln()
    pdf.cell(sum(widths[:3]), 8, _("Total"), border=1, align="R")
    pdf.cell(widths[3], 8, f"{certificate.total_minutes / 60:.1f}", border=1, align="R")
    pdf.ln(14)
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 7, _(
        "This certifies that the volunteer above took part in the volunteer services listed, recorded by the "
        "organiser, with the approved hours shown."))
    pdf.ln(4)
    for line in (
        _("Issued by: %(name)s") % {"name": issuer.get("name", "")},
        _("Person in charge: %(name)s") % {"name": issuer.get("person_in_charge", "")},
        _("Handled by: %(name)s") % {"name": issuer.get("handler", "")},
        _("Contact: %(phone)s") % {"phone": issuer.get("contact", "")},
        _("Date of issue: %(date)s") % {"date": date_format(timezone.localtime(certificate.issued_at).date())},
    ):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    url = verification_url(certificate)
    y = pdf.get_y() + 4
    pdf.image(_qr_png_stream(url), x=pdf.w - pdf.r_margin - 40, y=y, w=40, h=40)
    pdf.set_xy(pdf.l_margin, y + 4)
    pdf.set_font("cjk", size=9)
    pdf.multi_cell(pdf.w - pdf.l_margin - pdf.r_margin - 46, 5, _(
        "Scan the code, or open %(url)s, to check that this certificate is genuine and still valid. "
        "Verification code: %(code)s") % {"url": url, "code": certificate.verification_code})
    return bytes(pdf.output())


def _fit(pdf, text, width):
    """``text`` cut (with "…") to ``width`` mm in the current font: a table cell does not wrap."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _qr_png_stream(text):
    import io

    return io.BytesIO(qr.png(text))


def certificate_response(certificate):
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{certificate.number}.pdf")
    return response
