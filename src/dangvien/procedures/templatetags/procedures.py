"""`{% member_cases user member as cases %}`: the member record's "Thủ tục" section, so the
members' template shows the cases without the members app reading procedures."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.types import Actor
from dangvien.procedures import flows, selectors

register = template.Library()


@register.simple_tag
def member_cases(user: Actor, member: Any) -> list[Any]:
    return selectors.member_cases(user, member)


@register.filter
def step_title(step: Any) -> str:
    return flows.step_title(step.case.kind, step.kind)
