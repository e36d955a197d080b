"""Who was an official member of a cell on a given date, and today's counts per subtree."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import make_member

from dangvien.members.models import IN_PARTY, Member, Membership, Status
from dangvien.members.selectors import member_counts, members_of_org_on
from dangvien.members.services import member_set_status, members_move

ADMITTED = dt.date(2024, 2, 1)
MOVED = dt.date(2024, 9, 1)
RECOGNISED = dt.date(2025, 2, 1)
DIED = dt.date(2025, 3, 15)


@pytest.fixture
def cell_a_story(world):
    """Chi bộ 1 (a1, a2 official since 2010) over 2024–2025:

    - Ngô Thị Hạnh admitted 1/2/2024 on probation, official from 1/2/2025;
    - Lê Văn Cường (b1) comes from Chi bộ 2 on 1/9/2024;
    - Trần Thị Bình (a2) dies on 15/3/2025.
    """
    staff = world.users["grassroots"]
    probationer = make_member(
        "Ngô Thị Hạnh", world.cell_a, status=Status.PROBATIONARY, admission_date=ADMITTED
    )
    members_move(
        acting_user=staff,
        source=world.cell_b,
        target=world.cell_a,
        on=MOVED,
        member_ids=[world.b1.pk],
    )
    member_set_status(acting_user=staff, member=probationer, status=Status.OFFICIAL, on=RECOGNISED)
    member_set_status(acting_user=staff, member=world.a2, status=Status.DECEASED, on=DIED)
    return world


def official_names(org, day, statuses=(Status.OFFICIAL,)) -> list[str]:
    """The list as a cell shows it: by given name, then middle, then family name."""
    members = members_of_org_on(org, day, statuses).order_by("name_sort")
    return list(members.values_list("full_name", flat=True))


AN, BINH, CUONG, HANH = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Ngô Thị Hạnh"


@pytest.mark.parametrize(
    ("day", "names"),
    [
        (ADMITTED - dt.timedelta(days=1), [AN, BINH]),
        (ADMITTED, [AN, BINH]),
        (MOVED - dt.timedelta(days=1), [AN, BINH]),
        (MOVED, [AN, BINH, CUONG]),
        (RECOGNISED - dt.timedelta(days=1), [AN, BINH, CUONG]),
        (RECOGNISED, [AN, BINH, CUONG, HANH]),
        (DIED - dt.timedelta(days=1), [AN, BINH, CUONG, HANH]),
        (DIED, [AN, CUONG, HANH]),
    ],
    ids=lambda value: value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else "",
)
def test_official_members_of_cell_1_on_each_date(cell_a_story, day, names):
    assert official_names(cell_a_story.cell_a, day) == names


def test_the_list_for_a_date_costs_one_query(cell_a_story, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = list(
            members_of_org_on(cell_a_story.cell_a, DIED).values_list("full_name", flat=True)
        )
    assert len(names) == 3


def test_a_probationary_member_counts_when_probationary_members_are_asked_for(cell_a_story):
    day = ADMITTED + dt.timedelta(days=10)
    assert official_names(cell_a_story.cell_a, day, [Status.PROBATIONARY]) == ["Ngô Thị Hạnh"]
    assert "Ngô Thị Hạnh" in official_names(cell_a_story.cell_a, day, IN_PARTY)


def test_the_member_who_moved_belongs_to_the_old_cell_until_the_day_before(cell_a_story):
    assert official_names(cell_a_story.cell_b, MOVED - dt.timedelta(days=1)) == ["Lê Văn Cường"]
    assert official_names(cell_a_story.cell_b, MOVED) == []


def test_a_member_on_temporary_transfer_is_counted_by_the_home_cell_only(world):
    Membership.objects.create(
        member=world.c1, org=world.cell_a, kind=Membership.Kind.TEMPORARY, valid_from=MOVED
    )
    assert "Phạm Thị Dung" not in official_names(world.cell_a, MOVED)
    assert official_names(world.cell_c, MOVED) == ["Phạm Thị Dung"]


def test_a_member_with_two_periods_in_a_cell_is_listed_once(world):
    member_set_status(
        acting_user=None, member=world.a1, status=Status.STRUCK_OFF, on=dt.date(2018, 1, 1)
    )
    member_set_status(
        acting_user=None, member=world.a1, status=Status.OFFICIAL, on=dt.date(2019, 1, 1)
    )
    assert official_names(world.cell_a, dt.date(2018, 6, 1)) == ["Trần Thị Bình"]
    assert official_names(world.cell_a, dt.date(2019, 6, 1)) == ["Nguyễn Văn An", "Trần Thị Bình"]


# --- today's counts --------------------------------------------------------------------------


def test_member_counts_cover_each_subtree_in_one_query(world, django_assert_num_queries):
    orgs = [
        world.province,
        world.upper1,
        world.upper2,
        world.grassroots1,
        world.cell_a,
        world.cell_b,
    ]
    with django_assert_num_queries(1):
        counts = member_counts(orgs)
    assert [counts[o.pk] for o in orgs] == [4, 3, 1, 3, 2, 1]


def test_member_counts_leave_out_members_no_longer_in_the_party(cell_a_story):
    w = cell_a_story
    make_member("Phan Văn Khải", w.cell_c, status=Status.EXEMPTED)
    make_member("Tạ Văn Long", w.cell_c, status=Status.TRANSFERRED_OUT)
    assert Member.objects.count() == 7
    assert member_counts([w.province, w.cell_a, w.cell_b, w.cell_c]) == {
        w.province.pk: 5,
        w.cell_a.pk: 3,
        w.cell_b.pk: 0,
        w.cell_c.pk: 2,
    }


def test_member_counts_of_nothing_is_empty(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert member_counts([]) == {}
