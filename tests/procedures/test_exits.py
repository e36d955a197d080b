"""Leaving the Party: the striking-off reasons as a dated rule, each kind of exit case from its
opening to the record closed (status, membership, reports of the day before and of the day,
handbook access), the two-thirds vote, refusals with their messages, and the screening list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.conftest import feed_titles, make_member, member_role_orgs

from dangvien.core.models import AuditEvent
from dangvien.handbook.selectors import reader_chain
from dangvien.members.models import Member, Membership, Status, StatusPeriod
from dangvien.procedures import exits, screening
from dangvien.procedures.models import (
    Case,
    CaseKind,
    CaseState,
    ExitReason,
    Outcome,
    ScreeningDecision,
    ScreeningItem,
    Step,
)
from dangvien.procedures.rules import exit as rules
from dangvien.procedures.rules import rule_in_force
from dangvien.procedures.rules.recognition import QD_29
from dangvien.procedures.services import StepRefused, step_record
from dangvien.reports.selectors import member_figures

D = dt.date


def members_on(org, day):
    return {row.measure.key: row.value for row in member_figures(org, day)[0].rows}["members"]


# --- The rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", rules.STRIKE_OFF_REASONS)
def test_every_reason_of_the_statute_is_a_reason_to_strike_off(reason):
    rule = rule_in_force(rules.STRIKE_OFF_REASON, D(2026, 3, 1))
    assert rule(reason=reason)[0]
    assert rule.citation.startswith("Quy định 294-QĐ/TW")


def test_a_reason_outside_the_statute_is_refused_naming_the_rule():
    rule = rule_in_force(rules.STRIKE_OFF_REASON, D(2022, 3, 1))
    ok, message = rule(reason="moved_away", label="Chuyển đi nơi khác")
    assert not ok and "không phải một trường hợp xóa tên" in message
    assert rule.citation.startswith("Quy định 24-QĐ/TW")


def test_a_striking_off_of_2018_is_judged_by_quy_dinh_29():
    assert rule_in_force(rules.STRIKE_OFF_REASON, D(2018, 5, 1)).regulation == QD_29


def test_the_reasons_in_the_model_are_the_rules():
    assert set(ExitReason.values) == set(rules.STRIKE_OFF_REASONS)


# --- Striking off -------------------------------------------------------------------------------


def strike_off(world, member=None, *, reason=ExitReason.NO_ACTIVITY_OR_DUES, opened=None):
    return exits.exit_open(
        acting_user=world.users["secretary"],
        member=member or world.a2,
        kind=CaseKind.STRIKE_OFF,
        opened_on=opened or D(2026, 3, 2),
        reason=reason,
        detail="Bỏ sinh hoạt chi bộ các tháng 9, 10, 11/2025",
    )


def cell_votes(world, case, on, votes_for=2, eligible_present=2):
    return step_record(
        acting_user=world.users["secretary"],
        case=case,
        kind="cell_resolution",
        on=on,
        present=eligible_present,
        votes_for=votes_for,
        votes_against=eligible_present - votes_for,
        reference="03-NQ/CB",
    )


def test_a_striking_off_closes_the_record_from_the_decision_day(world):
    a2 = world.a2
    case = strike_off(world)
    assert case.next_step == "" and case.state == CaseState.OPEN
    cell_votes(world, case, D(2026, 3, 5))
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=D(2026, 3, 12),
    )
    step_record(
        acting_user=world.users["upper"],
        case=case,
        kind="decision",
        on=D(2026, 3, 20),
        reference="112-QĐ/QU",
    )
    case.refresh_from_db()
    a2.refresh_from_db()
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.CLOSED,
        Outcome.STRUCK_OFF,
        D(2026, 3, 20),
    )
    assert a2.status == Status.STRUCK_OFF
    last = StatusPeriod.objects.filter(member=a2).order_by("valid_from").last()
    assert (last.status, last.valid_from, last.valid_to) == (
        Status.STRUCK_OFF,
        D(2026, 3, 20),
        None,
    )
    assert "Quyết định xóa tên số 112-QĐ/QU ngày 20/03/2026" in last.note
    assert "Bỏ sinh hoạt đảng" in last.note
    # Never deleted: the record and its membership stay, closed on the day.
    assert Member.objects.filter(pk=a2.pk).exists()
    membership = Membership.objects.get(member=a2)
    assert membership.valid_to == D(2026, 3, 20)
    # Reports of past days: counted the day before the decision, not on its day.
    assert members_on(world.cell_a, D(2026, 3, 19)) == 2
    assert members_on(world.cell_a, D(2026, 3, 20)) == 1
    assert AuditEvent.objects.filter(summary__startswith="Mở hồ sơ xóa tên đảng viên").exists()


def test_a_striking_off_decided_today_ends_handbook_access_and_todays_report(world):

    from dangvien.accounts.models import Role
    from dangvien.handbook.models import Post

    today = timezone.localdate()
    a1 = world.a1
    user = world.users["member"]
    Post.objects.create(
        org=world.cell_a,
        title="Thông báo sinh hoạt",
        body="…",
        publish_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert "Thông báo sinh hoạt" in feed_titles(user)
    assert member_role_orgs(user) == ["Chi bộ 1"]
    case = strike_off(world, a1, opened=today - dt.timedelta(days=10))
    # The cell's two official members, a1 and a2, vote: two thirds of 2 is 2.
    cell_votes(world, case, today - dt.timedelta(days=5))
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=today - dt.timedelta(days=2),
    )
    assert members_on(world.cell_a, today) == 2
    step_record(
        acting_user=world.users["upper"], case=case, kind="decision", on=today, reference="7-QĐ/QU"
    )
    assert Member.objects.get(pk=a1.pk).status == Status.STRUCK_OFF
    assert members_on(world.cell_a, today) == 1
    assert members_on(world.cell_a, today - dt.timedelta(days=1)) == 2
    # The handbook: no member role, no chain to read, no post of the cell.
    assert member_role_orgs(user) == []
    assert reader_chain(type(user).objects.get(pk=user.pk)) == []
    assert feed_titles(user) == set()
    assert not user.roles.filter(role=Role.MEMBER).exists()


def test_the_cells_resolution_needs_two_thirds_of_its_official_members(world):
    make_member("Hoàng Văn Em", world.cell_a)  # three official members: two thirds is 2
    case = strike_off(world)
    with pytest.raises(StepRefused) as refused:
        cell_votes(world, case, D(2026, 3, 5), votes_for=1, eligible_present=3)
    assert "Chỉ 1/3 đảng viên chính thức tán thành" in " ".join(refused.value.messages)
    assert not case.steps.exists()
    cell_votes(world, case, D(2026, 3, 5), votes_for=2, eligible_present=3)
    assert case.steps.get().eligible == 3


def test_the_committee_decides_not_the_cell(world):
    from dangvien.accounts.access import DECIDE, allowed

    case = strike_off(world)
    assert not allowed(world.users["secretary"], DECIDE, case)
    assert allowed(world.users["upper"], DECIDE, case)


def test_a_decision_before_the_cells_resolution_is_refused(world):
    case = strike_off(world)
    with pytest.raises(StepRefused) as refused:
        step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 3, 9))
    assert "cần ghi trước" in " ".join(refused.value.messages)


def test_someone_already_out_of_the_party_cannot_be_struck_off(world):
    from dangvien.members.services import member_set_status

    member_set_status(acting_user=None, member=world.a2, status=Status.DECEASED, on=D(2026, 1, 4))
    with pytest.raises(ValidationError) as refused:
        strike_off(world)
    assert "không còn trong Đảng (đã từ trần)" in " ".join(refused.value.messages)
    assert not Case.objects.filter(kind=CaseKind.STRIKE_OFF).exists()


def test_a_member_who_left_meanwhile_cannot_be_decided_on(world):
    from dangvien.members.services import member_set_status

    case = strike_off(world)
    cell_votes(world, case, D(2026, 3, 5))
    member_set_status(acting_user=None, member=world.a2, status=Status.DECEASED, on=D(2026, 3, 8))
    with pytest.raises(StepRefused) as refused:
        step_record(
            acting_user=world.users["grassroots"],
            case=case,
            kind="grassroots_resolution",
            on=D(2026, 3, 12),
        )
    assert "không còn trong Đảng" in " ".join(refused.value.messages)


def test_bad_input_is_refused_with_every_reason(world):
    with pytest.raises(ValidationError) as refused:
        exits.exit_open(
            acting_user=world.users["secretary"],
            member=world.a2,
            kind=CaseKind.STRIKE_OFF,
            reason="",
            opened_on=D(2099, 1, 1),
        )
    messages = " ".join(refused.value.messages)
    assert "Ngày mở hồ sơ chưa tới." in messages
    assert "(chưa chọn lý do)» không phải một trường hợp xóa tên" in messages
    with pytest.raises(ValidationError) as refused:
        exits.exit_open(
            acting_user=world.users["secretary"],
            member=world.a2,
            kind=CaseKind.EXPULSION,
            opened_on=D(2026, 3, 2),
        )
    assert "Cần ghi cơ quan có thẩm quyền" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        exits.exit_open(
            acting_user=world.users["secretary"],
            member=world.a2,
            kind=CaseKind.DEATH,
            opened_on=D(2026, 3, 2),
        )
    assert "Cần ghi ngày đảng viên từ trần." in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        exits.exit_open(acting_user=world.users["secretary"], member=world.a2, kind="admission")


def test_one_exit_case_at_a_time(world):
    strike_off(world)
    with pytest.raises(ValidationError) as refused:
        exits.exit_open(
            acting_user=world.users["secretary"],
            member=world.a2,
            kind=CaseKind.DISCHARGE,
            opened_on=D(2026, 3, 3),
        )
    assert "đang có hồ sơ xóa tên đảng viên mở ngày 02/03/2026" in " ".join(refused.value.messages)


def test_a_withdrawn_striking_off_leaves_the_record_open(world):
    case = strike_off(world)
    step_record(
        acting_user=world.users["secretary"],
        case=case,
        kind="withdrawal",
        on=D(2026, 3, 9),
        note="Đồng chí đã sinh hoạt trở lại",
    )
    case.refresh_from_db()
    assert case.outcome == Outcome.WITHDRAWN
    assert Member.objects.get(pk=world.a2.pk).status == Status.OFFICIAL


# --- Expulsion, discharge, death --------------------------------------------------------------


def test_an_expulsion_records_the_body_the_number_and_the_day(world):
    case = exits.exit_open(
        acting_user=world.users["upper"],
        member=world.b1,
        kind=CaseKind.EXPULSION,
        opened_on=D(2026, 4, 1),
        authority="Ủy ban Kiểm tra Quận ủy Ba Đình",
        detail="Vi phạm pháp luật, bị kết án tù",
    )
    assert case.next_step == ""
    with pytest.raises(ValidationError) as refused:
        step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 4, 8))
    assert "Cần ghi số quyết định kỷ luật khai trừ." in refused.value.messages
    step_record(
        acting_user=world.users["upper"],
        case=case,
        kind="decision",
        on=D(2026, 4, 8),
        reference="25-QĐ/UBKT",
    )
    b1 = Member.objects.get(pk=world.b1.pk)
    assert b1.status == Status.EXPELLED
    note = StatusPeriod.objects.get(member=b1, valid_to=None).note
    assert note.startswith(
        "Quyết định kỷ luật khai trừ số 25-QĐ/UBKT ngày 08/04/2026 của Ủy ban Kiểm tra Quận ủy"
    )
    assert members_on(world.cell_b, D(2026, 4, 7)) == 1
    assert members_on(world.cell_b, D(2026, 4, 8)) == 0


def test_a_discharge_goes_from_the_application_to_the_decision(world):
    case = exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.a2,
        kind=CaseKind.DISCHARGE,
        opened_on=D(2026, 5, 4),
        detail="Hoàn cảnh gia đình",
    )
    secretary, upper = world.users["secretary"], world.users["upper"]
    step_record(acting_user=secretary, case=case, kind="application", on=D(2026, 5, 4))
    step_record(
        acting_user=secretary,
        case=case,
        kind="cell_resolution",
        on=D(2026, 5, 6),
        note="2/2 tán thành",
    )
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=D(2026, 5, 8),
    )
    step_record(acting_user=upper, case=case, kind="decision", on=D(2026, 5, 15))
    assert Member.objects.get(pk=world.a2.pk).status == Status.DISCHARGED
    case.refresh_from_db()
    assert case.outcome == Outcome.DISCHARGED


def test_a_death_is_recorded_from_its_day_without_a_vote(world):
    case = exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.c1,
        kind=CaseKind.DEATH,
        opened_on=D(2026, 6, 10),
        died_on=D(2026, 6, 2),
    )
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.CLOSED,
        Outcome.DECEASED,
        D(2026, 6, 10),
    )
    c1 = Member.objects.get(pk=world.c1.pk)
    assert c1.status == Status.DECEASED
    period = StatusPeriod.objects.get(member=c1, valid_to=None)
    assert (period.valid_from, period.note) == (D(2026, 6, 2), "Từ trần ngày 02/06/2026")
    assert members_on(world.cell_c, D(2026, 6, 1)) == 1
    assert members_on(world.cell_c, D(2026, 6, 2)) == 0
    with pytest.raises(ValidationError) as refused:
        exits.exit_open(
            acting_user=world.users["secretary"],
            member=world.a2,
            kind=CaseKind.DEATH,
            opened_on=D(2026, 6, 1),
            died_on=D(2026, 6, 2),
        )
    assert "sau ngày báo cáo" in " ".join(refused.value.messages)


def test_the_exits_of_a_period_by_kind_and_reason(world):
    case = strike_off(world)
    cell_votes(world, case, D(2026, 3, 5))
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=D(2026, 3, 12),
    )
    step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 3, 20))
    exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.c1,
        kind=CaseKind.DEATH,
        opened_on=D(2026, 6, 10),
        died_on=D(2026, 6, 2),
    )
    province = world.users["province"]
    counts = exits.exit_counts(province, world.province, D(2026, 1, 1), D(2026, 12, 31))
    assert [(c.kind, c.reason, c.count) for c in counts] == [
        ("strike_off", "no_activity_or_dues", 1),
        ("death", "", 1),
    ]
    by_child = exits.exit_counts_by_child(
        province, world.province, [world.upper1, world.upper2], D(2026, 1, 1), D(2026, 12, 31)
    )
    assert by_child == {world.upper1.pk: {"strike_off": 1}, world.upper2.pk: {"death": 1}}
    # Out of the other district's scope.
    assert (
        exits.exit_counts(world.users["other_upper"], world.upper1, D(2026, 1, 1), D(2026, 12, 31))
        == []
    )
    assert exits.exits_closed(province, world.province, D(2026, 4, 1), D(2026, 12, 31)).count() == 1


# --- Screening -----------------------------------------------------------------------------------


def failed_recognition(world):
    """A probationary member of cell A the cell proposed to strike off."""
    member = make_member(
        "Đỗ Văn Phúc", world.cell_a, status=Status.PROBATIONARY, admission_date=D(2025, 2, 10)
    )
    case = Case.objects.create(
        kind=CaseKind.RECOGNITION,
        member=member,
        org=world.cell_a,
        org_path=world.cell_a.path,
        opened_on=D(2026, 2, 1),
        state=CaseState.CLOSED,
        closed_on=D(2026, 3, 3),
        outcome=Outcome.STRIKE_OFF_PROPOSED,
    )
    Step.objects.create(
        case=case,
        kind="strike_off_proposal",
        done_on=D(2026, 3, 3),
        reference="5-NQ/CB",
        eligible=2,
        present=2,
        votes_for=2,
        votes_against=0,
    )
    return member, case


def test_a_failed_recognition_is_flagged_until_the_cell_decides(world):
    member, recognition = failed_recognition(world)
    secretary = world.users["secretary"]
    rows = screening.pending(secretary, world.cell_a)
    assert [(r.member, r.source, r.reason, r.raised_on) for r in rows] == [
        (member, "recognition", "not_recognised", D(2026, 3, 3))
    ]
    assert screening.pending(world.users["other_upper"], world.upper2) == []
    item = screening.screening_decide(
        acting_user=secretary,
        member=member,
        source="recognition",
        reason="not_recognised",
        raised_on=D(2026, 3, 3),
        decision=ScreeningDecision.STRIKE_OFF,
        decided_on=D(2026, 3, 10),
        note="Chi bộ thống nhất",
    )
    assert screening.pending(secretary, world.cell_a) == []
    case = item.exit_case
    assert case.kind == CaseKind.STRIKE_OFF and case.exit.source_case == recognition
    assert case.exit.reason == ExitReason.NOT_RECOGNISED
    # The cell's resolution not recognising the member stands as the striking off's: not voted
    # again, the case waits for the ward committee's opinion.
    carried = case.steps.get()
    assert (carried.kind, carried.done_on, carried.votes_for, carried.reference) == (
        "cell_resolution",
        D(2026, 3, 3),
        2,
        "5-NQ/CB",
    )
    assert case.next_step == "grassroots_resolution"
    assert (item.decided_by, item.decided_on) == (secretary, D(2026, 3, 10))
    assert list(screening.decided(secretary, world.cell_a)) == [item]
    assert AuditEvent.objects.filter(summary__startswith="Rà soát đảng viên Đỗ Văn Phúc").exists()
    with pytest.raises(ValidationError) as refused:
        screening.screening_decide(
            acting_user=secretary,
            member=member,
            source="recognition",
            reason="not_recognised",
            raised_on=D(2026, 3, 3),
            decision=ScreeningDecision.KEEP,
            decided_on=D(2026, 3, 11),
        )
    assert "Chi bộ đã quyết định" in " ".join(refused.value.messages)


def test_the_secretary_adds_a_member_by_hand_and_decides_to_remind(world):
    secretary = world.users["secretary"]
    item = screening.screening_add(
        acting_user=secretary,
        member=world.a2,
        reason=ExitReason.NO_ACTIVITY_OR_DUES,
        raised_on=D(2026, 4, 1),
        note="Vắng 3 buổi sinh hoạt không lý do",
    )
    rows = screening.pending(secretary, world.cell_a)
    assert [(r.source, r.item) for r in rows] == [("manual", item)]
    lines = screening.todo_lines(secretary)
    assert [line.subject for line in lines] == ["Trần Thị Bình"]
    with pytest.raises(ValidationError) as refused:
        screening.screening_decide(
            acting_user=secretary,
            member=world.a2,
            source="manual",
            reason=item.reason,
            raised_on=D(2026, 4, 1),
            decision=ScreeningDecision.OTHER,
            decided_on=D(2026, 3, 1),
        )
    messages = " ".join(refused.value.messages)
    assert "Ngày quyết định trước ngày phát hiện (01/04/2026)." in messages
    assert "xin ghi rõ trong phần ghi chú" in messages
    screening.screening_decide(
        acting_user=secretary,
        member=world.a2,
        source="manual",
        reason=item.reason,
        raised_on=D(2026, 4, 1),
        decision=ScreeningDecision.REMIND,
        decided_on=D(2026, 4, 5),
    )
    item.refresh_from_db()
    assert item.decision == ScreeningDecision.REMIND and item.exit_case is None
    assert screening.todo_lines(secretary) == []
    with pytest.raises(ValidationError) as refused:
        screening.screening_add(acting_user=secretary, member=world.a2, reason="whatever")
    assert "Xin chọn một trong các trường hợp xóa tên" in " ".join(refused.value.messages)
    assert ScreeningItem.objects.count() == 1


def test_the_reports_count_exits_by_kind_and_drill_down_to_the_cases(world, as_persona):
    from dangvien.procedures import targets

    case = strike_off(world)
    cell_votes(world, case, D(2026, 3, 5))
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=D(2026, 3, 12),
    )
    step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 3, 20))
    withdrawn = exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.b1,
        kind=CaseKind.DISCHARGE,
        opened_on=D(2026, 4, 1),
    )
    step_record(
        acting_user=world.users["secretary"], case=withdrawn, kind="withdrawal", on=D(2026, 4, 2)
    )
    province = world.users["province"]
    figures = {
        f.key: n
        for f, n in targets.case_figures(
            province, world.grassroots1, D(2026, 1, 1), D(2026, 12, 31)
        )
    }
    assert (figures["struck_off"], figures["discharged"], figures["deceased"]) == (1, 0, 0)
    listed = targets.figure_cases(
        province, "struck_off", world.grassroots1, D(2026, 1, 1), D(2026, 12, 31)
    )
    assert list(listed) == [case]
    page = as_persona("province").get(
        f"/to-chuc/{world.grassroots1.pk}/thu-tuc/?chi-so=struck_off&tu=2026-01-01&den=2026-12-31"
    )
    assert "Trần Thị Bình" in page.content.decode()


def test_open_exit_cases_wait_on_whoever_records_their_next_step(world):
    from dangvien.procedures.todo import todo_for

    case = strike_off(world)
    secretary, upper = world.users["secretary"], world.users["upper"]
    assert "Nghị quyết chi bộ đề nghị xóa tên đảng viên" in {
        line.what for line in todo_for(secretary).lines
    }
    cell_votes(world, case, D(2026, 3, 5))
    step_record(
        acting_user=world.users["grassroots"],
        case=case,
        kind="grassroots_resolution",
        on=D(2026, 3, 12),
    )
    assert "Quyết định xóa tên trong danh sách đảng viên" in {
        line.what for line in todo_for(upper).lines
    }
    assert "Quyết định xóa tên trong danh sách đảng viên" not in {
        line.what for line in todo_for(secretary).lines
    }


def test_leaving_withdraws_the_card_and_a_death_leaves_it(world):
    from dangvien.procedures.models import CardState, PartyCard

    a1 = world.a1  # holds card 01234567 (registered with the record)
    case = strike_off(world, a1)
    cell_votes(world, case, D(2026, 3, 5))
    step_record(acting_user=world.users["grassroots"], case=case,
                kind="grassroots_resolution", on=D(2026, 3, 12))  # fmt: skip
    step_record(acting_user=world.users["upper"], case=case, kind="decision",
                on=D(2026, 3, 20), reference="112-QĐ/QU")  # fmt: skip
    card = PartyCard.objects.get(member=a1, number="01234567")
    assert (card.state, card.ended_on) == (CardState.WITHDRAWN, D(2026, 3, 20))
    assert "Xóa tên ngày 20/03/2026" in card.end_note
    assert Member.objects.get(pk=a1.pk).party_card_number is None
    # A death closes the record; the card is not withdrawn.
    veteran = make_member("Trần Văn Cựu", world.cell_c, party_card_number="07654321",
                          party_card_issued_date=D(2012, 5, 19))  # fmt: skip
    exits.exit_open(acting_user=world.users["secretary"], member=veteran, kind=CaseKind.DEATH,
                    opened_on=D(2026, 6, 10), died_on=D(2026, 6, 2))  # fmt: skip
    kept = PartyCard.objects.get(member=veteran)
    assert kept.state == CardState.HANDED
