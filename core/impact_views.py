"""The office's live figures as pages: the staff dashboard in the Wagtail admin (with its CSV,
Excel and PDF exports) and the public page /impact/. Both read core.impact."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from core import figures, impact
from core.exports import table_response

VIEW_FIGURES = "core.view_figures"
FORMATS = ("csv", "xlsx", "pdf")


def may_view_figures(user):
    return user.is_active and user.has_perm(VIEW_FIGURES)


class BadRequest(Exception):
    pass


def _month(request):
    """The month asked (?month=2026-11), this month when none is; a bad one is a 400."""
    text = request.GET.get("month")
    if not text:
        return figures.this_month()
    month = figures.parse_month(text)
    if month is None:
        raise BadRequest(_("The month must look like 2026-11."))
    return month


def _bad(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _rows_with_charts(data):
    for row in data["figures"]:
        row["chart"] = impact.year_chart(data, row)
        row["change_last"] = impact.change(row["this"], row["last"])
        row["change_year"] = impact.change(row["this"], row["last_year"])
    return data


def _groups(data):
    """The figure rows grouped by plugin, in INSTALLED_APPS order."""
    groups = []
    for row in data["figures"]:
        if not groups or groups[-1]["plugin"] != row["plugin"]:
            groups.append({"plugin": row["plugin"], "title": row["plugin_title"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def export_response(data, fmt, view, *, prefix, request=None):
    month = data["month"][:7]
    if fmt == "pdf":
        try:
            pdf = impact.monthly_pdf(data, office_name=_site_name(request))
        except impact.NoFont:
            return HttpResponse(_("No font with Chinese characters is installed, so the sheet cannot be "
                                  "drawn. Install fonts-wqy-microhei or set FENGCHAO_CJK_FONT."),
                                status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, f"{prefix}-{month}.pdf")
        return response
    if view not in impact.EXPORT_VIEWS:
        return _bad(_("Choose what to export: summary, year or communities."))
    header, rows, title = impact.export_table(data, view)
    return table_response(fmt, f"{prefix}-{view}-{month}", header, rows, title=title, sheet_name=title,
                          widths=(14, 24, 10))


def _site_name(request):
    site = Site.find_for_request(request) if request is not None else None
    return site.site_name if site and site.site_name else ""


def dashboard(request):
    """Office staff's view of a month: every enabled plugin's figures this month against last
    month and the same month last year, each community, and the twelve months to it as charts
    with their tables; ?format=csv|xlsx&view=summary|year|communities or ?format=pdf exports."""
    if not may_view_figures(request.user):
        raise PermissionDenied
    try:
        month = _month(request)
    except BadRequest as exc:
        return _bad(str(exc))
    fmt = request.GET.get("format")
    if fmt and fmt not in FORMATS:
        return _bad(_("The format must be csv, xlsx or pdf."))
    data = impact.office_view(month)
    if fmt:
        return export_response(data, fmt, request.GET.get("view", "summary"), prefix="figures", request=request)
    _rows_with_charts(data)
    return TemplateResponse(request, "core/impact/dashboard.html", {
        "title": gettext_lazy("Live figures"),
        "data": data, "groups": _groups(data), "month": month,
        "month_value": f"{month:%Y-%m}", "month_label": impact.month_label(month),
        "previous": f"{figures.add_months(month, -1):%Y-%m}", "next": f"{figures.add_months(month, 1):%Y-%m}",
        "export_views": [("summary", _("This month")), ("year", _("Twelve months")),
                         ("communities", _("By community"))],
        "may_choose_public": request.user.has_perm("core.change_impactsettings"),
    })


def public(request):
    """The figures the office chose to publish (/impact/): totals, and per-community counts with
    small numbers hidden; nothing about any one person."""
    try:
        month = _month(request)
    except BadRequest as exc:
        return _bad(str(exc))
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    data = impact.public_view(site, month)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(data, request.GET["format"], request.GET.get("view", "summary"),
                               prefix="public-figures")
    _rows_with_charts(data)
    return TemplateResponse(request, "core/impact/public.html", {
        "data": data, "groups": _groups(data), "month": month, "month_value": f"{month:%Y-%m}",
        "month_label": impact.month_label(month),
        "previous": f"{figures.add_months(month, -1):%Y-%m}", "next": f"{figures.add_months(month, 1):%Y-%m}",
        "threshold": data.get("threshold"),
    })
