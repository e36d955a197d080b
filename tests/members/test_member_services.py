"""Member records: creation in a cell, status with its history, moves between cells."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import feed_titles, level, make_member, member_role_orgs

from dangvien.accounts.models import Role, RoleAssignment
from dangvien.core.audit import audit_trail
from dangvien.core.text import name_sort_key
from dangvien.handbook.services import post_publish
from dangvien.members.models import Member, Status
from dangvien.members.search import member_search
from dangvien.members.selectors import members_current_in
from dangvien.members.services import member_create, member_set_status, members_move
from dangvien.orgs.services import org_create
from dangvien.restructuring.services import org_dissolve

ADMITTED = dt.date(2024, 1, 10)
RECOGNISED = dt.date(2025, 1, 10)  # 12 months of probation
DIED = dt.date(2025, 6, 3)


@pytest.fixture
def staff(world):
    return world.users["secretary"]


def new_member(world, staff, **fields) -> Member:
    values = {
        "acting_user": staff,
        "full_name": "Hoàng Thị Ngọc Ánh",
        "gender": "F",
        "date_of_birth": dt.date(1998, 4, 30),
        "org": world.cell_a,
        "admission_date": ADMITTED,
    }
    values.update(fields)
    return member_create(**values)


def periods(member: Member) -> list[tuple]:
    return list(member.status_periods.values_list("status", "valid_from", "valid_to"))


def memberships(member: Member) -> list[tuple]:
    return list(member.memberships.values_list("org__name", "valid_from", "valid_to"))


# --- create ----------------------------------------------------------------------------------


def test_new_member_is_probationary_in_the_cell_from_the_admission_date(world, staff):
    member = new_member(world, staff)
    assert (member.status, member.get_status_display()) == ("probationary", "Dự bị")
    assert member.org_path == world.cell_a.path
    assert periods(member) == [("probationary", ADMITTED, None)]
    assert memberships(member) == [("Chi bộ 1", ADMITTED, None)]
    assert [e.summary for e in audit_trail(member)] == ["Tạo hồ sơ đảng viên Hoàng Thị Ngọc Ánh"]


def test_a_name_typed_decomposed_with_stray_spaces_is_stored_clean(world, staff):
    typed = unicodedata.normalize("NFD", "  Hoàng   Thị Ngọc Ánh ")
    member = new_member(world, staff, full_name=typed)
    assert member.full_name == "Hoàng Thị Ngọc Ánh"
    assert unicodedata.is_normalized("NFC", member.full_name)
    assert member.name_fold == "hoang thi ngoc anh"
    assert member.name_sort == name_sort_key("Hoàng Thị Ngọc Ánh")


def test_member_can_only_be_created_in_a_cell(world, staff):
    with pytest.raises(
        ValidationError, match="«Đảng bộ phường Kim Mã» không phải chi bộ: đảng viên sinh hoạt"
    ):
        new_member(world, staff, org=world.grassroots1)
    assert not Member.objects.filter(full_name="Hoàng Thị Ngọc Ánh").exists()


def test_member_cannot_join_a_dissolved_cell(world, staff):
    cell = org_create(
        acting_user=None,
        name="Chi bộ 9",
        level=level("cell"),
        parent=world.grassroots1,
        on=ADMITTED,
    )
    org_dissolve(acting_user=None, org=cell, on=RECOGNISED)
    with pytest.raises(ValidationError, match="«Chi bộ 9» đã giải thể ngày 10/01/2025"):
        new_member(world, staff, org=cell)


def test_member_needs_a_name(world, staff):
    with pytest.raises(ValidationError, match="Họ và tên không được để trống"):
        new_member(world, staff, full_name=" \t ")


def test_a_name_longer_than_its_column_is_refused_on_every_database(world, staff):
    with pytest.raises(ValidationError, match="Họ và tên dài quá 120 ký tự"):
        new_member(world, staff, full_name="Nguyễn " * 30 + "An")


def test_the_longest_names_keep_their_whole_sort_key(world, staff):
    many_words = "Nguyễn " + " ".join(["Ngọc"] * 22) + " Anh"  # 120 characters
    one_letter_words = " ".join(["A"] * 60)  # 119 characters
    for long_name in (many_words, one_letter_words):
        member = new_member(world, staff, full_name=long_name)
        assert len(name_sort_key(long_name)) > 255
        assert member.name_sort == name_sort_key(long_name)


# --- status ----------------------------------------------------------------------------------


def test_status_periods_follow_each_other_without_gap(world, staff):
    member = new_member(world, staff)
    member_set_status(acting_user=staff, member=member, status=Status.OFFICIAL, on=RECOGNISED)
    member_set_status(acting_user=staff, member=member, status=Status.DECEASED, on=DIED)
    assert periods(member) == [
        ("probationary", ADMITTED, RECOGNISED),
        ("official", RECOGNISED, DIED),
        ("deceased", DIED, None),
    ]
    member.refresh_from_db()
    assert member.recognition_date == RECOGNISED
    assert not member.in_party
    assert memberships(member) == [("Chi bộ 1", ADMITTED, DIED)]
    assert member not in members_current_in(world.cell_a)
    assert [e.summary for e in audit_trail(member)][:2] == [
        "Chuyển tình trạng sang «Đã từ trần»",
        "Chuyển tình trạng sang «Chính thức»",
    ]


def test_setting_the_same_status_again_is_refused(world, staff):
    with pytest.raises(ValidationError, match="Đảng viên đã ở tình trạng «Chính thức»"):
        member_set_status(acting_user=staff, member=world.a1, status=Status.OFFICIAL, on=DIED)


def test_setting_an_unknown_status_is_refused(world, staff):
    with pytest.raises(ValidationError, match="Tình trạng «retired» không hợp lệ"):
        member_set_status(acting_user=staff, member=world.a1, status="retired", on=DIED)


def test_a_status_cannot_start_before_the_current_one(world, staff):
    member = new_member(world, staff)
    with pytest.raises(ValidationError, match="Ngày 09/01/2024 trước ngày bắt đầu tình trạng"):
        member_set_status(
            acting_user=staff, member=member, status=Status.OFFICIAL, on=dt.date(2024, 1, 9)
        )
    assert periods(member) == [("probationary", ADMITTED, None)]


def test_a_death_before_the_last_move_is_refused_and_changes_nothing(world, staff):
    members_move(
        acting_user=staff,
        source=world.cell_b,
        target=world.cell_a,
        on=RECOGNISED,
        member_ids=[world.b1.pk],
    )
    with pytest.raises(ValidationError, match="trước ngày bắt đầu sinh hoạt tại «Chi bộ 1»"):
        member_set_status(acting_user=staff, member=world.b1, status=Status.DECEASED, on=ADMITTED)
    world.b1.refresh_from_db()
    assert world.b1.status == Status.OFFICIAL
    assert periods(world.b1) == [("official", dt.date(2010, 3, 2), None)]


def test_a_stale_member_object_does_not_hide_the_current_status(world, staff):
    stale = Member.objects.get(pk=world.a2.pk)
    member_set_status(acting_user=staff, member=world.a2, status=Status.EXEMPTED, on=RECOGNISED)
    with pytest.raises(ValidationError, match="«Miễn sinh hoạt»"):
        member_set_status(acting_user=staff, member=stale, status=Status.EXEMPTED, on=DIED)


def test_coming_back_into_the_party_opens_a_new_membership(world, staff):
    member_set_status(
        acting_user=staff, member=world.a2, status=Status.STRUCK_OFF, on=dt.date(2020, 5, 1)
    )
    member_set_status(
        acting_user=staff, member=world.a2, status=Status.PROBATIONARY, on=dt.date(2023, 5, 1)
    )
    assert memberships(world.a2) == [
        ("Chi bộ 1", dt.date(2010, 3, 2), dt.date(2020, 5, 1)),
        ("Chi bộ 1", dt.date(2023, 5, 1), None),
    ]


# --- moves -----------------------------------------------------------------------------------


def test_moving_members_closes_the_old_period_and_opens_the_new(world, staff):
    moved = members_move(acting_user=staff, source=world.cell_a, target=world.cell_b, on=DIED)
    assert moved == 2
    assert memberships(world.a1) == [
        ("Chi bộ 1", dt.date(2010, 3, 2), DIED),
        ("Chi bộ 2", DIED, None),
    ]
    assert Member.objects.get(pk=world.a1.pk).org_path == world.cell_b.path
    assert not members_current_in(world.cell_a).exists()


def test_members_cannot_move_to_a_committee(world, staff):
    with pytest.raises(ValidationError, match="«Đảng bộ phường Bưởi» không phải chi bộ"):
        members_move(acting_user=staff, source=world.cell_a, target=world.grassroots2, on=DIED)
    assert memberships(world.a1) == [("Chi bộ 1", dt.date(2010, 3, 2), None)]


def test_members_cannot_move_to_their_own_cell(world, staff):
    with pytest.raises(ValidationError, match="Đảng viên đã sinh hoạt tại «Chi bộ 1»"):
        members_move(acting_user=staff, source=world.cell_a, target=world.cell_a, on=DIED)


def test_only_members_of_the_source_cell_can_be_moved(world, staff):
    with pytest.raises(ValidationError, match="Có đảng viên không sinh hoạt tại «Chi bộ 1»"):
        members_move(
            acting_user=staff,
            source=world.cell_a,
            target=world.cell_b,
            on=DIED,
            member_ids=[world.a1.pk, world.c1.pk],
        )
    assert Member.objects.get(pk=world.a1.pk).org == world.cell_a


def test_members_who_left_the_party_stay_behind_in_a_move(world, staff):
    member_set_status(acting_user=staff, member=world.a2, status=Status.DECEASED, on=RECOGNISED)
    assert members_move(acting_user=staff, source=world.cell_a, target=world.cell_b, on=DIED) == 1
    assert Member.objects.get(pk=world.a2.pk).org == world.cell_a


# --- the member's account follows the record -------------------------------------------------


@pytest.fixture
def posts(world):
    for org, title in (
        (world.province, "Tin của Thành ủy"),
        (world.cell_a, "Tin chi bộ 1"),
        (world.cell_b, "Tin chi bộ 2"),
    ):
        post_publish(acting_user=world.users["admin"], org=org, title=title, body="<p>Tin</p>")


def test_a_moved_member_reads_the_new_cell_and_no_longer_the_old(world, staff, posts):
    member = world.users["member"]
    assert feed_titles(member) == {"Tin của Thành ủy", "Tin chi bộ 1"}
    members_move(
        acting_user=staff,
        source=world.cell_a,
        target=world.cell_b,
        on=DIED,
        member_ids=[world.a1.pk],
    )
    assert member_role_orgs(member) == ["Chi bộ 2"]
    assert feed_titles(member) == {"Tin của Thành ủy", "Tin chi bộ 2"}


def test_a_secretary_moved_as_a_member_still_leads_the_old_cell(world, staff, posts):
    """The secretary of cell 1 is a member there too: the member role moves, the cell stays."""
    secretary = world.users["secretary"]
    secretary.member = world.a2
    secretary.save()
    RoleAssignment.objects.create(user=secretary, role=Role.MEMBER, org=world.cell_a)
    members_move(
        acting_user=staff,
        source=world.cell_a,
        target=world.cell_b,
        on=DIED,
        member_ids=[world.a2.pk],
    )
    assert member_role_orgs(secretary) == ["Chi bộ 2"]
    led = RoleAssignment.objects.filter(user=secretary, role=Role.CELL_SECRETARY)
    assert list(led.values_list("org__name", flat=True)) == ["Chi bộ 1"]
    assert feed_titles(secretary) == {"Tin của Thành ủy", "Tin chi bộ 1", "Tin chi bộ 2"}


@pytest.mark.parametrize(
    "status",
    [
        Status.TRANSFERRED_OUT,
        Status.DECEASED,
        Status.STRUCK_OFF,
        Status.EXPELLED,
        Status.DISCHARGED,
    ],
)
def test_a_member_who_left_the_party_reads_no_party_posts(world, staff, posts, status):
    member = world.users["member"]
    member_set_status(acting_user=staff, member=world.a1, status=status, on=DIED)
    assert member_role_orgs(member) == []
    assert feed_titles(member) == set()


def test_a_member_back_in_the_party_reads_their_cell_again(world, staff, posts):
    member = world.users["member"]
    member_set_status(acting_user=staff, member=world.a1, status=Status.STRUCK_OFF, on=ADMITTED)
    member_set_status(acting_user=staff, member=world.a1, status=Status.PROBATIONARY, on=DIED)
    assert member_role_orgs(member) == ["Chi bộ 1"]
    assert feed_titles(member) == {"Tin của Thành ủy", "Tin chi bộ 1"}


def test_a_status_change_within_the_party_keeps_the_member_role(world, staff):
    member = world.users["member"]
    before = list(RoleAssignment.objects.filter(user=member).values_list("pk", "org__name"))
    member_set_status(acting_user=staff, member=world.a1, status=Status.EXEMPTED, on=DIED)
    assert list(RoleAssignment.objects.filter(user=member).values_list("pk", "org__name")) == before


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nguyen van an", ["Nguyễn Văn An"]),
        ("NGUYỄN", ["Nguyễn Văn An"]),
        ("dung", ["Phạm Thị Dung"]),
        ("thi", ["Trần Thị Bình", "Phạm Thị Dung"]),  # ranked: then Vietnamese name order
        ("01234567", ["Nguyễn Văn An"]),
        ("001080012345", ["Nguyễn Văn An"]),
        ("99999999", []),
        ("", ["Lê Văn Cường", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Thị Bình"]),
    ],
)
def test_search_ignores_tones_and_matches_card_or_citizen_id(world, query, found):
    results = member_search(Member.objects.order_by("full_name"), query)
    assert [member.full_name for member in results.rows] == found


def test_search_for_d_finds_d_with_stroke(world):
    make_member("Đặng Thu Hà", world.cell_b)
    found = member_search(Member.objects.all(), "dang thu")
    assert [member.full_name for member in found.rows] == ["Đặng Thu Hà"]
