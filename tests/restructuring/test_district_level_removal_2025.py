"""The 2025 removal of the district level (Quy định 294-QĐ/TW, in force 1/7/2025), entered as a
sequence of the restructuring services.

Before 1/7/2025:
  Đảng bộ tỉnh Hà Nam
  ├── Đảng bộ huyện Kim Bảng
  │   ├── Đảng bộ xã Nhật Tân: Chi bộ thôn Đồng Tâm
  │   ├── Đảng bộ xã Nhật Tựu: Chi bộ thôn Tiên Lu
  │   ├── Đảng bộ thị trấn Quế: Chi bộ tổ dân phố 1
  │   └── Đảng bộ Cơ quan UBND huyện Kim Bảng: Chi bộ Văn phòng
  └── Đảng bộ huyện Thanh Liêm
      ├── Đảng bộ xã Thanh Hà: Chi bộ thôn 1, Chi bộ thôn 2
      └── Đảng bộ xã Thanh Hương: Chi bộ thôn Đông

From 1/7/2025 (the districts dissolved):
  Đảng bộ tỉnh Hà Nam
  ├── Đảng bộ xã Kim Thanh (new, Nhật Tân and Nhật Tựu merged into it): their two cells
  ├── Đảng bộ thị trấn Quế
  ├── Đảng bộ Cơ quan UBND huyện Kim Bảng
  ├── Đảng bộ xã Thanh Hà: Chi bộ thôn Hòa Bình (thôn 2 merged into thôn 1, renamed)
  └── Đảng bộ xã Thanh Hương
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from tests.conftest import level, make_member

from dangvien.accounts.models import User
from dangvien.core.text import name_sort_key
from dangvien.members.models import IN_PARTY, Member, Status
from dangvien.members.selectors import member_counts, members_of_org_on
from dangvien.members.services import member_set_status
from dangvien.orgs.models import GrassrootsKind, Organization
from dangvien.orgs.selectors import org_children_visible_to, subtree_on, tree_on
from dangvien.orgs.services import org_create, org_rename
from dangvien.restructuring.services import org_dissolve, org_merge, org_move

FOUNDED = dt.date(2015, 1, 1)
REFORM = dt.date(2025, 7, 1)  # Quy định 294-QĐ/TW in force
EVE = REFORM - dt.timedelta(days=1)

CELLS = {
    # grassroots organization (kind) → its cells → their members
    ("Đảng bộ huyện Kim Bảng", "Đảng bộ xã Nhật Tân", "commune"): {
        "Chi bộ thôn Đồng Tâm": ["Nguyễn Văn Hải", "Trần Thị Lan", "Lê Văn Tùng"],
    },
    ("Đảng bộ huyện Kim Bảng", "Đảng bộ xã Nhật Tựu", "commune"): {
        "Chi bộ thôn Tiên Lu": ["Phạm Văn Khánh", "Đỗ Thị Mai"],
    },
    ("Đảng bộ huyện Kim Bảng", "Đảng bộ thị trấn Quế", "ward"): {
        "Chi bộ tổ dân phố 1": ["Vũ Thị Hồng", "Đặng Văn Nam"],
    },
    ("Đảng bộ huyện Kim Bảng", "Đảng bộ Cơ quan UBND huyện Kim Bảng", "state_agency"): {
        "Chi bộ Văn phòng": ["Bùi Thị Ngọc", "Hoàng Văn Phúc", "Dương Thị Quỳnh"],
    },
    ("Đảng bộ huyện Thanh Liêm", "Đảng bộ xã Thanh Hà", "commune"): {
        "Chi bộ thôn 1": ["Ngô Văn Sơn", "Trịnh Thị Thảo"],
        "Chi bộ thôn 2": ["Lý Văn Uy", "Mai Thị Vân"],
    },
    ("Đảng bộ huyện Thanh Liêm", "Đảng bộ xã Thanh Hương", "commune"): {
        "Chi bộ thôn Đông": ["Đinh Văn Xuân", "Hà Thị Yến"],
    },
}
DISTRICTS = ["Đảng bộ huyện Kim Bảng", "Đảng bộ huyện Thanh Liêm"]


class Province:
    """The data of the story, found by name."""

    def org(self, name: str) -> Organization:
        return Organization.objects.get(name=name)

    def member(self, name: str) -> Member:
        return Member.objects.get(full_name=name)


def create(name: str, level_code: str, parent: Organization | None, on=FOUNDED, kind=None):
    return org_create(
        acting_user=None,
        name=name,
        level=level(level_code),
        parent=parent,
        on=on,
        kind=GrassrootsKind.objects.get(code=kind) if kind else None,
    )


@pytest.fixture
def ha_nam(db) -> Province:
    province = create("Đảng bộ tỉnh Hà Nam", "province", None)
    districts = {name: create(name, "upper", province) for name in DISTRICTS}
    for (district, grassroots, kind), cells in CELLS.items():
        committee = create(grassroots, "grassroots_committee", districts[district], kind=kind)
        for cell_name, people in cells.items():
            cell = create(cell_name, "cell", committee)
            for person in people:
                make_member(person, cell)
    # Before the reform: one probationary member recognised, one death.
    late = make_member(
        "Cao Thị Ánh",
        Organization.objects.get(name="Chi bộ thôn Đông"),
        status=Status.PROBATIONARY,
        admission_date=dt.date(2024, 11, 20),
    )
    member_set_status(
        acting_user=None, member=late, status=Status.OFFICIAL, on=dt.date(2025, 11, 20)
    )
    member_set_status(
        acting_user=None,
        member=Member.objects.get(full_name="Lê Văn Tùng"),
        status=Status.DECEASED,
        on=dt.date(2025, 5, 9),
    )
    return Province()


def remove_district_level(p: Province) -> None:
    province = p.org("Đảng bộ tỉnh Hà Nam")
    kim_thanh = create("Đảng bộ xã Kim Thanh", "grassroots_committee", province, REFORM, "commune")
    org_merge(acting_user=None, source=p.org("Đảng bộ xã Nhật Tân"), target=kim_thanh, on=REFORM)
    org_merge(acting_user=None, source=p.org("Đảng bộ xã Nhật Tựu"), target=kim_thanh, on=REFORM)
    for name in [
        "Đảng bộ thị trấn Quế",
        "Đảng bộ Cơ quan UBND huyện Kim Bảng",
        "Đảng bộ xã Thanh Hà",
        "Đảng bộ xã Thanh Hương",
    ]:
        org_move(acting_user=None, org=p.org(name), new_parent=province, on=REFORM)
    village = p.org("Chi bộ thôn 1")
    org_merge(acting_user=None, source=p.org("Chi bộ thôn 2"), target=village, on=REFORM)
    org_rename(acting_user=None, org=village, name="Chi bộ thôn Hòa Bình", on=REFORM)
    for name in DISTRICTS:
        org_dissolve(acting_user=None, org=p.org(name), on=REFORM)


def everything_user() -> User:
    """Someone who sees the whole tree, to list it as it stands today."""
    user, _ = User.objects.get_or_create(username="quantri", defaults={"is_superuser": True})
    return user


def parents_on(day: dt.date) -> dict[str, str | None]:
    rows = list(tree_on(day).values_list("org_id", "name", "parent_id"))
    name_of = {org_id: name for org_id, name, _ in rows}
    return {name: name_of.get(parent_id) for _, name, parent_id in rows}


def members_under_on(org_id: int, day: dt.date) -> list[str]:
    """Who was in the Party in the subtree of `org_id` on `day`, from the cells of that day."""
    org = Organization.objects.get(pk=org_id)
    cells = subtree_on(org, day).filter(level__holds_members=True)
    names: list[str] = []
    for row in cells.select_related("org"):
        names += members_of_org_on(row.org, day, IN_PARTY).values_list("full_name", flat=True)
    return names


def test_on_the_eve_of_the_reform_communes_sit_under_their_districts(ha_nam):
    remove_district_level(ha_nam)
    parents = parents_on(EVE)
    assert {d: parents[d] for d in DISTRICTS} == dict.fromkeys(DISTRICTS, "Đảng bộ tỉnh Hà Nam")
    for district, grassroots, _ in CELLS:
        assert parents[grassroots] == district
    assert parents["Chi bộ thôn 2"] == "Đảng bộ xã Thanh Hà"
    assert "Đảng bộ xã Kim Thanh" not in parents


def test_from_the_reform_every_grassroots_organization_sits_under_the_province(ha_nam):
    remove_district_level(ha_nam)
    parents = parents_on(REFORM)
    assert not set(DISTRICTS) & set(parents)
    assert {name: parent for name, parent in parents.items() if name.startswith("Đảng bộ ")} == {
        "Đảng bộ tỉnh Hà Nam": None,
        "Đảng bộ xã Kim Thanh": "Đảng bộ tỉnh Hà Nam",
        "Đảng bộ thị trấn Quế": "Đảng bộ tỉnh Hà Nam",
        "Đảng bộ Cơ quan UBND huyện Kim Bảng": "Đảng bộ tỉnh Hà Nam",
        "Đảng bộ xã Thanh Hà": "Đảng bộ tỉnh Hà Nam",
        "Đảng bộ xã Thanh Hương": "Đảng bộ tỉnh Hà Nam",
    }
    assert (
        parents["Chi bộ thôn Đồng Tâm"] == parents["Chi bộ thôn Tiên Lu"] == "Đảng bộ xã Kim Thanh"
    )
    assert parents["Chi bộ thôn Hòa Bình"] == "Đảng bộ xã Thanh Hà"
    assert "Chi bộ thôn 2" not in parents
    province = ha_nam.org("Đảng bộ tỉnh Hà Nam")
    assert all(o.depth == 2 for o in org_children_visible_to(everything_user(), province))


def test_member_counts_per_district_on_the_eve_of_the_reform(ha_nam):
    remove_district_level(ha_nam)
    # Kim Bảng: 10 members, less Lê Văn Tùng who died on 9/5/2025.
    # Thanh Liêm: 6 members and Cao Thị Ánh, still probationary.
    counts = {name: len(members_under_on(ha_nam.org(name).pk, EVE)) for name in DISTRICTS}
    assert counts == {"Đảng bộ huyện Kim Bảng": 9, "Đảng bộ huyện Thanh Liêm": 7}
    assert "Lê Văn Tùng" in members_under_on(ha_nam.org(DISTRICTS[0]).pk, dt.date(2025, 5, 8))


def test_member_counts_of_the_merged_communes_stay_as_they_were(ha_nam):
    remove_district_level(ha_nam)
    nhat_tan, nhat_tuu = ha_nam.org("Đảng bộ xã Nhật Tân"), ha_nam.org("Đảng bộ xã Nhật Tựu")
    assert len(members_under_on(nhat_tan.pk, EVE)) == 2
    assert len(members_under_on(nhat_tuu.pk, EVE)) == 2
    assert members_under_on(nhat_tan.pk, REFORM) == []
    kim_thanh = ha_nam.org("Đảng bộ xã Kim Thanh")
    assert sorted(members_under_on(kim_thanh.pk, REFORM), key=name_sort_key) == [
        "Nguyễn Văn Hải",
        "Phạm Văn Khánh",
        "Trần Thị Lan",
        "Đỗ Thị Mai",
    ]
    assert members_under_on(kim_thanh.pk, EVE) == []


def test_every_member_is_counted_exactly_once_before_and_after(ha_nam):
    remove_district_level(ha_nam)
    in_party = set(Member.objects.filter(status__in=IN_PARTY).values_list("full_name", flat=True))
    assert len(in_party) == 16
    province = ha_nam.org("Đảng bộ tỉnh Hà Nam")
    for day in (EVE, REFORM):
        grassroots = tree_on(day).filter(level__is_grassroots=True)
        counted = Counter(name for row in grassroots for name in members_under_on(row.org_id, day))
        assert set(counted) == in_party, day
        assert set(counted.values()) == {1}, day
        assert sorted(members_under_on(province.pk, day)) == sorted(in_party)


def test_todays_counts_follow_the_members_into_the_new_tree(ha_nam):
    remove_district_level(ha_nam)
    province = ha_nam.org("Đảng bộ tỉnh Hà Nam")
    children = list(org_children_visible_to(everything_user(), province))
    counts = member_counts([province, *children])
    assert {o.name: counts[o.pk] for o in children} == {
        "Đảng bộ Cơ quan UBND huyện Kim Bảng": 3,
        "Đảng bộ thị trấn Quế": 2,
        "Đảng bộ xã Kim Thanh": 4,
        "Đảng bộ xã Thanh Hà": 4,
        "Đảng bộ xã Thanh Hương": 3,
    }
    assert counts[province.pk] == 16
    hoa_binh = ha_nam.org("Chi bộ thôn Hòa Bình")
    assert {m.org_path for m in Member.objects.filter(org=hoa_binh)} == {hoa_binh.path}
    assert Member.objects.filter(org__dissolved_on__isnull=False, status__in=IN_PARTY).count() == 0


def test_the_districts_cannot_be_dissolved_while_a_commune_is_left_under_them(ha_nam):
    from django.core.exceptions import ValidationError

    province = ha_nam.org("Đảng bộ tỉnh Hà Nam")
    org_move(
        acting_user=None, org=ha_nam.org("Đảng bộ xã Thanh Hà"), new_parent=province, on=REFORM
    )
    with pytest.raises(ValidationError, match="«Đảng bộ huyện Thanh Liêm» còn tổ chức trực thuộc"):
        org_dissolve(acting_user=None, org=ha_nam.org("Đảng bộ huyện Thanh Liêm"), on=REFORM)
