"""Recognition as official: the dated rules at their boundaries, the case from dossier to decision,
the member official from the 12-month date (and the figures of past days with it), the proposal to
strike off, and the lists of probations ending."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import make_member
from tests.procedures.factories import pdf

from dangvien.accounts.access import DECIDE, allowed
from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Status, StatusPeriod
from dangvien.procedures import recognition, services
from dangvien.procedures.models import Case, CaseKind, CaseState, Outcome, Step
from dangvien.procedures.recognition import (
    due_rows,
    recognition_open,
    recognitions_due,
    strike_off_proposals,
)
from dangvien.procedures.rules import recognition as rules
from dangvien.procedures.rules import rule_in_force
from dangvien.procedures.services import StepRefused, step_record
from dangvien.reports.selectors import member_figures

D = dt.date
ADMITTED = D(2025, 2, 10)  # 12 months end on Tuesday 10/02/2026, the week before Tết


# --- Rules at their boundaries -------------------------------------------------------------------


def test_a_probation_begun_on_29_february_ends_on_28_february():
    assert rules.probation_end(admitted_on=D(2024, 2, 29)) == D(2025, 2, 28)
    # So a list of probations ending by 28/02/2025 holds the admissions of 29/02/2024 …
    assert rules.admitted_by(D(2025, 2, 28)) == D(2024, 2, 29)
    # … and one ending by 27/02/2025 does not.
    assert rules.admitted_by(D(2025, 2, 27)) == D(2024, 2, 27)


@pytest.mark.parametrize(
    ("ends_by", "admitted_by"),
    [
        (D(2026, 1, 31), D(2025, 1, 31)),
        (D(2026, 2, 28), D(2025, 2, 28)),  # a common year follows a common year
        (D(2028, 2, 29), D(2027, 2, 28)),  # 29/02/2028 ends no probation begun on 29/02
        (D(2026, 3, 31), D(2025, 3, 31)),
        (D(2026, 12, 31), D(2025, 12, 31)),
    ],
)
def test_the_last_admission_ending_by_a_month_end(ends_by, admitted_by):
    assert rules.admitted_by(ends_by) == admitted_by
    assert rules.probation_end(admitted_on=admitted_by) <= ends_by
    assert rules.probation_end(admitted_on=admitted_by + dt.timedelta(days=1)) > ends_by


@pytest.mark.django_db
def test_the_consideration_deadline_skips_tet_2026():
    # From Tuesday 10/02/2026: 3 working days before Tết (16–20/02 off), then 27 after it.
    assert rules.consideration_deadline(probation_end=D(2026, 2, 10)) == D(2026, 3, 31)
    assert rules.consideration_deadline(probation_end=D(2026, 2, 11)) == D(2026, 4, 1)


@pytest.mark.django_db
def test_overdue_means_the_thirty_working_days_are_over():
    # On 01/04/2026 the probation that ended on 10/02 is overdue, the one of 11/02 due today.
    assert rules.ended_by_deadline(D(2026, 4, 1)) == D(2026, 2, 10)
    assert rules.ended_by_deadline(D(2026, 4, 2)) == D(2026, 2, 11)


def test_a_probation_ended_before_quy_dinh_24_is_judged_by_quy_dinh_29():
    assert rule_in_force(rules.PROBATION_END, D(2019, 5, 1)).regulation == rules.QD_29
    assert rule_in_force(
        rules.CONSIDERATION_DEADLINE, D(2021, 7, 30)
    ).regulation.citation.startswith("Quy định 24-QĐ/TW")


# --- The case -------------------------------------------------------------------------------------


def _probationary(world, name="Đỗ Văn Giang", admitted=ADMITTED, org=None):
    return make_member(
        name,
        org or world.cell_a,
        status=Status.PROBATIONARY,
        admission_date=admitted,
        date_of_birth=D(1998, 9, 1),
    )


DOSSIER_ON, OPENED_ON, CONSIDERED_ON = D(2026, 2, 5), D(2026, 1, 20), D(2026, 2, 24)


def _dossier(world, case, on=DOSSIER_ON):
    secretary = world.users["secretary"]
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ"):
        services.document_upload(acting_user=secretary, case=case, form_code=code, upload=pdf())
    return step_record(acting_user=secretary, case=case, kind="dossier", on=on)


def _open(world, member, on=OPENED_ON):
    return recognition_open(acting_user=world.users["secretary"], member=member, opened_on=on)


def _cell(world, case, on=CONSIDERED_ON, kind="cell_resolution", **values):
    counts = {"present": 2, "votes_for": 2, "votes_against": 0, **values}
    return step_record(acting_user=world.users["secretary"], case=case, kind=kind, on=on, **counts)


def test_a_recognition_makes_the_member_official_from_the_twelve_month_date(world):
    member = _probationary(world)
    case = _open(world, member)
    assert case.kind == CaseKind.RECOGNITION and case.org == world.cell_a
    assert case.next_deadline == D(2026, 3, 31)  # the cell's consideration
    _dossier(world, case)
    resolution = _cell(world, case)
    assert resolution.eligible == 2  # a1 and a2: the probationary member does not vote
    assert resolution.deadline == D(2026, 3, 31) and not resolution.late
    assert "Quy định 294-QĐ/TW" in resolution.rule
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 2))  # fmt: skip

    # A report of a day after the 12-month date, made before the decision: still probationary.
    def counts(day):
        total = {row.measure.key: row.value for row in member_figures(world.cell_a, day)[0].rows}
        return total["official"], total["probationary"]

    assert counts(D(2026, 3, 15)) == (2, 1)

    # The committee decides two months late: the member is official from 10/02 all the same.
    step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 5, 4),
                reference="Số 45-QĐ/QU")  # fmt: skip
    member.refresh_from_db()
    case.refresh_from_db()
    assert (member.status, member.recognition_date) == (Status.OFFICIAL, D(2026, 2, 10))
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.CLOSED,
        Outcome.RECOGNISED,
        D(2026, 5, 4),
    )
    periods = list(
        StatusPeriod.objects.filter(member=member)
        .order_by("valid_from")
        .values_list("status", "valid_from", "valid_to")
    )
    assert periods == [
        (Status.PROBATIONARY, ADMITTED, D(2026, 2, 10)),
        (Status.OFFICIAL, D(2026, 2, 10), None),
    ]
    assert counts(D(2026, 2, 9)) == (2, 1)  # the last day of probation
    assert counts(D(2026, 3, 15)) == (3, 0)  # between the 12-month date and the decision
    assert counts(D(2026, 2, 10)) == (3, 0)
    summaries = list(
        AuditEvent.objects.filter(target_type="procedures.case", target_id=case.pk)
        .order_by("id").values_list("summary", flat=True)
    )  # fmt: skip
    assert summaries[0] == "Mở hồ sơ công nhận đảng viên chính thức Đỗ Văn Giang"
    assert summaries[-1] == "Quyết định công nhận đảng viên chính thức ngày 04/05/2026"


def test_the_cell_cannot_consider_before_the_twelve_months_are_over(world):
    case = _open(world, _probationary(world))
    _dossier(world, case)
    with pytest.raises(StepRefused, match=r"chưa hết 12 tháng dự bị.*10/02/2026"):
        _cell(world, case, on=D(2026, 2, 9))
    assert not Step.objects.filter(kind="cell_resolution").exists()


def test_steps_out_of_order_are_refused(world):
    case = _open(world, _probationary(world))
    with pytest.raises(StepRefused, match="cần ghi trước «Hoàn thành hồ sơ đề nghị công nhận"):
        _cell(world, case)
    with pytest.raises(StepRefused, match="còn thiếu bản tự kiểm điểm"):
        step_record(acting_user=world.users["secretary"], case=case, kind="dossier",
                    on=D(2026, 2, 5))  # fmt: skip
    _dossier(world, case)
    with pytest.raises(StepRefused, match="cần ghi trước «Nghị quyết chi bộ"):
        step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                    on=D(2026, 3, 2))  # fmt: skip


def test_a_vote_under_two_thirds_of_the_cells_official_members_is_refused(world):
    case = _open(world, _probationary(world))
    _dossier(world, case)
    with pytest.raises(StepRefused, match=r"Chỉ 1/2 đảng viên chính thức tán thành"):
        _cell(world, case, present=2, votes_for=1, votes_against=1)


def test_a_late_consideration_needs_a_reason_and_stays_late(world):
    case = _open(world, _probationary(world))
    _dossier(world, case)
    with pytest.raises(StepRefused, match="đã quá hạn 31/03/2026: cần ghi lý do chậm"):
        _cell(world, case, on=D(2026, 4, 1))
    step = _cell(world, case, on=D(2026, 4, 1), late_reason="Chi bộ họp muộn vì bí thư ốm.")
    assert step.late and step.late_reason == "Chi bộ họp muộn vì bí thư ốm."


def test_one_open_case_per_probationary_member(world):
    member = _probationary(world)
    _open(world, member)
    with pytest.raises(Exception, match="đang có hồ sơ công nhận chính thức"):
        _open(world, member)
    with pytest.raises(Exception, match="không phải đảng viên dự bị"):
        _open(world, world.a1)
    assert Case.objects.count() == 1


def test_not_qualified_ends_with_a_proposal_to_strike_off(world):
    member = _probationary(world)
    case = _open(world, member)
    _cell(world, case, kind="strike_off_proposal", on=D(2026, 3, 3),
          note="Không đủ tư cách đảng viên.")  # fmt: skip
    case.refresh_from_db()
    member.refresh_from_db()
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.CLOSED,
        Outcome.STRIKE_OFF_PROPOSED,
        D(2026, 3, 3),
    )
    assert member.status == Status.PROBATIONARY  # striking off is the committee's, later
    assert list(strike_off_proposals(world.users["grassroots"], world.grassroots1)) == [case]
    assert list(strike_off_proposals(world.users["other_upper"])) == []


def test_the_committee_may_propose_to_strike_off_instead_of_deciding(world):
    case = _open(world, _probationary(world))
    _dossier(world, case)
    _cell(world, case)
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 2))  # fmt: skip
    assert not allowed(world.users["secretary"], DECIDE, case)  # the committee's, not the cell's
    step_record(acting_user=world.users["upper"], case=case, kind="committee_strike_off",
                on=D(2026, 3, 20))  # fmt: skip
    case.refresh_from_db()
    assert case.outcome == Outcome.STRIKE_OFF_PROPOSED
    assert Member.objects.get(pk=case.member_id).status == Status.PROBATIONARY


# --- The list of probations ending ---------------------------------------------------------------


def test_the_list_holds_probations_ending_within_sixty_days_and_the_overdue(world):
    today = D(2026, 4, 1)
    overdue = _probationary(world, "Vũ Văn Hải", D(2025, 2, 10))  # deadline 31/03: overdue
    due_today = _probationary(world, "Mai Thị Lan", D(2025, 2, 11))  # deadline 01/04
    soon = _probationary(world, "Hồ Văn Nam", D(2025, 5, 31))  # ends 31/05: in 60 days
    _probationary(world, "Lý Thị Oanh", D(2025, 6, 1))  # ends 01/06: 61 days away
    other = _probationary(world, "Đinh Văn Phúc", D(2025, 1, 5), org=world.cell_c)
    secretary = world.users["secretary"]

    listed = list(recognitions_due(secretary, world.cell_a, today=today))
    assert listed == [overdue, due_today, soon]
    assert list(recognitions_due(secretary, world.cell_a, today=today, overdue_only=True)) == [
        overdue
    ]
    rows = due_rows(listed, today=today)
    assert [(r.probation_end, r.deadline, r.overdue, r.ended) for r in rows] == [
        (D(2026, 2, 10), D(2026, 3, 31), True, True),
        (D(2026, 2, 11), D(2026, 4, 1), False, True),
        (D(2026, 5, 31), rules.consideration_deadline(probation_end=D(2026, 5, 31)), False, False),
    ]
    assert rows[0].days_left == -1
    # A province sees every cell's; another district's staff only their own.
    assert other in list(recognitions_due(world.users["province"], world.province, today=today))
    assert list(recognitions_due(world.users["other_upper"], today=today)) == [other]


def test_the_list_shows_the_open_case_and_forgets_the_recognised(world):
    member = _probationary(world)
    case = _open(world, member)
    rows = due_rows(list(recognitions_due(world.users["secretary"], today=D(2026, 2, 1))))
    assert [(row.member, row.case) for row in rows] == [(member, case)]
    _dossier(world, case)
    _cell(world, case)
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 2))  # fmt: skip
    step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 3, 10))
    assert list(recognitions_due(world.users["secretary"], today=D(2026, 3, 11))) == []


def test_the_form_codes_of_the_dossier_are_the_recognitions():
    codes = dict(recognition.FORM_CODES)
    assert codes["10-KNĐ"] == "Bản tự kiểm điểm của đảng viên dự bị"
    assert "1-KNĐ" not in codes


def test_the_changes_report_counts_the_recognition_in_the_month_of_the_twelve_month_date(world):
    from dangvien.reports.selectors import change_figures

    case = _open(world, _probationary(world))
    _dossier(world, case)
    _cell(world, case)
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 2))  # fmt: skip
    step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 4, 6))
    february = change_figures(world.grassroots1, D(2026, 2, 1), D(2026, 2, 28))
    april = change_figures(world.grassroots1, D(2026, 4, 1), D(2026, 4, 30))
    assert (february["recognised"], april["recognised"]) == (1, 0)
