"""The organization tree pages, and what pages about a node one reports on share.

Every read starts from the scoping selectors (orgs_visible_to); a node outside them answers 404,
the same page as a node that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.selectors import member_counts
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import (
    org_ancestors_visible_to,
    org_children_visible_to,
    org_for,
    org_roots_for,
    org_visible,
    reportable_roots,
    with_child_count,
)


def visible_org(request: AuthenticatedRequest, org_id: int) -> Organization:
    org = org_visible(request.user, org_id)
    if org is None:
        raise Http404
    return org


def reportable_org(
    request: AuthenticatedRequest, org_id: int, action: str = REPORT
) -> Organization:
    """A node whose records the user works on, for `action` (report, export, check_quality): its
    figures and its lists (on screen or taken out as a file) are theirs; for anyone else it does
    not exist (404)."""
    org = org_for(request.user, action, org_id)
    if org is None:
        raise Http404
    return org


def reportable_context(
    request: AuthenticatedRequest, org: Organization, nav: str, **extra: Any
) -> dict[str, Any]:
    """The context of a page about a node one reports on: its ancestors the user may follow."""
    return {
        "org": org,
        "ancestors": [
            a
            for a in org_ancestors_visible_to(request.user, org)
            if allowed(request.user, REPORT, a)
        ],
        "nav": nav,
        **extra,
    }


def reportable_home(
    request: AuthenticatedRequest, redirect_to: str, *, template: str, nav: str
) -> HttpResponse:
    """The nodes the user may report on (or check); a single one opens at once, at `redirect_to`."""
    roots = reportable_roots(request.user)
    if len(roots) == 1:
        return redirect(redirect_to, roots[0].pk)
    return render(request, template, {"roots": roots, "nav": nav})


def _nodes(request: AuthenticatedRequest, orgs: QuerySet[Organization]) -> list[dict[str, Any]]:
    """Each node with its member count (subtree) and whether it can be expanded: two queries."""
    nodes = list(with_child_count(orgs, request.user))
    counts = member_counts(nodes)
    return [
        {"org": org, "members": counts.get(org.pk, 0), "children": org.child_count}  # type: ignore[attr-defined]
        for org in nodes
    ]


def org_tree(request: AuthenticatedRequest) -> HttpResponse:
    roots = _nodes(request, org_roots_for(request.user))
    # A single root (the usual case below the province) opens at once, without a round trip.
    opened: list[dict[str, Any]] = []
    if len(roots) == 1 and roots[0]["children"]:
        opened = _nodes(request, org_children_visible_to(request.user, roots[0]["org"]))
        roots[0]["opened"] = opened
    return render(request, "orgs/tree.html", {"roots": roots, "nav": "tree"})


def org_children_partial(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = visible_org(request, org_id)
    nodes = _nodes(request, org_children_visible_to(request.user, org))
    return render(request, "orgs/_nodes.html", {"nodes": nodes, "parent": org})
