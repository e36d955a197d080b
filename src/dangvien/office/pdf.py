"""PDF documents (reportlab): the fonts, resolved once, and the Party document heading.

The text needs a font with Vietnamese letters: Liberation Serif 2 (Times New Roman's metrics, the
font of Party documents; Debian's fonts-liberation2) or DejaVu Serif (fonts-dejavu-core). Without
either, `font` raises FontMissing with a message saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table

from dangvien.office.layout import PARTY, Heading

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


def font(style: str) -> str:
    """The registered name of the Vietnamese font for `style` (regular, bold, italic); the file
    is looked for and registered the first time only."""
    name = f"dangvien-{style}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    for directory in FONT_DIRS:
        for file in FONT_FILES[style]:
            if not (directory / file).exists():
                continue
            candidate = TTFont(name, str(directory / file))
            if all(ord(char) in candidate.face.charToGlyph for char in VIETNAMESE):
                pdfmetrics.registerFont(candidate)
                return name
    raise FontMissing(
        "Máy chủ thiếu phông chữ tiếng Việt để tạo PDF: cài gói fonts-liberation2 "
        "(hoặc fonts-dejavu-core) của Debian."
    )


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a Party document, in the Vietnamese fonts."""

    regular: str
    bold: str
    italic: str
    base: ParagraphStyle
    head: ParagraphStyle
    dated: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle


def styles() -> Styles:
    regular, bold, italic = font("regular"), font("bold"), font("italic")
    base = ParagraphStyle("base", fontName=regular, fontSize=11, leading=14)
    head = ParagraphStyle("head", parent=base, fontName=bold, alignment=TA_CENTER, fontSize=12)
    return Styles(
        regular=regular,
        bold=bold,
        italic=italic,
        base=base,
        head=head,
        dated=ParagraphStyle("dated", parent=base, fontName=italic, alignment=TA_CENTER),
        title=ParagraphStyle("title", parent=head, fontSize=14, leading=18, spaceBefore=12),
        section=ParagraphStyle("section", parent=base, fontName=bold, spaceBefore=10, spaceAfter=4),
    )


def heading_table(heading: Heading, style: Styles) -> Table:
    """The heading in two columns: on the left the issuer's lines ("*" and the reference number
    below the committee); on the right "ĐẢNG CỘNG SẢN VIỆT NAM", underlined, over the place and
    date."""
    left = heading.issuer_lines
    right = [
        Paragraph(f"<u>{PARTY}</u>", style.head),
        Paragraph(heading.dated, style.dated),
    ]
    # The committee's line faces the party line; the place and date face the "*".
    committee_at = left.index(heading.committee.upper())
    right = [""] * committee_at + right
    height = max(len(left), len(right))
    left_cells = [Paragraph(line, style.head) for line in left] + [""] * (height - len(left))
    right_cells = right + [""] * (height - len(right))
    return Table(list(zip(left_cells, right_cells, strict=True)), colWidths=[80 * mm, 90 * mm])
