"""The PDF of a filled Word document (office/docx_pdf.py) and an installation's own templates
(office/docx.py): the same text in the same order, and a clear message for a broken template."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from tests.office.test_office_documents import decision

from dangvien.office import pdf
from dangvien.office.docx import TemplateBroken, render_docx, template_path
from dangvien.office.docx_pdf import docx_to_pdf


def test_the_pdf_has_the_documents_text_in_order():
    try:
        pdf.styles()
    except pdf.FontMissing:
        pytest.skip("no Vietnamese font on this machine")
    data = docx_to_pdf(render_docx("office/quyet_dinh.docx", decision()), title="Quyết định")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(reader.pages[0].extract_text().split())
    assert reader.metadata.title == "Quyết định"
    order = ["ĐẢNG BỘ QUẬN BA ĐÌNH", "Số 12-QĐ/ĐU", "QUYẾT ĐỊNH", "về việc kết nạp đảng viên",
             "Điều 1. Kết nạp đồng chí Nguyễn Văn An vào Đảng.", "Nơi nhận:", "- Chi bộ 1,",
             "T/M ĐẢNG ỦY", "Trần Văn Bình"]  # fmt: skip
    positions = [text.find(piece) for piece in order]
    assert -1 not in positions, (order, text)
    assert positions == sorted(positions)


def test_an_installations_template_wins_over_the_shipped_one(settings, tmp_path):
    settings.DOCX_TEMPLATES_DIR = tmp_path
    shipped = template_path("office/quyet_dinh.docx")
    (tmp_path / "office").mkdir()
    (tmp_path / "office" / "quyet_dinh.docx").write_bytes(shipped.read_bytes())
    assert template_path("office/quyet_dinh.docx") == tmp_path / "office" / "quyet_dinh.docx"
    (tmp_path / "office" / "quyet_dinh.docx").write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(TemplateBroken) as broken:
        render_docx("office/quyet_dinh.docx", decision())
    assert "(bản riêng của đơn vị) không phải tệp Word (.docx) đọc được" in str(broken.value)


def test_a_context_without_what_the_template_names_is_refused_clearly():
    with pytest.raises(TemplateBroken, match="dùng dữ liệu không có"):
        render_docx("office/quyet_dinh.docx", {})
