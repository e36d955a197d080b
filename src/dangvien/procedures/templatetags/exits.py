"""`{% exit_offer user member cases as offer %}`: whether the member record's "Thủ tục" section
offers to open a case of leaving the Party (the member is in it, no exit case is open, and the
user keeps the cell's records or decides for it)."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.access import DECIDE, PROPOSE, allowed
from dangvien.accounts.types import Actor
from dangvien.members.models import IN_PARTY
from dangvien.procedures.exits import EXIT_KINDS
from dangvien.procedures.models import Case, CaseKind

register = template.Library()


@register.simple_tag
def exit_offer(user: Actor, member: Any, cases: list[Case]) -> bool:
    if member.status not in IN_PARTY:
        return False
    if any(c.kind in EXIT_KINDS and c.is_open for c in cases):
        return False
    probe = Case(kind=CaseKind.STRIKE_OFF, org_path=member.org_path)
    return allowed(user, PROPOSE, probe) or allowed(user, DECIDE, probe)
