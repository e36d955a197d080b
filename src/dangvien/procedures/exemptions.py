"""Miễn công tác và sinh hoạt đảng: the exemption case (application → the cell's resolution →
the committee above takes note), the period it holds, and who is exempt on a day.

The rule (`rules.exemption`): an official member of advanced age or in poor health applies, the
cell decides by a resolution written in its resolution book and reports it to the committee
directly above. The cell's meetings and their resolution book are not kept by the installation
yet: the step records the resolution's number and date (`Step.reference`, `done_on`) and the
book itself stays on paper.

What each kind changes: exempted from work and meetings (ACTIVITY), the member's status is
"miễn sinh hoạt" (`Status.EXEMPTED`, through `member_set_status`, with the resolution in the
status period's note) from the resolution's day until the exemption ends, and the member is left
out of the meetings' attendance counts (`exempt_member_ids`); exempted from party work only
(WORK), nothing changes in the record or the counts: the cell assigns the member no task, which
the exemption's row says. Both are official members still (party age, dues, reports count them
so).

An exemption runs from the resolution's day, open-ended or to the day the application asked for.
It ends when the member asks to come back or the cell decides so (`exemption_end`, recorded with
its day and resolution), or on its scheduled day: the selectors treat it as ended from that day
and the to-do list asks the cell to record the return, which sets the status back to official
from that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from dangvien.accounts.access import PROPOSE, VIEW, restrict_q
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.paths import subtree_q
from dangvien.core.periods import valid_on_q
from dangvien.members.models import Member, Status, StatusPeriod
from dangvien.members.services import member_set_status
from dangvien.orgs.models import Organization
from dangvien.procedures import flows
from dangvien.procedures.flows import CELL, GRASSROOTS, StepSpec
from dangvien.procedures.models import (
    Case,
    CaseKind,
    CaseState,
    Exemption,
    ExemptionScope,
    Outcome,
    Step,
)
from dangvien.procedures.rules import Verdict, judge
from dangvien.procedures.rules import exemption as rules

EXEMPTION = (
    StepSpec("application", "Đơn xin miễn công tác, sinh hoạt đảng", PROPOSE, CELL),
    StepSpec(
        "cell_resolution",
        "Nghị quyết chi bộ cho miễn (ghi sổ nghị quyết của chi bộ)",
        PROPOSE,
        CELL,
        after=("application",),
        form_code="NQ-MCT",
    ),
    StepSpec(
        "reported",
        "Cấp ủy cấp trên trực tiếp nhận báo cáo",
        PROPOSE,
        GRASSROOTS,
        after=("cell_resolution",),
        closes=Outcome.EXEMPTED,
    ),
    StepSpec(
        "refusal",
        "Chi bộ không đồng ý cho miễn",
        PROPOSE,
        CELL,
        after=("application",),
        before=("cell_resolution",),
        closes=Outcome.NOT_EXEMPTED,
        optional=True,
    ),
    StepSpec(
        "withdrawal",
        "Đảng viên rút đơn",
        PROPOSE,
        CELL,
        before=("cell_resolution", "refusal"),
        closes=Outcome.WITHDRAWN,
        optional=True,
    ),
)
FORM_CODES = (
    ("Đ-MCT", "Đơn xin miễn công tác, sinh hoạt đảng"),
    ("NQ-MCT", "Trích nghị quyết chi bộ cho miễn công tác, sinh hoạt đảng"),
    ("BA", "Bệnh án, giấy tờ về sức khỏe"),
    ("KHAC", "Tài liệu khác"),
)
flows.FLOWS[CaseKind.EXEMPTION] = EXEMPTION
flows.FORM_CODES[CaseKind.EXEMPTION] = FORM_CODES


def exemption_of(case: Case) -> Exemption:
    return Exemption.objects.select_related("member").get(case=case)


def _official_on(member: Member, day: dt.date) -> bool:
    return StatusPeriod.objects.on(day).filter(member=member, status=Status.OFFICIAL).exists()


def overlapping(exemption: Exemption, start: dt.date) -> Exemption | None:
    """A decided exemption of the same kind of the member that still holds on `start` or later."""
    return (
        Exemption.objects.filter(member_id=exemption.member_id, scope=exemption.scope, decided=True)
        .exclude(pk=exemption.pk)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .first()
    )


def check_eligible(exemption: Exemption, on: dt.date) -> list[Verdict]:
    """The rule in force on `on`, and no second exemption of the same kind at once."""
    member = exemption.member
    official = _official_on(member, on)
    if exemption.scope == ExemptionScope.WORK and not official:
        # Exempted from work while already exempted from meetings: the status is "miễn sinh
        # hoạt", an official member still.
        official = (
            StatusPeriod.objects.on(on).filter(member=member, status=Status.EXEMPTED).exists()
        )
    verdicts = [
        judge(
            rules.ELIGIBLE,
            on,
            name=member.full_name,
            official=official,
            reason=exemption.reason,
            gender=member.gender,
            born=member.date_of_birth,
            day=on,
        )
    ]
    other = overlapping(exemption, on)
    if other is not None:
        verdicts.append(
            Verdict(
                False,
                f"{member.full_name} đang được {other.get_scope_display().lower()} từ ngày "
                f"{other.valid_from:%d/%m/%Y}.",
                verdicts[0].rule,
            )
        )
    return verdicts


def _check_resolution(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    exemption = exemption_of(case)
    verdicts = check_eligible(exemption, on)
    if exemption.valid_to is not None and exemption.valid_to <= on:
        verdicts.append(
            Verdict(
                False,
                f"Thời hạn miễn xin đến ngày {exemption.valid_to:%d/%m/%Y}, không sau ngày nghị "
                f"quyết {on:%d/%m/%Y}.",
                verdicts[0].rule,
            )
        )
    return verdicts


def _decided(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """The resolution starts the exemption on its day; from meetings, the status follows."""
    if not step.reference.strip():
        raise ValidationError("Cần ghi số nghị quyết của chi bộ (trong sổ nghị quyết).")
    exemption = exemption_of(case)
    exemption.valid_from = step.done_on
    exemption.decided = True
    exemption.save(update_fields=["valid_from", "decided"])
    if exemption.scope == ExemptionScope.ACTIVITY:
        member_set_status(
            acting_user=acting_user,
            member=exemption.member,
            status=Status.EXEMPTED,
            on=step.done_on,
            note=f"Nghị quyết chi bộ số {step.reference} ngày {step.done_on:%d/%m/%Y}"[:200],
        )


CHECKS: dict[tuple[str, str], Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]] = {
    (CaseKind.EXEMPTION, "cell_resolution"): _check_resolution,
}
EFFECTS: dict[tuple[str, str], Callable[..., None]] = {
    (CaseKind.EXEMPTION, "cell_resolution"): _decided,
}


# --- Reads -----------------------------------------------------------------------------------


def visible(user: Actor) -> QuerySet[Exemption]:
    """The exemptions whose case the user may see (the case's policy, through the case)."""
    return Exemption.objects.filter(restrict_q(user, Case, VIEW, prefix="case__"))


def in_force_q(day: dt.date) -> Q:
    """Decided and holding on `day` (a scheduled end counts from its day, recorded or not)."""
    return Q(decided=True) & valid_on_q(day)


def exempt_member_ids(org_ids: Iterable[int], day: dt.date) -> set[int]:
    """The members of the organizations `org_ids` on `day` exempted from meetings that day: the
    meetings leave them out of the attendance counts (they may still attend)."""
    ids = list(org_ids)
    return set(
        Exemption.objects.filter(in_force_q(day), scope=ExemptionScope.ACTIVITY)
        .filter(valid_on_q(day, "member__memberships__"), member__memberships__org_id__in=ids)
        .values_list("member_id", flat=True)
    )


STATES = {
    "hieu-luc": "Đang được miễn",
    "cho-xet": "Chờ chi bộ xét",
    "da-ket-thuc": "Đã kết thúc",
    "tat-ca": "Tất cả",
}


def exemption_list(
    user: Actor,
    org: Organization,
    *,
    day: dt.date,
    state: str = "hieu-luc",
    scope: str = "",
) -> QuerySet[Exemption]:
    """The exemptions of `org`'s subtree the user may see (by the cell that decided them), in a
    state on `day`: in force, waiting for the cell, ended by then, or all."""
    rows = visible(user).filter(subtree_q("case__org_path", org.path))
    if scope in ExemptionScope.values:
        rows = rows.filter(scope=scope)
    if state == "hieu-luc":
        rows = rows.filter(in_force_q(day))
    elif state == "cho-xet":
        rows = rows.filter(decided=False, case__state=CaseState.OPEN)
    elif state == "da-ket-thuc":
        rows = rows.filter(decided=True, valid_to__lte=day)
    return rows.select_related("member", "case__org").order_by("member__name_sort", "pk")


def due_to_record(user: Actor, today: dt.date) -> QuerySet[Exemption]:
    """Exemptions from meetings whose scheduled end has come while the member's status is still
    "miễn sinh hoạt": the cell records the return (those who record the cell's steps)."""
    return Exemption.objects.filter(restrict_q(user, Case, PROPOSE, prefix="case__")).filter(
        decided=True,
        scope=ExemptionScope.ACTIVITY,
        ended_by="",
        valid_to__lte=today,
        member__status=Status.EXEMPTED,
    )


@dataclass(frozen=True)
class Counts:
    in_force: int
    new: int


def counts(rows: QuerySet[Exemption], day: dt.date, since: dt.date) -> Counts:
    """In force on `day`, and decided from `since` to `day` (both included)."""
    return Counts(
        in_force=rows.filter(in_force_q(day)).count(),
        new=rows.filter(decided=True, valid_from__gte=since, valid_from__lte=day).count(),
    )


def document_facts(case: Case) -> dict[str, str]:
    """What the cell's resolution (NQ-MCT) says of the exemption."""
    row = Exemption.objects.filter(case=case).first()
    if row is None:
        return {}
    start = f"từ ngày {row.valid_from:%d/%m/%Y}" if row.decided else "kể từ ngày ra nghị quyết"
    scheduled = row.valid_to if not row.ended_by else None
    period = (
        f"{start} đến hết ngày {scheduled - dt.timedelta(days=1):%d/%m/%Y}"
        if scheduled
        else (f"{start}, không thời hạn")
    )
    return {
        "scope": row.get_scope_display().lower(),
        "reason": row.get_reason_display().lower(),
        "applied_on": f"{case.opened_on:%d/%m/%Y}",
        "period": period,
    }
