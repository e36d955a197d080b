"""`{% member_exemption user member as ex %}`: the member record's exemptions, and what the user
may start from the record: an application for exemption (an official member) or a re-admission
(a former member who was struck off, expelled or discharged)."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.access import PROPOSE, VIEW, allowed, restrict
from dangvien.accounts.types import Actor
from dangvien.members.models import Status
from dangvien.procedures import exemptions, readmission
from dangvien.procedures.models import Case, CaseKind

register = template.Library()


@register.simple_tag
def member_exemption(user: Actor, member: Any, cases: list[Case]) -> dict[str, Any]:
    """`cases`: the member's cases already read for the section; nothing more is read for a
    record with no exemption case that is not closed."""
    may = allowed(user, PROPOSE, Case(kind=CaseKind.EXEMPTION, org_path=member.org_path))
    rows = []
    if any(case.kind == CaseKind.EXEMPTION for case in cases):
        rows = list(
            exemptions.visible(user)
            .filter(member=member)
            .select_related("case")
            .order_by("-valid_from", "-pk")
        )
    readmissions = []
    if member.status in readmission.LEFT_STATUSES:
        readmissions = list(
            restrict(Case.objects.filter(readmission__member=member), user, VIEW)
            .select_related("org")
            .order_by("opened_on", "pk")
        )
    return {
        "rows": rows,
        "readmissions": readmissions,
        "may_apply": may and member.status in (Status.OFFICIAL, Status.EXEMPTED),
        "may_readmit": may
        and member.status in readmission.LEFT_STATUSES
        and not any(case.is_open for case in readmissions),
    }
