"""Reads of procedures. Every read starts from `restrict`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from dangvien.accounts.access import VIEW, allowed, restrict
from dangvien.accounts.types import Actor
from dangvien.core.dates import working_days_between
from dangvien.core.paths import subtree_q
from dangvien.members.models import Member
from dangvien.orgs.models import Organization
from dangvien.procedures.flows import StepSpec, main_next, open_steps
from dangvien.procedures.models import Candidate, Case, CaseDocument, CaseState, Step
from dangvien.procedures.services import deadline_of, steps_done, steps_skipped


def candidates_visible_to(user: Actor) -> QuerySet[Candidate]:
    return restrict(Candidate.objects.select_related("org"), user, VIEW)


def candidates_in(user: Actor, org: Organization) -> QuerySet[Candidate]:
    """The candidates of `org`'s subtree the user sees, by name, each with the id of its open
    case (`open_case`) in the same query."""
    open_case = Case.objects.filter(candidate=OuterRef("pk"), state=CaseState.OPEN)
    return (
        candidates_visible_to(user)
        .filter(subtree_q("org_path", org.path))
        .annotate(open_case=Subquery(open_case.order_by("-pk").values("pk")[:1]))
        .order_by("name_sort", "pk")
    )


def cases_visible_to(user: Actor) -> QuerySet[Case]:
    return restrict(Case.objects.select_related("org__level", "member", "candidate"), user, VIEW)


def case_list(
    user: Actor,
    *,
    state: str = "",
    kind: str = "",
    kinds: tuple[str, ...] = (),
    outcome: str = "",
    where: Q | None = None,
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
) -> QuerySet[Case]:
    """Open cases first, soonest deadline first; then the rest, newest first. `where` is a
    condition on the case's ends (`targets.side_q`: a subtree, as the cell or the other end);
    `closed_from`/`closed_to` bound the day it closed, both included."""
    cases = cases_visible_to(user)
    if state:
        cases = cases.filter(state=state)
    if kind:
        cases = cases.filter(kind=kind)
    if kinds:
        cases = cases.filter(kind__in=kinds)
    if outcome:
        cases = cases.filter(outcome=outcome)
    if where is not None:
        cases = cases.filter(where)
    if closed_from is not None:
        cases = cases.filter(closed_on__gte=closed_from)
    if closed_to is not None:
        cases = cases.filter(closed_on__lte=closed_to)
    return cases.order_by("state", "next_deadline", "-opened_on", "-pk")


def case_detail(user: Actor, case_id: int) -> Case | None:
    return (
        cases_visible_to(user)
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("recorded_by", "document")),
            Prefetch("documents", queryset=CaseDocument.objects.order_by("form_code", "pk")),
            "introducers__member",
        )
        .filter(pk=case_id)
        .first()
    )


def case_document_visible(user: Actor, case: Case, document_id: int) -> CaseDocument | None:
    documents = restrict(CaseDocument.objects.all(), user, VIEW)
    return documents.filter(pk=document_id, case=case).first()


def member_cases(user: Actor, member: Member) -> list[Case]:
    """Every case about `member` the user may see, oldest first, with its steps."""
    return list(
        restrict(Case.objects.filter(member=member), user, VIEW)
        .select_related("org")
        .prefetch_related("steps")
        .order_by("opened_on", "pk")
    )


@dataclass(frozen=True)
class Waiting:
    """What an open case waits for: the step, its deadline, working days left, who acts."""

    spec: StepSpec
    deadline: dt.date | None
    days_left: int | None  # working days from today; negative when overdue
    rule: str


def waiting_for(case: Case) -> Waiting | None:
    if not case.is_open:
        return None
    done = steps_done(case)
    spec = main_next(case.kind, set(done), steps_skipped(case))
    if spec is None:
        return None
    due = deadline_of(case, spec, done)
    if due is None:
        return Waiting(spec, None, None, "")
    return Waiting(spec, due[0], working_days_between(timezone.localdate(), due[0]), due[1])


def steps_for_user(user: Actor, case: Case) -> list[StepSpec]:
    """The steps the user may record next on this case."""
    if not case.is_open:
        return []
    done = set(steps_done(case))
    specs = open_steps(case.kind, done, steps_skipped(case))
    return [spec for spec in specs if allowed(user, spec.action, case)]
