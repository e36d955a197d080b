"""The search page: one box, results as you type, scoped to the user (members/search.py)."""

from __future__ import annotations

from django.http import HttpResponse

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.models import Member
from dangvien.members.search import PAGE_SIZE, member_search, search_scope
from dangvien.members.selectors import members_visible_to
from dangvien.web.shortcuts import Page, render_page_or_partial


def member_search_page(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page: Page[Member] = Page.from_request(request, size=PAGE_SIZE)
    found = None
    if query:
        found = member_search(
            members_visible_to(request.user),
            query,
            within=search_scope(request.user),
            limit=page.size,
            offset=page.offset,
        )
        page.found(found.rows, found.has_more)
    context = {
        "q": query,
        "found": found,
        **page.context(),
        "nav": "search",
    }
    return render_page_or_partial(
        request, "members/search.html", "members/_search_results.html", context
    )
