"""Transfers: opened on the event, sent, received at the other end; the membership moves on the
day received; temporary stays, departures out of the installation and arrivals into it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangvien.accounts.access import RECEIVE, VIEW, allowed
from dangvien.members.models import Member, Membership, Status, StatusPeriod
from dangvien.members.selectors import members_of_org_on
from dangvien.procedures.models import Case, CaseKind, CaseState, Outcome
from dangvien.procedures.selectors import case_list
from dangvien.procedures.services import StepRefused, step_record
from dangvien.procedures.transfer_selectors import (
    transfers_overdue,
    transfers_overdue_by_child,
    transfers_sent,
    transfers_to_receive,
)
from dangvien.procedures.transfer_services import transfer_arrival, transfer_open

D = dt.date


def open_a1_to_c(world, **overrides) -> Case:
    values = {
        "acting_user": world.users["secretary"],
        "member": world.a1,
        "kind": CaseKind.TRANSFER_OFFICIAL,
        "reason": "new_job",
        "event_on": D(2026, 3, 2),
        "other_org": world.cell_c,
    }
    values.update(overrides)
    return transfer_open(**values)


def _seen_by(world, persona: str, case: Case) -> bool:
    user = world.users[persona]
    return case_list(user).filter(pk=case.pk).exists()


def test_an_official_transfer_between_cells_of_two_upper_committees(world):
    case = open_a1_to_c(world)
    assert case.steps.get().kind == "event"
    # 60 working days from 02/03/2026 (Giỗ Tổ, 30/4 and 1/5 off).
    assert case.next_deadline == D(2026, 5, 28)
    assert _seen_by(world, "secretary", case) and not _seen_by(world, "other_upper", case)

    letter = step_record(
        acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 3, 10),
        reference="Số 05-GGT",
    )  # fmt: skip
    assert not letter.late and "60 ngày làm việc" in letter.rule
    case.refresh_from_db()
    assert case.other_org_path == world.cell_c.path
    # Both ends see it now; only the destination's keepers record that they received it.
    assert _seen_by(world, "secretary", case) and _seen_by(world, "other_upper", case)
    assert allowed(world.users["other_upper"], RECEIVE, case)
    assert not allowed(world.users["secretary"], RECEIVE, case)
    assert allowed(world.users["other_upper"], VIEW, case)
    with pytest.raises(StepRefused):
        step_record(acting_user=world.users["secretary"], case=case, kind="event", on=D(2026, 3, 3))

    step_record(
        acting_user=world.users["other_upper"], case=case, kind="received", on=D(2026, 3, 16)
    )
    case.refresh_from_db()
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.CLOSED,
        Outcome.TRANSFERRED,
        D(2026, 3, 16),
    )
    a1 = Member.objects.get(pk=world.a1.pk)
    assert (a1.org, a1.org_path, a1.status) == (world.cell_c, world.cell_c.path, Status.OFFICIAL)
    # The membership moves on the day received: counted at A until then, at C from then.
    assert world.a1.pk in members_of_org_on(world.cell_a, D(2026, 3, 15)).values_list(
        "pk", flat=True
    )
    assert world.a1.pk in members_of_org_on(world.cell_c, D(2026, 3, 16)).values_list(
        "pk", flat=True
    )
    assert world.a1.pk not in members_of_org_on(world.cell_a, D(2026, 3, 16)).values_list(
        "pk", flat=True
    )
    # After the move the record belongs to C's keepers; both ends still see the case.
    assert _seen_by(world, "other_upper", case) and _seen_by(world, "secretary", case)


def test_the_receiving_step_waits_for_the_letter(world):
    case = open_a1_to_c(world)
    with pytest.raises(StepRefused, match="cần ghi trước"):
        step_record(
            acting_user=world.users["other_upper"], case=case, kind="received", on=D(2026, 3, 16)
        )


def test_a_late_letter_needs_a_reason_and_stays_late(world):
    case = open_a1_to_c(world)
    with pytest.raises(StepRefused, match="quá hạn 28/05/2026"):
        step_record(
            acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 5, 29)
        )
    assert Member.objects.get(pk=world.a1.pk).org == world.cell_a
    step = step_record(
        acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 5, 29),
        late_reason="Đảng viên nộp bản tự kiểm điểm chậm.",
    )  # fmt: skip
    assert step.late and step.deadline == D(2026, 5, 28)


def test_overdue_transfers_are_listed_at_both_ends_and_rolled_up(world):
    case = open_a1_to_c(world)
    step_record(acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 3, 10))
    case.refresh_from_db()
    # 30 working days from 10/03/2026, Giỗ Tổ (27/04) included: due 21/04/2026.
    assert case.next_deadline == D(2026, 4, 21)
    late_day = D(2026, 4, 22)
    assert not transfers_overdue(world.users["secretary"], today=D(2026, 4, 21)).exists()
    for persona in ("secretary", "grassroots", "upper", "other_upper", "province"):
        assert list(transfers_overdue(world.users[persona], today=late_day)) == [case], persona
    assert not transfers_overdue(world.users["member"], today=late_day).exists()
    rolled = {
        r.org.name: (r.sending, r.receiving)
        for r in transfers_overdue_by_child(world.users["province"], world.province, today=late_day)
    }
    assert rolled == {"Đảng bộ quận Ba Đình": (1, 0), "Đảng bộ quận Tây Hồ": (0, 1)}
    # The other upper committee sees only its own end.
    assert [
        (r.org.name, r.sending, r.receiving)
        for r in transfers_overdue_by_child(
            world.users["other_upper"], world.upper2, today=late_day
        )
    ] == [("Đảng bộ phường Bưởi", 0, 1)]
    assert list(transfers_sent(world.users["upper"], world.upper1)) == [case]
    assert list(transfers_to_receive(world.users["other_upper"], world.upper2)) == [case]
    assert not transfers_to_receive(world.users["upper"], world.upper1).exists()


def test_a_temporary_transfer_opens_a_temporary_membership_and_counts_at_home(world):
    case = open_a1_to_c(
        world,
        kind=CaseKind.TRANSFER_TEMPORARY,
        reason="study",
        starts_on=D(2026, 3, 2),
        ends_on=D(2027, 9, 1),
    )
    step_record(acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 3, 5))
    step_record(
        acting_user=world.users["other_upper"], case=case, kind="received", on=D(2026, 3, 9)
    )
    a1 = Member.objects.get(pk=world.a1.pk)
    assert a1.org == world.cell_a  # still at home
    temporary = Membership.objects.get(member=a1, kind=Membership.Kind.TEMPORARY)
    assert (temporary.org, temporary.valid_from, temporary.valid_to) == (
        world.cell_c,
        D(2026, 3, 9),
        D(2027, 9, 1),
    )
    assert a1.pk in members_of_org_on(world.cell_a, D(2026, 6, 1)).values_list("pk", flat=True)
    assert a1.pk not in members_of_org_on(world.cell_c, D(2026, 6, 1)).values_list("pk", flat=True)


def test_a_temporary_transfer_outside_its_limits_is_refused_naming_the_rule(world):
    with pytest.raises(StepRefused, match="Đi từ 1 năm trở lên"):
        open_a1_to_c(
            world,
            kind=CaseKind.TRANSFER_TEMPORARY,
            reason="work",
            starts_on=D(2026, 3, 2),
            ends_on=D(2027, 3, 2),
        )
    with pytest.raises(StepRefused, match="Quy định 294-QĐ/TW"):
        open_a1_to_c(world, reason="study")  # an official transfer is not for study
    assert not Case.objects.exists()


def test_a_transfer_out_of_the_installation_closes_the_record_with_its_destination(world):
    case = open_a1_to_c(world, other_org=None, outside_name="Đảng bộ tỉnh Lào Cai")
    step_record(acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 3, 10))
    case.refresh_from_db()
    assert (case.state, case.outcome, case.other_org_path) == (
        CaseState.CLOSED,
        Outcome.TRANSFERRED,
        "",
    )
    a1 = Member.objects.get(pk=world.a1.pk)
    assert a1.status == Status.TRANSFERRED_OUT
    period = StatusPeriod.objects.get(member=a1, valid_to__isnull=True)
    assert period.valid_from == D(2026, 3, 10) and "Lào Cai" in period.note
    assert Membership.objects.get(member=a1).valid_to == D(2026, 3, 10)
    assert not _seen_by(world, "other_upper", case)


def test_one_destination_only_and_one_open_transfer_per_member(world):
    with pytest.raises(ValidationError):
        open_a1_to_c(world, outside_name="Đảng bộ tỉnh Lào Cai")
    with pytest.raises(ValidationError):
        open_a1_to_c(world, other_org=world.cell_a)
    open_a1_to_c(world)
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        open_a1_to_c(world, other_org=world.cell_b)


def test_a_member_arriving_from_outside_is_created_by_the_members_service(world):
    case = transfer_arrival(
        acting_user=world.users["other_upper"],
        org=world.cell_c,
        values={"full_name": "Đỗ Văn Giang", "gender": "M", "date_of_birth": D(1988, 2, 3)},
        admission_date=D(2012, 5, 19),
        recognition_date=D(2013, 5, 19),
        origin="Đảng bộ tỉnh Lào Cai",
        reason="new_job",
        letter_on=D(2026, 3, 2),
        received_on=D(2026, 3, 20),
        reference="Số 17-GGT",
    )
    assert (case.kind, case.state, case.outcome) == (
        CaseKind.TRANSFER_IN,
        CaseState.CLOSED,
        Outcome.RECEIVED,
    )
    member = Member.objects.get(pk=case.member_id)
    assert (member.org, member.status, member.admission_date, member.recognition_date) == (
        world.cell_c,
        Status.OFFICIAL,
        D(2012, 5, 19),
        D(2013, 5, 19),
    )
    assert Membership.objects.get(member=member).valid_from == D(2026, 3, 20)
    assert list(transfers_to_receive(world.users["other_upper"], world.cell_c)) == [case]


def test_an_arrival_after_thirty_working_days_needs_a_reason_and_writes_nothing_without(world):
    values = {
        "acting_user": world.users["other_upper"],
        "org": world.cell_c,
        "values": {"full_name": "Đỗ Văn Giang", "gender": "M", "date_of_birth": D(1988, 2, 3)},
        "admission_date": D(2012, 5, 19),
        "recognition_date": None,
        "origin": "Đảng bộ tỉnh Lào Cai",
        "reason": "residence",
        "letter_on": D(2026, 3, 2),
        "received_on": D(2026, 4, 20),
    }
    count = Member.objects.count()
    with pytest.raises(StepRefused, match="cần ghi lý do"):
        transfer_arrival(**values)
    assert Member.objects.count() == count and not Case.objects.exists()
    case = transfer_arrival(**values, late_reason="Đảng viên ốm.")
    assert case.steps.get(kind="arrival").late
