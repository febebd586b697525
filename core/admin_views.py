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


def admin_js_catalog(request, *args, **kwargs):
    """Wagtail's admin JavaScript catalogue (/admin/jsi18n/) with the project's djangojs catalogue
    read after Wagtail's: the autosave messages, content metrics and block editor strings that
    Wagtail 8's zh_Hans leaves in English (locale/zh_Hans/LC_MESSAGES/djangojs.po). Django's
    JavaScriptCatalog reads only the packages it names, not LOCALE_PATHS, hence this view;
    localised like Wagtail's own (the editor's admin language)."""
    from wagtail.admin.localization import get_localized_response

    return get_localized_response(_admin_js_catalog(), request, *args, **kwargs)


def _admin_js_catalog():
    from django.conf import settings
    from django.views.i18n import JavaScriptCatalog

    class AdminJavaScriptCatalog(JavaScriptCatalog):
        def get_paths(self, packages):
            # Later paths win: Wagtail's catalogue first, then the project's (LOCALE_PATHS).
            return super().get_paths(packages) + [str(path) for path in settings.LOCALE_PATHS]

    return AdminJavaScriptCatalog.as_view(packages=["wagtail.admin"])
