"""Exporting a node's filtered member list: the choice of layout, then a background task."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangvien.accounts.access import EXPORT
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.exports import (
    BOOK,
    LAYOUTS,
    LIST,
    export_start,
    filters_described,
)
from dangvien.members.filters import MemberFilterForm, export_filters, filter_members
from dangvien.members.selectors import members_in_subtree, members_visible_to
from dangvien.orgs.views import reportable_org

# Above this many rows the page says the file will take a while (it is built in the background
# anyway: a grassroots list is ready in seconds, a city in minutes).
LARGE_EXPORT = 50_000


def member_export(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id, EXPORT)
    data = request.POST if request.method == "POST" else request.GET
    filters = export_filters(data)
    if request.method == "POST":
        layout = request.POST.get("layout", "")
        if layout in LAYOUTS:
            task = export_start(acting_user=request.user, org=org, layout=layout, filters=filters)
            return redirect("task_detail", task.pk)
        error = "Xin chọn một mẫu xuất: danh sách hoặc sổ danh sách."
    else:
        error = ""
    form = MemberFilterForm(filters)
    members = filter_members(members_in_subtree(members_visible_to(request.user), org), filters)
    # One more than the threshold is enough to say "large": no full COUNT on a page view.
    large = members.order_by()[LARGE_EXPORT : LARGE_EXPORT + 1].exists()
    context = {
        "org": org,
        "filters": filters,
        "described": filters_described(filters),
        "filter_errors": [e for errors in form.errors.values() for e in errors],
        "layouts": [(LIST, LAYOUTS[LIST]), (BOOK, LAYOUTS[BOOK])],
        "chosen": request.POST.get("layout", LIST),
        "large": large,
        "error": error,
        "back": reverse("org_members", args=[org.pk])
        + (f"?{urlencode(filters)}" if filters else ""),
        "nav": "tree",
    }
    return render(request, "members/export.html", context, status=400 if error else 200)
