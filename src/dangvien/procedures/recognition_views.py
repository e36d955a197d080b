"""The pages of recognition as official: the probationary members whose 12 months end soon (or
ended without a decision) per organization, the proposals to strike off, and opening a case from
a member's record. The case itself and its steps are the procedures' common pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from dangvien.accounts.access import PROPOSE, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.models import Member, Status
from dangvien.orgs.selectors import org_ancestors_visible_to
from dangvien.orgs.views import reportable_org
from dangvien.procedures import recognition
from dangvien.procedures.forms import OpenCaseForm
from dangvien.procedures.models import Case, CaseKind, CaseState
from dangvien.procedures.rules import recognition as rules
from dangvien.procedures.views import kept_member
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"
OVERDUE = "qua-han"


def recognition_due(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """ "Đảng viên dự bị sắp hết thời hạn": probations ending within 60 days, and the overdue."""
    org = reportable_org(request, org_id)
    overdue_only = request.GET.get("hien-thi") == OVERDUE
    page: Page[Member] = Page.from_request(request)
    page.of(recognition.recognitions_due(request.user, org, overdue_only=overdue_only))
    context = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "rows": recognition.due_rows(page.rows),
        "overdue_only": overdue_only,
        "within_days": recognition.DUE_WITHIN_DAYS,
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/recognition_due.html", "procedures/_recognition_due.html", context
    )


def strike_off_proposals(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """Probationary members the cell or the committee proposed to strike off."""
    org = reportable_org(request, org_id)
    page: Page[Case] = Page.from_request(request)
    page.of(recognition.strike_off_proposals(request.user, org))
    context = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "cases": page.rows,
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/recognition_strike_off.html", "procedures/_cases.html", context
    )


def recognition_open(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Open the recognition case of a probationary member whose record the user keeps."""
    member = kept_member(request, member_id)
    if not allowed(
        request.user, PROPOSE, Case(kind=CaseKind.RECOGNITION, org_path=member.org_path)
    ):
        raise PermissionDenied("Đồng chí không có quyền mở hồ sơ này.")
    open_case = Case.objects.filter(
        member=member, kind=CaseKind.RECOGNITION, state=CaseState.OPEN
    ).first()
    form = OpenCaseForm(request.POST or None)
    form.fields["opened_on"].label = "Ngày mở hồ sơ"
    if request.method == "POST" and form.is_valid():
        try:
            case = recognition.recognition_open(
                acting_user=request.user, member=member, opened_on=form.cleaned_data["opened_on"]
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã mở hồ sơ công nhận đảng viên chính thức.")
            return redirect("case_detail", case.pk)
    end = deadline = None
    problem = ""
    if member.status != Status.PROBATIONARY:
        problem = f"Đồng chí {member.full_name} là đảng viên {member.get_status_display().lower()}."
    else:
        try:
            end = recognition.probation_end_of(member)
        except ValidationError as missing:
            problem = " ".join(missing.messages)
        else:
            deadline = rules.consideration_deadline(probation_end=end)
    context = {
        "member": member,
        "form": form,
        "open_case": open_case,
        "probation_end": end,
        "deadline": deadline,
        "problem": problem,
        "nav": NAV,
    }
    return render(request, "procedures/recognition_open.html", context)
