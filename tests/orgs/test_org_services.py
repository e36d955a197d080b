"""Founding and renaming nodes of the tree: each service is one transaction with its audit rows,
and refuses bad input with a Vietnamese message while leaving everything already saved as it was.
Moving, merging, splitting and dissolving are in tests/restructuring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import audit_summaries, level, reload, snapshot_of_everything

from dangvien.core.audit import audit_trail
from dangvien.core.paths import segment
from dangvien.orgs.services import org_create, org_rename
from dangvien.restructuring.services import org_dissolve

DAY = dt.date(2024, 3, 1)
LATER = dt.date(2024, 9, 1)


@pytest.fixture
def staff(world):
    return world.users["province"]


# --- create ----------------------------------------------------------------------------------


def test_new_org_gets_its_parents_path_and_its_own_id(world, staff):
    cell = org_create(
        acting_user=staff,
        name="  Chi bộ  4 ",
        level=level("cell"),
        parent=world.grassroots1,
        on=DAY,
    )
    assert cell.name == "Chi bộ 4"
    assert cell.path == world.grassroots1.path + segment(cell.pk)
    assert cell.depth == 4
    assert audit_summaries("create")[-1] == "Thành lập «Chi bộ 4»"
    assert audit_trail(cell).get().actor == staff


def test_new_org_needs_a_name(world, staff):
    with pytest.raises(ValidationError, match="Tên tổ chức không được để trống"):
        org_create(
            acting_user=staff, name="   ", level=level("cell"), parent=world.grassroots1, on=DAY
        )


def test_new_org_cannot_sit_under_a_node_of_the_same_level(world, staff):
    with pytest.raises(
        ValidationError, match="Một chi bộ không thể trực thuộc «Chi bộ 1» \\(chi bộ\\)"
    ):
        org_create(
            acting_user=staff, name="Chi bộ 5", level=level("cell"), parent=world.cell_a, on=DAY
        )


def test_new_org_cannot_be_founded_before_its_parent(world, staff):
    before = snapshot_of_everything()
    with pytest.raises(ValidationError, match="Ngày 01/01/2010 «Đảng bộ phường Kim Mã» chưa được"):
        org_create(
            acting_user=staff,
            name="Chi bộ 5",
            level=level("cell"),
            parent=world.grassroots1,
            on=dt.date(2010, 1, 1),
        )
    assert snapshot_of_everything() == before


def test_new_org_cannot_be_placed_under_a_dissolved_one(world, staff):
    empty = org_create(
        acting_user=staff, name="Chi bộ 9", level=level("cell"), parent=world.grassroots1, on=DAY
    )
    org_dissolve(acting_user=staff, org=empty, on=LATER)
    with pytest.raises(ValidationError, match="«Chi bộ 9» đã giải thể ngày 01/09/2024"):
        org_create(
            acting_user=staff, name="Tổ đảng 1", level=level("party_group"), parent=empty, on=LATER
        )


# --- rename ----------------------------------------------------------------------------------


def test_rename_keeps_the_old_name_in_history(world, staff):
    org_rename(acting_user=staff, org=world.cell_a, name="Chi bộ Khu dân cư số 1", on=DAY)
    assert reload(world.cell_a).name == "Chi bộ Khu dân cư số 1"
    names = list(world.cell_a.history.values_list("name", "valid_from", "valid_to"))
    assert names == [
        ("Chi bộ 1", dt.date(2015, 1, 1), DAY),
        ("Chi bộ Khu dân cư số 1", DAY, None),
    ]
    assert audit_summaries("rename") == ["Đổi tên «Chi bộ 1» thành «Chi bộ Khu dân cư số 1»"]


def test_rename_to_the_same_name_is_refused(world, staff):
    with pytest.raises(ValidationError, match="Tên mới trùng với tên hiện tại «Chi bộ 1»"):
        org_rename(acting_user=staff, org=world.cell_a, name=" Chi bộ 1 ", on=DAY)


def test_changes_must_be_entered_in_date_order(world, staff):
    org_rename(acting_user=staff, org=world.cell_a, name="Chi bộ Khu 1", on=LATER)
    before = snapshot_of_everything()
    with pytest.raises(
        ValidationError, match="Ngày hiệu lực 01/03/2024 trước lần thay đổi gần nhất"
    ):
        org_rename(acting_user=staff, org=world.cell_a, name="Chi bộ Khu 2", on=DAY)
    assert snapshot_of_everything() == before


def test_two_changes_on_one_day_leave_one_state_for_that_day(world, staff):
    org_rename(acting_user=staff, org=world.cell_a, name="Chi bộ Khu 1", on=DAY)
    org_rename(acting_user=staff, org=world.cell_a, name="Chi bộ Khu 2", on=DAY)
    assert list(world.cell_a.history.values_list("name", "valid_to")) == [
        ("Chi bộ 1", DAY),
        ("Chi bộ Khu 2", None),
    ]
