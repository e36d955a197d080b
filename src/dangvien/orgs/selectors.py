"""Reads of the organization tree. Every read starts from `orgs_visible_to`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dangvien.accounts.access import REPORT, VIEW, allowed, reach, restrict
from dangvien.accounts.types import Actor
from dangvien.core.paths import ancestor_ids, subtree_q
from dangvien.orgs.models import Organization, OrgHistory


def orgs_visible_to(user: Actor) -> QuerySet[Organization]:
    return restrict(Organization.objects.select_related("level", "kind"), user, VIEW)


def org_roots_for(user: Actor) -> QuerySet[Organization]:
    """The highest nodes the user may see: the tree starts there."""
    where = reach(user, Organization, VIEW)
    orgs = orgs_visible_to(user)
    if where.everywhere:
        return orgs.filter(parent__isnull=True)
    roots = Q(path__in=where.roots) | Q(pk__in=where.cells)
    return orgs.filter(roots).order_by("path")


def org_for(user: Actor, action: str, org_id: int) -> Organization | None:
    """One node the user may do `action` to, or None whether it is missing or out of reach."""
    orgs = restrict(Organization.objects.select_related("level", "kind"), user, action)
    return orgs.filter(pk=org_id).first()


def org_visible(user: Actor, org_id: int) -> Organization | None:
    """One node the user may see, or None whether it is missing or out of scope."""
    return org_for(user, VIEW, org_id)


def org_children_visible_to(
    user: Actor, org: Organization, *, include_dissolved: bool = False
) -> QuerySet[Organization]:
    """The children of `org` the user may see, by level then name."""
    children = orgs_visible_to(user).filter(parent=org)
    if not include_dissolved:
        children = children.filter(dissolved_on__isnull=True)
    return children.order_by("level__rank", "name", "pk")


def org_ancestors_visible_to(user: Actor, org: Organization) -> list[Organization]:
    """The nodes above `org`, from the top, that the user may see: for breadcrumbs."""
    above = ancestor_ids(org.path)[:-1]
    if not above:
        return []
    return list(orgs_visible_to(user).filter(pk__in=above).order_by("path"))


def with_child_count(orgs: QuerySet[Organization], user: Actor) -> QuerySet[Organization]:
    """Each node annotated with `child_count`: its active children the user may see (one query)."""
    children = (
        orgs_visible_to(user)
        .filter(parent=OuterRef("pk"), dissolved_on__isnull=True)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return orgs.annotate(child_count=Coalesce(Subquery(children), 0))


def tree_on(day: dt.date) -> QuerySet[OrgHistory]:
    """Every node as it stood on `day` (name, parent, path, level)."""
    return OrgHistory.objects.on(day)


def subtree_on(org: Organization, day: dt.date) -> QuerySet[OrgHistory]:
    """The subtree under `org` as it stood on `day`; empty if the node did not exist then."""
    state = tree_on(day).filter(org=org).first()
    if state is None:
        return OrgHistory.objects.none()
    return tree_on(day).filter(subtree_q("path", state.path))


def reportable_roots(user: Actor) -> list[Organization]:
    """The top nodes the user works on the records of (reports, data quality, the dashboard)."""
    return [o for o in org_roots_for(user) if allowed(user, REPORT, o)]
