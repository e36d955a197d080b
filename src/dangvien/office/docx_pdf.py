"""A PDF of a filled Word document, converted from the same .docx (never laid out a second time),
through the one PDF path (`office.pdf`: its fonts and styles, reportlab).

What is carried over is what a Party document uses: paragraphs in order with their alignment,
first-line indent, bold, italic, underline and size; tables (the heading and the signature block
side by side without borders, a list with its grid); the page size and margins. Pictures,
headers and footers are left out; a document that needs them is printed from Word.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dangvien.office.pdf import Styles, styles

DEFAULT_SIZE = 13.0
ALIGNMENTS = {
    WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY: TA_JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT: TA_LEFT,
}


def docx_to_pdf(data: bytes, *, title: str = "") -> bytes:
    """The PDF of the .docx file `data` (raises `pdf.FontMissing` without a Vietnamese font)."""
    document = Document(io.BytesIO(data))
    style = styles()
    size = _default_size(document)
    section = document.sections[0]
    margins = {
        name: float(getattr(section, f"{name}_margin") or 0) / 12700  # EMU → points
        for name in ("left", "right", "top", "bottom")
    }
    page = (
        (float(section.page_width) / 12700, float(section.page_height) / 12700)
        if section.page_width and section.page_height
        else A4
    )
    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=page,
        leftMargin=margins["left"] or 72,
        rightMargin=margins["right"] or 72,
        topMargin=margins["top"] or 56,
        bottomMargin=margins["bottom"] or 56,
        title=title,
    )
    width = page[0] - pdf.leftMargin - pdf.rightMargin
    pdf.build(_flowables(document, style, size, width) or [Spacer(1, 1)])
    return out.getvalue()


def _default_size(document: DocumentObject) -> float:
    normal = document.styles["Normal"].font.size
    return normal.pt if normal is not None else DEFAULT_SIZE


def _flowables(document: DocumentObject, style: Styles, size: float, width: float) -> list:
    items: list[Flowable] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(_paragraph(DocxParagraph(child, document), style, size))
        elif child.tag == qn("w:tbl"):
            items.append(_table(DocxTable(child, document), style, size, width))
    return items


def _paragraph(paragraph: DocxParagraph, style: Styles, size: float) -> Flowable:
    runs = []
    largest = size
    for run in paragraph.runs:
        if not run.text:
            continue
        run_size = run.font.size.pt if run.font.size is not None else size
        largest = max(largest, run_size)
        font = style.bold if run.bold else style.italic if run.italic else style.regular
        text = escape(run.text).replace("\t", "    ")
        if run.underline:
            text = f"<u>{text}</u>"
        runs.append(f'<font name="{font}" size="{run_size:g}">{text}</font>')
    if not runs:
        return Spacer(1, size * 0.6)
    indent = paragraph.paragraph_format.first_line_indent
    paragraph_style = ParagraphStyle(
        "docx",
        parent=style.base,
        fontSize=size,
        leading=largest * 1.25,
        alignment=ALIGNMENTS.get(paragraph.alignment, TA_LEFT) if paragraph.alignment else TA_LEFT,
        firstLineIndent=indent.pt if indent is not None else 0,
        spaceAfter=2,
    )
    return Paragraph("".join(runs), paragraph_style)


def _table(table: DocxTable, style: Styles, size: float, width: float) -> Flowable:
    grid = [float(column.width or 0) / 12700 for column in table.columns]
    total = sum(grid)
    widths = [width * part / total for part in grid] if total else None
    rows = [
        [
            [_paragraph(paragraph, style, size) for paragraph in cell.paragraphs]
            for cell in row.cells
        ]
        for row in table.rows
    ]
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if _has_borders(table):
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    else:
        commands += [("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    return Table(rows, colWidths=widths, style=TableStyle(commands), repeatRows=0)


def _has_borders(table: DocxTable) -> bool:
    """A table drawn with lines (a list), as opposed to one only placing text side by side."""
    properties = table._tbl.tblPr
    borders = properties.find(qn("w:tblBorders")) if properties is not None else None
    if borders is None:
        return table.style is not None and "Grid" in (table.style.name or "")
    return any(edge.get(qn("w:val")) not in ("nil", "none", None) for edge in borders)


__all__ = ["docx_to_pdf"]
