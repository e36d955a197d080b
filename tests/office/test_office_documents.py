"""Word documents from templates and the PDF path (office/docx.py, office/pdf.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.template import TemplateDoesNotExist
from docx import Document
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from dangvien.office import pdf
from dangvien.office.docx import render_docx
from dangvien.office.layout import Heading, Signature, reference


def decision() -> dict:
    return {
        "heading": Heading(
            committee="Đảng ủy phường Kim Mã & Giảng Võ",
            place="Hà Nội",
            day=dt.date(2018, 4, 3),
            superior="Đảng bộ quận Ba Đình",
            reference=reference(12, "QĐ", "ĐU"),
        ),
        "kind": "Quyết định",
        "subject": "về việc kết nạp đảng viên",
        "preamble": ["- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"],
        "decides": "Quyết định",
        "body": ["Điều 1. Kết nạp đồng chí Nguyễn Văn An vào Đảng.", "Điều 2. Thi hành."],
        "recipients": ["Như Điều 2", "Chi bộ 1"],
        "signature": Signature("Đảng ủy", "Bí thư", "Trần Văn Bình"),
    }


def text_of(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            lines += [p.text for p in cell.paragraphs]
    return lines


def test_a_decision_is_filled_and_opens_in_word():
    lines = text_of(render_docx("office/quyet_dinh.docx", decision()))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert "ĐẢNG BỘ QUẬN BA ĐÌNH" in lines
    assert "ĐẢNG ỦY PHƯỜNG KIM MÃ & GIẢNG VÕ" in lines  # escaped, the file still opens
    assert "*" in lines and "Số 12-QĐ/ĐU" in lines
    assert "Hà Nội, ngày 03 tháng 4 năm 2018" in lines
    assert "QUYẾT ĐỊNH" in lines and "về việc kết nạp đảng viên" in lines
    assert "Điều 1. Kết nạp đồng chí Nguyễn Văn An vào Đảng." in lines
    assert "- Chi bộ 1," in lines
    assert "T/M ĐẢNG ỦY" in lines and "BÍ THƯ" in lines and "Trần Văn Bình" in lines
    assert not any("{{" in line or "{%" in line for line in lines)


def test_without_a_superior_committee_its_line_is_left_out():
    context = decision()
    context["heading"] = Heading(committee="Chi bộ 1", place="Huế", day=dt.date(2021, 2, 14))
    lines = text_of(render_docx("office/quyet_dinh.docx", context))
    assert "CHI BỘ 1" in lines and "Huế, ngày 14 tháng 02 năm 2021" in lines
    assert "ĐẢNG BỘ QUẬN BA ĐÌNH" not in lines


def test_an_unknown_template_says_so():
    with pytest.raises(TemplateDoesNotExist):
        render_docx("office/khong_co.docx", {})


def test_a_pdf_is_headed_like_a_party_document():
    try:
        style = pdf.styles()
    except pdf.FontMissing:
        pytest.skip("no Vietnamese font on this machine")
    heading = Heading(
        committee="Đảng bộ phường Kim Mã",
        place="Hà Nội",
        day=dt.date(2018, 4, 3),
        reference="Số 7-BC/ĐU",
    )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(
        [pdf.heading_table(heading, style), Paragraph("BÁO CÁO", style.title)]
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ PHƯỜNG KIM MÃ", "Số 7-BC/ĐU", "BÁO CÁO"):
        assert line in text
    assert "ngày 03 tháng 4 năm 2018" in text


def test_fonts_are_registered_once():
    try:
        first = pdf.font("regular")
    except pdf.FontMissing:
        pytest.skip("no Vietnamese font on this machine")
    assert pdf.font("regular") == first == "dangvien-regular"
