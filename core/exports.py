"""The one way a plugin hands staff a table as CSV or Excel.

Cells come from members (names, notes, addresses), and a spreadsheet program runs any cell that
starts with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and CR start one too after some
programs strip them): a member called ``=HYPERLINK("http://evil", "点我")`` would otherwise be a
live link, or worse, in the office's attendance sheet. Every export goes through
:func:`table_response`, which writes such text as plain text.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """Text that would start a formula gets a leading apostrophe (OWASP's advice for CSV), which
    spreadsheet programs show as text; numbers, including negative ones, stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def _xlsx_row(sheet, values):
    sheet.append([float(v) if isinstance(v, Decimal) else ("" if v is None else v) for v in values])
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            # openpyxl stores any string starting with "=" as a formula; as a string with Excel's
            # quote prefix it is shown exactly as typed and never evaluated.
            cell.data_type = "s"
            cell.quotePrefix = True


#: Excel number format for money columns: two decimals with thousands separators, the yuan sign
#: shown but not typed (the cell stays a number the office can add up).
MONEY_FORMAT = '"¥"#,##0.00'


def table_response(fmt, filename, header, rows, *, title=None, sheet_name=None, widths=(), number_formats=None,
                   total_row=None):
    """``rows`` (lists of cells) under ``header`` as a download: ``fmt`` "csv" (UTF-8 with BOM, so
    spreadsheet programs read Chinese) or "xlsx" (with an optional bold ``title`` row above the
    header and column ``widths``).

    ``number_formats`` ({column index: Excel number format}, e.g. :data:`MONEY_FORMAT`) formats
    those columns' numbers in Excel; ``total_row`` (a list of cells) goes under the rows, in bold
    in Excel. CSV carries plain numbers (money as 12.50), the total row as the last line and no
    title (its first line stays the header, for programs that read it).
    """
    header = [str(label) for label in header]
    rows = list(rows)
    if total_row is not None:
        rows.append(list(total_row))
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow([csv_cell(label) for label in header])
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
        return response
    if fmt != "xlsx":
        raise ValueError(f"unknown export format {fmt!r}")
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    if sheet_name:
        sheet.title = str(sheet_name)[:31]
    if title:
        _xlsx_row(sheet, [str(title)])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    _xlsx_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    # The header stays in view while the office scrolls a long list.
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for row in rows:
        _xlsx_row(sheet, row)
        for index, number_format in (number_formats or {}).items():
            cell = sheet.cell(row=sheet.max_row, column=index + 1)
            if isinstance(cell.value, (int, float)):
                cell.number_format = number_format
    if total_row is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.xlsx")
    return response

