"""A report as an Excel workbook: one sheet per breakdown, headed like a Party document.

Only figures, no personal data: the lists behind them are opened (and logged) on screen.
"""

from __future__ import annotations

import datetime as dt
import io

from dangvien.office.layout import Heading, heading_of
from dangvien.office.xlsx import Sheet, Workbook
from dangvien.orgs.models import Organization
from dangvien.reports import selectors

WIDTHS = [48, 16, 16, 16]


def _table(sheet: Sheet, header: list[str], rows: list[list[object]]) -> None:
    sheet.append(header, "bold")
    for row in rows:
        # Counts grouped (457.397), shares as percentages; the labels in column A as they are.
        styles = [None] + [
            "count" if isinstance(value, int) else "share" if isinstance(value, float) else None
            for value in row[1:]
        ]
        sheet.append(row, styles=styles)


def _sheet(book: Workbook, title: str, heading: Heading, name: str, when: str) -> Sheet:
    sheet = book.sheet(title, WIDTHS)
    sheet.heading(heading, name, [when])
    return sheet


def report_workbook(org: Organization, *, day: dt.date, start: dt.date, end: dt.date) -> bytes:
    heading = heading_of(org, selectors.today())
    when = f"Tính đến ngày {day:%d/%m/%Y}"
    out = io.BytesIO()
    with Workbook(out) as book:
        orgs = selectors.org_figures(org, day)
        sheet = _sheet(book, "Tổ chức", heading, "SỐ LƯỢNG TỔ CHỨC ĐẢNG", when)
        _table(sheet, ["Cấp tổ chức", "Số lượng"], [[lv.name, n] for lv, n in orgs.by_level])
        sheet.append([])
        _table(
            sheet,
            ["Tổ chức cơ sở đảng theo loại hình", "Số lượng"],
            [[kind.name if kind else "Chưa phân loại", n] for kind, n in orgs.by_kind],
        )

        for group in selectors.member_figures(org, day):
            title = f"ĐẢNG VIÊN: {group.group.title.upper()}"
            sheet = _sheet(book, group.group.title, heading, title, when)
            _table(
                sheet,
                ["Chỉ tiêu", "Số đảng viên", "Tỷ lệ"],
                [
                    [r.measure.label, r.value, r.share if r.share is not None else ""]
                    for r in group.rows
                ],
            )

        period = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
        sheet = _sheet(book, "Biến động", heading, "BIẾN ĐỘNG ĐẢNG VIÊN", period)
        counts = selectors.change_figures(org, start, end)
        _table(
            sheet, ["Biến động", "Số đảng viên"], [[lb, counts[k]] for k, lb in selectors.CHANGES]
        )
    return out.getvalue()
