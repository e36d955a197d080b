"""The document library: files checked by content, text searched without tones, scoped, saved."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangvien.handbook.files import check_document_file
from dangvien.handbook.models import Document
from dangvien.handbook.selectors import document_search, documents_for_reader
from dangvien.handbook.services import document_publish


def pdf_with(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    from dangvien.office.pdf import font

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(font("regular"), 12)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


def docx_with(text: str) -> bytes:
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    return out.getvalue()


def publish(world, org, number, data, **fields):
    defaults = {
        "kind": Document.Kind.RESOLUTION,
        "issuer": "Ban Chấp hành Trung ương",
        "issued_on": dt.date(2024, 3, 1),
        "summary": "Về công tác xây dựng Đảng",
        "file_name": "vb.pdf",
    }
    defaults.update(fields)
    return document_publish(
        acting_user=world.users["admin"], org=org, number=number, data=data, **defaults
    )


def test_files_are_recognised_by_their_content_and_their_text_is_kept():
    pdf = check_document_file(pdf_with("Đảng viên gương mẫu học tập suốt đời"))
    assert pdf.content_type == "application/pdf"
    assert "gương mẫu" in pdf.text
    docx = check_document_file(docx_with("Chỉ thị về đảng phí"))
    assert docx.extension == "docx" and docx.text == "Chỉ thị về đảng phí"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Tệp trống"),
        (b"<html>not a pdf</html>", "Chỉ nhận tệp PDF hoặc Word"),
        (b"PK\x03\x04 but not a zip", "Tệp Word bị hỏng"),
    ],
)
def test_other_files_are_refused_in_vietnamese(data, message):
    with pytest.raises(ValidationError, match=message):
        check_document_file(data)


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.exe", b"MZ")
    with pytest.raises(ValidationError, match="Chỉ nhận tệp PDF hoặc Word"):
        check_document_file(out.getvalue())


def test_search_without_tones_finds_the_text_and_the_number(world):
    doc = publish(
        world, world.province, "21-NQ/TW", pdf_with("Tăng cường củng cố tổ chức cơ sở đảng")
    )
    publish(
        world, world.province, "05-CT/TW", docx_with("Học tập tấm gương đạo đức"), kind="chi_thi"
    )
    readable = documents_for_reader(world.users["member"])
    assert list(document_search(readable, "cung co to chuc co so")) == [doc]
    assert list(document_search(readable, "21-nq")) == [doc]
    assert list(document_search(readable, "Củng cố")) == [doc]
    assert document_search(readable, "khong co chu nay").count() == 0


def test_a_member_reads_only_the_library_of_the_chain(world, as_persona):
    mine = publish(world, world.grassroots1, "01-NQ/ĐU", pdf_with("Nghị quyết đảng ủy phường"))
    other = publish(world, world.grassroots2, "02-NQ/ĐU", pdf_with("Nghị quyết phường khác"))
    client = as_persona("member")
    assert client.get(reverse("handbook_document", args=[mine.pk])).status_code == 200
    assert client.get(reverse("handbook_document", args=[other.pk])).status_code == 404
    response = client.get(reverse("handbook_document_file", args=[mine.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("handbook_document_file", args=[other.pk])).status_code == 404


def test_bookmarks_toggle_and_filter_the_library(world, as_persona):
    doc = publish(world, world.province, "21-NQ/TW", pdf_with("Củng cố tổ chức"))
    publish(world, world.province, "22-NQ/TW", pdf_with("Khác"))
    client = as_persona("member")
    client.post(reverse("handbook_bookmark", args=[doc.pk]))
    html = client.get(reverse("handbook_library") + "?saved=on").content.decode()
    assert "21-NQ/TW" in html and "22-NQ/TW" not in html
    client.post(reverse("handbook_bookmark", args=[doc.pk]))
    html = client.get(reverse("handbook_library") + "?saved=on").content.decode()
    assert "21-NQ/TW" not in html


def test_publishing_through_the_page_refuses_a_disguised_file(world, as_persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_persona("grassroots")
    url = reverse("handbook_document_publish", args=[world.grassroots1.pk])
    fields = {
        "number": "03-KH/ĐU",
        "kind": "ke_hoach",
        "issuer": "Đảng ủy phường Kim Mã",
        "issued_on": "2026-02-03",
        "summary": "Kế hoạch học tập nghị quyết",
    }
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {**fields, "file": fake})
    assert "Chỉ nhận tệp PDF hoặc Word" in response.content.decode()
    assert not Document.objects.exists()
    real = SimpleUploadedFile("ke-hoach.docx", docx_with("Kế hoạch học tập"), "application/zip")
    response = client.post(url, {**fields, "file": real})
    document = Document.objects.get()
    assert response["Location"] == reverse("handbook_document", args=[document.pk])
    assert document.content_type.endswith("wordprocessingml.document")


def test_api_lists_and_opens_documents(world, as_persona):
    doc = publish(world, world.province, "21-NQ/TW", pdf_with("Củng cố tổ chức cơ sở"))
    client = as_persona("member")
    items = client.get("/api/v1/documents?q=cung co").json()["items"]
    assert [d["number"] for d in items] == ["21-NQ/TW"]
    assert items[0]["kind_label"] == "Nghị quyết"
    detail = client.get(f"/api/v1/documents/{doc.pk}").json()
    assert "Củng cố" in detail["text"]
    assert detail["file_url"] == reverse("handbook_document_file", args=[doc.pk])
