"""The pages of leaving the Party: opening a case from a member's record (or the organization's
list), the exits of an organization over a period (by kind and reason, by child, the cases), and
the screening list (rà soát, sàng lọc đảng viên). The cases themselves are the procedures' common
pages (case page, steps, documents, to-do lists)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from dangvien.accounts.access import DECIDE, MANAGE, PROPOSE, allowed, restrict
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.core.paths import subtree_q
from dangvien.members.models import IN_PARTY, Member
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to, org_children_visible_to
from dangvien.orgs.views import reportable_org
from dangvien.procedures import exits, screening, selectors
from dangvien.procedures.exit_forms import (
    KIND_CHOICES,
    ExitOpenForm,
    ScreeningAddForm,
    ScreeningDecideForm,
)
from dangvien.procedures.models import Case, CaseKind, ExitReason
from dangvien.procedures.target_views import _period
from dangvien.procedures.views import kept_member
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"
MEMBER_CHOICES = 500  # members offered by the pickers of one organization


def _may_open(request: AuthenticatedRequest, org_path: str, kind: str = "") -> bool:
    probe = Case(kind=kind or CaseKind.STRIKE_OFF, org_path=org_path)
    return allowed(request.user, PROPOSE, probe) or allowed(request.user, DECIDE, probe)


def exit_open(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Open a striking off, expulsion, discharge or death for a member whose record the user
    keeps (`?loai=` preselects the kind; `?tu-ho-so=` the recognition case it follows)."""
    member = kept_member(request, member_id)
    if not _may_open(request, member.org_path):
        raise PermissionDenied("Đồng chí không có quyền mở hồ sơ này.")
    source = None
    source_id = request.GET.get("tu-ho-so", "")
    if source_id.isdigit():
        source = selectors.case_detail(request.user, int(source_id))
        if source is None or source.member_id != member.pk:
            source = None
    initial: dict[str, Any] = {}
    kind = request.GET.get("loai", "")
    if kind in dict(KIND_CHOICES):
        initial["kind"] = kind
    if source is not None:
        initial.update(kind=CaseKind.STRIKE_OFF, reason=ExitReason.NOT_RECOGNISED)
    form = ExitOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = exits.exit_open(
                acting_user=request.user,
                member=member,
                kind=data["kind"],
                opened_on=data["opened_on"],
                reason=data.get("reason") or "",
                detail=data.get("detail") or "",
                authority=data.get("authority") or "",
                died_on=data.get("died_on"),
                source_case=source,
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Đã mở hồ sơ {case.get_kind_display().lower()}.")
            return redirect("case_detail", case.pk)
    context = {
        "member": member,
        "form": form,
        "open_case": exits.exit_case_open(member),
        "in_party": member.status in IN_PARTY,
        "source": source,
        "nav": NAV,
    }
    return render(request, "procedures/exit_open.html", context)


def _members_of(request: AuthenticatedRequest, org: Organization) -> list[tuple[int, str]]:
    """The members in the Party of `org`'s subtree the user keeps, for a picker."""
    members = (
        restrict(Member.objects.all(), request.user, MANAGE)
        .filter(subtree_q("org_path", org.path), status__in=IN_PARTY)
        .order_by("name_sort", "pk")
        .values_list("pk", "full_name", "org__name")[:MEMBER_CHOICES]
    )
    return [(pk, f"{name} ({cell})") for pk, name, cell in members]


def exit_list(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """ "Đảng viên ra khỏi Đảng" of an organization over a period (`tu`, `den`; this year by
    default): counts by kind and reason, by child, and the cases (`?loai=` one kind)."""
    org = reportable_org(request, org_id)
    start, end = _period(request)
    kind = request.GET.get("loai", "")
    if kind not in exits.EXIT_KINDS:
        kind = ""
    chosen = request.GET.get("mo", "")
    if chosen.isdigit():  # the picker: on to the member's form, which checks who may
        query = f"?{urlencode({'loai': kind})}" if kind else ""
        return redirect(reverse("exit_open", args=[int(chosen)]) + query)
    page: Page[Case] = Page.from_request(request)
    page.of(exits.exits_closed(request.user, org, start, end, kind=kind))
    children = list(org_children_visible_to(request.user, org))
    by_child = exits.exit_counts_by_child(request.user, org, children, start, end)
    may_open = _may_open(request, org.path)
    context: dict[str, Any] = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "start": start,
        "end": end,
        "kind": kind,
        "kinds": KIND_CHOICES,
        "counts": exits.exit_counts(request.user, org, start, end),
        "children": [
            (child, [by_child.get(child.pk, {}).get(k, 0) for k, _ in KIND_CHOICES])
            for child in children
        ],
        "cases": page.rows,
        "query": urlencode({"tu": start.isoformat(), "den": end.isoformat()}),
        "members": _members_of(request, org) if may_open else [],
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/exit_list.html", "procedures/_cases.html", context
    )


def screening_list(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """The screening list of an organization: members flagged for their cell's review, the
    decisions recorded; the cell's keepers decide each row and add members by hand."""
    org = reportable_org(request, org_id)
    may_decide = _may_open(request, org.path)
    members = _members_of(request, org) if may_decide else []
    add_form = ScreeningAddForm(request.POST if request.POST.get("them") else None, members=members)
    decide_form = ScreeningDecideForm(request.POST if request.POST.get("quyet-dinh") else None)
    rows = screening.pending(request.user, org)
    if request.method == "POST":
        done = _screening_post(request, org, rows, add_form, decide_form)
        if done is not None:
            return done
    page: Page[screening.Row] = Page.from_request(request)
    page.take(rows[page.offset : page.offset + page.fetch])
    context: dict[str, Any] = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "rows": [
            (row, may_decide and allowed(request.user, PROPOSE, _probe(row.member)))
            for row in page.rows
        ],
        "total": len(rows),
        "decided": list(screening.decided(request.user, org)[:50]),
        "sources": [source.label for source in screening.SOURCES.values()],
        "add_form": add_form if members else None,
        "decide_form": decide_form,
        **page.context(),
        "nav": NAV,
    }
    return render(request, "procedures/screening_list.html", context)


def _probe(member: Member) -> Case:
    return Case(kind=CaseKind.STRIKE_OFF, org_path=member.org_path)


def _screening_post(
    request: AuthenticatedRequest,
    org: Organization,
    rows: list[screening.Row],
    add_form: ScreeningAddForm,
    decide_form: ScreeningDecideForm,
) -> HttpResponse | None:
    back = reverse("screening_list", args=[org.pk])
    if request.POST.get("them"):
        if not add_form.is_valid():
            return None
        member = (
            restrict(Member.objects.all(), request.user, MANAGE)
            .filter(subtree_q("org_path", org.path), pk=add_form.cleaned_data["member"])
            .first()
        )
        if member is None:
            raise Http404
        if not allowed(request.user, PROPOSE, _probe(member)):
            raise PermissionDenied("Đồng chí không có quyền rà soát đảng viên này.")
        try:
            screening.screening_add(
                acting_user=request.user,
                member=member,
                reason=add_form.cleaned_data["reason"],
                raised_on=add_form.cleaned_data["raised_on"],
                note=add_form.cleaned_data["note"] or "",
            )
        except ValidationError as refused:
            for message in refused.messages:
                add_form.add_error(None, message)
            return None
        messages.success(request, f"Đã đưa {member.full_name} vào danh sách rà soát.")
        return redirect(back)
    if not decide_form.is_valid():
        messages.error(request, "Chưa ghi: xin chọn quyết định và ngày quyết định.")
        return redirect(back)
    row = next((r for r in rows if r.key == decide_form.cleaned_data["key"]), None)
    if row is None:
        raise Http404
    if not allowed(request.user, PROPOSE, _probe(row.member)):
        raise PermissionDenied("Đồng chí không có quyền rà soát đảng viên này.")
    try:
        item = screening.screening_decide(
            acting_user=request.user,
            member=row.member,
            source=row.source,
            reason=row.reason,
            raised_on=row.raised_on,
            decision=decide_form.cleaned_data["decision"],
            decided_on=decide_form.cleaned_data["decided_on"],
            note=decide_form.cleaned_data["note"] or "",
            detail=row.detail,
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(back)
    if item.exit_case is not None:
        messages.success(request, f"Đã mở hồ sơ xóa tên {row.member.full_name}.")
        return redirect("case_detail", item.exit_case.pk)
    messages.success(request, f"Đã ghi quyết định về {row.member.full_name}.")
    return redirect(back)
