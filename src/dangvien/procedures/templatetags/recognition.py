"""Tags of recognition as official for the common pages: what the member record's "Thủ tục"
section offers a probationary member, and a recognition case's dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.core.exceptions import ValidationError

from dangvien.accounts.access import PROPOSE, allowed
from dangvien.accounts.types import Actor
from dangvien.members.models import Status
from dangvien.procedures import recognition
from dangvien.procedures.models import Case, CaseKind
from dangvien.procedures.rules import recognition as rules

register = template.Library()


def _dates(member: Any) -> dict[str, dt.date] | None:
    try:
        end = recognition.probation_end_of(member)
    except ValidationError:
        return None
    return {"probation_end": end, "deadline": rules.consideration_deadline(probation_end=end)}


@register.simple_tag
def recognition_offer(user: Actor, member: Any, cases: list[Case]) -> dict[str, Any] | None:
    """The 12-month date of a probationary member with no open recognition case, when the user
    may open one; None otherwise. `cases`: the member's cases already read for the section."""
    if member.status != Status.PROBATIONARY:
        return None
    if any(c.kind == CaseKind.RECOGNITION and c.is_open for c in cases):
        return None
    if not allowed(user, PROPOSE, Case(kind=CaseKind.RECOGNITION, org_path=member.org_path)):
        return None
    return _dates(member)


@register.simple_tag
def probation_dates(case: Case) -> dict[str, dt.date] | None:
    """The admission date, 12-month date and the cell's deadline of a recognition case."""
    if case.kind != CaseKind.RECOGNITION or case.member is None:
        return None
    dates = _dates(case.member)
    if dates is not None and case.member.admission_date is not None:
        dates["admitted"] = case.member.admission_date
    return dates
