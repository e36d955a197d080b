"""`{% if user|may_restructure:org %}`: the link to the restructuring pages, shown only to those
the pages would answer."""

from typing import Any

from django import template

from dangvien.accounts.types import Actor
from dangvien.restructuring.selectors import may_restructure as _may_restructure

register = template.Library()


@register.filter
def may_restructure(user: Actor, org: Any) -> bool:
    return _may_restructure(user, org)
