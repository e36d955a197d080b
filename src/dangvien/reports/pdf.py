"""A report as a PDF in the layout of a Party document (Hướng dẫn 36-HD/VPTW): the issuing
committee top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right with the place and date below it, the
title centred, then the tables; Vietnamese number formats (457.397; 85,39%). The fonts, the
heading and the formats come from `office`.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dangvien.office.layout import heading_of, number, percent
from dangvien.office.pdf import FontMissing, heading_table, styles
from dangvien.orgs.models import Organization
from dangvien.reports import selectors

__all__ = ["FontMissing", "report_pdf"]


def report_pdf(org: Organization, *, day: dt.date, start: dt.date, end: dt.date) -> bytes:
    style = styles()
    regular, bold = style.regular, style.bold
    story: list = [
        heading_table(heading_of(org, selectors.today()), style),
        Paragraph("BÁO CÁO SỐ LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN", style.title),
        Paragraph(f"Tính đến ngày {day:%d/%m/%Y}", style.dated),
        Spacer(1, 6 * mm),
    ]

    def table(header: list[str], rows: list[list[str]]) -> Table:
        grid = Table([header, *rows], colWidths=[100 * mm, 35 * mm, 35 * mm][: len(header)])
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), regular, 10.5),
                    ("FONT", (0, 0), (-1, 0), bold, 10.5),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return grid

    orgs = selectors.org_figures(org, day)
    story.append(Paragraph("I. TỔ CHỨC ĐẢNG", style.section))
    level_rows = [[level.name, number(n)] for level, n in orgs.by_level]
    story.append(table(["Cấp tổ chức", "Số lượng"], level_rows or [["Không có", "0"]]))
    if orgs.by_kind:
        story.append(Spacer(1, 3 * mm))
        kinds = [[k.name if k else "Chưa phân loại", number(n)] for k, n in orgs.by_kind]
        story.append(table(["Tổ chức cơ sở đảng theo loại hình", "Số lượng"], kinds))

    story.append(Paragraph("II. ĐẢNG VIÊN", style.section))
    for group in selectors.member_figures(org, day):
        rows = [[r.measure.label, number(r.value), percent(r.share)] for r in group.rows]
        story.append(table([group.group.title, "Số đảng viên", "Tỷ lệ"], rows))
        story.append(Spacer(1, 3 * mm))

    story.append(
        Paragraph(f"III. BIẾN ĐỘNG TỪ NGÀY {start:%d/%m/%Y} ĐẾN NGÀY {end:%d/%m/%Y}", style.section)
    )
    changes = selectors.change_figures(org, start, end)
    story.append(
        table(
            ["Biến động", "Số đảng viên"],
            [[lb, number(changes[k])] for k, lb in selectors.CHANGES],
        )
    )

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Báo cáo {org.name}",
    )
    document.build(story)
    return out.getvalue()
