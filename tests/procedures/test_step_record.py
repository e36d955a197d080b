"""`step_record`: an admission from candidate to ceremony, and every refusal naming its rule."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import make_member
from tests.procedures.factories import make_admission, make_candidate, pdf

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Membership, Status, StatusPeriod
from dangvien.procedures import services
from dangvien.procedures.models import Case, CaseState, Outcome, Step
from dangvien.procedures.services import StepRefused, step_record

D = dt.date


def _resolution(world, case, **counts):
    values = {"present": 2, "votes_for": 2, "votes_against": 0, **counts}
    return step_record(
        acting_user=world.users["secretary"], case=case, kind="cell_resolution",
        on=D(2026, 3, 16), **values,
    )  # fmt: skip


def test_an_admission_from_candidate_to_ceremony(world):
    case = make_admission(world)
    secretary, upper = world.users["secretary"], world.users["upper"]
    resolution = _resolution(world, case)
    assert resolution.eligible == 2  # a1 and a2, the cell's official members on the day
    assert "Quy định 294-QĐ/TW" in resolution.rule
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 20))  # fmt: skip
    decision = step_record(
        acting_user=upper, case=case, kind="decision", on=D(2026, 4, 10),
        received_on=D(2026, 4, 13), reference="Số 12-QĐ/QU",
    )  # fmt: skip
    assert decision.deadline == D(2026, 6, 11) and not decision.late
    case.refresh_from_db()
    member = Member.objects.get(pk=case.member_id)
    assert (member.full_name, member.status, member.admission_date) == (
        "Hoàng Văn Em",
        Status.PROBATIONARY,
        D(2026, 4, 10),
    )
    assert member.org == world.cell_a and member.org_path == world.cell_a.path
    assert member.introducer_1 == "Nguyễn Văn An" and member.introducer_2 == "Trần Thị Bình"
    assert StatusPeriod.objects.get(member=member).valid_from == D(2026, 4, 10)
    assert Membership.objects.get(member=member).valid_from == D(2026, 4, 10)
    # 30 working days after 13/04: Giỗ Tổ (taken on 27/04), 30/04 and 01/05 are off.
    assert case.next_deadline == D(2026, 5, 28)

    step_record(acting_user=secretary, case=case, kind="ceremony", on=D(2026, 5, 5))
    case.refresh_from_db()
    member.refresh_from_db()
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.CLOSED,
        Outcome.ADMITTED,
        D(2026, 5, 5),
    )
    assert member.admission_ceremony_date == D(2026, 5, 5)
    assert case.next_deadline is None
    summaries = list(
        AuditEvent.objects.filter(target_type="procedures.case", target_id=case.pk)
        .order_by("id").values_list("summary", flat=True)
    )  # fmt: skip
    assert summaries[0] == "Mở hồ sơ kết nạp Hoàng Văn Em"
    assert summaries[-1] == "Lễ kết nạp ngày 05/05/2026"


def test_a_step_out_of_order_is_refused(world):
    case = make_admission(world, dossier=False)
    with pytest.raises(StepRefused, match="cần ghi trước «Hoàn thành hồ sơ xin vào Đảng»"):
        _resolution(world, case)
    assert not Step.objects.exists()


def test_a_missing_document_is_refused(world):
    case = make_admission(world, dossier=False)
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ"):
        services.document_upload(
            acting_user=world.users["secretary"], case=case, form_code=code, upload=pdf()
        )
    with pytest.raises(StepRefused, match=r"giấy giới thiệu của hai đảng viên \(3-KNĐ/3A-KNĐ, 2"):
        step_record(acting_user=world.users["secretary"], case=case, kind="dossier",
                    on=D(2026, 3, 10))  # fmt: skip


def test_a_vote_under_two_thirds_is_refused_naming_the_rule(world):
    case = make_admission(world)
    with pytest.raises(StepRefused) as refused:
        _resolution(world, case, votes_for=1, votes_against=1)
    assert "Chỉ 1/2 đảng viên chính thức tán thành" in refused.value.messages[0]
    assert "Quy định 294-QĐ/TW" in refused.value.messages[0]
    assert not Step.objects.filter(kind="cell_resolution").exists()


def test_the_vote_counts_the_cells_official_members_on_the_day(world):
    # A third official member joined cell A after the meeting: not counted.
    make_member("Đỗ Văn Giang", world.cell_a, admission_date=D(2026, 4, 1))
    case = make_admission(world)
    assert _resolution(world, case).eligible == 2


def test_the_applicant_too_young_on_the_cells_day_is_refused(world):
    case = make_admission(world, date_of_birth=D(2008, 3, 17))
    with pytest.raises(StepRefused, match="chưa đủ 18 tuổi"):
        _resolution(world, case)


def test_over_60_needs_the_higher_committees_approval_first(world):
    case = make_admission(world, date_of_birth=D(1960, 1, 1))
    with pytest.raises(StepRefused, match="trên 60 tuổi"):
        _resolution(world, case)
    step_record(acting_user=world.users["upper"], case=case, kind="higher_approval",
                on=D(2026, 3, 12), reference="Công văn 5-CV/TU")  # fmt: skip
    assert _resolution(world, case).kind == "cell_resolution"


def test_education_below_lower_secondary_is_refused_unless_a_special_case(world):
    from dangvien.members.models import EducationLevel

    primary = EducationLevel.objects.get(code="5/12")
    case = make_admission(world, education=primary)
    with pytest.raises(StepRefused, match="chưa tốt nghiệp trung học cơ sở"):
        _resolution(world, case)
    services.candidate_update(
        acting_user=world.users["secretary"],
        candidate=case.candidate,
        values={"education_exception": "special_area"},
    )
    assert _resolution(world, Case.objects.get(pk=case.pk)).kind == "cell_resolution"


def test_an_expired_certificate_is_refused(world):
    case = make_admission(world, class_certificate_date=D(2021, 3, 1))
    with pytest.raises(StepRefused, match="hết giá trị"):
        _resolution(world, case)


def test_an_introducer_who_is_not_official_is_refused(world):
    probationary = make_member(
        "Vũ Thị Hoa", world.cell_a, status=Status.PROBATIONARY, admission_date=D(2025, 12, 1)
    )
    case = make_admission(world, dossier=False)
    Case.objects.get(pk=case.pk).introducers.filter(member=world.a2).delete()
    with pytest.raises(StepRefused, match="không phải đảng viên chính thức"):
        services.introducer_add(
            acting_user=world.users["secretary"], case=case, member=probationary,
            known_since=D(2020, 1, 1),
        )  # fmt: skip


def test_a_late_decision_needs_a_reason_and_stays_late(world):
    case = make_admission(world)
    _resolution(world, case)
    step_record(acting_user=world.users["grassroots"], case=case, kind="grassroots_resolution",
                on=D(2026, 3, 20))  # fmt: skip
    with pytest.raises(StepRefused, match="đã quá hạn 11/06/2026: cần ghi lý do chậm"):
        step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 7, 1))
    assert not Member.objects.filter(full_name="Hoàng Văn Em").exists()
    step = step_record(
        acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 7, 1),
        late_reason="Chờ xác minh lý lịch",
    )  # fmt: skip
    assert step.late and step.late_reason == "Chờ xác minh lý lịch"
    assert Step.objects.get(pk=step.pk).late


def test_a_step_twice_or_in_the_future_is_refused(world):
    case = make_admission(world)
    with pytest.raises(StepRefused, match="đã ghi ngày 10/03/2026"):
        step_record(acting_user=world.users["secretary"], case=case, kind="dossier",
                    on=D(2026, 3, 11))  # fmt: skip
    with pytest.raises(StepRefused, match="chưa tới"):
        _resolution_on = dt.date.today() + dt.timedelta(days=3)
        step_record(acting_user=world.users["secretary"], case=case, kind="cell_resolution",
                    on=_resolution_on, present=2, votes_for=2, votes_against=0)  # fmt: skip


def test_a_withdrawn_case_takes_no_more_steps(world):
    case = make_admission(world)
    step_record(acting_user=world.users["secretary"], case=case, kind="withdrawal",
                on=D(2026, 3, 12), note="Chuyển công tác")  # fmt: skip
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.WITHDRAWN)
    with pytest.raises(StepRefused, match="Hồ sơ đã kết thúc"):
        _resolution(world, case)


def test_a_candidate_with_the_cccd_of_a_member_is_refused(world):
    with pytest.raises(Exception, match="001080012345 đã có trong hồ sơ khác"):
        make_candidate(world, citizen_id="001080012345")


def test_a_document_that_is_not_a_scan_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_admission(world, dossier=False)
    fake = SimpleUploadedFile("don.pdf", b"<html>not a pdf</html>")
    with pytest.raises(Exception, match="bản quét PDF"):
        services.document_upload(
            acting_user=world.users["secretary"], case=case, form_code="1-KNĐ", upload=fake
        )


def test_a_grassroots_cell_has_no_separate_grassroots_resolution(world):
    from tests.conftest import make_org
    from tests.procedures.factories import DOSSIER_CODES

    from dangvien.members.models import EducationLevel, Gender

    cell = make_org("Chi bộ Trường Tiểu học", "grassroots_cell", world.upper1, "public_service")
    introducers = [make_member(f"Giáo viên {i}", cell) for i in range(3)]
    secretary = world.users["upper"]  # the grassroots cell's records are kept by the upper level
    candidate = services.candidate_register(
        acting_user=secretary, org=cell, values={
            "full_name": "Lý Thu Trang", "gender": Gender.FEMALE, "date_of_birth": D(1999, 9, 9),
            "source": "civil_servant", "class_certificate_date": D(2026, 1, 10),
            "registered_on": D(2026, 1, 5), "education": EducationLevel.objects.get(code="12/12"),
        },
    )  # fmt: skip
    case = services.admission_open(
        acting_user=secretary, candidate=candidate, opened_on=D(2026, 3, 2)
    )
    for member in introducers[:2]:
        services.introducer_add(
            acting_user=secretary, case=case, member=member, known_since=D(2020, 1, 1)
        )
    for code in DOSSIER_CODES:
        services.document_upload(acting_user=secretary, case=case, form_code=code, upload=pdf())
    step_record(acting_user=secretary, case=case, kind="dossier", on=D(2026, 3, 10))
    step_record(acting_user=secretary, case=case, kind="cell_resolution", on=D(2026, 3, 16),
                present=3, votes_for=3, votes_against=0)  # fmt: skip
    with pytest.raises(StepRefused, match="không áp dụng cho chi bộ cơ sở"):
        step_record(acting_user=secretary, case=case, kind="grassroots_resolution",
                    on=D(2026, 3, 20))  # fmt: skip
    case.refresh_from_db()
    assert case.next_deadline == D(2026, 6, 11)  # the decision is next: 60 working days
    step_record(acting_user=secretary, case=case, kind="decision", on=D(2026, 4, 1))
    assert Member.objects.get(full_name="Lý Thu Trang").org == cell
