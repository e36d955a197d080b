"""The tree as it stood on any past date: names, parents, nodes created and dissolved."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import level

from dangvien.core.paths import ancestor_ids, depth_of, path_upper_bound, segment, subtree_q
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import (
    org_children_visible_to,
    subtree_on,
    tree_on,
    with_child_count,
)
from dangvien.orgs.services import org_create, org_rename
from dangvien.restructuring.services import org_dissolve, org_move

RENAMED = dt.date(2020, 6, 1)
MOVED = dt.date(2022, 1, 1)
CREATED = dt.date(2023, 5, 19)
DISSOLVED = dt.date(2024, 2, 3)


@pytest.fixture
def history(world):
    """Cell 1 renamed in 2020, Kim Mã moved to Tây Hồ in 2022, cell 4 founded 2023 and dissolved
    2024."""
    staff = world.users["province"]
    org_rename(acting_user=staff, org=world.cell_a, name="Chi bộ Khu dân cư số 1", on=RENAMED)
    org_move(acting_user=staff, org=world.grassroots1, new_parent=world.upper2, on=MOVED)
    cell4 = org_create(
        acting_user=staff,
        name="Chi bộ 4",
        level=level("cell"),
        parent=world.grassroots2,
        on=CREATED,
    )
    org_dissolve(acting_user=staff, org=cell4, on=DISSOLVED)
    return world


def names_on(day: dt.date) -> dict[str, str | None]:
    """Each node's name with its parent's name that day."""
    rows = list(tree_on(day).values_list("org_id", "name", "parent_id"))
    name_of = {org_id: name for org_id, name, _ in rows}
    return {name: name_of.get(parent_id) for _, name, parent_id in rows}


def test_tree_before_any_change_shows_the_founding_names_and_parents(history):
    assert names_on(dt.date(2019, 12, 31)) == {
        "Đảng bộ Thành phố": None,
        "Đảng bộ quận Ba Đình": "Đảng bộ Thành phố",
        "Đảng bộ quận Tây Hồ": "Đảng bộ Thành phố",
        "Đảng bộ phường Kim Mã": "Đảng bộ quận Ba Đình",
        "Đảng bộ phường Bưởi": "Đảng bộ quận Tây Hồ",
        "Chi bộ 1": "Đảng bộ phường Kim Mã",
        "Chi bộ 2": "Đảng bộ phường Kim Mã",
        "Chi bộ 3": "Đảng bộ phường Bưởi",
    }


def test_tree_on_the_rename_day_shows_the_new_name(history):
    assert "Chi bộ Khu dân cư số 1" in names_on(RENAMED)
    assert "Chi bộ 1" in names_on(RENAMED - dt.timedelta(days=1))


def test_tree_before_the_move_shows_the_old_parent(history):
    assert names_on(MOVED - dt.timedelta(days=1))["Đảng bộ phường Kim Mã"] == "Đảng bộ quận Ba Đình"
    assert names_on(MOVED)["Đảng bộ phường Kim Mã"] == "Đảng bộ quận Tây Hồ"


def test_a_node_founded_later_is_absent_before_its_founding(history):
    assert "Chi bộ 4" not in names_on(CREATED - dt.timedelta(days=1))
    assert names_on(CREATED)["Chi bộ 4"] == "Đảng bộ phường Bưởi"


def test_a_dissolved_node_is_present_until_the_day_before_its_dissolution(history):
    assert "Chi bộ 4" in names_on(DISSOLVED - dt.timedelta(days=1))
    assert "Chi bộ 4" not in names_on(DISSOLVED)
    assert "Chi bộ 4" not in names_on(dt.date.today())


def test_subtree_of_a_district_follows_the_move(history):
    def subtree_names(org: Organization, day: dt.date) -> set[str]:
        return set(subtree_on(org, day).values_list("name", flat=True))

    before, after = MOVED - dt.timedelta(days=1), MOVED
    assert subtree_names(history.upper1, before) == {
        "Đảng bộ quận Ba Đình",
        "Đảng bộ phường Kim Mã",
        "Chi bộ Khu dân cư số 1",
        "Chi bộ 2",
    }
    assert subtree_names(history.upper1, after) == {"Đảng bộ quận Ba Đình"}
    assert subtree_names(history.upper2, after) == {
        "Đảng bộ quận Tây Hồ",
        "Đảng bộ phường Bưởi",
        "Chi bộ 3",
        "Đảng bộ phường Kim Mã",
        "Chi bộ Khu dân cư số 1",
        "Chi bộ 2",
    }


def test_subtree_of_a_node_that_did_not_exist_yet_is_empty(history):
    cell4 = Organization.objects.get(name="Chi bộ 4")
    assert not subtree_on(cell4, CREATED - dt.timedelta(days=1)).exists()
    assert not subtree_on(cell4, DISSOLVED).exists()


def test_history_paths_are_the_paths_of_their_time(history):
    cell_a_then = tree_on(MOVED - dt.timedelta(days=1)).get(org=history.cell_a)
    cell_a_now = tree_on(MOVED).get(org=history.cell_a)
    assert ancestor_ids(cell_a_then.path)[:2] == [history.province.pk, history.upper1.pk]
    assert ancestor_ids(cell_a_now.path)[:2] == [history.province.pk, history.upper2.pk]


def test_children_list_active_nodes_by_level_then_name(history, world):
    admin = world.users["admin"]
    children = org_children_visible_to(admin, history.grassroots2)
    assert [o.name for o in children] == ["Chi bộ 3"]
    with_dissolved = org_children_visible_to(admin, history.grassroots2, include_dissolved=True)
    assert [o.name for o in with_dissolved] == ["Chi bộ 3", "Chi bộ 4"]
    nodes = [history.upper1, history.upper2, history.grassroots2]
    counted = with_child_count(Organization.objects.filter(pk__in=[o.pk for o in nodes]), admin)
    assert {o.pk: o.child_count for o in counted} == {
        history.upper1.pk: 0,
        history.upper2.pk: 2,
        history.grassroots2.pk: 1,
    }


def test_a_member_counts_no_children_below_the_cell_they_see(history, world):
    member = world.users["member"]
    group = org_create(
        acting_user=None,
        name="Tổ đảng 1",
        level=level("party_group"),
        parent=world.cell_a,
        on=CREATED,
    )
    counted = with_child_count(Organization.objects.filter(pk=world.cell_a.pk), member).get()
    assert counted.child_count == 0
    assert not org_children_visible_to(member, world.cell_a).exists()
    assert list(org_children_visible_to(world.users["secretary"], world.cell_a)) == [group]


# --- materialized paths ----------------------------------------------------------------------


def test_path_helpers_work_on_fixed_width_digit_segments():
    path = segment(1) + segment(23)
    assert path == "0000000100000023"
    assert depth_of(path) == 2
    assert ancestor_ids(path) == [1, 23]
    assert path_upper_bound(path) == "0000000100000024"
    assert path_upper_bound(segment(1) + segment(99_999_999)) == "0000000200000000"


def test_subtree_range_holds_the_node_and_its_descendants_only(world):
    under_u1 = Organization.objects.filter(subtree_q("path", world.upper1.path))
    assert set(under_u1.values_list("name", flat=True)) == {
        "Đảng bộ quận Ba Đình",
        "Đảng bộ phường Kim Mã",
        "Chi bộ 1",
        "Chi bộ 2",
    }
