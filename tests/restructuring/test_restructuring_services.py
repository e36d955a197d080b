"""Restructuring the tree: each service is one transaction with its audit rows, and refuses bad
input with a Vietnamese message while leaving everything already saved as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import (
    audit_summaries,
    feed_titles,
    level,
    make_member,
    make_user,
    member_role_orgs,
    reload,
    snapshot_of_everything,
)

from dangvien.accounts.models import Role
from dangvien.core.paths import segment
from dangvien.handbook.services import post_publish
from dangvien.members.models import Member, Status
from dangvien.members.selectors import member_counts, members_in_subtree
from dangvien.members.services import member_create, members_move
from dangvien.orgs.models import Organization
from dangvien.orgs.services import org_create, org_rename
from dangvien.restructuring.services import (
    SplitPart,
    org_dissolve,
    org_merge,
    org_move,
    org_split,
)

DAY = dt.date(2024, 3, 1)
LATER = dt.date(2024, 9, 1)


@pytest.fixture
def staff(world):
    return world.users["province"]


# --- move ------------------------------------------------------------------------------------


def test_move_carries_the_whole_subtree_and_its_members(world, staff):
    org_move(acting_user=staff, org=world.grassroots1, new_parent=world.upper2, on=DAY)
    g1 = reload(world.grassroots1)
    assert g1.parent == world.upper2
    assert g1.path == world.upper2.path + segment(g1.pk)
    for cell in (world.cell_a, world.cell_b):
        assert reload(cell).path == g1.path + segment(cell.pk)
    assert Member.objects.get(pk=world.a1.pk).org_path == reload(world.cell_a).path
    assert member_counts([world.upper1, world.upper2, world.province]) == {
        world.upper1.pk: 0,
        world.upper2.pk: 4,
        world.province.pk: 4,
    }
    assert audit_summaries("move") == [
        "Chuyển «Đảng bộ phường Kim Mã» về trực thuộc «Đảng bộ quận Tây Hồ»"
    ]


def test_move_into_its_own_subtree_is_refused(world, staff):
    before = snapshot_of_everything()
    message = "Không thể chuyển «Đảng bộ quận Ba Đình» vào chính nó hoặc một tổ chức trực thuộc nó."
    for inside in (world.upper1, world.grassroots1, world.cell_a):
        with pytest.raises(ValidationError, match=message):
            org_move(acting_user=staff, org=world.upper1, new_parent=inside, on=DAY)
    assert snapshot_of_everything() == before


def test_move_under_its_current_parent_is_refused(world, staff):
    with pytest.raises(ValidationError, match="«Chi bộ 1» đã trực thuộc «Đảng bộ phường Kim Mã»"):
        org_move(acting_user=staff, org=world.cell_a, new_parent=world.grassroots1, on=DAY)


def test_move_under_a_node_of_a_lower_level_is_refused(world, staff):
    with pytest.raises(ValidationError, match="cấp trực thuộc phải thấp hơn"):
        org_move(acting_user=staff, org=world.grassroots2, new_parent=world.cell_a, on=DAY)


def test_services_use_the_current_path_even_from_an_object_read_before_a_move(world, staff):
    stale_cell = Organization.objects.get(pk=world.cell_a.pk)
    stale_upper = Organization.objects.get(pk=world.upper2.pk)
    org_move(acting_user=staff, org=world.grassroots1, new_parent=world.upper2, on=DAY)
    newcomer = make_member("Võ Thị Em", stale_cell)
    assert newcomer.org_path == reload(world.cell_a).path
    org_move(acting_user=staff, org=world.grassroots2, new_parent=world.upper1, on=DAY)
    org_move(acting_user=staff, org=world.grassroots2, new_parent=stale_upper, on=LATER)
    assert reload(world.grassroots2).path.startswith(world.upper2.path)
    assert set(members_in_subtree(Member.objects.all(), world.upper2)) == {
        world.a1,
        world.a2,
        world.b1,
        world.c1,
        newcomer,
    }


# --- dissolve --------------------------------------------------------------------------------


def test_dissolving_a_node_with_children_is_refused(world, staff):
    with pytest.raises(ValidationError, match="«Đảng bộ phường Kim Mã» còn tổ chức trực thuộc"):
        org_dissolve(acting_user=staff, org=world.grassroots1, on=DAY)
    assert reload(world.grassroots1).dissolved_on is None


def test_dissolving_a_cell_with_current_members_is_refused(world, staff):
    with pytest.raises(ValidationError, match="«Chi bộ 2» còn đảng viên sinh hoạt"):
        org_dissolve(acting_user=staff, org=world.cell_b, on=DAY)
    assert reload(world.cell_b).dissolved_on is None


def test_dissolving_before_a_child_left_is_refused(world, staff):
    org_move(acting_user=staff, org=world.cell_c, new_parent=world.grassroots1, on=LATER)
    with pytest.raises(ValidationError, match="«Đảng bộ phường Bưởi» còn tổ chức trực thuộc"):
        org_dissolve(acting_user=staff, org=world.grassroots2, on=DAY)


def test_dissolving_before_the_members_left_is_refused(world, staff):
    members_move(acting_user=staff, source=world.cell_b, target=world.cell_a, on=LATER)
    with pytest.raises(ValidationError, match="«Chi bộ 2» còn đảng viên sinh hoạt"):
        org_dissolve(acting_user=staff, org=world.cell_b, on=DAY)
    org_dissolve(acting_user=staff, org=world.cell_b, on=LATER)
    assert reload(world.cell_b).dissolved_on == LATER


def test_dissolving_an_empty_cell_closes_it(world, staff):
    cell = org_create(
        acting_user=staff, name="Chi bộ 9", level=level("cell"), parent=world.grassroots1, on=DAY
    )
    org_dissolve(acting_user=staff, org=cell, on=LATER)
    assert reload(cell).dissolved_on == LATER
    assert not reload(cell).is_active
    assert audit_summaries("dissolve") == ["Giải thể «Chi bộ 9»"]
    with pytest.raises(ValidationError, match="«Chi bộ 9» đã giải thể ngày 01/09/2024"):
        org_rename(acting_user=staff, org=cell, name="Chi bộ 10", on=LATER)


# --- merge -----------------------------------------------------------------------------------


def test_merging_two_cells_moves_the_members_and_dissolves_the_source(world, staff):
    org_merge(acting_user=staff, source=world.cell_b, target=world.cell_a, on=DAY)
    b1 = Member.objects.get(pk=world.b1.pk)
    assert b1.org == world.cell_a
    assert b1.org_path == world.cell_a.path
    assert list(b1.memberships.values_list("org__name", "valid_from", "valid_to")) == [
        ("Chi bộ 2", dt.date(2010, 3, 2), DAY),
        ("Chi bộ 1", DAY, None),
    ]
    assert reload(world.cell_b).dissolved_on == DAY
    assert member_counts([world.cell_a, world.cell_b]) == {world.cell_a.pk: 3, world.cell_b.pk: 0}
    assert audit_summaries("merge") == ["Hợp nhất «Chi bộ 2» vào «Chi bộ 1»"]


def test_after_a_merge_the_members_read_the_cell_they_joined(world, staff):
    member = make_user("dv_b1", Role.MEMBER, world.cell_b, member=world.b1)
    for org, title in ((world.cell_a, "Tin chi bộ 1"), (world.cell_b, "Tin chi bộ 2")):
        post_publish(acting_user=staff, org=org, title=title, body="<p>Tin</p>")
    org_merge(acting_user=staff, source=world.cell_b, target=world.cell_a, on=DAY)
    assert member_role_orgs(member) == ["Chi bộ 1"]
    assert feed_titles(member) == {"Tin chi bộ 1"}


def test_merging_two_committees_moves_the_cells(world, staff):
    org_merge(acting_user=staff, source=world.grassroots2, target=world.grassroots1, on=DAY)
    assert reload(world.cell_c).parent == world.grassroots1
    assert member_counts([world.grassroots1]) == {world.grassroots1.pk: 4}
    assert reload(world.grassroots2).dissolved_on == DAY


def test_merging_into_its_own_subtree_is_refused(world, staff):
    with pytest.raises(ValidationError, match="vào chính nó hoặc tổ chức trực thuộc nó"):
        org_merge(acting_user=staff, source=world.upper1, target=world.grassroots1, on=DAY)


def test_a_refused_merge_leaves_no_child_moved(world, staff):
    """The cells of G1 cannot go under a cell: the first refusal undoes everything."""
    before = snapshot_of_everything()
    with pytest.raises(ValidationError, match="cấp trực thuộc phải thấp hơn"):
        org_merge(acting_user=staff, source=world.grassroots1, target=world.cell_c, on=DAY)
    assert snapshot_of_everything() == before


# --- split -----------------------------------------------------------------------------------


def test_splitting_a_cell_shares_its_members_between_the_new_cells(world, staff):
    new = org_split(
        acting_user=staff,
        org=world.cell_a,
        parts=[
            SplitPart("Chi bộ 1A", member_ids=[world.a1.pk]),
            SplitPart("Chi bộ 1B", member_ids=[world.a2.pk]),
        ],
        on=DAY,
        dissolve_original=True,
    )
    assert [(o.name, o.parent) for o in new] == [
        ("Chi bộ 1A", world.grassroots1),
        ("Chi bộ 1B", world.grassroots1),
    ]
    assert [Member.objects.get(pk=m.pk).org.name for m in (world.a1, world.a2)] == [
        "Chi bộ 1A",
        "Chi bộ 1B",
    ]
    assert reload(world.cell_a).dissolved_on == DAY
    assert audit_summaries("split") == ["Chia tách «Chi bộ 1» thành «Chi bộ 1A», «Chi bộ 1B»"]


def test_after_a_split_each_member_reads_their_new_cell(world, staff):
    post_publish(acting_user=staff, org=world.cell_a, title="Tin chi bộ 1", body="<p>Tin</p>")
    (new,) = org_split(
        acting_user=staff,
        org=world.cell_a,
        parts=[SplitPart("Chi bộ 1A", member_ids=[world.a1.pk])],
        on=DAY,
    )
    post_publish(acting_user=staff, org=new, title="Tin chi bộ 1A", body="<p>Tin</p>")
    member = world.users["member"]
    assert member_role_orgs(member) == ["Chi bộ 1A"]
    assert feed_titles(member) == {"Tin chi bộ 1A"}


def test_splitting_a_committee_shares_its_cells(world, staff):
    new = org_split(
        acting_user=staff,
        org=world.grassroots1,
        parts=[
            SplitPart("Đảng bộ phường Kim Mã A", child_ids=[world.cell_a.pk]),
            SplitPart("Đảng bộ phường Kim Mã B", child_ids=[world.cell_b.pk]),
        ],
        on=DAY,
        dissolve_original=True,
    )
    assert [reload(c).parent for c in (world.cell_a, world.cell_b)] == new
    assert all(o.kind.code == "ward" for o in new)
    assert member_counts(new) == {new[0].pk: 2, new[1].pk: 1}


def test_a_split_naming_a_child_of_another_org_leaves_no_new_org_behind(world, staff):
    before = snapshot_of_everything()
    with pytest.raises(
        ValidationError,
        match="Có tổ chức không trực thuộc «Đảng bộ phường Kim Mã» trong phần «Kim Mã B»",
    ):
        org_split(
            acting_user=staff,
            org=world.grassroots1,
            parts=[
                SplitPart("Kim Mã A", child_ids=[world.cell_a.pk]),
                SplitPart("Kim Mã B", child_ids=[world.cell_c.pk]),
            ],
            on=DAY,
        )
    assert snapshot_of_everything() == before
    assert not Organization.objects.filter(name__startswith="Kim Mã").exists()


def test_a_split_naming_a_member_of_another_cell_moves_no_one(world, staff):
    before = snapshot_of_everything()
    with pytest.raises(ValidationError, match="Có đảng viên không sinh hoạt tại «Chi bộ 1»"):
        org_split(
            acting_user=staff,
            org=world.cell_a,
            parts=[
                SplitPart("Chi bộ 1A", member_ids=[world.a1.pk]),
                SplitPart("Chi bộ 1B", member_ids=[world.b1.pk]),
            ],
            on=DAY,
        )
    assert snapshot_of_everything() == before


def test_a_split_needs_at_least_one_part(world, staff):
    with pytest.raises(ValidationError, match="Cần ít nhất một tổ chức mới khi chia tách"):
        org_split(acting_user=staff, org=world.cell_a, parts=[], on=DAY)


def test_the_top_of_the_tree_cannot_be_split(world, staff):
    with pytest.raises(ValidationError, match="Không thể chia tách tổ chức cấp cao nhất"):
        org_split(acting_user=staff, org=world.province, parts=[SplitPart("Tỉnh mới")], on=DAY)


def test_members_in_a_split_cell_may_join_the_new_cell_later(world, staff):
    (new,) = org_split(acting_user=staff, org=world.cell_a, parts=[SplitPart("Chi bộ 1C")], on=DAY)
    member = member_create(
        acting_user=staff,
        full_name="Đỗ Văn Giang",
        gender="M",
        date_of_birth=dt.date(1990, 1, 1),
        org=new,
        admission_date=LATER,
        status=Status.PROBATIONARY,
    )
    assert member_counts([new]) == {new.pk: 1}
    assert member.org_path == new.path
