"""A change made the day the current period started replaces that period: no empty period is
left, the day counts the last state entered, and the audit trail still shows every change."""

from __future__ import annotations

import datetime as dt

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Membership, Status, StatusPeriod
from dangvien.members.services import member_set_status, members_move
from dangvien.reports import selectors

DAY = dt.date(2024, 5, 1)
EVE = DAY - dt.timedelta(days=1)


def statuses(member: Member) -> list[tuple]:
    return list(
        StatusPeriod.objects.filter(member=member)
        .order_by("valid_from", "pk")
        .values_list("status", "valid_from", "valid_to")
    )


def cells(member: Member) -> list[tuple]:
    return list(
        Membership.objects.filter(member=member)
        .order_by("valid_from", "pk")
        .values_list("org__name", "valid_from", "valid_to")
    )


def audited(member: Member, action: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="members.member", target_id=member.pk, action=action)
        .order_by("id")
        .values_list("summary", flat=True)
    )


def test_status_set_twice_the_same_day_keeps_the_last_one(world):
    admitted = world.a1.admission_date
    member_set_status(acting_user=None, member=world.a1, status=Status.EXEMPTED, on=DAY)
    member_set_status(acting_user=None, member=world.a1, status=Status.DECEASED, on=DAY)
    assert statuses(world.a1) == [
        (Status.OFFICIAL, admitted, DAY),
        (Status.DECEASED, DAY, None),
    ]
    assert audited(world.a1, AuditEvent.Action.UPDATE) == [
        "Chuyển tình trạng sang «Miễn sinh hoạt»",
        "Chuyển tình trạng sang «Đã từ trần»",
    ]
    # The day counts the death, not an exemption that held on no day.
    assert selectors.member_totals(world.cell_a, EVE)["members"] == 2
    assert selectors.member_totals(world.cell_a, DAY)["members"] == 1
    changes = selectors.change_figures(world.cell_a, DAY, DAY)
    assert (changes["exempted"], changes["deceased"]) == (0, 1)


def test_status_changed_back_the_same_day_leaves_no_change_in_the_figures(world):
    member_set_status(acting_user=None, member=world.a1, status=Status.EXEMPTED, on=DAY)
    member_set_status(acting_user=None, member=world.a1, status=Status.OFFICIAL, on=DAY)
    assert [status for status, _, _ in statuses(world.a1)] == [Status.OFFICIAL, Status.OFFICIAL]
    assert StatusPeriod.objects.filter(member=world.a1).on(DAY).get().status == Status.OFFICIAL
    assert selectors.member_totals(world.cell_a, DAY)["exempted"] == 0
    assert selectors.change_figures(world.cell_a, DAY, DAY)["exempted"] == 0
    assert len(audited(world.a1, AuditEvent.Action.UPDATE)) == 2


def test_leaving_and_coming_back_the_same_day_keeps_the_member_in_the_cell(world):
    member_set_status(acting_user=None, member=world.a1, status=Status.STRUCK_OFF, on=DAY)
    member_set_status(acting_user=None, member=world.a1, status=Status.OFFICIAL, on=DAY)
    assert not Membership.objects.filter(member=world.a1, valid_from=DAY, valid_to=DAY).exists()
    assert Membership.objects.filter(member=world.a1).on(DAY).get().org == world.cell_a
    assert selectors.member_totals(world.cell_a, DAY)["members"] == 2
    changes = selectors.change_figures(world.grassroots1, DAY, DAY)
    assert changes["struck_off"] == changes["transferred_in"] == changes["transferred_out"] == 0


def test_member_moved_twice_the_same_day_never_was_in_the_cell_between(world):
    admitted = world.a1.admission_date
    members_move(
        acting_user=None, source=world.cell_a, target=world.cell_b, on=DAY, member_ids=[world.a1.pk]
    )
    members_move(
        acting_user=None, source=world.cell_b, target=world.cell_c, on=DAY, member_ids=[world.a1.pk]
    )
    assert cells(world.a1) == [("Chi bộ 1", admitted, DAY), ("Chi bộ 3", DAY, None)]
    assert len(AuditEvent.objects.filter(action=AuditEvent.Action.MOVE)) == 2
    assert selectors.member_totals(world.cell_b, DAY)["members"] == 1
    assert selectors.member_totals(world.cell_c, DAY)["members"] == 2
    through = selectors.change_figures(world.cell_b, DAY, DAY)
    assert through["transferred_in"] == through["transferred_out"] == 0
    assert selectors.change_figures(world.grassroots1, DAY, DAY)["transferred_out"] == 1
    assert selectors.change_figures(world.grassroots2, DAY, DAY)["transferred_in"] == 1


def test_member_moved_and_dying_the_same_day_is_counted_in_the_cell_of_the_day_before(world):
    members_move(
        acting_user=None, source=world.cell_a, target=world.cell_b, on=DAY, member_ids=[world.a1.pk]
    )
    member_set_status(acting_user=None, member=world.a1, status=Status.DECEASED, on=DAY)
    assert [org for org, _, _ in cells(world.a1)] == ["Chi bộ 1"]
    assert selectors.change_figures(world.cell_a, DAY, DAY)["deceased"] == 1
    into_b = selectors.change_figures(world.cell_b, DAY, DAY)
    assert into_b["transferred_in"] == into_b["deceased"] == 0
