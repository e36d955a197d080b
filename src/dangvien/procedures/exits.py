"""Leaving the Party: striking off (xóa tên), expulsion (khai trừ), discharge at the member's
request (cho ra khỏi Đảng) and death (từ trần), each a case of its own kind whose flow is in
`flows` and whose steps go through `step_record` like every procedure.

The closing step's day closes the record, never deleting it: `members.services.member_set_status`
ends the member's status period and official membership on that day (the day of death for a
death), so a report of the day before still counts the member and the report of that day does
not, whatever day the step is recorded. The same service takes the member role off the member's
account (`member_roles_follow`), and the handbook reads nothing of the Party for a member not in
it (`handbook.selectors.reader_chain`): access ends the day the step is recorded.

Opening a case checks the member is in the Party and has no exit case open; every step checks it
again, and the striking-off reason against the rule in force on the step's day
(`rules.exit.STRIKE_OFF_REASON`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from dangvien.accounts.access import VIEW, restrict
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import SEGMENT, subtree_q
from dangvien.members.models import IN_PARTY, Member
from dangvien.members.services import member_set_status
from dangvien.orgs.models import Organization
from dangvien.procedures.cards import card_withdraw
from dangvien.procedures.models import (
    Case,
    CaseKind,
    CaseState,
    Exit,
    ExitReason,
    Outcome,
    Step,
)
from dangvien.procedures.rules import Verdict, judge, rule_in_force
from dangvien.procedures.rules import exit as rules

EXIT_KINDS = (CaseKind.STRIKE_OFF, CaseKind.EXPULSION, CaseKind.DISCHARGE, CaseKind.DEATH)
EXIT_OUTCOMES = (Outcome.STRUCK_OFF, Outcome.EXPELLED, Outcome.DISCHARGED, Outcome.DECEASED)
# The step that closes each kind's record.
CLOSING_STEP = {
    CaseKind.STRIKE_OFF: "decision",
    CaseKind.EXPULSION: "decision",
    CaseKind.DISCHARGE: "decision",
    CaseKind.DEATH: "report",
}


def _today() -> dt.date:
    return timezone.localdate()


def _label(kind: str) -> str:
    return CaseKind(kind).label.lower()


@transaction.atomic
def exit_open(
    *,
    acting_user: ActingUser,
    member: Member,
    kind: str,
    opened_on: dt.date | None = None,
    reason: str = "",
    detail: str = "",
    authority: str = "",
    died_on: dt.date | None = None,
    source_case: Case | None = None,
) -> Case:
    """Open a case of `kind` (one of EXIT_KINDS) for a member in the Party; a death is recorded at
    once (its report closes it). Refused with a Vietnamese message: a member already out of the
    Party, an exit case already open, a striking-off reason the rule does not list, an expulsion
    without its competent body, a death without its day or after the report."""
    today = _today()
    opened_on = opened_on or today
    if kind not in EXIT_KINDS:
        raise ValidationError(f"Thủ tục «{kind}» không phải thủ tục ra khỏi Đảng.")
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    problems = []
    if opened_on > today:
        problems.append("Ngày mở hồ sơ chưa tới.")
    if member.status not in IN_PARTY:
        problems.append(
            f"{member.full_name} không còn trong Đảng ({member.get_status_display().lower()}): "
            f"không thể mở thủ tục {_label(kind)}."
        )
    open_case = exit_case_open(member)
    if open_case is not None:
        problems.append(
            f"{member.full_name} đang có hồ sơ {open_case.get_kind_display().lower()} mở ngày "
            f"{open_case.opened_on:%d/%m/%Y}."
        )
    if kind == CaseKind.STRIKE_OFF:
        verdict = _reason_verdict(reason, opened_on)
        if not verdict.ok:
            problems.append(verdict.text)
    elif reason:
        reason = ""  # the statute's list is the striking-off's only
    if kind == CaseKind.EXPULSION and not authority.strip():
        problems.append("Cần ghi cơ quan có thẩm quyền quyết định kỷ luật khai trừ.")
    if kind == CaseKind.DEATH:
        if died_on is None:
            problems.append("Cần ghi ngày đảng viên từ trần.")
        elif died_on > opened_on:
            problems.append(
                f"Ngày từ trần {died_on:%d/%m/%Y} sau ngày báo cáo {opened_on:%d/%m/%Y}."
            )
    org = member.org
    if org is None or not org.level.holds_members:
        problems.append(f"{member.full_name} chưa sinh hoạt tại một chi bộ.")
    if source_case is not None and (
        source_case.member_id != member.pk or source_case.outcome != Outcome.STRIKE_OFF_PROPOSED
    ):
        problems.append("Hồ sơ căn cứ không phải đề nghị xóa tên của đảng viên này.")
    if problems:
        raise ValidationError(problems)
    assert org is not None
    case = Case.objects.create(
        kind=kind,
        member=member,
        org=org,
        org_path=org.path,
        opened_on=opened_on,
        opened_by=acting_user,
    )
    exit_row = Exit.objects.create(
        case=case,
        member=member,
        reason=reason,
        detail=detail.strip()[:400],
        authority=authority.strip()[:200],
        died_on=died_on if kind == CaseKind.DEATH else None,
        source_case=source_case,
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Mở hồ sơ {_label(kind)} {member.full_name}",
        after={
            **snapshot(case, ["kind", "member", "org", "opened_on"]),
            **snapshot(exit_row, ["reason", "detail", "authority", "died_on", "source_case"]),
        },
    )
    if kind == CaseKind.DEATH:
        from dangvien.procedures.services import step_record

        step_record(acting_user=acting_user, case=case, kind="report", on=opened_on)
        case.refresh_from_db()
    if kind == CaseKind.STRIKE_OFF and source_case is not None:
        _cell_vote_carried(acting_user=acting_user, case=case, source=source_case)
    return case


def _cell_vote_carried(*, acting_user: ActingUser, case: Case, source: Case) -> None:
    """A probationary member the cell did not recognise: its resolution, voted by two thirds of
    the official members, already proposes the striking off (Điều lệ Đảng, Điều 5). It stands as
    the striking off's cell resolution (copied with its vote and rule, never voted again); the
    case then waits for the grassroots opinion or the decision."""
    from dangvien.procedures.services import _waiting, steps_done

    voted = source.steps.filter(kind="strike_off_proposal").first()
    if voted is None:  # the committee, not the cell, refused recognition: the cell votes now
        return
    Step.objects.create(
        case=case,
        kind="cell_resolution",
        done_on=voted.done_on,
        reference=voted.reference,
        recorded_by=acting_user,
        eligible=voted.eligible,
        present=voted.present,
        votes_for=voted.votes_for,
        votes_against=voted.votes_against,
        note="Nghị quyết chi bộ không công nhận đảng viên chính thức, đề nghị xóa tên (hồ sơ "
        f"công nhận chính thức số {source.pk})",
        rule=voted.rule,
    )
    case.next_step, case.next_deadline = _waiting(case, steps_done(case))
    case.save(update_fields=["next_step", "next_deadline"])


def _reason_verdict(reason: str, day: dt.date) -> Verdict:
    label = dict(ExitReason.choices).get(reason, reason) if reason else "(chưa chọn lý do)"
    return judge(rules.STRIKE_OFF_REASON, day, reason=reason, label=label)


# --- Checks and effects of `step_record` -------------------------------------------------------


def _member(case: Case) -> Member:
    assert case.member_id is not None  # an exit case is always about a member
    return Member.objects.get(pk=case.member_id)


def _in_party(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    """Every step: the member is still in the Party (a striking off also needs its reason)."""
    member = _member(case)
    verdicts = []
    if case.kind == CaseKind.STRIKE_OFF:
        verdicts.append(_reason_verdict(Exit.objects.get(case=case).reason, on))
    if member.status not in IN_PARTY:
        rule = rule_in_force(rules.STRIKE_OFF_REASON, on)
        verdicts.append(
            Verdict(
                False,
                f"{member.full_name} không còn trong Đảng ({member.get_status_display().lower()}).",
                rule,
            )
        )
    return verdicts


def _expulsion_decision(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    return _in_party(case, on, done)


def _close_record(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """The closing step closes the record: the status of the case's kind from the step's day
    (the day of death), with the reason and the decision as its note."""
    member = _member(case)
    exit_row = Exit.objects.get(case=case)
    if case.kind == CaseKind.EXPULSION and not step.reference.strip():
        raise ValidationError("Cần ghi số quyết định kỷ luật khai trừ.")
    day = exit_row.died_on if case.kind == CaseKind.DEATH and exit_row.died_on else step.done_on
    member_set_status(
        acting_user=acting_user,
        member=member,
        status=rules.STATUS_OF[case.kind],
        on=day,
        note=status_note(case, exit_row, step)[:200],
    )
    _on_record_closed(acting_user=acting_user, case=case, member=member, on=day)


def _on_record_closed(*, acting_user: ActingUser, case: Case, member: Member, on: dt.date) -> None:
    """What else closing a member's record does, in the step's transaction: on a striking off,
    an expulsion or a discharge the party card (active, or in progress) is recorded as withdrawn;
    on a death nothing more."""
    if case.kind == CaseKind.DEATH:
        return
    act = {
        CaseKind.STRIKE_OFF: "Xóa tên",
        CaseKind.EXPULSION: "Khai trừ",
        CaseKind.DISCHARGE: "Cho ra khỏi Đảng",
    }[CaseKind(case.kind)]
    card_withdraw(acting_user=acting_user, member=member, on=on, reason=f"{act} ngày {on:%d/%m/%Y}")


def status_note(case: Case, exit_row: Exit, step: Step) -> str:
    """The note of the closing status period: the reason and the act that closed the record."""
    if case.kind == CaseKind.DEATH:
        return f"Từ trần ngày {exit_row.died_on or step.done_on:%d/%m/%Y}"
    reason = exit_row.get_reason_display() if exit_row.reason else exit_row.detail
    act = {
        CaseKind.STRIKE_OFF: "Quyết định xóa tên",
        CaseKind.EXPULSION: "Quyết định kỷ luật khai trừ",
        CaseKind.DISCHARGE: "Quyết định cho ra khỏi Đảng",
    }[CaseKind(case.kind)]
    number = f" số {step.reference.strip()}" if step.reference.strip() else ""
    body = f" của {exit_row.authority}" if exit_row.authority else ""
    words = f"{act}{number} ngày {step.done_on:%d/%m/%Y}{body}"
    return f"{words}: {reason}" if reason else words


Check = Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]
CHECKS: dict[tuple[str, str], Check] = {
    (kind, spec_kind): _in_party
    for kind, spec_kinds in (
        (CaseKind.STRIKE_OFF, ("cell_resolution", "grassroots_resolution", "decision")),
        (CaseKind.EXPULSION, ("proposal",)),
        (
            CaseKind.DISCHARGE,
            ("application", "cell_resolution", "grassroots_resolution", "decision"),
        ),
        (CaseKind.DEATH, ("report",)),
    )
    for spec_kind in spec_kinds
}
CHECKS[(CaseKind.EXPULSION, "decision")] = _expulsion_decision
EFFECTS: dict[tuple[str, str], Callable[..., None]] = {
    (kind, step_kind): _close_record for kind, step_kind in CLOSING_STEP.items()
}


# --- Lists --------------------------------------------------------------------------------------


def exits_closed(
    user: Actor, org: Organization, start: dt.date, end: dt.date, *, kind: str = ""
) -> QuerySet[Case]:
    """The exit cases of `org`'s subtree closed over the period with the record closed (not
    withdrawn), as the user sees them, newest first."""
    cases = restrict(Case.objects.all(), user, VIEW).filter(
        subtree_q("org_path", org.path),
        kind__in=[kind] if kind in EXIT_KINDS else EXIT_KINDS,
        state=CaseState.CLOSED,
        outcome__in=EXIT_OUTCOMES,
        closed_on__gte=start,
        closed_on__lte=end,
    )
    return cases.select_related("org", "member", "exit").order_by("-closed_on", "-pk")


@dataclass(frozen=True)
class ExitCount:
    kind: str
    kind_label: str
    reason: str
    reason_label: str
    count: int


def exit_counts(user: Actor, org: Organization, start: dt.date, end: dt.date) -> list[ExitCount]:
    """The period's exits of the subtree by kind and reason (one grouped query)."""
    rows = (
        exits_closed(user, org, start, end)
        .order_by()
        .values("kind", "exit__reason")
        .annotate(n=Count("pk"))
    )
    kinds = dict(CaseKind.choices)
    reasons = dict(ExitReason.choices)
    counts = [
        ExitCount(
            row["kind"],
            kinds.get(row["kind"], row["kind"]),
            row["exit__reason"] or "",
            reasons.get(row["exit__reason"] or "", ""),
            row["n"],
        )
        for row in rows
    ]
    order: dict[str, int] = {kind: i for i, kind in enumerate(EXIT_KINDS)}
    return sorted(counts, key=lambda c: (order.get(c.kind, 9), -c.count, c.reason))


def exit_counts_by_child(
    user: Actor, org: Organization, children: list[Organization], start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Per child of `org` (its subtree), the period's exits by kind (one grouped query on the
    child's path prefix)."""
    if not children:
        return {}
    width = len(org.path) + SEGMENT
    rows = (
        exits_closed(user, org, start, end)
        .order_by()
        .annotate(child=Substr("org_path", 1, width))
        .values("child", "kind")
        .annotate(n=Count("pk"))
    )
    by_path = {child.path: child.pk for child in children}
    counts: dict[int, dict[str, int]] = {child.pk: {} for child in children}
    for row in rows:
        pk = by_path.get(row["child"])
        if pk is not None:
            counts[pk][row["kind"]] = row["n"]
    return counts


def exit_case_open(member: Member) -> Case | None:
    return (
        Case.objects.filter(member=member, kind__in=EXIT_KINDS, state=CaseState.OPEN)
        .order_by("-pk")
        .first()
    )
