"""A report as a PDF in the layout of a Party document (Hướng dẫn 36-HD/VPTW): the issuing
committee top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right with the place and date below it, the
title centred, then the tables; Vietnamese number formats (457.397; 85,39%).

The text needs a font with Vietnamese letters: Liberation Serif 2 (Times New Roman's metrics, the
font of Party documents; Debian's fonts-liberation2) or DejaVu Serif (fonts-dejavu-core). Without
either, `report_pdf` raises FontMissing with a message saying so.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.utils import formats
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dangvien.core.dates import document_date
from dangvien.orgs.models import Organization
from dangvien.reports import selectors
from dangvien.reports.exports import place_of

FONT_DIRS = [
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
]
FONT_FILES = {
    "regular": ["LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"],
    "bold": ["LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"],
    "italic": ["LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"],
}
# Liberation 1.x (Debian's fonts-liberation) lacks these; a font without them prints blanks.
VIETNAMESE = "ẢẠẶẦẪỆỂỄỘỐỜỮỰỸđĐơƯ"


class FontMissing(RuntimeError):
    pass


def _font(style: str) -> str:
    name = f"dangvien-{style}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    for directory in FONT_DIRS:
        for file in FONT_FILES[style]:
            if not (directory / file).exists():
                continue
            font = TTFont(name, str(directory / file))
            if all(ord(char) in font.face.charToGlyph for char in VIETNAMESE):
                pdfmetrics.registerFont(font)
                return name
    raise FontMissing(
        "Máy chủ thiếu phông chữ tiếng Việt để tạo PDF: cài gói fonts-liberation2 "
        "(hoặc fonts-dejavu-core) của Debian."
    )


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _percent(share: float | None) -> str:
    return "—" if share is None else formats.number_format(round(share * 100, 2), 2) + "%"


def report_pdf(org: Organization, *, day: dt.date, start: dt.date, end: dt.date) -> bytes:
    regular, bold, italic = _font("regular"), _font("bold"), _font("italic")
    base = ParagraphStyle("base", fontName=regular, fontSize=11, leading=14)
    head = ParagraphStyle("head", parent=base, fontName=bold, alignment=TA_CENTER, fontSize=12)
    dated = ParagraphStyle("dated", parent=base, fontName=italic, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=head, fontSize=14, leading=18, spaceBefore=12)
    section = ParagraphStyle("section", parent=base, fontName=bold, spaceBefore=10, spaceAfter=4)

    committee = org.name.upper()
    heading = Table(
        [
            [Paragraph(committee, head), Paragraph("<u>ĐẢNG CỘNG SẢN VIỆT NAM</u>", head)],
            [
                Paragraph("*", head),
                Paragraph(document_date(place_of(org), selectors.today()), dated),
            ],
        ],
        colWidths=[80 * mm, 90 * mm],
    )
    story: list = [
        heading,
        Paragraph("BÁO CÁO SỐ LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN", title),
        Paragraph(f"Tính đến ngày {day:%d/%m/%Y}", dated),
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
    story.append(Paragraph("I. TỔ CHỨC ĐẢNG", section))
    level_rows = [[level.name, _number(n)] for level, n in orgs.by_level]
    story.append(table(["Cấp tổ chức", "Số lượng"], level_rows or [["Không có", "0"]]))
    if orgs.by_kind:
        story.append(Spacer(1, 3 * mm))
        kinds = [[k.name if k else "Chưa phân loại", _number(n)] for k, n in orgs.by_kind]
        story.append(table(["Tổ chức cơ sở đảng theo loại hình", "Số lượng"], kinds))

    story.append(Paragraph("II. ĐẢNG VIÊN", section))
    for group in selectors.member_figures(org, day):
        rows = [[r.measure.label, _number(r.value), _percent(r.share)] for r in group.rows]
        story.append(table([group.group.title, "Số đảng viên", "Tỷ lệ"], rows))
        story.append(Spacer(1, 3 * mm))

    story.append(
        Paragraph(f"III. BIẾN ĐỘNG TỪ NGÀY {start:%d/%m/%Y} ĐẾN NGÀY {end:%d/%m/%Y}", section)
    )
    changes = selectors.change_figures(org, start, end)
    story.append(
        table(
            ["Biến động", "Số đảng viên"],
            [[lb, _number(changes[k])] for k, lb in selectors.CHANGES],
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
