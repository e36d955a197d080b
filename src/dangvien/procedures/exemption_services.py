"""Writes of exemptions: the application (opening the case, its first step) and the end of an
exemption. The cell's resolution and the report up are steps (`step_record`); their checks and
effects are in `exemptions`. One transaction each, the audit row inside."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Status
from dangvien.members.services import member_set_status
from dangvien.orgs.models import Organization
from dangvien.procedures.exemptions import check_eligible
from dangvien.procedures.models import (
    Case,
    CaseKind,
    CaseState,
    Exemption,
    ExemptionEnd,
    ExemptionReason,
    ExemptionScope,
)
from dangvien.procedures.services import StepRefused, step_record


@transaction.atomic
def exemption_apply(
    *,
    acting_user: ActingUser,
    member: Member,
    scope: str,
    reason: str,
    applied_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
) -> Case:
    """The member's application to the cell, recorded on its day: an exemption case in the
    member's cell, waiting for the cell's resolution. Checked now by the rule in force that day
    (and again on the resolution's day)."""
    if scope not in ExemptionScope.values:
        raise ValidationError("Chọn miễn công tác và sinh hoạt đảng, hoặc chỉ miễn công tác.")
    if reason not in ExemptionReason.values:
        raise ValidationError("Chọn lý do: tuổi cao hoặc sức khỏe yếu.")
    if applied_on > timezone.localdate():
        raise ValidationError(f"Ngày làm đơn {applied_on:%d/%m/%Y} chưa tới.")
    if ends_on is not None and ends_on <= applied_on:
        raise ValidationError(f"Ngày kết thúc {ends_on:%d/%m/%Y} phải sau ngày làm đơn.")
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.org_id is None:
        raise ValidationError(f"{member.full_name} không sinh hoạt ở chi bộ nào.")
    open_cases = Case.objects.filter(
        member=member,
        kind=CaseKind.EXEMPTION,
        state=CaseState.OPEN,
        exemption__scope=scope,
        exemption__decided=False,
    )
    if open_cases.exists():
        raise ValidationError(f"{member.full_name} đang có đơn xin miễn chưa giải quyết.")
    org = Organization.objects.get(pk=member.org_id)
    case = Case.objects.create(
        kind=CaseKind.EXEMPTION,
        member=member,
        org=org,
        org_path=org.path,
        opened_on=applied_on,
        opened_by=acting_user,
        note=note,
    )
    exemption = Exemption.objects.create(
        case=case,
        member=member,
        scope=scope,
        reason=reason,
        valid_from=applied_on,
        valid_to=ends_on,
    )
    refused = [v.text for v in check_eligible(exemption, applied_on) if not v.ok]
    if refused:
        raise StepRefused(refused)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Đơn xin {exemption.get_scope_display().lower()} của {member.full_name}",
        after=snapshot(exemption, ["scope", "reason", "valid_from", "valid_to"]),
    )
    step_record(acting_user=acting_user, case=case, kind="application", on=applied_on, note=note)
    return Case.objects.select_related("org").get(pk=case.pk)


@transaction.atomic
def exemption_end(
    *,
    acting_user: ActingUser,
    exemption: Exemption,
    on: dt.date,
    ended_by: str,
    reference: str = "",
    note: str = "",
) -> Exemption:
    """End a decided exemption from `on` (the first day the member is back), because the member
    asked, the cell decided, or its scheduled day came (then `on` is that day). Exempted from
    meetings, the member is official again from `on`."""
    exemption = Exemption.objects.select_for_update().select_related("member").get(pk=exemption.pk)
    name = exemption.member.full_name
    if not exemption.decided:
        raise ValidationError(f"Chi bộ chưa quyết định cho {name} miễn: không có gì để kết thúc.")
    if exemption.ended_by:
        raise ValidationError(
            f"Việc miễn của {name} đã kết thúc ngày {exemption.valid_to:%d/%m/%Y}."
        )
    if ended_by not in (ExemptionEnd.MEMBER, ExemptionEnd.CELL, ExemptionEnd.SCHEDULED):
        raise ValidationError("Chọn lý do kết thúc việc miễn.")
    if ended_by == ExemptionEnd.SCHEDULED:
        if exemption.valid_to is None:
            raise ValidationError(f"Việc miễn của {name} không có thời hạn.")
        on = exemption.valid_to
    elif not reference.strip():
        raise ValidationError("Cần ghi số nghị quyết của chi bộ cho đảng viên trở lại.")
    if on > timezone.localdate():
        raise ValidationError(f"Ngày {on:%d/%m/%Y} chưa tới.")
    if on <= exemption.valid_from:
        raise ValidationError(
            f"Ngày trở lại phải sau ngày bắt đầu miễn ({exemption.valid_from:%d/%m/%Y})."
        )
    if exemption.valid_to is not None and on > exemption.valid_to:
        raise ValidationError(
            f"Việc miễn đã hết hạn ngày {exemption.valid_to:%d/%m/%Y}: ghi «hết thời hạn miễn»."
        )
    before = snapshot(exemption, ["valid_to", "ended_by"])
    exemption.valid_to = on
    exemption.ended_by = ended_by
    exemption.end_reference = reference.strip()[:60]
    exemption.end_note = note.strip()[:400]
    exemption.save(update_fields=["valid_to", "ended_by", "end_reference", "end_note"])
    member = exemption.member
    if exemption.scope == ExemptionScope.ACTIVITY and member.status == Status.EXEMPTED:
        said = f"nghị quyết chi bộ số {reference.strip()}" if reference.strip() else "hết hạn"
        member_set_status(
            acting_user=acting_user,
            member=member,
            status=Status.OFFICIAL,
            on=on,
            note=f"Trở lại công tác, sinh hoạt đảng ({said})"[:200],
        )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=exemption.case,
        summary=f"Kết thúc {exemption.get_scope_display().lower()} của {name} từ {on:%d/%m/%Y}",
        before=before,
        after=snapshot(exemption, ["valid_to", "ended_by"]),
    )
    return exemption
