"""Writes of re-admission: opening the admission case of a former member. The candidate is made
from the closed record's personal data and linked to it; the steps then go through `step_record`
like every admission's."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.text import name_sort_key
from dangvien.members.models import Member
from dangvien.orgs.models import Organization
from dangvien.procedures.models import (
    Candidate,
    CandidateSource,
    Case,
    CaseKind,
    CaseState,
    LeaveReason,
    Readmission,
)
from dangvien.procedures.readmission import left_on, verdict
from dangvien.procedures.services import PERSON_FIELDS, StepRefused, admission_open


@transaction.atomic
def readmission_open(
    *,
    acting_user: ActingUser,
    member: Member,
    org: Organization,
    left_reason: str,
    opened_on: dt.date | None = None,
    record_cleared_on: dt.date | None = None,
    note: str = "",
) -> Case:
    """The admission case of former member `member` in cell `org` (where the person now works or
    lives), refused at once when the re-admission rule in force does not allow it."""
    opened_on = opened_on or timezone.localdate()
    if left_reason not in LeaveReason.values:
        raise ValidationError("Chọn lý do ra khỏi Đảng.")
    member = Member.objects.select_for_update().get(pk=member.pk)
    pending = Case.objects.filter(
        kind=CaseKind.ADMISSION, state=CaseState.OPEN, readmission__member=member
    )
    if pending.exists():
        raise ValidationError(f"{member.full_name} đang có hồ sơ kết nạp lại chưa kết thúc.")
    left = left_on(member)
    found = verdict(member, opened_on, reason=left_reason, left=left, cleared=record_cleared_on)
    if not found.ok:
        raise StepRefused(found.text)
    assert left is not None
    values = {name: getattr(member, name) for name in PERSON_FIELDS}
    values["citizen_id"] = values["citizen_id"] or ""
    candidate = Candidate.objects.create(
        org=org,
        org_path=org.path,
        name_sort=name_sort_key(member.full_name)[:400],
        source=CandidateSource.OTHER,
        registered_on=opened_on,
        note=f"Đảng viên cũ, xin kết nạp lại. {note}".strip()[:400],
        created_by=acting_user,
        **{k: v for k, v in values.items() if v is not None},
    )
    case = admission_open(acting_user=acting_user, candidate=candidate, opened_on=opened_on)
    row = Readmission.objects.create(
        case=case,
        member=member,
        left_on=left,
        left_reason=left_reason,
        record_cleared_on=record_cleared_on,
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Mở hồ sơ kết nạp lại {member.full_name}",
        after=snapshot(row, ["member", "left_on", "left_reason", "record_cleared_on"]),
    )
    return case
