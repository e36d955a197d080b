"""Re-admission: the rule at the 36-month boundary and for each exclusion, and the whole path from
the closed record to a new probation, recognition, and the party age counted as the rule says."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import make_member
from tests.procedures.factories import DOSSIER_CODES, pdf

from dangvien.members.models import EducationLevel, Member, Status
from dangvien.members.selectors import party_age_on
from dangvien.members.services import member_set_status
from dangvien.procedures import services
from dangvien.procedures.models import Case, CaseState, LeaveReason, Outcome, Readmission
from dangvien.procedures.readmission_services import readmission_open
from dangvien.procedures.rules import readmission as rules
from dangvien.procedures.services import StepRefused, step_record

D = dt.date
LEFT = D(2022, 1, 10)


def _judge(day, reason="other", status="struck_off", before=False, cleared=None):
    return rules.conditions(
        name="X", status=status, left_on=LEFT, reason=reason, day=day,
        readmitted_before=before, record_cleared_on=cleared,
    )  # fmt: skip


def test_thirty_six_months_are_complete_on_the_same_date_three_years_later():
    assert _judge(D(2025, 1, 10))[0]
    ok, message = _judge(D(2025, 1, 9))
    assert not ok and "từ ngày 10/01/2025" in message


@pytest.mark.parametrize(
    "reason", ["self_abandoned", "own_request", "disunity", "corruption", "serious_crime"]
)
def test_each_excluded_reason_is_refused(reason):
    ok, message = _judge(D(2030, 1, 1), reason=reason)
    assert not ok and "thuộc diện không xem xét kết nạp lại" in message


def test_leaving_for_family_hardship_is_not_excluded():
    assert _judge(D(2030, 1, 1), reason="family_hardship")[0]


def test_a_less_serious_offence_waits_sixty_months_after_the_record_is_cleared():
    assert not _judge(D(2030, 1, 1), reason="minor_crime")[0]  # the day is needed
    ok, message = _judge(D(2028, 6, 14), reason="minor_crime", cleared=D(2023, 6, 15))
    assert not ok and "15/06/2028" in message
    assert _judge(D(2028, 6, 15), reason="minor_crime", cleared=D(2023, 6, 15))[0]


def test_only_once_and_only_for_those_who_left():
    ok, message = _judge(D(2030, 1, 1), before=True)
    assert not ok and "chỉ kết nạp lại một lần" in message
    assert not _judge(D(2030, 1, 1), status="deceased")[0]
    assert not _judge(D(2030, 1, 1), status="official")[0]
    assert _judge(D(2030, 1, 1), status="expelled")[0]


def _former(world, left=LEFT, status=Status.STRUCK_OFF):
    member = make_member(
        "Đinh Văn Hồi", world.cell_a, admission_date=D(2010, 3, 2),
        education=EducationLevel.objects.get(code="12/12"), citizen_id="001080054321",
    )  # fmt: skip
    member_set_status(acting_user=None, member=member, status=status, on=left)
    return Member.objects.get(pk=member.pk)


def test_too_soon_is_refused_on_opening(world):
    member = _former(world, left=D(2024, 1, 10))
    with pytest.raises(StepRefused, match="ít nhất 36 tháng"):
        readmission_open(
            acting_user=world.users["secretary"], member=member, org=world.cell_a,
            left_reason=LeaveReason.OTHER, opened_on=D(2026, 3, 1),
        )  # fmt: skip
    assert not Case.objects.exists()


def test_an_excluded_reason_is_refused_on_opening(world):
    member = _former(world)
    with pytest.raises(StepRefused, match="tự bỏ sinh hoạt đảng"):
        readmission_open(
            acting_user=world.users["secretary"], member=member, org=world.cell_a,
            left_reason=LeaveReason.SELF_ABANDONED, opened_on=D(2025, 3, 1),
        )  # fmt: skip


def test_readmission_reopens_the_record_and_counts_party_age_from_the_first_admission(world):
    secretary, upper = world.users["secretary"], world.users["upper"]
    member = _former(world)
    case = readmission_open(
        acting_user=secretary, member=member, org=world.cell_b,
        left_reason=LeaveReason.OTHER, opened_on=D(2025, 3, 1),
    )  # fmt: skip
    assert Readmission.objects.get(case=case).left_on == LEFT
    candidate = case.candidate
    assert candidate.citizen_id == "001080054321"  # the record's own, not a duplicate
    services.candidate_update(
        acting_user=secretary, candidate=candidate,
        values={"class_certificate_date": D(2025, 2, 1), "citizen_id": "001080054321"},
    )  # fmt: skip
    for introducer in (world.b1, make_member("Lê Thị Hai", world.cell_b)):
        services.introducer_add(
            acting_user=secretary, case=case, member=introducer, known_since=D(2020, 1, 1)
        )
    for code in DOSSIER_CODES:
        services.document_upload(acting_user=secretary, case=case, form_code=code, upload=pdf())
    step_record(acting_user=secretary, case=case, kind="dossier", on=D(2025, 3, 5))
    step_record(
        acting_user=secretary, case=case, kind="cell_resolution", on=D(2025, 3, 20),
        present=2, votes_for=2, votes_against=0,
    )  # fmt: skip
    step_record(acting_user=secretary, case=case, kind="grassroots_resolution", on=D(2025, 3, 25))
    # The province's standing committee has not agreed yet: the decision waits.
    with pytest.raises(StepRefused, match="ban thường vụ tỉnh ủy"):
        step_record(acting_user=upper, case=case, kind="decision", on=D(2025, 4, 15))
    # The approval step belongs before the cell's resolution: a case that skipped it is
    # withdrawn and opened again.
    assert Member.objects.get(pk=member.pk).status == Status.STRUCK_OFF

    case2 = _reopen(world, member, case)
    step_record(acting_user=upper, case=case2, kind="decision", on=D(2025, 4, 15), reference="12")
    member.refresh_from_db()
    assert Member.objects.count() == 6  # the same record, reopened
    assert member.status == Status.PROBATIONARY and member.org == world.cell_b
    assert member.admission_date == D(2025, 4, 15) and member.recognition_date is None
    assert party_age_on(member, D(2025, 6, 1)) is None  # probationary: none yet
    step_record(acting_user=secretary, case=case2, kind="ceremony", on=D(2025, 5, 10))
    assert Case.objects.get(pk=case2.pk).outcome == Outcome.ADMITTED
    member.refresh_from_db()
    # Recognised after the new 12 months (the recognition's effect, here directly).
    member_set_status(acting_user=None, member=member, status=Status.OFFICIAL, on=D(2026, 4, 15))
    member.refresh_from_db()
    # From 02/03/2010, less the 1 191 days out (10/01/2022 to 15/04/2025): from 05/06/2013.
    age = party_age_on(member, D(2026, 6, 5))
    assert age is not None and age.counted_from == D(2013, 6, 5) and age.text == "13 năm"
    assert party_age_on(member, D(2026, 6, 4)).text == "12 năm 11 tháng"
    # A second re-admission, after leaving again, is refused.
    member_set_status(acting_user=None, member=member, status=Status.DISCHARGED, on=D(2026, 7, 1))
    with pytest.raises(StepRefused, match="một lần"):
        readmission_open(
            acting_user=secretary, member=Member.objects.get(pk=member.pk), org=world.cell_a,
            left_reason=LeaveReason.FAMILY_HARDSHIP, opened_on=D(2026, 8, 1),
        )  # fmt: skip


def _reopen(world, member, old):
    """The first case withdrawn; a second one with the approval recorded in its place."""
    secretary = world.users["secretary"]
    step_record(acting_user=secretary, case=old, kind="withdrawal", on=D(2025, 3, 26))
    assert Case.objects.get(pk=old.pk).state == CaseState.CLOSED
    case = readmission_open(
        acting_user=secretary, member=member, org=world.cell_b,
        left_reason=LeaveReason.OTHER, opened_on=D(2025, 3, 26),
    )  # fmt: skip
    services.candidate_update(
        acting_user=secretary, candidate=case.candidate,
        values={"class_certificate_date": D(2025, 2, 1)},
    )  # fmt: skip
    for introducer in old.introducers.all():
        services.introducer_add(
            acting_user=secretary, case=case, member=introducer.member, known_since=D(2020, 1, 1)
        )
    for code in DOSSIER_CODES:
        services.document_upload(acting_user=secretary, case=case, form_code=code, upload=pdf())
    step_record(acting_user=secretary, case=case, kind="dossier", on=D(2025, 3, 27))
    step_record(
        acting_user=world.users["province"], case=case, kind="higher_approval",
        on=D(2025, 3, 28), reference="45-CV/TU",
    )  # fmt: skip
    step_record(
        acting_user=secretary, case=case, kind="cell_resolution", on=D(2025, 3, 31),
        present=2, votes_for=2, votes_against=0,
    )  # fmt: skip
    step_record(acting_user=secretary, case=case, kind="grassroots_resolution", on=D(2025, 4, 2))
    return case
