"""A report as an Excel workbook: one sheet per breakdown, headed like a Party document.

Only figures, no personal data: the lists behind them are opened (and logged) on screen.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from dangvien.core.dates import document_date
from dangvien.core.paths import ancestor_ids
from dangvien.orgs.models import Organization
from dangvien.reports import selectors

BOLD = Font(bold=True)
NUMBER = "#,##0"
PERCENT = "0.00%"


def place_of(org: Organization) -> str:
    """The place a document of `org` is dated from: its province, without "Đảng bộ tỉnh"."""
    root = Organization.objects.filter(pk=ancestor_ids(org.path)[0]).only("name").first()
    name = (root or org).name
    for prefix in ("Đảng bộ", "Thành phố", "thành phố", "Tỉnh", "tỉnh"):
        name = name.removeprefix(prefix).strip()
    return name


def _heading(sheet: Worksheet, org: Organization, title: str, when: str, place: str) -> None:
    sheet.append(["ĐẢNG CỘNG SẢN VIỆT NAM"])
    sheet.append([org.name.upper()])
    sheet.append([document_date(place, selectors.today())])
    sheet.append([])
    sheet.append([title])
    sheet.append([when])
    sheet.append([])
    for row in (1, 2, 5):
        sheet.cell(row=row, column=1).font = BOLD
    sheet.cell(row=3, column=1).alignment = Alignment(horizontal="left")


def _table(sheet: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row][1:]:
            if isinstance(cell.value, int):
                cell.number_format = NUMBER
            elif isinstance(cell.value, float):
                cell.number_format = PERCENT
    sheet.column_dimensions["A"].width = 48
    for column in "BCD":
        sheet.column_dimensions[column].width = 16


def report_workbook(org: Organization, *, day: dt.date, start: dt.date, end: dt.date) -> bytes:
    place = place_of(org)
    book = Workbook()
    when = f"Tính đến ngày {day:%d/%m/%Y}"

    orgs = selectors.org_figures(org, day)
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tổ chức"
    _heading(sheet, org, "SỐ LƯỢNG TỔ CHỨC ĐẢNG", when, place)
    _table(sheet, ["Cấp tổ chức", "Số lượng"], [[lv.name, n] for lv, n in orgs.by_level])
    sheet.append([])
    _table(
        sheet,
        ["Tổ chức cơ sở đảng theo loại hình", "Số lượng"],
        [[kind.name if kind else "Chưa phân loại", n] for kind, n in orgs.by_kind],
    )

    for group in selectors.member_figures(org, day):
        sheet = book.create_sheet(group.group.title[:31])
        _heading(sheet, org, f"ĐẢNG VIÊN: {group.group.title.upper()}", when, place)
        _table(
            sheet,
            ["Chỉ tiêu", "Số đảng viên", "Tỷ lệ"],
            [
                [r.measure.label, r.value, r.share if r.share is not None else ""]
                for r in group.rows
            ],
        )

    sheet = book.create_sheet("Biến động")
    period = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    _heading(sheet, org, "BIẾN ĐỘNG ĐẢNG VIÊN", period, place)
    counts = selectors.change_figures(org, start, end)
    _table(sheet, ["Biến động", "Số đảng viên"], [[lb, counts[k]] for k, lb in selectors.CHANGES])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
