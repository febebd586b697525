"""Wagtail's admin spreadsheet exports, made as safe as ``core.exports.table_response``.

Every admin listing with ``list_export`` (ours in every plugin, Wagtail's snippets, form
submissions and reports) writes through Wagtail's ``SpreadsheetExportMixin``, which escapes only
``=`` in Excel and nothing in CSV. :func:`protect_admin_exports` (called once from core's
``ready()``) makes that one mixin neutralise formula-like cells, so no plugin has to remember to.
"""

from core.exports import csv_cell, is_formula_like


def _write_csv_row(self, writer, row_dict):
    return writer.writerow({
        field: csv_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
        for field, value in row_dict.items()
    })


def _generate_xlsx_row(original):
    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for cell in original(self, worksheet, row_dict, date_format=date_format):
            if is_formula_like(cell.value):
                cell.data_type = "s"
            yield cell

    generate_xlsx_row.fengchao_safe = True
    return generate_xlsx_row


def protect_admin_exports():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin.generate_xlsx_row, "fengchao_safe", False):
        return
    SpreadsheetExportMixin.write_csv_row = _write_csv_row
    SpreadsheetExportMixin.generate_xlsx_row = _generate_xlsx_row(SpreadsheetExportMixin.generate_xlsx_row)
