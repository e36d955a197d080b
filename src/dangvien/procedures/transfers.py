"""Transfers (chuyển sinh hoạt đảng): the checks and effects of their steps, entered in
`services.CHECKS` and `services.EFFECTS` (the flows are in `flows`).

Inside the installation the letter makes the case visible at the destination (its
`other_org_path` is copied then) and the destination's acceptance moves the membership through the
members' services on that day: an official transfer moves the member, a temporary one opens a
temporary membership at the host until the end date (the member stays counted at home). A letter
to a destination outside the installation closes the case, and an official one closes the record
as "transferred out" with the destination kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError

from dangvien.accounts.types import ActingUser
from dangvien.members.models import IN_PARTY, Member, Status
from dangvien.members.services import member_set_status, members_move, membership_temporary_open
from dangvien.orgs.models import Organization
from dangvien.procedures.models import Case, CaseKind, CaseState, Outcome, Step, Transfer
from dangvien.procedures.rules import Verdict, judge
from dangvien.procedures.rules import transfer as transfer_rules

OUTGOING = (CaseKind.TRANSFER_OFFICIAL, CaseKind.TRANSFER_TEMPORARY)
KINDS = (*OUTGOING, CaseKind.TRANSFER_IN)


def destination_name(case: Case) -> str:
    """The other end as the user reads it: the cell inside the installation, or the text."""
    if case.other_org_id is not None and case.other_org is not None:
        return case.other_org.name
    transfer = Transfer.objects.filter(case=case).first()
    return transfer.outside_name if transfer is not None else ""


def _member(case: Case) -> Member:
    assert case.member_id is not None
    return Member.objects.get(pk=case.member_id)


def _check_letter(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    """The member still belongs to the sending cell, and the destination cell still exists."""
    member = _member(case)
    if member.status not in IN_PARTY or member.org_id != case.org_id:
        raise ValidationError(
            f"{member.full_name} không còn sinh hoạt tại «{case.org.name}»: không thể giới thiệu "
            "chuyển sinh hoạt."
        )
    if case.other_org_id is not None:
        target = Organization.objects.get(pk=case.other_org_id)
        if target.dissolved_on is not None and target.dissolved_on <= on:
            raise ValidationError(
                f"«{target.name}» đã giải thể ngày {target.dissolved_on:%d/%m/%Y}: "
                "chọn nơi đến khác."
            )
    return []


def _check_received(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    if case.kind == CaseKind.TRANSFER_TEMPORARY:
        transfer = Transfer.objects.get(case=case)
        if transfer.ends_on is not None and on >= transfer.ends_on:
            raise ValidationError(
                f"Ngày tiếp nhận {on:%d/%m/%Y} không trước ngày kết thúc sinh hoạt tạm thời "
                f"({transfer.ends_on:%d/%m/%Y})."
            )
    return []


def check_opening(
    *, kind: str, reason: str, on: dt.date, starts_on: dt.date | None, ends_on: dt.date | None
) -> list[Verdict]:
    """What the rules in force on the event's day say of a new transfer's reason and dates."""
    temporary = kind == CaseKind.TRANSFER_TEMPORARY
    verdicts = [judge(transfer_rules.REASON, on, temporary=temporary, reason=reason)]
    if temporary:
        if starts_on is None or ends_on is None:
            raise ValidationError("Chuyển sinh hoạt tạm thời cần ngày bắt đầu và ngày kết thúc.")
        verdicts.append(
            judge(
                transfer_rules.TEMPORARY_LENGTH,
                on,
                start=starts_on,
                end=ends_on,
                study=reason == "study",
            )
        )
    return verdicts


def _close(case: Case, on: dt.date, outcome: str) -> None:
    # Saved by step_record with the step (state, closed_on, outcome are among its fields).
    case.state = CaseState.CLOSED
    case.closed_on = on
    case.outcome = outcome


def letter_given(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """Inside the installation the destination sees the case from now on; outside it the case
    ends here (an official transfer also closes the record, with the destination kept)."""
    if case.other_org_id is not None:
        target = Organization.objects.get(pk=case.other_org_id)
        case.other_org_path = target.path
        case.save(update_fields=["other_org_path"])
        return
    if case.kind == CaseKind.TRANSFER_OFFICIAL:
        destination = Transfer.objects.get(case=case).outside_name
        member_set_status(
            acting_user=acting_user,
            member=_member(case),
            status=Status.TRANSFERRED_OUT,
            on=step.done_on,
            note=f"Chuyển sinh hoạt đảng đến: {destination}"[:200],
        )
    _close(case, step.done_on, Outcome.TRANSFERRED)


def received(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """The destination accepts: the membership moves (or a temporary one opens) on that day."""
    assert case.other_org_id is not None
    target = Organization.objects.get(pk=case.other_org_id)
    member = _member(case)
    if case.kind == CaseKind.TRANSFER_OFFICIAL:
        members_move(
            acting_user=acting_user,
            source=Organization.objects.get(pk=case.org_id),
            target=target,
            on=step.done_on,
            member_ids=[member.pk],
        )
        return
    transfer = Transfer.objects.get(case=case)
    assert transfer.ends_on is not None
    membership_temporary_open(
        acting_user=acting_user,
        member=member,
        org=target,
        valid_from=step.done_on,
        valid_to=transfer.ends_on,
    )


CHECKS: dict[tuple[str, str], Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]] = {
    (CaseKind.TRANSFER_OFFICIAL, "letter"): _check_letter,
    (CaseKind.TRANSFER_TEMPORARY, "letter"): _check_letter,
    (CaseKind.TRANSFER_TEMPORARY, "received"): _check_received,
}
EFFECTS: dict[tuple[str, str], Callable[..., None]] = {
    (CaseKind.TRANSFER_OFFICIAL, "letter"): letter_given,
    (CaseKind.TRANSFER_TEMPORARY, "letter"): letter_given,
    (CaseKind.TRANSFER_OFFICIAL, "received"): received,
    (CaseKind.TRANSFER_TEMPORARY, "received"): received,
}
