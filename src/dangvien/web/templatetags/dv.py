"""Small template helpers of the web pages."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.access import ACTIVATE, MANAGE, allowed, allowed_anywhere, roles_of
from dangvien.accounts.models import Role
from dangvien.accounts.types import Actor
from dangvien.office import layout

register = template.Library()


@register.filter
def role_labels(user: Actor) -> str:
    """The user's roles in words, from the scope already computed for this request."""
    roles = roles_of(user)
    labels = [str(label) for value, label in Role.choices if value in roles]
    if not labels and getattr(user, "is_superuser", False):
        labels = [str(Role.SYSTEM_ADMIN.label)]
    return ", ".join(labels)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, page: int) -> str:
    """The current list's address on another page, keeping the search and the filter."""
    params = context["request"].GET.copy()
    params["page"] = str(page)
    if page == 1:
        params.pop("page")
    return "?" + params.urlencode() if params else "?"


@register.filter
def percent(share: float | None) -> str:
    """0.8539 → "85,39%" (the locale's decimal comma), "—" when there is no base."""

    return layout.percent(share)


@register.filter
def bar_width(share: float | None) -> str:
    """A share as an SVG width in a 0–100 box, with a visible sliver for small non-zero values."""
    if not share:
        return "0"
    return f"{max(share * 100, 0.5):.2f}"


@register.filter
def works_on_records(user: Actor) -> bool:
    """Staff and secretaries: those who see members' records and their statistics."""
    return allowed_anywhere(user, "members.member", MANAGE)


@register.filter
def may_activate(user: Actor, member: Any) -> bool:
    """Whether the user may give this member an activation code (their record's managers)."""
    return allowed(user, ACTIVATE, member)
