"""The transfer pages of a node: what it sends, what it is to receive, what is overdue (rolled up
by its children); opening a transfer for one of its members (the destination picked by name among
the cells of the whole installation); receiving a member from outside the installation.

The case itself and its steps use the pages of every procedure (`views.case_detail`,
`views.case_step`): the receiving step is offered to the destination's staff by the policy.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dangvien.accounts.access import REPORT, restrict
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.core.paths import subtree_q
from dangvien.members.models import IN_PARTY, Member
from dangvien.members.search import member_search, search_scope
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to
from dangvien.orgs.views import reportable_org
from dangvien.procedures import transfer_selectors as selectors
from dangvien.procedures.models import Case, CaseState
from dangvien.procedures.transfer_forms import TransferArrivalForm, TransferOpenForm
from dangvien.procedures.transfer_services import transfer_arrival, transfer_open
from dangvien.procedures.views import refusal_messages
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"
TABS = (
    ("di", "Chuyển đi"),
    ("den", "Chuyển đến"),
    ("qua-han", "Quá hạn"),
)


def transfer_list(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    tab = request.GET.get("xem", "di")
    if tab not in dict(TABS):
        tab = "di"
    state = request.GET.get("trang-thai", CaseState.OPEN)
    if state not in CaseState.values:
        state = ""
    if tab == "di":
        cases = selectors.transfers_sent(request.user, org, state=state)
    elif tab == "den":
        cases = selectors.transfers_to_receive(request.user, org, state=state)
    else:
        cases = selectors.transfers_overdue(request.user, org)
    page: Page[Case] = Page.from_request(request)
    page.of(cases)
    context: dict[str, Any] = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "tab": tab,
        "tabs": TABS,
        "state": state,
        "states": [
            (CaseState.OPEN, "Đang giải quyết"),
            (CaseState.CLOSED, "Đã kết thúc"),
            ("", "Tất cả"),
        ],
        "cases": page.rows,
        "today": timezone.localdate(),
        "rollup": selectors.transfers_overdue_by_child(request.user, org)
        if tab == "qua-han"
        else [],
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/transfer_list.html", "procedures/_transfer_cases.html", context
    )


def _member(request: AuthenticatedRequest, org: Organization, member_id: str) -> Member | None:
    if not member_id.isdigit():
        return None
    members = members_visible_to(request.user).filter(
        subtree_q("org_path", org.path), status__in=IN_PARTY
    )
    return members.select_related("org").filter(pk=int(member_id)).first()


def transfer_open_page(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """Pick the member (search in the node's subtree), then the destination, then the dates."""
    org = reportable_org(request, org_id)
    member = _member(request, org, request.GET.get("dang-vien", ""))
    query = request.GET.get("q", "").strip()[:100]
    found: list[Member] = []
    if member is None and query:
        found = member_search(
            members_visible_to(request.user).filter(
                subtree_q("org_path", org.path), status__in=IN_PARTY
            ),
            query,
            within=search_scope(request.user),
            limit=20,
            offset=0,
        ).rows
    place = request.GET.get("noi-den", "").strip()[:100]
    destinations = (
        selectors.destination_cells(place, exclude=member.org_id) if member and place else []
    )
    form = TransferOpenForm(request.POST or None)
    if request.method == "POST" and member is not None and form.is_valid():
        data = form.cleaned_data
        other_org = None
        if data["other_org"]:
            other_org = Organization.objects.filter(
                pk=data["other_org"], level__holds_members=True
            ).first()
            if other_org is None:
                raise Http404
        try:
            case = transfer_open(
                acting_user=request.user,
                member=member,
                kind=data["kind"],
                reason=data["reason"],
                event_on=data["event_on"],
                other_org=other_org,
                outside_name=data["outside_name"] or "",
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"] or "",
            )
        except ValidationError as refused:
            for message in refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, f"Đã mở hồ sơ chuyển sinh hoạt của {member.full_name}.")
            return redirect("case_detail", case.pk)
    context = {
        "org": org,
        "member": member,
        "q": query,
        "found": found,
        "place": place,
        "destinations": destinations,
        "form": form,
        "nav": NAV,
    }
    return render(request, "procedures/transfer_open.html", context)


def _cells(request: AuthenticatedRequest, org: Organization) -> list[Organization]:
    orgs = restrict(Organization.objects.all(), request.user, REPORT)
    return list(
        orgs.filter(
            subtree_q("path", org.path), level__holds_members=True, dissolved_on=None
        ).order_by("path")[:500]
    )


def transfer_arrival_page(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """A member arriving from outside the installation with their letter and record."""
    org = reportable_org(request, org_id)
    cells = _cells(request, org)
    form = TransferArrivalForm(request.POST or None, cells=cells)
    if request.method == "POST" and cells and form.is_valid():
        data = form.cleaned_data
        try:
            case = transfer_arrival(
                acting_user=request.user,
                org=data["cell"],
                values=form.person(),
                admission_date=data["admission_date"],
                recognition_date=data["recognition_date"],
                origin=data["origin"],
                reason=data["reason"],
                letter_on=data["letter_on"],
                received_on=data["received_on"],
                reference=data["reference"] or "",
                late_reason=data["late_reason"] or "",
            )
        except ValidationError as refused:
            for message in refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, "Đã tiếp nhận đảng viên chuyển đến.")
            return redirect("case_detail", case.pk)
    context = {"org": org, "cells": cells, "form": form, "nav": NAV}
    return render(request, "procedures/transfer_arrival.html", context)
