"""Importing members from Excel and CSV: check first, then write all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.members.import_files import HEADER, csv_bytes, row, xlsx
from tests.xlsx import rows as xlsx_rows

from dangvien.core.models import AuditEvent
from dangvien.jobs.models import Job
from dangvien.members.models import Member, Membership, NameKey, Status, StatusPeriod


def upload(client, content: bytes, name: str = "danh-sach.xlsx", **data):
    file = SimpleUploadedFile(name, content)
    response = client.post(reverse("import_start"), {"file": file, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Job.objects.order_by("-id").first()
    return task, client.get(response["Location"])


def commit(client, task):
    response = client.post(reverse("import_commit", args=[task.pk]))
    assert response.status_code == 302
    done = Job.objects.order_by("-id").first()
    return done, client.get(response["Location"])


@pytest.fixture
def staff(world, as_persona):
    return as_persona("grassroots")


def test_a_clean_file_is_checked_then_written_with_status_and_membership(world, staff):
    task, page = upload(staff, xlsx([row(1), row(2)]))
    assert task.status == "done", task.message
    text = page.content.decode()
    assert "Sẽ tạo mới" in text and "Ghi dữ liệu (2 mới, 0 cập nhật)" in text
    assert not Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").exists()

    done, page = commit(staff, task)
    assert done.status == "done", done.message
    assert "Đã tạo 2, cập nhật 0, không thay đổi 0" in page.content.decode()
    member = Member.objects.get(citizen_id="001080000001")
    assert member.full_name == "Nguyễn Văn Thử 1"
    assert member.org == world.cell_a and member.org_path == world.cell_a.path
    assert member.status == Status.OFFICIAL
    assert member.ethnicity.name == "Kinh"
    assert StatusPeriod.objects.filter(member=member, valid_to__isnull=True).count() == 1
    assert Membership.objects.get(member=member).org == world.cell_a
    assert AuditEvent.objects.filter(target_type="jobs.job", target_id=done.pk).exists()
    assert AuditEvent.objects.filter(target_type="members.member", target_id=member.pk).exists()
    assert NameKey.objects.filter(member=member, key="thu 1").exists()


def test_the_same_file_twice_changes_nothing_the_second_time(world, staff):
    content = xlsx([row(1), row(2)])
    task, _ = upload(staff, content)
    commit(staff, task)
    count = Member.objects.count()
    again, page = upload(staff, content)
    assert again.summary["unchanged"] == 2 and again.summary["create"] == 0
    assert "Không có gì cần ghi" in page.content.decode()
    assert Member.objects.count() == count


def test_a_changed_row_updates_the_member_found_by_cccd(world, staff):
    task, _ = upload(staff, xlsx([row(1)]))
    commit(staff, task)
    task, _ = upload(staff, xlsx([row(1, **{"Họ và tên": "Nguyễn Văn Đổi"})]))
    assert task.summary["update"] == 1
    done, _ = commit(staff, task)
    assert done.summary["update"] == 1
    member = Member.objects.get(citizen_id="001080000001")
    assert member.full_name == "Nguyễn Văn Đổi" and member.name_fold == "nguyen van doi"
    # The name search finds the new name, not the old one.
    keys = set(NameKey.objects.filter(member=member).values_list("key", flat=True))
    assert keys == {"nguyen van doi", "van doi", "doi"}


def test_errors_are_reported_by_row_and_column_and_nothing_is_written(world, staff):
    rows = [
        row(1),
        row(2, **{"Ngày sinh": "31/02/1980"}),
        row(3, **{"Số CCCD": "12345"}),
        row(4, **{"Giới tính": "Khác"}),
        row(5, **{"Chi bộ": "Chi bộ 3"}),  # outside the staff's scope
        row(6, **{"Số CCCD": "001080000001"}),  # twice in the file
        row(7, **{"Ngày vào Đảng": 2010}),  # a year alone, as a number
    ]
    task, page = upload(staff, xlsx(rows))
    text = page.content.decode()
    assert task.summary["blocking"] == 6
    assert "Tệp còn 6 lỗi" in text and "Ghi dữ liệu (" not in text
    report = staff.get(reverse("task_download", args=[task.pk]))
    sheet = xlsx_rows(b"".join(report.streaming_content))
    found = {(r[0], r[1]): r[3] for r in sheet[1:]}
    assert "không có thật" in found[(3, "Ngày sinh")]
    assert "12 chữ số" in found[(4, "Số CCCD")]
    assert "Nam" in found[(5, "Giới tính")]
    assert "phạm vi" in found[(6, "Chi bộ")]
    assert "trùng với dòng 2" in found[(7, "Số CCCD")]
    assert "Chỉ có năm" in found[(8, "Ngày vào Đảng")]
    assert staff.post(reverse("import_commit", args=[task.pk])).status_code == 404
    assert not Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").exists()


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_with_headers_without_diacritics_any_order_and_a_bom(world, staff, sep):
    header = ["Chi bo", "So CCCD", "Ho ten", "Ngay vao dang", "Gioi tinh", "Ngay sinh"]
    rows = [["Chi bộ 1", "001185000009", "Lê Thị Nhập", "2010-03-02", "Nữ", "5/9/1985"]]
    task, _ = upload(staff, csv_bytes(rows, header, sep, bom=True), "ds.csv")
    assert task.summary["create"] == 1, task.summary
    commit(staff, task)
    member = Member.objects.get(citizen_id="001185000009")
    assert member.gender == "F" and member.date_of_birth.isoformat() == "1985-09-05"
    assert member.status == Status.PROBATIONARY


def test_a_cell_chosen_on_the_form_receives_a_file_without_a_cell_column(world, staff):
    header = [h for h in HEADER if h != "Chi bộ"]
    rows = [r[:-1] for r in [row(1)]]
    task, _ = upload(staff, xlsx(rows, header), org=world.cell_a.pk)
    assert task.summary["create"] == 1
    commit(staff, task)
    assert Member.objects.get(citizen_id="001080000001").org == world.cell_a


def test_a_stale_check_is_refused_when_the_database_moved(world, staff):
    task, _ = upload(staff, xlsx([row(1)]))
    other, _ = upload(staff, xlsx([row(1)]))
    commit(staff, other)
    done, _ = commit(staff, task)
    assert done.status == "failed" and "đã thay đổi" in done.message
    assert Member.objects.filter(citizen_id="001080000001").count() == 1


def test_someone_elses_import_is_not_found(world, staff, as_persona):
    task, _ = upload(staff, xlsx([row(1)]))
    other = as_persona("upper")
    assert other.get(reverse("import_detail", args=[task.pk])).status_code == 404
    assert other.get(reverse("task_download", args=[task.pk])).status_code == 404
    assert other.post(reverse("import_commit", args=[task.pk])).status_code == 404


def test_a_member_without_records_may_not_import(world, as_persona):
    client = as_persona("member")
    page = client.get(reverse("import_start"))
    assert "không nhập dữ liệu được" in page.content.decode()
    file = SimpleUploadedFile("a.xlsx", xlsx([row(1)]))
    assert client.post(reverse("import_start"), {"file": file}).status_code == 403


def test_the_api_checks_a_file_then_commits_it(world, staff):
    file = SimpleUploadedFile("ds.xlsx", xlsx([row(1)]))
    response = staff.post("/api/v1/imports", {"file": file})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "validate" and body["status"] == "done"
    assert body["counts"]["create"] == 1 and body["report_url"]
    status = staff.get(f"/api/v1/imports/{body['id']}").json()
    assert status["counts"] == body["counts"]
    committed = staff.post(f"/api/v1/imports/{body['id']}/commit")
    assert committed.status_code == 202
    assert committed.json()["counts"]["create"] == 1
    assert Member.objects.filter(citizen_id="001080000001").exists()


def test_the_api_refuses_a_file_with_errors_and_hides_others_imports(world, staff, as_persona):
    file = SimpleUploadedFile("ds.csv", csv_bytes([row(1, **{"Ngày sinh": "hôm qua"})]))
    body = staff.post("/api/v1/imports", {"file": file}).json()
    assert body["counts"]["blocking"] == 1
    assert body["problems"][0]["column"] == "Ngày sinh"
    refused = staff.post(f"/api/v1/imports/{body['id']}/commit")
    assert refused.status_code == 409 and "còn lỗi" in refused.json()["detail"]
    assert as_persona("admin").get(f"/api/v1/imports/{body['id']}").status_code == 404
    editor = as_persona("editor").post(
        "/api/v1/imports", {"file": SimpleUploadedFile("a.csv", b"x")}
    )
    assert editor.status_code == 403


def test_an_unrecognised_column_is_mapped_by_the_user_and_checked_again(world, staff):
    header = ["Họ và tên", "Giới tính", "Ngày sinh", "Mã cá nhân", "Ngày vào Đảng", "Chi bộ"]
    rows = [["Lê Văn Ánh", "Nam", "01/02/1985", "001085000777", "03/02/2015", "Chi bộ 1"]]
    task, page = upload(staff, xlsx(rows, header))
    assert task.status == "failed" and "Số CCCD" in task.message
    text = page.content.decode()
    assert "Cột «Mã cá nhân»" in text and "Kiểm tra lại với các cột đã chọn" in text
    response = staff.post(reverse("import_remap", args=[task.pk]), {"cot-Mã cá nhân": "citizen_id"})
    again = Job.objects.order_by("-id").first()
    assert response["Location"] == reverse("import_detail", args=[again.pk])
    assert again.status == "done" and again.summary["create"] == 1
    assert again.params["mapping"] == {"Mã cá nhân": "citizen_id"}


def test_record_columns_phone_education_theory_and_occupation_are_read(world, staff):
    from dangvien.members.models import EducationLevel, Occupation, TheoryLevel

    occupation = Occupation.objects.order_by("order").first()
    header = [*HEADER, "SĐT", "Giáo dục phổ thông", "Trình độ lý luận chính trị", "Nghề nghiệp"]
    rows = [[*row(1), "0912 345 678", "12/12", "trung cap", occupation.name.upper()]]
    task, _ = upload(staff, xlsx(rows, header))
    assert task.summary["create"] == 1, task.summary["problems"]
    commit(staff, task)
    member = Member.objects.get(citizen_id="001080000001")
    assert member.phone == "0912345678"
    assert member.education == EducationLevel.objects.get(code="12/12")
    assert member.theory_level == TheoryLevel.objects.get(name="Trung cấp")
    assert member.occupation == occupation
    again, _ = upload(staff, xlsx(rows, header))
    assert again.summary["unchanged"] == 1
