"""A cell's own file updates the records it keeps but creates none: new members enter by admission
or by a transfer in, and records from elsewhere are brought in by committee staff, whose import is
an action of its own in the policy (`import_create`)."""

from __future__ import annotations

from tests.members.import_files import row, xlsx
from tests.members.test_import import commit, upload

from dangvien.accounts.access import IMPORT, IMPORT_CREATE, allowed
from dangvien.members.models import Member

REFUSED = "Dòng này không khớp hồ sơ nào: chi bộ chỉ cập nhật hồ sơ đã có qua nhập tệp."


def test_a_cell_secretary_may_import_but_not_create(world):
    secretary, grassroots = world.users["secretary"], world.users["grassroots"]
    assert allowed(secretary, IMPORT, world.cell_a)
    assert not allowed(secretary, IMPORT_CREATE, world.cell_a)
    assert allowed(grassroots, IMPORT_CREATE, world.cell_a)
    assert not allowed(grassroots, IMPORT_CREATE, world.cell_c)


def test_a_new_row_in_a_secretarys_file_is_refused_and_nothing_is_written(world, as_persona):
    before = Member.objects.count()
    task, page = upload(as_persona("secretary"), xlsx([row(1)]))
    assert REFUSED in page.content.decode()
    assert task.summary["create"] == 0 and task.summary["blocking"] == 1
    assert Member.objects.count() == before


def test_the_secretary_updates_what_committee_staff_brought_in(world, as_persona):
    task, _ = upload(as_persona("grassroots"), xlsx([row(1)]))
    done, _ = commit(as_persona("grassroots"), task)
    assert done.summary["create"] == 1
    secretary = as_persona("secretary")
    task, page = upload(secretary, xlsx([row(1, **{"Họ và tên": "Nguyễn Văn Đổi"})]))
    assert REFUSED not in page.content.decode() and task.summary["update"] == 1
    done, _ = commit(secretary, task)
    assert Member.objects.filter(full_name="Nguyễn Văn Đổi").exists()
