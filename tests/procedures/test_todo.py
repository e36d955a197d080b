"""The to-do list: each case on the list of whoever records its next step, probations ending and
certificates expiring on the cell's list, rolled up for upper levels, nothing outside the scope."""

from __future__ import annotations

import datetime as dt

from tests.conftest import make_member
from tests.procedures.factories import make_admission, make_candidate

from dangvien.members.models import Status
from dangvien.procedures.models import Case
from dangvien.procedures.services import step_record
from dangvien.procedures.todo import todo_for

D = dt.date


def whats(todo):
    return [(line.what, line.subject) for line in todo.lines]


def test_a_case_is_on_the_list_of_whoever_records_its_next_step(world):
    case = make_admission(world, dossier=False)
    secretary, upper = world.users["secretary"], world.users["upper"]
    today = D(2026, 3, 12)
    assert ("Hoàn thành hồ sơ xin vào Đảng", "Hoàng Văn Em") in whats(todo_for(secretary, today))
    assert Case.objects.get(pk=case.pk).next_step == ""  # no step yet: the flow's first

    case = make_admission(world, full_name="Đỗ Thị Hoa")  # dossier recorded on 10/03
    step_record(acting_user=secretary, case=case, kind="cell_resolution", on=D(2026, 3, 16),
                present=2, votes_for=2, votes_against=0)  # fmt: skip
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 20))  # fmt: skip
    case.refresh_from_db()
    assert case.next_step == "decision"
    # The decision is the committee's: on its list with the deadline, not on the cell's.
    assert ("Quyết định kết nạp đảng viên", "Đỗ Thị Hoa") not in whats(todo_for(secretary, today))
    line = next(x for x in todo_for(upper, D(2026, 6, 10)).lines if x.subject == "Đỗ Thị Hoa")
    assert line.what == "Quyết định kết nạp đảng viên"
    assert line.deadline == case.next_deadline == D(2026, 6, 11)  # 60 working days
    assert (line.days_left, line.overdue) == (1, False)
    assert line.url == f"/thu-tuc/{case.pk}/buoc/decision/"
    late = next(x for x in todo_for(upper, D(2026, 6, 15)).lines if x.subject == "Đỗ Thị Hoa")
    assert late.overdue and late.overdue_days == 2
    # Out of scope: the other district's committee sees neither case.
    assert todo_for(world.users["other_upper"], today).lines == []


def test_probations_ending_are_on_the_cell_list_until_a_recognition_case_opens(world):
    # Admitted 31/03/2025: probation ends 31/03/2026; 30 working days later is 15/05/2026
    # (Giỗ Tổ 27/04, 30/04 and 01/05 are off).
    soon = make_member("Vũ Văn Khánh", world.cell_a, status=Status.PROBATIONARY,
                       admission_date=D(2025, 3, 31))  # fmt: skip
    make_member(
        "Ngô Thị Lan", world.cell_a, status=Status.PROBATIONARY, admission_date=D(2025, 9, 1)
    )  # fmt: skip  (ends 01/09/2026: not yet)
    secretary = world.users["secretary"]
    todo = todo_for(secretary, D(2026, 3, 10))
    line = next(x for x in todo.lines if x.subject == "Vũ Văn Khánh")
    assert line.what.startswith("Xét công nhận đảng viên chính thức (hết dự bị 31/03/2026")
    assert line.deadline == D(2026, 5, 15)
    assert line.url == f"/dang-vien/{soon.pk}/cong-nhan-chinh-thuc/"
    assert "Ngô Thị Lan" not in [x.subject for x in todo.lines]
    assert todo_for(world.users["other_upper"], D(2026, 3, 10)).lines == []

    # Past the deadline: counted as overdue in the roll-up of the upper levels, by cell.
    make_member("Đinh Văn Long", world.cell_b, status=Status.PROBATIONARY,
                admission_date=D(2025, 1, 2))  # fmt: skip
    rollup = todo_for(world.users["province"], D(2026, 5, 18)).rollup
    late = next(r for r in rollup if r.what.startswith("Đảng viên dự bị quá hạn"))
    assert (late.count, late.cells) == (2, 2)  # Khánh (from 16/05) and Long, cells A and B

    Case.objects.create(kind="recognition", member=soon, org=world.cell_a,
                        org_path=world.cell_a.path, opened_on=D(2026, 3, 11))  # fmt: skip
    # Now the case's next step is the line: opening one is no longer asked for.
    lines = [x for x in todo_for(secretary, D(2026, 3, 12)).lines if x.subject == "Vũ Văn Khánh"]
    assert len(lines) == 1 and not lines[0].what.startswith("Xét công nhận")
    assert lines[0].url.endswith("/buoc/dossier/")


def test_certificates_about_to_expire(world):
    # Valid five years: issued 20/04/2021, valid until 19/04/2026.
    make_candidate(world, full_name="Lý Thị Mai", class_certificate_date=D(2021, 4, 20))
    make_candidate(world, full_name="Tạ Văn Nam", class_certificate_date=D(2023, 4, 20))
    line = next(
        x for x in todo_for(world.users["secretary"], D(2026, 4, 1)).lines
        if x.subject == "Lý Thị Mai"
    )  # fmt: skip
    assert line.deadline == D(2026, 4, 19) and "sắp hết hạn" in line.what
    subjects = [x.subject for x in todo_for(world.users["secretary"], D(2026, 4, 1)).lines]
    assert "Tạ Văn Nam" not in subjects
    # Expired already: no longer "about to".
    later = [x.subject for x in todo_for(world.users["secretary"], D(2026, 4, 20)).lines]
    assert "Lý Thị Mai" not in later


def test_the_roll_up_counts_open_cases_by_kind_and_cell(world):
    make_admission(world, dossier=False)
    make_admission(world, dossier=False, full_name="Đỗ Thị Hoa")
    todo = todo_for(world.users["upper"], D(2026, 3, 12))
    row = next(r for r in todo.rollup if "kết nạp" in r.what)
    assert (row.count, row.overdue, row.cells) == (2, 0, 1)
    assert row.url == "/thu-tuc/?thu-tuc=admission"
    assert not todo.wide  # one cell: the lines say it all


def test_the_home_page_shows_the_list(world, as_persona):
    make_admission(world, dossier=False)
    page = as_persona("secretary").get("/").content.decode()
    assert "Việc cần làm" in page and "Hoàn thành hồ sơ xin vào Đảng" in page
