"""The to-do list of whoever must act next: on the home page of every secretary and committee staff
member, what is due in their scope, soonest first, each line linking to the step to do; and for
upper levels the same rolled up ("12 hồ sơ quá hạn ở 5 chi bộ").

What is due:
- open cases waiting for a step the user may record (the step's action in the flow: PROPOSE for
  the cell and the grassroots organization, DECIDE for the committee above);
- probationary members whose 12 months end soon, or have ended, with no recognition case open;
- candidates whose awareness-class certificate expires soon and who are not admitted yet;
- members flagged for the cell's screening and not decided yet (`screening.todo_lines`);
- exemptions from meetings whose scheduled end has come, the return not recorded yet;
- party cards to request, to number (the committee above) and to hand out (the cell), counted;
- admission targets of the year behind an even pace (added by the home page from the reports,
  which count what was achieved: `Todo.include`).

Every list is a scoped SQL query (the policy's `restrict_q`) cut to a few lines; the totals are
counted in SQL, so the list costs the same for a cell and a province.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from dangvien.accounts.access import MANAGE, PROPOSE, VIEW, restrict, restrict_q
from dangvien.accounts.types import Actor
from dangvien.core.dates import WorkingCalendar, add_months
from dangvien.members.models import Member, Status
from dangvien.procedures import exemptions, screening
from dangvien.procedures.cards import card_todo
from dangvien.procedures.flows import FLOWS, StepSpec, flow, main_next
from dangvien.procedures.models import Candidate, Case, CaseKind, CaseState, Outcome
from dangvien.procedures.rules import admission as admission_rules
from dangvien.procedures.rules import recognition as recognition_rules
from dangvien.procedures.rules import rule_in_force

LINES = 10  # lines shown of each source; the totals say how many more there are
SOON_DAYS = 30  # calendar days ahead a probation end or a certificate expiry is shown
SEARCH_DAYS = 62  # how far back from a cut-off date a boundary is searched (rules are monotone)


@dataclass(frozen=True)
class Line:
    what: str  # what to do
    subject: str  # whom it concerns
    org: str
    deadline: dt.date | None
    days_left: int | None  # working days from today; negative when overdue
    url: str

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass(frozen=True)
class Rollup:
    what: str
    count: int
    overdue: int
    cells: int  # distinct cells the count comes from
    url: str


@dataclass
class Todo:
    lines: list[Line] = field(default_factory=list)
    total: int = 0  # lines due in the scope (`lines` holds the soonest)
    rollup: list[Rollup] = field(default_factory=list)

    def include(self, lines: list[Line]) -> None:
        """Add lines another module computes (the targets behind, which the reports count),
        keeping the soonest LINES."""
        self.total += len(lines)
        self.lines = sorted([*self.lines, *lines], key=_soonest)[:LINES]

    @property
    def wide(self) -> bool:
        """More than one cell involved: the rolled-up counts say more than the lines."""
        return any(r.cells > 1 for r in self.rollup)


def waiting_q(action: str) -> Q:
    """Open cases whose next step is recorded under `action`, by the flows as data (a case with
    no step yet waits for its flow's first main step)."""
    query = Q(pk__in=[])
    for kind in FLOWS:
        steps = [spec.kind for spec in flow(kind) if spec.action == action]
        first = main_next(kind, set())
        if first is not None and first.action == action:
            steps.append("")
        if steps:
            query |= Q(kind=kind, next_step__in=steps)
    return query


def _waiting_on_user(user: Actor) -> Q:
    """Open cases whose next step the user may record, whichever action the flow names for it
    (a cell's step, a committee's decision, the receiving end of a transfer)."""
    query = Q(pk__in=[])
    for action in sorted({spec.action for steps in FLOWS.values() for spec in steps}):
        query |= restrict_q(user, Case, action) & waiting_q(action)
    return query


def _latest(day: dt.date, on_or_before: Callable[[dt.date], bool]) -> dt.date:
    """The latest date d ≤ `day` with `on_or_before(d)`, for a monotone test (a validity that
    never ends earlier as its start moves later)."""
    for back in range(SEARCH_DAYS * 12):
        candidate = day - dt.timedelta(days=back)
        if on_or_before(candidate):
            return candidate
    return day - dt.timedelta(days=SEARCH_DAYS * 12)


def _probation_end(admitted: dt.date) -> dt.date:
    return rule_in_force(recognition_rules.PROBATION_END, admitted)(admitted_on=admitted)


def _consideration_deadline(admitted: dt.date, calendar: WorkingCalendar) -> dt.date:
    end = _probation_end(admitted)
    rule = rule_in_force(recognition_rules.CONSIDERATION_DEADLINE, end)
    return rule(probation_end=end, calendar=calendar)


def _certificate_end(issued: dt.date) -> dt.date:
    return admission_rules.certificate_valid_until(issued)


def _recognitions_due(user: Actor, today: dt.date) -> Q:
    """Probationary members whose probation ends within SOON_DAYS (or has ended) and who have
    no recognition case open."""
    admitted_by = recognition_rules.admitted_by(today + dt.timedelta(days=SOON_DAYS))
    open_case = Case.objects.filter(
        kind=CaseKind.RECOGNITION, state=CaseState.OPEN, member=OuterRef("pk")
    )
    return Q(status=Status.PROBATIONARY, admission_date__lte=admitted_by) & ~Q(Exists(open_case))


def _certificates_expiring(today: dt.date) -> Q:
    horizon = today + dt.timedelta(days=SOON_DAYS)
    # Valid until issued + 5 years − 1 day: expiring between today and the horizon.
    first = _latest(add_months(today, -60), lambda d: _certificate_end(d) < today)
    last = _latest(add_months(horizon, -60), lambda d: _certificate_end(d) <= horizon)
    admitted = Case.objects.filter(
        candidate=OuterRef("pk"), kind=CaseKind.ADMISSION, outcome=Outcome.ADMITTED
    )
    return Q(class_certificate_date__gt=first, class_certificate_date__lte=last) & ~Q(
        Exists(admitted)
    )


def _step_url(case: Case, spec: StepSpec | None) -> str:
    if spec is None:
        return reverse("case_detail", args=[case.pk])
    return reverse("case_step", args=[case.pk, spec.kind])


def todo_for(user: Actor, today: dt.date | None = None) -> Todo:
    """What `user` must do, soonest first, with the totals of their scope."""
    today = today or timezone.localdate()
    todo = Todo()
    lines: list[Line] = []
    calendar = WorkingCalendar()  # the administrator's days off read once for all the lines

    cases = Case.objects.filter(state=CaseState.OPEN).filter(_waiting_on_user(user))
    todo.total += cases.count()
    for case in cases.select_related("org", "member", "candidate").order_by(
        F("next_deadline").asc(nulls_last=True), "opened_on", "pk"
    )[:LINES]:
        spec = (
            main_next(case.kind, set())
            if not case.next_step
            else next((s for s in flow(case.kind) if s.kind == case.next_step), None)
        )
        deadline = case.next_deadline
        lines.append(
            Line(
                what=spec.title if spec else case.get_kind_display(),
                subject=case.person_name,
                org=case.org.name,
                deadline=deadline,
                days_left=calendar.working_days_between(today, deadline) if deadline else None,
                url=_step_url(case, spec),
            )
        )

    members = restrict(Member.objects.filter(_recognitions_due(user, today)), user, MANAGE)
    todo.total += members.count()
    for member in members.select_related("org").order_by("admission_date", "pk")[:LINES]:
        assert member.admission_date is not None  # probationary members have one
        end = _probation_end(member.admission_date)
        deadline = _consideration_deadline(member.admission_date, calendar)
        lines.append(
            Line(
                what=f"Xét công nhận đảng viên chính thức (hết dự bị {end:%d/%m/%Y})",
                subject=member.full_name,
                org=member.org.name if member.org else "",
                deadline=deadline,
                days_left=calendar.working_days_between(today, deadline),
                url=reverse("recognition_open", args=[member.pk]),
            )
        )

    candidates = restrict(
        Candidate.objects.filter(_certificates_expiring(today)), user, PROPOSE
    ).select_related("org")
    todo.total += candidates.count()
    for candidate in candidates.order_by("class_certificate_date", "pk")[:LINES]:
        assert candidate.class_certificate_date is not None  # the filter says so
        end = _certificate_end(candidate.class_certificate_date)
        lines.append(
            Line(
                what="Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng sắp hết hạn",
                subject=candidate.full_name,
                org=candidate.org.name,
                deadline=end,
                days_left=calendar.working_days_between(today, end),
                url=reverse("candidate_detail", args=[candidate.pk]),
            )
        )

    ending = exemptions.due_to_record(user, today)
    todo.total += ending.count()
    for row in ending.select_related("member", "case__org").order_by("valid_to", "pk")[:LINES]:
        assert row.valid_to is not None  # the filter says so
        lines.append(
            Line(
                what="Hết thời hạn miễn sinh hoạt đảng: ghi đảng viên trở lại sinh hoạt",
                subject=row.member.full_name,
                org=row.case.org.name,
                deadline=row.valid_to,
                days_left=calendar.working_days_between(today, row.valid_to),
                url=reverse("exemption_end", args=[row.pk]),
            )
        )
    for due in card_todo(user, today):
        todo.total += due.count
        lines.append(Line(what=due.what, subject=f"{due.count} đảng viên", org=due.org,
                          deadline=None, days_left=None, url=due.url))  # fmt: skip

    todo.lines = sorted(lines, key=_soonest)[:LINES]
    todo.include(screening.todo_lines(user))
    todo.rollup = _rollup(user, today)
    return todo


def _soonest(line: Line) -> tuple[bool, dt.date, str]:
    return line.deadline is None, line.deadline or dt.date.max, line.subject


def _rollup(user: Actor, today: dt.date) -> list[Rollup]:
    """Open cases of the user's scope by kind (how many, how many overdue, from how many cells),
    and the probationary members past their consideration deadline with no case open."""
    rows = (
        restrict(Case.objects.filter(state=CaseState.OPEN), user, VIEW)
        .values("kind")
        .annotate(
            count=Count("pk"),
            overdue=Count("pk", filter=Q(next_deadline__lt=today)),
            cells=Count("org", distinct=True),
        )
        .order_by("kind")
    )
    labels = dict(CaseKind.choices)
    procedures = reverse("procedures_home")
    rollup = [
        Rollup(
            f"Hồ sơ {labels.get(row['kind'], row['kind']).lower()} đang giải quyết",
            row["count"],
            row["overdue"],
            row["cells"],
            f"{procedures}?thu-tuc={row['kind']}",
        )
        for row in rows
    ]
    late_by = recognition_rules.admitted_by(recognition_rules.ended_by_deadline(today))
    late = restrict(
        Member.objects.filter(_recognitions_due(user, today), admission_date__lte=late_by),
        user,
        MANAGE,
    ).aggregate(count=Count("pk"), cells=Count("org", distinct=True))
    if late["count"]:
        rollup.append(
            Rollup(
                "Đảng viên dự bị quá hạn xét công nhận chính thức",
                late["count"],
                late["count"],
                late["cells"],
                procedures,
            )
        )
    return rollup
