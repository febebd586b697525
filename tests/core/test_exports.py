"""Exports never hand a spreadsheet program a live formula (core.exports)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.exports import table_response

EVIL = ['=HYPERLINK("http://evil.example/","点我")', "+86 138", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"]


def test_csv_cells_that_would_start_a_formula_are_text():
    response = table_response("csv", "people", ["姓名", "数量"], [[name, -3] for name in EVIL])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + name for name in EVIL]
    assert {row[1] for row in rows[1:]} == {"-3"}  # a negative number stays a number
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'


def test_xlsx_cells_that_would_start_a_formula_are_text():
    response = table_response("xlsx", "people", ["姓名", "数量"], [[name, -3] for name in EVIL],
                              title="=标题")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=3)]
    # XML keeps no bare CR: the workbook reads it back as LF, still text.
    assert [cell.value for cell in cells] == [name.replace("\r", "\n") for name in EVIL]
    assert {cell.data_type for cell in cells} == {"s"}  # no "f": nothing is evaluated
    assert sheet["A1"].data_type == "s"
    assert {row[1].value for row in sheet.iter_rows(min_row=3)} == {-3}



def test_every_admin_export_goes_through_the_safe_writer():
    """Wagtail's one export mixin (every ModelViewSet, snippet and form listing) is core's."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from core import admin_views

    assert SpreadsheetExportMixin.write_csv_row is admin_views._write_csv_row
    assert SpreadsheetExportMixin.generate_xlsx_row.fengchao_safe


@pytest.mark.django_db
def test_admin_community_export_shows_a_formula_name_as_text(client):
    from core.models import Community
    from tests.factories import UserFactory

    Community.objects.create(name="=1+1 社区", code="X1", address="@1号")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    export = client.get("/admin/snippets/core/community/", {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "'=1+1 社区" in text and "'@1号" in text
    export = client.get("/admin/snippets/core/community/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value).startswith(("=", "@"))]
    assert len(cells) == 2 and {c.data_type for c in cells} == {"s"}
