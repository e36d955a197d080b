"""Recognition as official (công nhận đảng viên chính thức): the flow of its case, the checks and
the effect `step_record` applies to it, opening a case, and the lists of probations ending.

A probationary member is official from the 12-month date, whatever day the committee decides:
the decision closes the probationary status period on that date through the members' service,
so every figure of a past day between the two dates counts the member official once the
decision is recorded. A member found not qualified ends the case with a proposal to strike off,
kept on the case and listed per organization (the striking-off itself is a procedure of its own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from dangvien.accounts.access import DECIDE, PROPOSE, VIEW, restrict
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.dates import WorkingCalendar
from dangvien.core.models import AuditEvent
from dangvien.core.paths import subtree_q
from dangvien.members.models import Member, Status
from dangvien.members.services import member_set_status
from dangvien.orgs.models import Organization
from dangvien.procedures import flows
from dangvien.procedures.flows import CELL, COMMITTEE, GRASSROOTS, Deadline, Documents, StepSpec
from dangvien.procedures.models import Case, CaseKind, CaseState, Outcome, Step
from dangvien.procedures.rules import NoRuleInForce, Verdict, rule_in_force
from dangvien.procedures.rules import recognition as rules

# How long before the 12-month date a probationary member appears on the cell's list.
DUE_WITHIN_DAYS = 60
# What the cell's consideration deadline counts from: not a step, the member's 12-month date.
PROBATION_END = "probation_end"

RECOGNITION = (
    StepSpec(
        "dossier",
        "Hoàn thành hồ sơ đề nghị công nhận chính thức",
        PROPOSE,
        CELL,
        documents=(
            Documents(("10-KNĐ",), 1, "bản tự kiểm điểm của đảng viên dự bị"),
            Documents(("11-KNĐ",), 1, "bản nhận xét của đảng viên được phân công giúp đỡ"),
            Documents(
                ("12-KNĐ",),
                1,
                "tổng hợp ý kiến nhận xét của đoàn thể nơi làm việc và chi ủy nơi cư trú",
            ),
        ),
    ),
    StepSpec(
        "cell_resolution",
        "Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức",
        PROPOSE,
        CELL,
        after=("dossier",),
        vote=True,
        deadline=Deadline(rules.CONSIDERATION_DEADLINE, PROBATION_END, "probation_end"),
        form_code="13-KNĐ",
    ),
    StepSpec(
        "grassroots_resolution",
        "Nghị quyết của đảng ủy cơ sở đề nghị công nhận đảng viên chính thức",
        PROPOSE,
        GRASSROOTS,
        after=("cell_resolution",),
        form_code="15-KNĐ",
    ),
    StepSpec(
        "decision",
        "Quyết định công nhận đảng viên chính thức",
        DECIDE,
        COMMITTEE,
        after=("grassroots_resolution",),
        closes=Outcome.RECOGNISED,
        form_code="16-KNĐ",
    ),
    StepSpec(
        "strike_off_proposal",
        "Nghị quyết chi bộ không công nhận, đề nghị xóa tên",
        PROPOSE,
        CELL,
        before=("cell_resolution",),
        vote=True,
        deadline=Deadline(rules.CONSIDERATION_DEADLINE, PROBATION_END, "probation_end"),
        closes=Outcome.STRIKE_OFF_PROPOSED,
        optional=True,
        form_code="13-KNĐ",
    ),
    StepSpec(
        "committee_strike_off",
        "Cấp ủy không công nhận, đề nghị xóa tên",
        DECIDE,
        COMMITTEE,
        after=("grassroots_resolution",),
        before=("decision",),
        closes=Outcome.STRIKE_OFF_PROPOSED,
        optional=True,
    ),
)

FORM_CODES = (
    ("10-KNĐ", "Bản tự kiểm điểm của đảng viên dự bị"),
    ("11-KNĐ", "Bản nhận xét đảng viên dự bị của đảng viên được phân công giúp đỡ"),
    ("12-KNĐ", "Tổng hợp ý kiến nhận xét của đoàn thể nơi làm việc và chi ủy nơi cư trú"),
    ("13-KNĐ", "Nghị quyết của chi bộ về công nhận đảng viên chính thức"),
    ("15-KNĐ", "Nghị quyết của đảng ủy cơ sở đề nghị công nhận đảng viên chính thức"),
    ("16-KNĐ", "Quyết định công nhận đảng viên chính thức"),
    ("GCN-LLCT", "Giấy chứng nhận học lớp bồi dưỡng lý luận chính trị cho đảng viên mới"),
    ("KHAC", "Tài liệu khác"),
)

# The flow joins the others here, not in `flows`, which this module reads: the app's `ready`
# imports this module, so the entry is there before any request.
flows.FLOWS[CaseKind.RECOGNITION] = RECOGNITION
flows.FORM_CODES[CaseKind.RECOGNITION] = FORM_CODES


def probation_end_of(member: Member) -> dt.date:
    """The member's 12-month date, by the rule in force on the admission date."""
    if member.admission_date is None:
        raise ValidationError(f"Hồ sơ của {member.full_name} chưa có ngày vào Đảng.")
    try:
        rule = rule_in_force(rules.PROBATION_END, member.admission_date)
    except NoRuleInForce as missing:
        raise ValidationError(str(missing)) from missing
    end: dt.date = rule(admitted_on=member.admission_date)
    return end


def _case_probation_end(case: Case) -> dt.date:
    member = case.member
    assert member is not None
    return probation_end_of(member)


# --- Opening a case ----------------------------------------------------------------------------


@transaction.atomic
def recognition_open(
    *, acting_user: ActingUser, member: Member, opened_on: dt.date | None = None
) -> Case:
    """A recognition case for a probationary member of a cell (one open case per member)."""
    today = timezone.localdate()
    opened_on = opened_on or today
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if opened_on > today:
        raise ValidationError("Ngày mở hồ sơ chưa tới.")
    if member.status != Status.PROBATIONARY:
        raise ValidationError(
            f"{member.full_name} là đảng viên {member.get_status_display().lower()}, không phải "
            "đảng viên dự bị."
        )
    end = probation_end_of(member)
    assert member.admission_date is not None
    if opened_on < member.admission_date:
        raise ValidationError(
            f"Ngày mở hồ sơ trước ngày vào Đảng ({member.admission_date:%d/%m/%Y})."
        )
    open_case = Case.objects.filter(
        member=member, kind=CaseKind.RECOGNITION, state=CaseState.OPEN
    ).first()
    if open_case is not None:
        raise ValidationError(
            f"{member.full_name} đang có hồ sơ công nhận chính thức mở ngày "
            f"{open_case.opened_on:%d/%m/%Y}."
        )
    org = member.org
    if org is None or not org.level.holds_members:
        raise ValidationError(f"{member.full_name} chưa sinh hoạt tại một chi bộ.")
    deadline = rule_in_force(rules.CONSIDERATION_DEADLINE, end)
    case = Case.objects.create(
        kind=CaseKind.RECOGNITION,
        member=member,
        org=org,
        org_path=org.path,
        opened_on=opened_on,
        opened_by=acting_user,
        # What the to-do lists order by: the cell's consideration, due from the 12-month date.
        next_deadline=deadline(probation_end=end),
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Mở hồ sơ công nhận đảng viên chính thức {member.full_name}",
        after=snapshot(case, ["kind", "member", "org", "opened_on", "next_deadline"]),
    )
    return case


# --- Checks and effects of `step_record` -------------------------------------------------------


def _member(case: Case) -> Member:
    assert case.member_id is not None  # a recognition case is always about a member
    return Member.objects.get(pk=case.member_id)


def _considered_after_probation(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    """The cell considers a probationary member once the 12 months are over."""
    member = _member(case)
    end = probation_end_of(member)
    rule = rule_in_force(rules.PROBATION_END, member.admission_date or end)
    if member.status != Status.PROBATIONARY:
        return [
            Verdict(
                False,
                f"{member.full_name} không còn là đảng viên dự bị "
                f"({member.get_status_display().lower()}).",
                rule,
            )
        ]
    if on < end:
        return [
            Verdict(
                False,
                f"Ngày {on:%d/%m/%Y} chưa hết 12 tháng dự bị: {member.full_name} hết thời hạn dự "
                f"bị ngày {end:%d/%m/%Y}.",
                rule,
            )
        ]
    return [Verdict(True, f"Hết 12 tháng dự bị ngày {end:%d/%m/%Y}.", rule)]


def _still_probationary(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    member = _member(case)
    if member.status == Status.PROBATIONARY:
        return []
    rule = rule_in_force(rules.PROBATION_END, member.admission_date or on)
    return [
        Verdict(
            False,
            f"{member.full_name} không còn là đảng viên dự bị "
            f"({member.get_status_display().lower()}).",
            rule,
        )
    ]


def _recognise(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """Official from the 12-month date, even when the decision comes later: the probationary
    status period ends on that date and the recognition date is that date."""
    member = _member(case)
    end = probation_end_of(member)
    reference = f" số {step.reference}" if step.reference else ""
    member_set_status(
        acting_user=acting_user,
        member=member,
        status=Status.OFFICIAL,
        on=end,
        note=f"Quyết định công nhận đảng viên chính thức{reference} ngày {step.done_on:%d/%m/%Y}",
    )


Check = Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]
CHECKS: dict[tuple[str, str], Check] = {
    (CaseKind.RECOGNITION, "cell_resolution"): _considered_after_probation,
    (CaseKind.RECOGNITION, "strike_off_proposal"): _considered_after_probation,
    (CaseKind.RECOGNITION, "grassroots_resolution"): _still_probationary,
    (CaseKind.RECOGNITION, "decision"): _still_probationary,
}
EFFECTS: dict[tuple[str, str], Callable[..., None]] = {
    (CaseKind.RECOGNITION, "decision"): _recognise
}
DEADLINE_ANCHORS: dict[tuple[str, str], Callable[[Case], dt.date]] = {
    (CaseKind.RECOGNITION, PROBATION_END): _case_probation_end
}


# --- Lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A probationary member on the list: the 12-month date, the cell's deadline, working days
    left (negative when overdue) and the open recognition case, if any."""

    member: Member
    probation_end: dt.date
    deadline: dt.date
    days_left: int
    case: Case | None
    ended: bool  # the 12 months are over
    overdue: bool  # the cell's deadline has passed


def recognitions_due(
    user: Actor,
    org: Organization | None = None,
    *,
    today: dt.date | None = None,
    within_days: int = DUE_WITHIN_DAYS,
    overdue_only: bool = False,
) -> QuerySet[Member]:
    """Probationary members whose 12 months end within `within_days` of `today` (or ended),
    in `org`'s subtree when given, as the user may see them; the soonest 12-month date first,
    each with its open recognition case (`open_recognitions`). With `overdue_only`, those whose
    cell's consideration deadline has passed. Page it, then `due_rows` the page."""
    today = today or timezone.localdate()
    if overdue_only:
        last_admitted = rules.admitted_by(rules.ended_by_deadline(today))
    else:
        last_admitted = rules.admitted_by(today + dt.timedelta(days=within_days))
    members = restrict(Member.objects.select_related("org"), user, VIEW).filter(
        status=Status.PROBATIONARY, admission_date__lte=last_admitted
    )
    if org is not None:
        members = members.filter(subtree_q("org_path", org.path))
    open_cases = restrict(
        Case.objects.filter(kind=CaseKind.RECOGNITION, state=CaseState.OPEN), user, VIEW
    ).order_by("-pk")
    # "Nulls first" changes nothing here (the filter leaves no null date) but is not the order
    # the admission_date index keeps: ordered as the index is, PostgreSQL walks it for the page
    # and skips nearly every member of a province (2.5 s at Hanoi's scale); this way it takes the
    # (org_path, status) index to the probationary members of the subtree and sorts those.
    return members.prefetch_related(
        Prefetch("cases", queryset=open_cases, to_attr="open_recognitions")
    ).order_by(F("admission_date").asc(nulls_first=True), "pk")


def due_rows(members: list[Member], *, today: dt.date | None = None) -> list[Due]:
    """The rows of a page of `recognitions_due`, with their dates."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar()  # the days off read once for the page, not once a row
    rows = []
    for member in members:
        end = probation_end_of(member)
        rule = rule_in_force(rules.CONSIDERATION_DEADLINE, end)
        deadline = rule(probation_end=end, calendar=calendar)
        cases = getattr(member, "open_recognitions", [])
        rows.append(
            Due(
                member,
                end,
                deadline,
                calendar.working_days_between(today, deadline),
                cases[0] if cases else None,
                ended=end <= today,
                overdue=deadline < today,
            )
        )
    return rows


def strike_off_proposals(user: Actor, org: Organization | None = None) -> QuerySet[Case]:
    """Recognition cases closed with a proposal to strike off, newest first."""
    cases = restrict(Case.objects.select_related("org", "member"), user, VIEW).filter(
        kind=CaseKind.RECOGNITION, state=CaseState.CLOSED, outcome=Outcome.STRIKE_OFF_PROPOSED
    )
    if org is not None:
        cases = cases.filter(subtree_q("org_path", org.path))
    return cases.order_by("-closed_on", "-pk")
