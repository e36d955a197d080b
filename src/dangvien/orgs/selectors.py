"""Reads of the organization tree. Every read starts from `orgs_visible_to`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangvien.accounts.access import scope_for
from dangvien.orgs.models import Organization, OrgHistory
from dangvien.orgs.paths import subtree_q, subtrees_q


def orgs_visible_to(user: Any) -> QuerySet[Organization]:
    scope = scope_for(user)
    orgs = Organization.objects.select_related("level", "kind")
    if scope.all_orgs:
        return orgs
    return orgs.filter(subtrees_q("path", list(scope.org_paths)) | Q(pk__in=scope.org_ids))


def org_roots_for(user: Any) -> QuerySet[Organization]:
    """The highest nodes the user may see: the tree starts there."""
    scope = scope_for(user)
    orgs = orgs_visible_to(user)
    if scope.all_orgs:
        return orgs.filter(parent__isnull=True)
    roots = Q(path__in=scope.org_paths) | Q(pk__in=scope.org_ids)
    return orgs.filter(roots).order_by("path")


def org_children(org: Organization, *, include_dissolved: bool = False) -> QuerySet[Organization]:
    children = Organization.objects.select_related("level", "kind").filter(parent=org)
    if not include_dissolved:
        children = children.filter(dissolved_on__isnull=True)
    return children.order_by("level__rank", "name")


def org_child_counts(orgs: list[Organization]) -> dict[int, int]:
    """How many active children each node has, in one query."""
    rows = (
        Organization.objects.filter(parent__in=orgs, dissolved_on__isnull=True)
        .values("parent_id")
        .annotate(n=Count("id"))
    )
    return {row["parent_id"]: row["n"] for row in rows}


def tree_on(day: dt.date) -> QuerySet[OrgHistory]:
    """Every node as it stood on `day` (name, parent, path, level)."""
    return OrgHistory.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def subtree_on(org: Organization, day: dt.date) -> QuerySet[OrgHistory]:
    """The subtree under `org` as it stood on `day`; empty if the node did not exist then."""
    state = tree_on(day).filter(org=org).first()
    if state is None:
        return OrgHistory.objects.none()
    return tree_on(day).filter(subtree_q("path", state.path))
