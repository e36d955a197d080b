"""The pages: organization tree, member list with search, member record.

Every read starts from the scoping selectors (orgs_visible_to, members_visible_to); whatever lies
outside them answers 404, the same page as a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from dangvien.accounts.access import may_report_on, may_see_audit_trail
from dangvien.core.audit import audit_trail
from dangvien.members.filters import MemberFilterForm, export_filters, filter_members
from dangvien.members.models import IN_PARTY, Member, Status
from dangvien.members.search import member_search
from dangvien.members.selectors import (
    member_counts,
    members_in_subtree,
    members_visible_to,
    with_dossier,
)
from dangvien.members.services import member_viewed
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import (
    org_ancestors_visible_to,
    org_children_visible_to,
    org_roots_for,
    org_visible,
    orgs_visible_to,
    with_child_count,
)
from dangvien.web.trail import trail_rows

PAGE_SIZE = 50
DASHBOARD_NODES = 5  # a user with more roots sees the first ones; reports reach them all
TRAIL_LIMIT = 50

View = Callable[..., HttpResponseBase]


def login_required(view: View) -> View:
    """Like Django's, but an HTMX request after the session ended reloads the login page whole."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if getattr(request, "htmx", False):
            path = request.htmx.current_url_abs_path or request.get_full_path()  # type: ignore[attr-defined]
            return HttpResponseClientRedirect(redirect_to_login(path).url)
        return redirect_to_login(request.get_full_path())

    return wrapper


def _visible_org(request: HttpRequest, org_id: int) -> Organization:
    org = org_visible(request.user, org_id)
    if org is None:
        raise Http404
    return org


def reportable_org(request: HttpRequest, org_id: int) -> Organization:
    """A node whose records the user works on: its figures and its lists (on screen or taken out
    as a file) are theirs; for anyone else it does not exist (404)."""
    org = org_visible(request.user, org_id)
    if org is None or not may_report_on(request.user, org):
        raise Http404
    return org


def reportable_roots(user: Any) -> list[Organization]:
    """The top nodes the user works on the records of (reports, data quality, the dashboard)."""
    return [o for o in org_roots_for(user) if may_report_on(user, o)]


def reportable_context(
    request: HttpRequest, org: Organization, nav: str, **extra: Any
) -> dict[str, Any]:
    """The context of a page about a node one reports on: its ancestors the user may follow."""
    return {
        "org": org,
        "ancestors": [
            a for a in org_ancestors_visible_to(request.user, org) if may_report_on(request.user, a)
        ],
        "nav": nav,
        **extra,
    }


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX request for a part of the page (not a history restore, which needs it whole)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def render_page_or_partial(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The partial for HTMX, the whole page otherwise; caches keep the two apart."""
    response = render(request, partial if wants_partial(request) else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _nodes(request: HttpRequest, orgs: QuerySet[Organization]) -> list[dict[str, Any]]:
    """Each node with its member count (subtree) and whether it can be expanded: two queries."""
    nodes = list(with_child_count(orgs, request.user))
    counts = member_counts(nodes)
    return [
        {"org": org, "members": counts.get(org.pk, 0), "children": org.child_count}  # type: ignore[attr-defined]
        for org in nodes
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff and secretaries land on their nodes' key figures; members on the handbook."""
    from dangvien.reports.selectors import key_figures

    nodes = reportable_roots(request.user)
    if not nodes:
        return redirect("handbook_feed")
    dashboards = [key_figures(org) for org in nodes[:DASHBOARD_NODES]]
    return render(request, "web/home.html", {"dashboards": dashboards, "nav": "home"})


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    roots = _nodes(request, org_roots_for(request.user))
    # A single root (the usual case below the province) opens at once, without a round trip.
    opened: list[dict[str, Any]] = []
    if len(roots) == 1 and roots[0]["children"]:
        opened = _nodes(request, org_children_visible_to(request.user, roots[0]["org"]))
        roots[0]["opened"] = opened
    return render(request, "web/org_tree.html", {"roots": roots, "nav": "tree"})


@login_required
def org_children_partial(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _visible_org(request, org_id)
    nodes = _nodes(request, org_children_visible_to(request.user, org))
    return render(request, "web/_org_nodes.html", {"nodes": nodes, "parent": org})


STATUS_FILTERS: list[tuple[str, str]] = [
    ("", "Đang sinh hoạt"),
    ("all", "Tất cả"),
    *[(str(value), str(label)) for value, label in Status.choices],
]


def _status_filtered(members: QuerySet[Member], status: str) -> QuerySet[Member]:
    if status == "all":
        return members
    if status in Status.values:
        return members.filter(status=status)
    return members.filter(status__in=IN_PARTY)


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@login_required
def org_members(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _visible_org(request, org_id)
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status != "all" and status not in Status.values:
        status = ""
    page = _page_number(request.GET.get("page"))
    members = members_in_subtree(members_visible_to(request.user), org)
    # The list filters (members/filters.py); the name query is ranked by member_search.
    filters = {k: request.GET[k] for k in request.GET if k not in ("q", "page")}
    members = filter_members(members, filters)
    # No COUNT over the table: one row more than a page says whether a next page exists.
    offset = (page - 1) * PAGE_SIZE
    found = member_search(members, query, within=[org.path], limit=PAGE_SIZE, offset=offset)
    context = {
        "org": org,
        "rows": found.rows,
        "first_number": offset + 1,
        "last_number": offset + len(found.rows),
        "page": page,
        "has_next": found.has_more,
        "has_previous": page > 1,
        "q": query,
        "status": status,
        "status_filters": STATUS_FILTERS,
        "filter_form": MemberFilterForm(request.GET),
        "export_url": _export_url(request, org),
    }
    if not wants_partial(request):
        context["ancestors"] = org_ancestors_visible_to(request.user, org)
        context["nav"] = "tree"
    return render_page_or_partial(
        request, "web/org_members.html", "web/_member_results.html", context
    )


def _export_url(request: HttpRequest, org: Organization) -> str:
    """The export page for the list being shown, to those who may take it out (web/exports.py)."""
    if not may_report_on(request.user, org):
        return ""
    filters = export_filters(request.GET)
    return reverse("member_export", args=[org.pk]) + (f"?{urlencode(filters)}" if filters else "")


@login_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member = with_dossier(members_visible_to(request.user)).filter(pk=member_id).first()
    if member is None:
        raise Http404
    member_viewed(acting_user=request.user, member=member)
    context: dict[str, Any] = {
        "member": member,
        "org_visible": member.org_id is not None
        and orgs_visible_to(request.user).filter(pk=member.org_id).exists(),
        "show_trail": may_see_audit_trail(request.user, member),
    }
    if context["show_trail"]:
        events = list(audit_trail(member)[: TRAIL_LIMIT + 1])
        context["trail"] = trail_rows(request.user, events[:TRAIL_LIMIT])
        context["trail_truncated"] = len(events) > TRAIL_LIMIT
        context["trail_limit"] = TRAIL_LIMIT
    return render(request, "web/member_detail.html", context)
