"""Tree reads the pages need that the org selectors do not offer, built on orgs_visible_to."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangvien.accounts.access import scope_for
from dangvien.orgs.models import Organization
from dangvien.orgs.paths import ancestor_ids
from dangvien.orgs.selectors import org_children, orgs_visible_to


def org_children_visible_to(user: Any, org: Organization) -> QuerySet[Organization]:
    """The active children of `org` that the user may see (all of them inside a visible subtree)."""
    scope = scope_for(user)
    children = org_children(org)
    if scope.all_orgs or any(org.path.startswith(root) for root in scope.org_paths):
        return children
    return children.filter(pk__in=orgs_visible_to(user).values("pk"))


def org_ancestors_visible_to(user: Any, org: Organization) -> list[Organization]:
    """The nodes above `org`, from the top, that the user may see: for breadcrumbs."""
    above = ancestor_ids(org.path)[:-1]
    if not above:
        return []
    return list(orgs_visible_to(user).filter(pk__in=above).order_by("path"))
