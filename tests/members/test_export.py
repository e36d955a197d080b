"""Exporting member lists to Excel (members/exports.py): the table, the sổ danh sách (7-HSĐV),
scoping when the task runs, the audit entry, and the export page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from tests import xlsx
from tests.conftest import make_member

from dangvien.core.models import AuditEvent
from dangvien.jobs.models import Job
from dangvien.jobs.services import job_result_path, job_start
from dangvien.members.exports import BOOK, BOOK_COLUMNS, EXPORT, LIST, LIST_COLUMNS, write_export
from dangvien.members.models import Award, Gender, Member, Occupation, Status, WorkPeriod
from dangvien.members.services import member_set_status, members_move


def export_rows(tmp_path, user, org, layout=LIST, filters=None):
    target = tmp_path / "out.xlsx"
    count = write_export(target, user=user, org=org, layout=layout, filters=filters or {})
    rows = xlsx.rows(target)
    columns = BOOK_COLUMNS if layout == BOOK else LIST_COLUMNS
    header = next(i for i, row in enumerate(rows) if row[0] == columns[0][0])
    body = rows[header + (2 if layout == BOOK else 1) :]
    return count, rows[:header], rows[header], body, target


def test_list_has_the_heading_the_columns_and_the_members_in_name_order(world, tmp_path):
    count, heading, header, body, _ = export_rows(
        tmp_path, world.users["grassroots"], world.grassroots1
    )
    assert count == 3
    assert heading[0][0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert heading[1][0] == "ĐẢNG BỘ PHƯỜNG KIM MÃ"
    assert any(row[0] == "DANH SÁCH ĐẢNG VIÊN" for row in heading)
    assert header == [name for name, _ in LIST_COLUMNS]
    assert [row[1] for row in body] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert [row[0] for row in body] == [1, 2, 3]
    an = body[0]
    assert an[3] == dt.date(1980, 5, 17)  # a real date, shown dd/mm/yyyy
    assert an[6] == "001080012345" and an[7] == "01234567"
    assert an[11] == "Chính thức" and an[12] == "Chi bộ 1"


def test_list_keeps_to_the_scope_and_the_filters(world, tmp_path):
    _, heading, _, body, _ = export_rows(
        tmp_path, world.users["secretary"], world.grassroots1, filters={"gender": Gender.FEMALE}
    )
    assert [row[1] for row in body] == ["Trần Thị Bình"]  # Chi bộ 2 is not the secretary's
    assert any(row[0] == "Giới tính: Nữ" for row in heading)
    assert any(str(row[0]).endswith("; 1 đảng viên") for row in heading)


def test_text_that_looks_like_a_formula_stays_text(world, tmp_path):
    Member.objects.filter(pk=world.a1.pk).update(hometown='=HYPERLINK("http://x")')
    _, _, _, body, target = export_rows(tmp_path, world.users["secretary"], world.cell_a)
    assert body[0][14] == '=HYPERLINK("http://x")'  # the text as it is, no apostrophe added
    sheet = xlsx.sheet_xml(target)
    assert "HYPERLINK" in sheet and "<f>" not in sheet  # a string cell, not a formula


def book_row(body, name):
    return next(row for row in body if row[1].split("\n")[0] == name)


def test_book_has_fourteen_numbered_columns(world, tmp_path):
    _, heading, header, body, target = export_rows(
        tmp_path, world.users["secretary"], world.cell_a, layout=BOOK
    )
    assert len(header) == 14
    assert header[1].startswith("Họ và tên đang dùng")
    numbers = next(row for row in xlsx.rows(target) if row[0] == "(1)")
    assert list(numbers) == [f"({n})" for n in range(1, 15)]
    assert any(row[0] == "SỔ DANH SÁCH ĐẢNG VIÊN" for row in heading)
    an = book_row(body, "Nguyễn Văn An")
    assert an[1] == "Nguyễn Văn An\n\n17/05/1980"
    assert an[2].startswith("Nam\n")
    assert an[6].startswith("02/03/2010")


def test_book_shows_transfers_between_grassroots_organizations_only(world, tmp_path):
    # c1 comes from Chi bộ 3 (Đảng bộ phường Bưởi) into Chi bộ 1; a2 moves inside Kim Mã.
    members_move(
        acting_user=None,
        source=world.cell_c,
        target=world.cell_a,
        on=dt.date(2024, 4, 1),
        member_ids=[world.c1.pk],
    )
    members_move(
        acting_user=None,
        source=world.cell_a,
        target=world.cell_b,
        on=dt.date(2024, 5, 1),
        member_ids=[world.a2.pk],
    )
    _, _, _, body, _ = export_rows(
        tmp_path, world.users["grassroots"], world.grassroots1, layout=BOOK
    )
    dung = book_row(body, "Phạm Thị Dung")
    assert dung[10] == "01/04/2024, từ Đảng bộ phường Bưởi"
    assert dung[9] == "01/04/2024, đến Đảng bộ phường Kim Mã"
    binh = book_row(body, "Trần Thị Bình")
    assert binh[9] is None and binh[10] is None


def test_book_shows_death_leaving_badge_occupations_and_notes(world, tmp_path):
    member_set_status(
        acting_user=None,
        member=world.b1,
        status=Status.DECEASED,
        on=dt.date(2025, 2, 3),
        note="Bệnh nặng",
    )
    member_set_status(
        acting_user=None, member=world.a2, status=Status.STRUCK_OFF, on=dt.date(2025, 6, 9)
    )
    armed = Occupation.objects.get(code="luc_luong_vu_trang")
    an = Member.objects.get(pk=world.a1.pk)
    Member.objects.filter(pk=an.pk).update(occupation=armed)
    Award.objects.create(member=an, date=dt.date(2020, 2, 3), form="Huy hiệu 30 năm tuổi Đảng")
    Award.objects.create(member=an, date=dt.date(2019, 5, 1), form="Bằng khen")
    WorkPeriod.objects.create(
        member=an, start=dt.date(2005, 1, 1), end=dt.date(2012, 1, 1), description="Giáo viên"
    )
    WorkPeriod.objects.create(member=an, start=dt.date(2012, 1, 1), description="Hiệu trưởng")
    make_member(
        "Vũ Văn Dự", world.cell_a, status=Status.PROBATIONARY, admission_date=dt.date(2026, 1, 5)
    )

    _, _, _, body, _ = export_rows(
        tmp_path,
        world.users["grassroots"],
        world.grassroots1,
        layout=BOOK,
        filters={"status": "all"},
    )
    row = book_row(body, "Nguyễn Văn An")
    assert row[5] == "Giáo viên\nLực lượng vũ trang"
    assert row[7] == "01234567\n\nHuy hiệu 30 năm tuổi Đảng"
    assert row[8] == "Lực lượng vũ trang"
    assert book_row(body, "Lê Văn Cường")[11] == "03/02/2025\nBệnh nặng"
    assert book_row(body, "Trần Thị Bình")[12] == "09/06/2025\nXóa tên"
    assert book_row(body, "Vũ Văn Dự")[13] == "Đảng viên dự bị"


def test_the_task_writes_the_file_and_the_audit_entry(world):
    user = world.users["secretary"]
    task = job_start(
        acting_user=user,
        kind=EXPORT,
        params={"org": world.cell_a.pk, "layout": LIST},
        title="x",
        org=world.cell_a,
    )
    assert task.status == Job.Status.DONE, task.message
    assert task.summary == {"rows": 2, "layout": LIST}
    assert task.result_name.startswith("danh-sach-dang-vien-chi-bo-1-")
    assert len(xlsx.rows(job_result_path(task).read_bytes())) > 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor_id == user.pk and event.target_id == world.cell_a.pk
    assert event.after["rows"] == 2


def test_the_task_checks_the_rights_the_user_has_when_it_runs(world):
    task = job_start(
        acting_user=world.users["secretary"],
        kind=EXPORT,
        params={"org": world.cell_b.pk, "layout": BOOK},
        title="x",
    )
    assert task.status == Job.Status.FAILED
    assert "không còn quyền" in task.message
    assert job_result_path(task) is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_export_page_starts_the_task_and_the_file_downloads(world, as_persona):
    client = as_persona("grassroots")
    page = reverse("member_export", args=[world.grassroots1.pk])
    shown = client.get(page + "?gender=F&page=3")
    assert shown.status_code == 200
    assert "Giới tính: Nữ" in shown.content.decode()
    response = client.post(page, {"gender": "F", "layout": BOOK})
    assert response.status_code == 302
    task = Job.objects.get(kind=EXPORT)
    assert response["Location"] == reverse("task_detail", args=[task.pk])
    assert task.params == {"org": world.grassroots1.pk, "layout": BOOK, "filters": {"gender": "F"}}
    download = client.get(reverse("task_download", args=[task.pk]))
    assert download.status_code == 200
    book = xlsx.rows(b"".join(download.streaming_content))
    names = [row[1] for row in book if isinstance(row[0], int)]
    assert [n.split("\n")[0] for n in names] == ["Trần Thị Bình"]


def test_export_page_without_a_layout_says_so(world, as_persona):
    response = as_persona("secretary").post(
        reverse("member_export", args=[world.cell_a.pk]), {"layout": "pdf"}
    )
    assert response.status_code == 400
    assert "Xin chọn một mẫu xuất" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["member", "other_upper"])
def test_those_who_do_not_keep_the_records_cannot_export(world, as_persona, persona):
    response = as_persona(persona).post(
        reverse("member_export", args=[world.cell_a.pk]), {"layout": LIST}
    )
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_the_member_list_links_to_the_export_with_its_filters(world, as_persona):
    page = as_persona("secretary").get(
        reverse("org_members", args=[world.cell_a.pk]) + "?gender=F&page=1"
    )
    export = reverse("member_export", args=[world.cell_a.pk]) + "?gender=F"
    assert export in page.content.decode()
    member_page = as_persona("member").get(reverse("org_members", args=[world.cell_a.pk]))
    assert "xuat-excel" not in member_page.content.decode()
