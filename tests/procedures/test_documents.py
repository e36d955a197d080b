"""Documents of procedures from Word templates: each template filled from a case and its steps
(names, dates in words, votes, reference numbers, the HD 36 heading and signature), the PDF
converted from the same file, an installation's own template and a broken one, and the scope of
every download."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from tests.procedures.factories import make_admission

from dangvien.accounts.access import DECIDE, PROPOSE
from dangvien.members.models import Member, Status
from dangvien.office.pdf import FontMissing, font
from dangvien.orgs.models import Organization
from dangvien.procedures import documents
from dangvien.procedures.flows import FLOWS, StepSpec
from dangvien.procedures.models import Case, CaseDocument, CaseKind, Step
from dangvien.procedures.services import step_record

D = dt.date


def lines_of(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            lines += [p.text for p in cell.paragraphs]
    return lines


def text_of(document: CaseDocument) -> str:
    with document.file.open("rb") as handle:
        return "\n".join(lines_of(handle.read()))


def _hanoi(world) -> None:
    Organization.objects.filter(pk=world.province.pk).update(name="Đảng bộ Thành phố Hà Nội")


def _decided_admission(world) -> Case:
    """An admission of cell A through the cell's resolution (2/2 for, number 07), the ward's
    (05-NQ/ĐU) and the district's decision (number 123)."""
    _hanoi(world)
    case = make_admission(world)
    step_record(
        acting_user=world.users["secretary"],
        case=case,
        kind="cell_resolution",
        on=D(2026, 3, 16),
        present=2,
        votes_for=2,
        votes_against=0,
        reference="07",
    )
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=D(2026, 3, 20),
        reference="05-NQ/ĐU",
    )
    step_record(acting_user=world.users["upper"], case=case, kind="decision",
                on=D(2026, 4, 10), received_on=D(2026, 4, 13), reference="123")  # fmt: skip
    return Case.objects.get(pk=case.pk)


def generate(world, case: Case, form_code: str, persona: str = "secretary") -> CaseDocument:
    return documents.document_generate(
        acting_user=world.users[persona], case=case, form_code=form_code
    )


def test_the_cells_resolution_is_filled_from_the_case_and_its_vote(world):
    case = _decided_admission(world)
    document = generate(world, case, "6-KNĐ")
    assert document.generated and document.content_type == documents.DOCX
    text = text_of(document)
    assert "ĐẢNG BỘ PHƯỜNG KIM MÃ" in text and "CHI BỘ 1" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "*" in text
    assert "Số 07-NQ/CB" in text
    assert "Hà Nội, ngày 16 tháng 3 năm 2026" in text
    assert "NGHỊ QUYẾT" in text and "đề nghị kết nạp đảng viên" in text
    assert "Hoàng Văn Em" in text and "sinh ngày 01/06/1995" in text
    assert "Tổng số đảng viên chính thức của chi bộ: 2 đồng chí; có mặt: 2 đồng chí." in text
    assert "tán thành việc kết nạp: 2 đồng chí, đạt 100,00%" in text
    assert "không tán thành: 0 đồng chí" in text
    assert "đồng chí Nguyễn Văn An, đồng chí Trần Thị Bình" in text
    assert "Quy định 294-QĐ/TW" in text  # the rule in force on the meeting's day
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text
    assert "Đảng ủy phường Kim Mã" in text  # sent to the grassroots committee
    assert "{{" not in text and "{%" not in text


def test_the_grassroots_resolution_cites_the_cells(world):
    case = _decided_admission(world)
    text = text_of(generate(world, case, "8-KNĐ", "grassroots"))
    assert "ĐẢNG BỘ QUẬN BA ĐÌNH" in text and "ĐẢNG ỦY PHƯỜNG KIM MÃ" in text
    assert "Số 05-NQ/ĐU" in text and "Hà Nội, ngày 20 tháng 3 năm 2026" in text
    assert "Nghị quyết số 07 ngày 16 tháng 3 năm 2026 của Chi bộ 1" in text
    assert "2/2, đạt 100,00%" in text
    assert "đề nghị Quận ủy Ba Đình xem xét, quyết định kết nạp" in text
    assert "T/M ĐẢNG ỦY" in text


def test_the_decision_is_the_district_committees(world):
    case = _decided_admission(world)
    text = text_of(generate(world, case, "9-KNĐ", "upper"))
    assert "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI" in text and "QUẬN ỦY BA ĐÌNH" in text
    assert "Số 123-QĐ/QU" in text and "Hà Nội, ngày 10 tháng 4 năm 2026" in text
    assert "QUYẾT ĐỊNH" in text and "kết nạp đảng viên" in text
    assert "BAN THƯỜNG VỤ QUẬN ỦY BA ĐÌNH" in text
    assert "Nghị quyết số 05-NQ/ĐU ngày 20 tháng 3 năm 2026 của Đảng ủy phường Kim Mã" in text
    assert "Điều 1. Kết nạp quần chúng Hoàng Văn Em, sinh ngày 01/06/1995" in text
    assert "kể từ ngày 10 tháng 4 năm 2026" in text
    assert "T/M BAN THƯỜNG VỤ" in text


def test_before_its_step_a_document_is_dated_today_with_dots_to_fill(world):
    _hanoi(world)
    case = make_admission(world)
    document = documents.document_generate(
        acting_user=world.users["secretary"], case=case, form_code="6-KNĐ", today=D(2026, 3, 12)
    )
    text = text_of(document)
    assert "Hà Nội, ngày 12 tháng 3 năm 2026" in text
    assert "Số    -NQ/CB" in text  # the gap the clerk fills in when registering it
    assert f"có mặt: {documents.BLANK} đồng chí" in text


def _recognition_flow(monkeypatch) -> None:
    """A recognition flow producing 13-KNĐ and 16-KNĐ (the flow itself is built elsewhere; the
    templates are keyed by case kind and form code, so any flow with these codes gets them)."""
    monkeypatch.setitem(FLOWS, CaseKind.RECOGNITION, (
        StepSpec("cell_resolution", "Nghị quyết chi bộ", PROPOSE, "", vote=True,
                 form_code="13-KNĐ"),
        StepSpec("decision", "Quyết định công nhận", DECIDE, "", form_code="16-KNĐ"),
    ))  # fmt: skip


def _probationary(world, name: str, admitted: dt.date) -> Member:
    from tests.conftest import make_member

    return make_member(name, world.cell_a, gender="F", date_of_birth=D(1998, 2, 3),
                       admission_date=admitted, status=Status.PROBATIONARY)  # fmt: skip


def test_the_recognition_documents(world, monkeypatch):
    _hanoi(world)
    _recognition_flow(monkeypatch)
    member = _probationary(world, "Vũ Thị Hoa", D(2025, 4, 10))
    case = Case.objects.create(kind=CaseKind.RECOGNITION, member=member, org=world.cell_a,
                               org_path=world.cell_a.path, opened_on=D(2026, 4, 1))  # fmt: skip
    Step.objects.create(case=case, kind="cell_resolution", done_on=D(2026, 4, 20), reference="11",
                        eligible=3, present=3, votes_for=2, votes_against=1)  # fmt: skip
    Step.objects.create(case=case, kind="decision", done_on=D(2026, 5, 4), reference="456")
    assert [o.template.form_code for o in documents.offers(case)] == ["13-KNĐ", "16-KNĐ"]
    text = text_of(generate(world, case, "13-KNĐ"))
    assert "Số 11-NQ/CB" in text and "Hà Nội, ngày 20 tháng 4 năm 2026" in text
    assert "đảng viên dự bị Vũ Thị Hoa, được kết nạp vào Đảng ngày 10 tháng 4 năm 2025" in text
    assert "tán thành: 2 đồng chí, đạt 66,67%" in text and "không tán thành: 1 đồng chí" in text
    assert "chính thức kể từ ngày 10 tháng 4 năm 2026" in text
    text = text_of(generate(world, case, "16-KNĐ", "upper"))
    assert "QUẬN ỦY BA ĐÌNH" in text and "Số 456-QĐ/QU" in text
    assert "Nghị quyết số 11 ngày 20 tháng 4 năm 2026 của Chi bộ 1" in text
    assert "là đảng viên chính thức kể từ ngày 10 tháng 4 năm 2026" in text


def test_the_introduction_letter_of_a_transfer(world, monkeypatch):
    _hanoi(world)
    monkeypatch.setitem(FLOWS, CaseKind.TRANSFER_OFFICIAL, (
        StepSpec("letter", "Giấy giới thiệu", PROPOSE, "", form_code="GGT-SHĐ"),
    ))  # fmt: skip
    case = Case.objects.create(kind=CaseKind.TRANSFER_OFFICIAL, member=world.a1,
                               org=world.cell_a, org_path=world.cell_a.path,
                               other_org=world.cell_c, opened_on=D(2026, 6, 1))  # fmt: skip
    Step.objects.create(case=case, kind="letter", done_on=D(2026, 6, 5), reference="31",
                        note="chuyển công tác")  # fmt: skip
    text = text_of(generate(world, case, "GGT-SHĐ", "grassroots"))
    assert "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG" in text and "(chính thức)" in text
    assert "Số 31-GGT/ĐU" in text and "Hà Nội, ngày 05 tháng 6 năm 2026" in text
    assert "Kính gửi: Chi bộ 3" in text and "Đồng chí Nguyễn Văn An" in text
    assert "số thẻ đảng viên: 01234567" in text and "Lý do: chuyển công tác." in text
    assert "chậm nhất ngày 17/07/2026" in text  # 30 working days after the letter


def test_the_list_of_probationary_members_due(world):
    _hanoi(world)
    _probationary(world, "Vũ Thị Hoa", D(2025, 4, 10))
    _probationary(world, "Đỗ Văn Khang", D(2025, 12, 1))  # due only next year
    members = Member.objects.all()
    data = documents.probation_list_docx(members, world.grassroots1, today=D(2026, 3, 1))
    text = "\n".join(lines_of(data))
    assert "DANH SÁCH" in text and "ĐẢNG ỦY PHƯỜNG KIM MÃ" in text and "Số    -DS/ĐU" in text
    assert "Vũ Thị Hoa" in text and "10/04/2026" in text and "Chi bộ 1" in text
    assert "Đỗ Văn Khang" not in text
    assert "1 đảng viên dự bị hết 12 tháng dự bị trước ngày 30/04/2026" in text


def test_a_probation_ending_on_29_february_is_due_on_the_28th():
    assert documents._admitted_by(D(2025, 2, 28)) == D(2024, 2, 29)
    assert documents._admitted_by(D(2024, 2, 29)) == D(2023, 2, 28)
    assert documents._admitted_by(D(2026, 5, 31)) == D(2025, 5, 31)


def _has_font() -> bool:
    try:
        font("regular")
    except FontMissing:
        return False
    return True


@pytest.mark.skipif(not _has_font(), reason="no Vietnamese font on this machine")
def test_the_pdf_is_converted_from_the_same_document(world, as_persona):
    case = _decided_admission(world)
    document = generate(world, case, "6-KNĐ")
    response = as_persona("secretary").get(
        reverse("case_document_pdf", args=[case.pk, document.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "NGHỊ QUYẾT" in text and "Hoàng Văn Em" in text and "Số 07-NQ/CB" in text
    as_list = as_persona("grassroots").get(
        reverse("probation_list", args=[world.grassroots1.pk]), {"dinh-dang": "pdf"}
    )
    assert as_list.status_code == 200 and as_list.content.startswith(b"%PDF-")


def test_the_case_page_offers_the_documents_of_the_users_steps(world, as_persona):
    case = _decided_admission(world)
    url = reverse("case_detail", args=[case.pk])
    page = as_persona("secretary").get(url).content.decode()
    assert "Tạo văn bản 6-KNĐ" in page and "Tạo văn bản 8-KNĐ" in page
    assert "Tạo văn bản 9-KNĐ" not in page  # the committee above's
    page = as_persona("upper").get(url).content.decode()
    assert "Tạo văn bản 9-KNĐ" in page


def test_generating_through_the_page(world, as_persona):
    case = _decided_admission(world)
    secretary = as_persona("secretary")
    response = secretary.post(reverse("case_document_generate", args=[case.pk, "6-KNĐ"]))
    assert response.status_code == 302
    document = case.documents.get(generated=True)
    assert document.form_code == "6-KNĐ"
    page = secretary.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Đã tạo văn bản 6-KNĐ" in page
    assert reverse("case_document_pdf", args=[case.pk, document.pk]) in page
    download = secretary.get(reverse("case_document", args=[case.pk, document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == documents.DOCX
    # The decision is the committee above's: the secretary may not make it.
    refused = secretary.post(reverse("case_document_generate", args=[case.pk, "9-KNĐ"]))
    assert refused.status_code == 403
    # A form code the case does not produce.
    missing = secretary.post(reverse("case_document_generate", args=[case.pk, "1-KNĐ"]))
    assert missing.status_code == 404


def test_a_document_is_not_served_out_of_the_cases_scope(world, as_persona):
    case = _decided_admission(world)
    document = generate(world, case, "6-KNĐ")
    for name in ("case_document", "case_document_pdf"):
        url = reverse(name, args=[case.pk, document.pk])
        assert as_persona("other_upper").get(url).status_code == 404
        assert as_persona("member").get(url).status_code == 404
        assert as_persona("anonymous").get(url).status_code == 302
    generate_url = reverse("case_document_generate", args=[case.pk, "6-KNĐ"])
    assert as_persona("other_upper").post(generate_url).status_code == 404
    listed = reverse("probation_list", args=[world.grassroots1.pk])
    assert as_persona("other_upper").get(listed).status_code == 404
    assert as_persona("secretary").get(listed).status_code == 404  # keeps cell A only


# --- An installation's own templates ------------------------------------------------------------

TEMPLATE = "procedures/docx/ket_nap_nghi_quyet_chi_bo.docx"


def _override(settings, tmp_path, content: bytes) -> None:
    settings.DOCX_TEMPLATES_DIR = tmp_path / "mau"
    target = tmp_path / "mau" / TEMPLATE
    target.parent.mkdir(parents=True)
    target.write_bytes(content)


def _shipped_with(old: str, new: str) -> bytes:
    """The shipped template with one piece of its text replaced."""
    import zipfile

    from dangvien.office.docx import template_path

    source = template_path(TEMPLATE).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(item, data)
    return out.getvalue()


def test_an_installations_own_template_is_used(world, settings, tmp_path):
    case = _decided_admission(world)
    _override(settings, tmp_path, _shipped_with("NGHỊ QUYẾT", "NGHỊ QUYẾT CỦA ĐƠN VỊ"))
    assert "NGHỊ QUYẾT CỦA ĐƠN VỊ" in text_of(generate(world, case, "6-KNĐ"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a word file", "không phải tệp Word (.docx) đọc được"),
        (None, "có thẻ điền dữ liệu viết sai"),
        (None, "dùng dữ liệu không có"),
    ],
    ids=["not-a-docx", "bad-tag", "unknown-name"],
)
def test_a_broken_template_says_what_is_wrong(world, settings, tmp_path, as_persona, content,
                                              message, request):  # fmt: skip
    case = _decided_admission(world)
    if content is None:
        content = (
            _shipped_with("{{ person.full_name }}", "{{ person.full_name }")
            if "bad-tag" in request.node.name
            else _shipped_with("{{ cell }}", "{{ cel.name }}")
        )
    _override(settings, tmp_path, content)
    with pytest.raises(documents.DocumentRefused) as refused:
        generate(world, case, "6-KNĐ")
    assert message in refused.value.messages[0]
    assert "bản riêng của đơn vị" in refused.value.messages[0]
    assert not case.documents.filter(generated=True).exists()
    # Through the page: the message on the case page, never a server error.
    secretary = as_persona("secretary")
    response = secretary.post(
        reverse("case_document_generate", args=[case.pk, "6-KNĐ"]), follow=True
    )
    assert response.status_code == 200 and message in response.content.decode()


def test_a_missing_template_says_so(world, monkeypatch):
    case = _decided_admission(world)
    missing = documents.Template("6-KNĐ", (CaseKind.ADMISSION,), "Nghị quyết",
                                 "procedures/docx/khong_co.docx", documents.CELL, "NQ")  # fmt: skip
    monkeypatch.setattr(documents, "TEMPLATES", (missing,))
    with pytest.raises(documents.DocumentRefused) as refused:
        generate(world, case, "6-KNĐ")
    assert "Không tìm thấy mẫu văn bản «procedures/docx/khong_co.docx»" in refused.value.messages[0]


def test_a_long_list_is_made_by_a_job(world, as_persona, monkeypatch):
    from dangvien.jobs.models import Job
    from dangvien.procedures import document_jobs

    _probationary(world, "Vũ Thị Hoa", D(2025, 4, 10))
    monkeypatch.setattr(document_jobs, "INLINE_ROWS", 0)
    client = as_persona("grassroots")
    response = client.get(reverse("probation_list", args=[world.grassroots1.pk]))
    job = Job.objects.get(kind=document_jobs.PROBATION_LIST)
    assert response.status_code == 302 and response.url == reverse("task_detail", args=[job.pk])
    assert job.status == "done" and job.owner == world.users["grassroots"]
    download = client.get(reverse("task_download", args=[job.pk]))
    assert download.status_code == 200
    text = "\n".join(lines_of(b"".join(download.streaming_content)))
    assert "Vũ Thị Hoa" in text
    assert as_persona("other_upper").get(reverse("task_download", args=[job.pk])).status_code == 404
