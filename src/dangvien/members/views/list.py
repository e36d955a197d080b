"""The member list of a node: filters, name search, pages, and the way to its export.

Every read starts from the scoping selectors (orgs_visible_to, members_visible_to); a node outside
them answers 404, the same page as a node that does not exist.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.filters import (
    STATUS_CHOICES,
    MemberFilterForm,
    export_filters,
    filter_members,
)
from dangvien.members.models import Member, Status
from dangvien.members.search import member_search
from dangvien.members.selectors import members_in_subtree, members_visible_to
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to
from dangvien.orgs.views import visible_org
from dangvien.web.shortcuts import Page, render_page_or_partial, wants_partial


def org_members(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = visible_org(request, org_id)
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status != "all" and status not in Status.values:
        status = ""
    page: Page[Member] = Page.from_request(request)
    members = members_in_subtree(members_visible_to(request.user), org)
    # The list filters (members/filters.py); the name query is ranked by member_search.
    filters = {k: request.GET[k] for k in request.GET if k not in ("q", "page")}
    members = filter_members(members, filters)
    found = member_search(members, query, within=[org.path], limit=page.size, offset=page.offset)
    page.found(found.rows, found.has_more)
    context = {
        "org": org,
        "rows": page.rows,
        **page.context(),
        "q": query,
        "status": status,
        "status_filters": STATUS_CHOICES,
        "filter_form": MemberFilterForm(request.GET),
        "export_url": _export_url(request, org),
    }
    if not wants_partial(request):
        context["ancestors"] = org_ancestors_visible_to(request.user, org)
        context["nav"] = "tree"
    return render_page_or_partial(
        request, "members/list.html", "members/_list_results.html", context
    )


def _export_url(request: AuthenticatedRequest, org: Organization) -> str:
    """The export page for the list being shown, to those who may take it out (export.py)."""
    if not allowed(request.user, REPORT, org):
        return ""
    filters = export_filters(request.GET)
    return reverse("member_export", args=[org.pk]) + (f"?{urlencode(filters)}" if filters else "")
