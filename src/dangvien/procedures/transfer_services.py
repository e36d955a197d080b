"""Writes of transfers: opening an outgoing transfer (official or temporary) and receiving a
member who arrives from outside the installation. One transaction each; their steps go through
`step_record`, so the order, the deadlines and the audit rows are those of every procedure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.members.models import IN_PARTY, Member, Status
from dangvien.members.services import member_create
from dangvien.orgs.models import Organization
from dangvien.procedures.models import Case, CaseKind, CaseState, Transfer, TransferReason
from dangvien.procedures.services import (
    PERSON_FIELDS,
    StepRefused,
    person_problems,
    step_record,
)
from dangvien.procedures.transfers import KINDS, OUTGOING, check_opening


def _require_cell(org: Organization) -> None:
    if not org.level.holds_members:
        raise ValidationError(f"«{org.name}» không phải chi bộ.")
    if org.dissolved_on is not None:
        raise ValidationError(f"«{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}.")


@transaction.atomic
def transfer_open(
    *,
    acting_user: ActingUser,
    member: Member,
    kind: str,
    reason: str,
    event_on: dt.date,
    other_org: Organization | None = None,
    outside_name: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> Case:
    """A transfer of `member` from their cell to `other_org` (a cell of the installation) or to
    `outside_name` (an organization outside it), opened on the day of the event it follows."""
    if kind not in OUTGOING:
        raise ValidationError(f"Thủ tục «{kind}» không phải chuyển sinh hoạt đi.")
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status not in IN_PARTY or member.org_id is None:
        raise ValidationError(f"{member.full_name} không còn sinh hoạt đảng trong Đảng bộ.")
    if Case.objects.filter(member=member, kind__in=OUTGOING, state=CaseState.OPEN).exists():
        raise ValidationError(f"{member.full_name} đang có hồ sơ chuyển sinh hoạt chưa kết thúc.")
    outside_name = " ".join(outside_name.split())
    if (other_org is None) == (not outside_name):
        raise ValidationError(
            "Chọn chi bộ nơi đến trong Đảng bộ, hoặc ghi tên tổ chức đảng nơi đến ngoài Đảng bộ."
        )
    org = Organization.objects.select_related("level").get(pk=member.org_id)
    if other_org is not None:
        other_org = Organization.objects.select_related("level").get(pk=other_org.pk)
        _require_cell(other_org)
        if other_org.pk == org.pk:
            raise ValidationError(f"{member.full_name} đang sinh hoạt tại «{org.name}».")
    if kind != CaseKind.TRANSFER_TEMPORARY:
        starts_on = ends_on = None
    refused = [v.text for v in check_opening(
        kind=kind, reason=reason, on=event_on, starts_on=starts_on, ends_on=ends_on
    ) if not v.ok]  # fmt: skip
    if refused:
        raise StepRefused(refused)
    case = Case.objects.create(
        kind=kind,
        member=member,
        org=org,
        org_path=org.path,
        other_org=other_org,
        opened_on=event_on,
        opened_by=acting_user,
        note=note,
    )
    Transfer.objects.create(
        case=case,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        outside_name=outside_name[:250],
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Mở hồ sơ {case.get_kind_display().lower()} của {member.full_name}",
        after=snapshot(case, ["kind", "member", "org", "other_org", "opened_on"]),
    )
    step_record(
        acting_user=acting_user,
        case=case,
        kind="event",
        on=event_on,
        note=TransferReason(reason).label,
    )
    return Case.objects.get(pk=case.pk)


@transaction.atomic
def transfer_arrival(
    *,
    acting_user: ActingUser,
    org: Organization,
    values: dict[str, Any],
    admission_date: dt.date,
    recognition_date: dt.date | None,
    origin: str,
    reason: str,
    letter_on: dt.date,
    received_on: dt.date,
    reference: str = "",
    late_reason: str = "",
) -> Case:
    """A member arriving from outside the installation with their letter: the record is created
    by the members' service in `org` from the day received, with the admission and recognition
    dates of their record; the case keeps the letter and the day it was presented."""
    org = Organization.objects.select_related("level").get(pk=org.pk)
    _require_cell(org)
    origin = " ".join(origin.split())
    if not origin:
        raise ValidationError("Ghi tổ chức đảng nơi đảng viên chuyển đi.")
    if recognition_date is not None and recognition_date < admission_date:
        raise ValidationError("Ngày chính thức trước ngày vào Đảng.")
    if received_on < letter_on:
        raise ValidationError("Ngày tiếp nhận trước ngày của giấy giới thiệu.")
    person = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    problems = person_problems(person)
    if problems:
        raise ValidationError(problems)
    person["citizen_id"] = person.get("citizen_id") or None
    member = member_create(
        acting_user=acting_user,
        org=org,
        admission_date=admission_date,
        status=Status.OFFICIAL if recognition_date is not None else Status.PROBATIONARY,
        joined_on=received_on,
        recognition_date=recognition_date,
        **{k: v for k, v in person.items() if v not in (None, "") or k == "citizen_id"},
    )
    case = Case.objects.create(
        kind=CaseKind.TRANSFER_IN,
        member=member,
        org=org,
        org_path=org.path,
        opened_on=letter_on,
        opened_by=acting_user,
    )
    Transfer.objects.create(case=case, reason=reason, outside_name=origin[:250])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Tiếp nhận {member.full_name} từ {origin}",
        after=snapshot(case, ["kind", "member", "org", "opened_on"]),
    )
    step_record(
        acting_user=acting_user, case=case, kind="letter", on=letter_on, reference=reference
    )
    step_record(
        acting_user=acting_user,
        case=case,
        kind="arrival",
        on=received_on,
        late_reason=late_reason,
    )
    return Case.objects.get(pk=case.pk)


__all__ = ["KINDS", "transfer_arrival", "transfer_open"]
