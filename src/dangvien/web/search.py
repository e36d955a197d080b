"""The search page: one box, results as you type, scoped to the user (members/search.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from dangvien.members.search import PAGE_SIZE, member_search, search_scope
from dangvien.members.selectors import members_visible_to
from dangvien.web.views import _page_number, login_required, render_page_or_partial


@login_required
def member_search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = _page_number(request.GET.get("page"))
    offset = (page - 1) * PAGE_SIZE
    found = None
    if query:
        found = member_search(
            members_visible_to(request.user),
            query,
            within=search_scope(request.user),
            limit=PAGE_SIZE,
            offset=offset,
        )
    context = {
        "q": query,
        "found": found,
        "page": page,
        "first_number": offset + 1,
        "last_number": offset + (len(found.rows) if found else 0),
        "nav": "search",
    }
    return render_page_or_partial(request, "web/search.html", "web/_search_results.html", context)
