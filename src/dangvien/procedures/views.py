"""The procedure pages: candidates of an organization, admission cases as a timeline of dated
steps, the form of each step, the case's documents and introducers.

Out of scope is 404 whether it exists or not; a case the user sees but whose step belongs to
another level (a decision for the cell's secretary) is 403. A step the rules refuse is shown on
its form with the rule's words, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvien.accounts.access import MANAGE, PROPOSE, REPORT, VIEW, allowed, restrict
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.core.paths import subtree_q
from dangvien.members.models import IN_PARTY, Member
from dangvien.members.search import member_search, search_scope
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to, reportable_roots
from dangvien.orgs.views import reportable_org
from dangvien.procedures import selectors, services
from dangvien.procedures.flows import flow, step_title
from dangvien.procedures.forms import (
    CandidateForm,
    DocumentForm,
    IntroducerForm,
    OpenCaseForm,
    StepForm,
)
from dangvien.procedures.models import Candidate, Case, CaseKind, CaseState
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"


def _case(request: AuthenticatedRequest, case_id: int) -> Case:
    case = selectors.case_detail(request.user, case_id)
    if case is None:
        raise Http404
    return case


def _proposable(request: AuthenticatedRequest, case: Case) -> None:
    if not allowed(request.user, PROPOSE, case):
        raise PermissionDenied("Đồng chí không có quyền ghi các bước của hồ sơ này.")


def _candidate(request: AuthenticatedRequest, candidate_id: int) -> Candidate:
    candidate = selectors.candidates_visible_to(request.user).filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404
    return candidate


def kept_member(request: AuthenticatedRequest, member_id: int) -> Member:
    """A member whose record the user keeps (manages), for a page that opens a procedure on it;
    404 for any other."""
    member = (
        restrict(Member.objects.select_related("org"), request.user, MANAGE)
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise Http404
    return member


def refusal_messages(refused: ValidationError) -> list[str]:
    return [str(message) for message in refused.messages]


# --- Cases ------------------------------------------------------------------------------------


def procedures_home(request: AuthenticatedRequest) -> HttpResponse:
    """The cases the user sees: open ones first, soonest deadline first."""
    state = request.GET.get("trang-thai", CaseState.OPEN)
    if state not in CaseState.values:
        state = ""
    kind = request.GET.get("thu-tuc", "")
    if kind not in CaseKind.values:
        kind = ""
    page: Page[Case] = Page.from_request(request)
    page.of(selectors.case_list(request.user, state=state, kind=kind))
    context = {
        "cases": page.rows,
        "state": state,
        "states": [
            (CaseState.OPEN, "Đang giải quyết"),
            (CaseState.CLOSED, "Đã kết thúc"),
            ("", "Tất cả"),
        ],
        "roots": reportable_roots(request.user),
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/home.html", "procedures/_cases.html", context
    )


def case_detail(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    steps = list(case.steps.all())
    may_propose = case.is_open and allowed(request.user, PROPOSE, case)
    context: dict[str, Any] = {
        "case": case,
        "timeline": [(step, step_title(case.kind, step.kind)) for step in steps],
        "plan": [
            spec
            for spec in flow(case.kind)
            if not spec.optional and spec.kind not in services.steps_skipped(case)
        ],
        "done_kinds": {step.kind for step in steps},
        "waiting": selectors.waiting_for(case),
        "next_steps": selectors.steps_for_user(request.user, case),
        "documents": list(case.documents.all()),
        "introducers": list(case.introducers.all()),
        "may_propose": may_propose,
        "nav": NAV,
    }
    if may_propose:
        context["document_form"] = DocumentForm(kind=case.kind)
    return render(request, "procedures/case.html", context)


def case_step(request: AuthenticatedRequest, case_id: int, kind: str) -> HttpResponse:
    """The form of one step; the service judges it by the rules of its day."""
    case = _case(request, case_id)
    spec = next((s for s in flow(case.kind) if s.kind == kind), None)
    if spec is None:
        raise Http404
    if not allowed(request.user, spec.action, case):
        raise PermissionDenied("Bước này do cấp khác ghi.")
    form = StepForm(request.POST or None, spec=spec)
    if request.method == "POST" and case.is_open and form.is_valid():
        try:
            services.step_record(acting_user=request.user, case=case, kind=kind, **form.values())
        except ValidationError as refused:
            for message in refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, f"Đã ghi bước «{spec.title}».")
            return redirect("case_detail", case.pk)
    context = {"case": case, "spec": spec, "form": form, "nav": NAV}
    return render(request, "procedures/step.html", context)


@require_POST
def case_document_upload(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    _proposable(request, case)
    form = DocumentForm(request.POST, request.FILES, kind=case.kind)
    if form.is_valid():
        try:
            services.document_upload(
                acting_user=request.user,
                case=case,
                form_code=form.cleaned_data["form_code"],
                upload=form.cleaned_data["upload"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refusal_messages(refused)))
        else:
            messages.success(request, f"Đã thêm tài liệu {form.cleaned_data['form_code']}.")
    else:
        messages.error(request, "Chưa thêm được tài liệu: chọn mẫu và tệp.")
    return redirect("case_detail", case.pk)


def case_document(request: AuthenticatedRequest, case_id: int, document_id: int) -> FileResponse:
    """A document of a case, only to those who may see the case."""
    case = _case(request, case_id)
    document = selectors.case_document_visible(request.user, case, document_id)
    if document is None:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=not document.content_type.startswith(("image/", "application/pdf")),
        filename=document.file_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def case_introducer(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Pick an introducer by the member search, then give since when they know the applicant."""
    case = _case(request, case_id)
    _proposable(request, case)
    query = request.GET.get("q", "").strip()[:100]
    form = IntroducerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = members_visible_to(request.user).filter(pk=form.cleaned_data["member"]).first()
        if member is None:
            raise Http404
        try:
            services.introducer_add(
                acting_user=request.user,
                case=case,
                member=member,
                known_since=form.cleaned_data["known_since"],
            )
        except ValidationError as refused:
            for message in refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, f"Đã thêm người giới thiệu {member.full_name}.")
            return redirect("case_detail", case.pk)
    found: list[Member] = []
    if query:
        found = member_search(
            members_visible_to(request.user),
            query,
            within=search_scope(request.user),
            limit=20,
            offset=0,
        ).rows
    context = {"case": case, "q": query, "found": found, "form": form, "nav": NAV}
    return render_page_or_partial(
        request, "procedures/introducer.html", "procedures/_introducer_results.html", context
    )


# --- Candidates -------------------------------------------------------------------------------


def candidate_list(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    page: Page[Candidate] = Page.from_request(request)
    page.of(selectors.candidates_in(request.user, org))
    context = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "candidates": page.rows,
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/candidates.html", "procedures/_candidates.html", context
    )


def _cells(request: AuthenticatedRequest, org: Organization) -> list[Organization]:
    orgs = restrict(Organization.objects.all(), request.user, REPORT)
    return list(
        orgs.filter(
            subtree_q("path", org.path), level__holds_members=True, dissolved_on=None
        ).order_by("path")[:500]
    )


def _helpers(request: AuthenticatedRequest, cells: list[Organization]) -> Any:
    """The members who may be assigned to help: those of the cell, when there is one cell."""
    if len(cells) != 1:
        return None
    return members_visible_to(request.user).filter(org=cells[0], status__in=IN_PARTY)


def candidate_create(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    cells = _cells(request, org)
    form = CandidateForm(request.POST or None, cells=cells, helpers=_helpers(request, cells))
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("cell", "helpers")}
        try:
            candidate = services.candidate_register(
                acting_user=request.user,
                org=form.cleaned_data["cell"],
                values=values,
                helpers=form.cleaned_data.get("helpers") or (),
            )
        except ValidationError as refused:
            for message in refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, f"Đã đưa {candidate.full_name} vào danh sách.")
            return redirect("candidate_detail", candidate.pk)
    context = {"org": org, "form": form, "cells": cells, "nav": NAV}
    return render(request, "procedures/candidate_form.html", context)


def candidate_detail(request: AuthenticatedRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    may_propose = allowed(request.user, PROPOSE, candidate)
    cases = list(restrict(candidate.cases.all(), request.user, VIEW).order_by("-opened_on", "-pk"))
    context = {
        "candidate": candidate,
        "helpers": list(candidate.helpers.all()),
        "cases": cases,
        "may_propose": may_propose,
        "open_form": OpenCaseForm() if may_propose and not any(c.is_open for c in cases) else None,
        "nav": NAV,
    }
    return render(request, "procedures/candidate.html", context)


def candidate_edit(request: AuthenticatedRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    if not allowed(request.user, PROPOSE, candidate):
        raise PermissionDenied("Đồng chí không có quyền sửa thông tin này.")
    form = CandidateForm(
        request.POST or None,
        instance=Candidate.objects.get(pk=candidate.pk),
        helpers=_helpers(request, [candidate.org]),
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "helpers"}
        try:
            services.candidate_update(
                acting_user=request.user,
                candidate=candidate,
                values=values,
                helpers=form.cleaned_data.get("helpers"),
            )
        except ValidationError as refused:
            for message in refusal_messages(refused):
                form.add_error(None, message)
        else:
            messages.success(request, "Đã lưu.")
            return redirect("candidate_detail", candidate.pk)
    context = {"org": candidate.org, "candidate": candidate, "form": form, "nav": NAV}
    return render(request, "procedures/candidate_form.html", context)


@require_POST
def case_open(request: AuthenticatedRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    if not allowed(request.user, PROPOSE, candidate):
        raise PermissionDenied("Đồng chí không có quyền mở hồ sơ này.")
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày nhận đơn không hợp lệ.")
        return redirect("candidate_detail", candidate.pk)
    try:
        case = services.admission_open(
            acting_user=request.user, candidate=candidate, opened_on=form.cleaned_data["opened_on"]
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refusal_messages(refused)))
        return redirect("candidate_detail", candidate.pk)
    messages.success(request, f"Đã mở hồ sơ {CaseKind.ADMISSION.label.lower()}.")
    return redirect("case_detail", case.pk)
