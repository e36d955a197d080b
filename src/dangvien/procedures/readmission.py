"""Kết nạp lại: the admission of a former member, as an admission case whose candidate is linked
to the closed record (`Readmission`). The steps are those of every admission (the dossier, the
cell's resolution with its vote and checks, the grassroots resolution, the decision, the
ceremony); on top of them the re-admission rule (`rules.readmission`) is checked on the cell's
day and again on the decision's, and the decision needs the written agreement of the province's
standing committee first (the admission flow's `higher_approval` step). The decision reopens the
record: the status becomes probationary from its day (a new membership in the case's cell), the
admission date becomes the re-admission's so the new 12-month probation counts from it, and the
first recognition date is cleared (the status history keeps it; the next recognition writes its
own). Party age, once recognised again, counts from the first admission less the time out
(`members.rules.party_age`, which reads the status history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import F

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Status, StatusPeriod
from dangvien.members.services import member_set_status
from dangvien.procedures.models import Case, CaseKind, Outcome, Readmission, Step
from dangvien.procedures.rules import Verdict, judge, rule_in_force
from dangvien.procedures.rules import readmission as rules

LEFT_STATUSES = (Status.STRUCK_OFF, Status.EXPELLED, Status.DISCHARGED)


def left_on(member: Member) -> dt.date | None:
    """The day the member's current time out of the Party began (None when in it)."""
    if member.status not in LEFT_STATUSES:
        return None
    period = StatusPeriod.objects.filter(member=member, valid_to__isnull=True).first()
    return period.valid_from if period is not None else None


def readmitted_before(member: Member, *, except_case: Case | None = None) -> bool:
    """Whether the member came back once already: a re-admission decided, or in the status
    history a return to the Party's life after being struck off, expelled or discharged."""
    decided = Readmission.objects.filter(member=member, case__outcome=Outcome.ADMITTED)
    if except_case is not None:
        decided = decided.exclude(case=except_case)
    if decided.exists():
        return True
    history = list(
        StatusPeriod.objects.filter(member=member).order_by("valid_from").values_list("status")
    )
    return any(
        status in LEFT_STATUSES and index + 1 < len(history)
        for index, (status,) in enumerate(history)
    )


def verdict(member: Member, on: dt.date, *, reason: str, left: dt.date | None,
            cleared: dt.date | None, case: Case | None = None) -> Verdict:  # fmt: skip
    """The re-admission rule in force on `on`, applied to the former member's record."""
    return judge(
        rules.CONDITIONS,
        on,
        name=member.full_name,
        status=member.status,
        left_on=left or on,
        reason=reason,
        day=on,
        readmitted_before=readmitted_before(member, except_case=case),
        record_cleared_on=cleared,
    )


def readmission_of(case: Case) -> Readmission | None:
    if case.kind != CaseKind.ADMISSION:
        return None
    return Readmission.objects.select_related("member").filter(case=case).first()


def _check(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    row = readmission_of(case)
    if row is None:
        return []
    return [
        verdict(row.member, on, reason=row.left_reason, left=row.left_on,
                cleared=row.record_cleared_on, case=case)
    ]  # fmt: skip


def _check_decision(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    verdicts = _check(case, on, done)
    if verdicts and "higher_approval" not in done:
        verdicts.append(
            Verdict(
                False,
                "Kết nạp lại cần văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy (hoặc tương "
                "đương): ghi bước «Ý kiến đồng ý của cấp ủy cấp trên» trước.",
                rule_in_force(rules.CONDITIONS, on),
            )
        )
    return verdicts


def readmit(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """The decision reopens the former member's record (never a second record)."""
    row = readmission_of(case)
    assert row is not None
    member = Member.objects.select_for_update().get(pk=row.member_id)
    if member.status not in LEFT_STATUSES:
        raise ValidationError(
            f"Hồ sơ của {member.full_name} đang ở tình trạng «{member.get_status_display()}», "
            "không phải người đã ra khỏi Đảng."
        )
    before = snapshot(member, ["org", "admission_date", "recognition_date"])
    Member.objects.filter(pk=member.pk).update(
        org=case.org,
        org_path=case.org.path,
        admission_date=step.done_on,
        recognition_date=None,
        admission_ceremony_date=None,
        version=F("version") + 1,
    )
    member.refresh_from_db()
    reference = f" số {step.reference}" if step.reference else ""
    member_set_status(
        acting_user=acting_user,
        member=member,
        status=Status.PROBATIONARY,
        on=step.done_on,
        note=f"Quyết định kết nạp lại{reference} ngày {step.done_on:%d/%m/%Y}"[:200],
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary=f"Kết nạp lại {member.full_name} ngày {step.done_on:%d/%m/%Y}",
        before=before,
        after=snapshot(member, ["org", "admission_date", "recognition_date"]),
    )
    case.member = member


CHECKS: dict[tuple[str, str], Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]] = {
    (CaseKind.ADMISSION, "cell_resolution"): _check,
    (CaseKind.ADMISSION, "decision"): _check_decision,
}
