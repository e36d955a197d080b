"""Small template helpers of the web pages."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.access import scope_for
from dangvien.accounts.models import Role

register = template.Library()


@register.filter
def role_labels(user: Any) -> str:
    """The user's roles in words, from the scope already computed for this request."""
    roles = scope_for(user).roles
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
