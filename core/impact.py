"""The office's live figures as its views read them: the staff dashboard, the home-page panel, the
exports, the monthly PDF sheet, the public page and the API all call these (core.figures holds the
contract and the computation, core.charts the drawing).

What the public sees is decided here, once: only the figures the office chose (ImpactSettings),
totals by month, and per-community counts with every small number hidden (core.figures.suppress).
Rates are never shown per community in public: a rate hides how few people it is about.
"""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from core import charts, figures
from core.models import Community, ImpactSettings


def communities():
    return list(Community.objects.order_by("name").values_list("id", "name"))


def office_view(month: datetime.date) -> dict:
    """Every enabled plugin's figures for ``month`` (core.figures.dashboard), plain data."""
    return figures.dashboard(month, communities())


def month_label(month) -> str:
    if isinstance(month, str):
        month = datetime.date.fromisoformat(month)
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def short_month(month) -> str:
    """The month's number, as a chart's axis shows it: "12月" would not fit under a bar on a
    phone; the chart's description and the table beside it name the months in full."""
    if isinstance(month, str):
        month = datetime.date.fromisoformat(month)
    return str(month.month)


def change(now, before):
    """(now - before) as a signed string, or "" when either is missing."""
    if now is None or before is None:
        return ""
    from decimal import Decimal

    diff = Decimal(str(now)) - Decimal(str(before))
    return f"+{diff}" if diff > 0 else f"{diff}"


# --- charts -------------------------------------------------------------------------------------

def year_chart(data, row) -> dict:
    """The year-by-month chart of one figure row of ``data`` (office_view or public_view): bars
    stacked by community when the figure adds up and is broken down, plain month totals otherwise;
    with its legend and the table that is its text equivalent."""
    labels = [short_month(m) for m in data["months"]]
    stack = row["additive"] and any(m.get("by_community") for m in row["by_month"])
    if stack:
        series = []
        for index, c in enumerate(data["communities"]):
            values = [m["by_community"].get(str(c["id"])) for m in row["by_month"]]
            if any(values):
                series.append((c["name"], index, values))
        rest = [(_num(m["value"]) or 0) - sum(_num(v) or 0 for v in m["by_community"].values())
                for m in row["by_month"]]
        if any(v > 0 for v in rest):
            series.append((_("No community / not shown"), None, rest))
    else:
        series = [(row["name"], 0, [m["value"] for m in row["by_month"]])]
    high = max((m["value"] for m in row["by_month"] if m["value"] is not None), key=_num, default=None)
    description = _("%(name)s in %(unit)s, month by month from %(first)s to %(last)s%(stacked)s. "
                    "Highest: %(high)s. The table beside the chart gives every value.") % {
        "name": row["name"], "unit": row["unit"], "first": month_label(data["months"][0]),
        "last": month_label(data["months"][-1]), "high": charts.number(high, row["decimals"]),
        "stacked": _(", each bar split by community") if stack else ""}
    svg = charts.bar_chart(chart_id=f"chart-{row['key'].replace('.', '-')}".replace(" ", "-"),
                           title=_("%(name)s, the last twelve months") % {"name": row["name"]},
                           description=description, labels=labels, series=series, decimals=row["decimals"],
                           unit=row["unit"] if len(row["unit"]) < 3 else "")
    table = [(month_label(m["month"]), m["value"]) for m in row["by_month"]]
    return {"svg": svg, "legend": charts.legend(series) if stack else "", "table": table}


def _num(value):
    from decimal import Decimal

    return None if value is None else Decimal(str(value))


# --- what the public sees -----------------------------------------------------------------------

def public_settings(site) -> ImpactSettings:
    return ImpactSettings.for_site(site)


def public_view(site, month: datetime.date) -> dict:
    """Only the chosen figures (and never one that may not be public), for ``month`` and the year
    to it: totals, and per-community counts with the small ones hidden (None)."""
    if site is None:
        return {"month": month.isoformat(), "months": [], "communities": [], "figures": [], "threshold": 5}
    setting = public_settings(site)
    chosen = [f for f in figures.all_figures() if f.key in set(setting.public_figures or ()) and f.may_be_public]
    data = figures.dashboard(month, communities(), chosen) if chosen else {
        "month": month.isoformat(), "months": [], "communities": [], "figures": []}
    for row in data["figures"]:
        if row["rate"]:
            row["by_community"] = []
            for m in row["by_month"]:
                m["by_community"] = {}
            continue
        ids = [c["id"] for c in row["by_community"]]
        kept = figures.suppress([_int(c["value"]) for c in row["by_community"]], setting.threshold)
        for c, value in zip(row["by_community"], kept, strict=True):
            c["suppressed"] = value is None and c["value"] is not None
            c["value"] = value if not row["decimals"] else (None if c["suppressed"] else c["value"])
        for m in row["by_month"]:
            values = [_int(m["by_community"].get(str(cid))) for cid in ids]
            hidden = figures.suppress(values, setting.threshold)
            m["by_community"] = {str(cid): v for cid, v in zip(ids, hidden, strict=True) if v is not None}
        row.pop("no_community", None)
    data["threshold"] = setting.threshold
    return data


def _int(value):
    """A count for suppression; amounts (decimals) are compared by their whole part."""
    if value is None:
        return None
    return int(float(value))


# --- exports ------------------------------------------------------------------------------------

EXPORT_VIEWS = ("summary", "year", "communities")


def export_table(data, view):
    """(header, rows, title) of one view of the figures, for core.exports.table_response."""
    month = month_label(data["month"])
    if view == "summary":
        header = [_("Service"), _("Figure"), _("Unit"), month, _("Last month"), _("Same month last year")]
        rows = [[r["plugin_title"], r["name"], r["unit"], r["this"], r["last"], r["last_year"]]
                for r in data["figures"]]
        title = _("Figures for %(month)s") % {"month": month}
    elif view == "year":
        header = [_("Service"), _("Figure"), _("Unit"), *[month_label(m) for m in data["months"]], _("Total")]
        rows = [[r["plugin_title"], r["name"], r["unit"], *[m["value"] for m in r["by_month"]], r["year_total"]]
                for r in data["figures"]]
        title = _("Figures by month, the twelve months to %(month)s") % {"month": month}
    elif view == "communities":
        header = [_("Service"), _("Figure"), _("Unit"), *[c["name"] for c in data["communities"]],
                  _("No community"), _("Total")]
        rows = [[r["plugin_title"], r["name"], r["unit"], *[c["value"] for c in r["by_community"]],
                 r.get("no_community"), r["this"]] for r in data["figures"]]
        title = _("Figures by community for %(month)s") % {"month": month}
    else:
        raise ValueError(view)
    return header, [[_cell(v) for v in row] for row in rows], title


def _cell(value):
    from decimal import Decimal

    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


# --- the printable monthly sheet ---------------------------------------------------------------

class NoFont(Exception):
    """No font with Chinese glyphs is installed (core.fonts): the sheet cannot be drawn."""


def monthly_pdf(data, *, office_name="") -> bytes:
    """The monthly sheet (A4, fpdf2, the CJK font from core.fonts) the office files with its
    report: every figure this month against last month and the same month last year, then, in
    landscape, each figure by community."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from core.fonts import find_cjk_font

    font = find_cjk_font()
    if font is None:
        raise NoFont
    path, index = font
    month = month_label(data["month"])
    title = _("Monthly figures, %(month)s") % {"month": month}
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author(office_name)
    pdf.set_creator("Fengchao")
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("cjk", size=9)
    if office_name:
        pdf.cell(0, 6, office_name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    header, rows, _title = export_table(data, "summary")
    widths = (30, 52, 20, 30, 30, 28)
    _pdf_table(pdf, widths, header, rows, XPos, YPos)
    if not rows:
        pdf.cell(0, 8, _("No plugin counts figures on this site."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    header, rows, table_title = export_table(data, "communities")
    if rows and data["communities"]:
        chunk = 7
        names = header[3:]
        for start in range(0, len(names), chunk):
            pdf.add_page(orientation="L")
            pdf.set_font("cjk", size=12)
            pdf.cell(0, 8, table_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            part = slice(3 + start, 3 + start + chunk)
            cols = names[start:start + chunk]
            widths = (30, 55, 18, *([min(28, 174 / max(1, len(cols)))] * len(cols)))
            _pdf_table(pdf, widths, [*header[:3], *cols], [[*r[:3], *r[part]] for r in rows], XPos, YPos)
    pdf.set_font("cjk", size=8)
    pdf.ln(4)
    pdf.multi_cell(0, 5, _("Counted by Fengchao from what each service recorded; '–' means there is nothing "
                           "to count (a rate with no seats held)."))
    return bytes(pdf.output())


def _pdf_table(pdf, widths, header, rows, XPos, YPos):
    pdf.set_font("cjk", size=8)
    for width, text in zip(widths, header, strict=False):
        pdf.cell(width, 7, str(text)[:18], border=1, align="C")
    pdf.ln()
    for row in rows:
        for i, (width, value) in enumerate(zip(widths, row, strict=False)):
            text = "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
            pdf.cell(width, 6, text[:24], border=1, align="R" if i >= 3 else "L")
        pdf.ln()
