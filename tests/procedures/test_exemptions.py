"""Exemptions from party work and meetings: the rule, the case from the application to the report
up, the status while it holds, its end (asked, decided, scheduled), and who is exempt on a day."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import make_member

from dangvien.members.models import Gender, Member, Status, StatusPeriod
from dangvien.procedures import exemptions
from dangvien.procedures.exemption_services import exemption_apply, exemption_end
from dangvien.procedures.models import (
    CaseState,
    Exemption,
    ExemptionEnd,
    ExemptionReason,
    ExemptionScope,
    Outcome,
)
from dangvien.procedures.rules import exemption as rules
from dangvien.procedures.services import StepRefused, step_record

D = dt.date


@pytest.mark.parametrize(
    ("gender", "born", "ok"),
    [
        (Gender.MALE, D(1966, 3, 2), False),  # 59 on 01/03/2026
        (Gender.MALE, D(1966, 3, 1), True),  # 60 on 01/03/2026: past working age
        (Gender.FEMALE, D(1971, 3, 2), False),  # 54
        (Gender.FEMALE, D(1971, 3, 1), True),  # 55
    ],
)
def test_advanced_age_is_from_sixty_for_men_and_fifty_five_for_women(gender, born, ok):
    verdict, _ = rules.eligible(
        name="X", official=True, reason="age", gender=gender, born=born, day=D(2026, 3, 1)
    )
    assert verdict is ok


def test_a_probationary_member_is_not_exempted():
    ok, message = rules.eligible(
        name="X", official=False, reason="health", gender="M", born=D(1950, 1, 1), day=D(2026, 3, 1)
    )
    assert not ok and "chỉ đảng viên chính thức" in message


def _elderly(world):
    return make_member("Vũ Văn Lão", world.cell_a, date_of_birth=D(1950, 1, 1))


RESOLVED = D(2026, 3, 10)


def _decide(world, case, on=RESOLVED, reference="05-NQ/CB"):
    return step_record(
        acting_user=world.users["secretary"], case=case, kind="cell_resolution", on=on,
        reference=reference,
    )  # fmt: skip


def test_an_exemption_from_meetings_runs_from_the_resolution_to_the_return(world):
    member = _elderly(world)
    case = exemption_apply(
        acting_user=world.users["secretary"], member=member, scope=ExemptionScope.ACTIVITY,
        reason=ExemptionReason.AGE, applied_on=D(2026, 3, 2),
    )  # fmt: skip
    assert case.org == world.cell_a and case.next_step == "cell_resolution"
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 3, 5)) == set()
    _decide(world, case)
    member.refresh_from_db()
    assert member.status == Status.EXEMPTED
    period = StatusPeriod.objects.get(member=member, status=Status.EXEMPTED)
    assert period.valid_from == D(2026, 3, 10) and "05-NQ/CB" in period.note
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 3, 10)) == {member.pk}
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 3, 9)) == set()
    assert exemptions.exempt_member_ids([world.cell_b.pk], D(2026, 3, 10)) == set()
    step_record(
        acting_user=world.users["grassroots"], case=case, kind="reported", on=D(2026, 3, 15)
    )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.outcome == Outcome.EXEMPTED
    # Listed up the tree while it holds.
    rows = exemptions.exemption_list(world.users["upper"], world.upper1, day=D(2026, 4, 1))
    assert [row.member_id for row in rows] == [member.pk]
    assert not exemptions.exemption_list(
        world.users["other_upper"], world.upper2, day=D(2026, 4, 1)
    )
    exemption = Exemption.objects.get(case=case)
    exemption_end(
        acting_user=world.users["secretary"], exemption=exemption, on=D(2026, 6, 1),
        ended_by=ExemptionEnd.MEMBER, reference="09-NQ/CB",
    )  # fmt: skip
    member.refresh_from_db()
    assert member.status == Status.OFFICIAL
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 5, 31)) == {member.pk}
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 6, 1)) == set()
    assert not exemptions.exemption_list(world.users["upper"], world.upper1, day=D(2026, 6, 1))


def test_an_exemption_from_work_leaves_the_status_and_the_counts(world):
    member = _elderly(world)
    case = exemption_apply(
        acting_user=world.users["secretary"], member=member, scope=ExemptionScope.WORK,
        reason=ExemptionReason.HEALTH, applied_on=D(2026, 3, 2),
    )  # fmt: skip
    _decide(world, case)
    assert Member.objects.get(pk=member.pk).status == Status.OFFICIAL
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 3, 10)) == set()
    rows = exemptions.exemption_list(world.users["secretary"], world.cell_a, day=D(2026, 3, 10))
    assert [row.scope for row in rows] == [ExemptionScope.WORK]


def test_a_scheduled_end_ends_the_exemption_on_its_day_and_asks_the_cell(world):
    member = _elderly(world)
    case = exemption_apply(
        acting_user=world.users["secretary"], member=member, scope=ExemptionScope.ACTIVITY,
        reason=ExemptionReason.HEALTH, applied_on=D(2026, 3, 2), ends_on=D(2026, 9, 1),
    )  # fmt: skip
    _decide(world, case)
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 8, 31)) == {member.pk}
    assert exemptions.exempt_member_ids([world.cell_a.pk], D(2026, 9, 1)) == set()
    due = exemptions.due_to_record(world.users["secretary"], D(2026, 9, 1))
    assert [row.member_id for row in due] == [member.pk]
    exemption_end(
        acting_user=world.users["secretary"], exemption=Exemption.objects.get(case=case),
        on=D(2026, 1, 1), ended_by=ExemptionEnd.SCHEDULED,
    )  # fmt: skip
    assert StatusPeriod.objects.get(member=member, status=Status.EXEMPTED).valid_to == D(2026, 9, 1)
    assert not exemptions.due_to_record(world.users["secretary"], D(2026, 9, 1))


def test_a_probationary_member_cannot_apply(world):
    member = make_member(
        "Đỗ Văn Mới", world.cell_a, status=Status.PROBATIONARY, admission_date=D(2026, 1, 5),
        date_of_birth=D(1950, 1, 1),
    )  # fmt: skip
    with pytest.raises(StepRefused, match="chỉ đảng viên chính thức"):
        exemption_apply(
            acting_user=world.users["secretary"], member=member, scope=ExemptionScope.ACTIVITY,
            reason=ExemptionReason.AGE, applied_on=D(2026, 3, 2),
        )  # fmt: skip
    assert not Exemption.objects.exists()


def test_the_resolution_needs_its_number_in_the_book(world):
    case = exemption_apply(
        acting_user=world.users["secretary"], member=_elderly(world),
        scope=ExemptionScope.ACTIVITY, reason=ExemptionReason.AGE, applied_on=D(2026, 3, 2),
    )  # fmt: skip
    with pytest.raises(Exception, match="số nghị quyết"):
        _decide(world, case, reference="")
    assert not Exemption.objects.filter(decided=True).exists()


def test_a_second_exemption_of_the_same_kind_is_refused(world):
    member = _elderly(world)
    first = exemption_apply(
        acting_user=world.users["secretary"], member=member, scope=ExemptionScope.WORK,
        reason=ExemptionReason.AGE, applied_on=D(2026, 3, 2),
    )  # fmt: skip
    _decide(world, first)
    with pytest.raises(StepRefused, match="đang được miễn công tác"):
        exemption_apply(
            acting_user=world.users["secretary"], member=member, scope=ExemptionScope.WORK,
            reason=ExemptionReason.AGE, applied_on=D(2026, 4, 2),
        )  # fmt: skip


def test_the_to_do_list_asks_the_cell_to_record_a_scheduled_return(world):
    from dangvien.procedures.todo import todo_for

    member = _elderly(world)
    case = exemption_apply(
        acting_user=world.users["secretary"], member=member, scope=ExemptionScope.ACTIVITY,
        reason=ExemptionReason.HEALTH, applied_on=D(2026, 3, 2), ends_on=D(2026, 9, 1),
    )  # fmt: skip
    waiting = todo_for(world.users["secretary"], today=D(2026, 3, 5))
    assert any(line.what.startswith("Nghị quyết chi bộ cho miễn") for line in waiting.lines)
    _decide(world, case)
    step_record(
        acting_user=world.users["grassroots"], case=case, kind="reported", on=D(2026, 3, 15)
    )
    assert not any(
        "trở lại" in line.what for line in todo_for(world.users["secretary"], D(2026, 8, 31)).lines
    )
    due = todo_for(world.users["secretary"], today=D(2026, 9, 1))
    assert [line.subject for line in due.lines if "trở lại" in line.what] == [member.full_name]
    assert not todo_for(world.users["other_upper"], today=D(2026, 9, 1)).lines


def test_the_cells_resolution_is_made_as_a_word_document(world):
    from tests.procedures.test_documents import text_of

    from dangvien.procedures import documents

    member = _elderly(world)
    case = exemption_apply(
        acting_user=world.users["secretary"], member=member, scope=ExemptionScope.ACTIVITY,
        reason=ExemptionReason.AGE, applied_on=D(2026, 3, 2), ends_on=D(2027, 3, 10),
    )  # fmt: skip
    _decide(world, case, reference="05")
    document = documents.document_generate(
        acting_user=world.users["secretary"], case=case, form_code="NQ-MCT"
    )
    text = text_of(document)
    assert "Số 05-NQ/CB" in text and "CHI BỘ 1" in text
    assert "cho đảng viên miễn công tác và sinh hoạt đảng" in text
    assert "đơn ngày 02/03/2026 của đồng chí Vũ Văn Lão" in text and "lý do: tuổi cao" in text
    assert "từ ngày 10/03/2026 đến hết ngày 09/03/2027" in text
    assert "Căn cứ Điều 7 Điều lệ Đảng" in text and "{{" not in text
