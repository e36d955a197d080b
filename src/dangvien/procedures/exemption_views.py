"""The pages of exemptions and re-admission: the exemptions of an organization (rolled up, with
filters), the application and the end of an exemption opened from the member's record, and the
re-admission of a former member opened from the closed record. The cases themselves and their
steps (the cell's resolution, the report up, the admission's steps) are the common case pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dangvien.accounts.access import PROPOSE, VIEW, allowed, restrict
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.models import Member, Status
from dangvien.members.views.edit import DATE_FORMATS
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to
from dangvien.orgs.views import reportable_org
from dangvien.procedures import exemptions, readmission
from dangvien.procedures.exemption_services import exemption_apply, exemption_end
from dangvien.procedures.models import (
    Case,
    CaseKind,
    Exemption,
    ExemptionEnd,
    ExemptionReason,
    ExemptionScope,
    LeaveReason,
)
from dangvien.procedures.readmission_services import readmission_open
from dangvien.procedures.views import kept_member
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"


def _dates(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.input_formats = DATE_FORMATS
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplyForm(forms.Form):
    scope = forms.ChoiceField(label="Xin miễn", choices=ExemptionScope.choices)
    reason = forms.ChoiceField(label="Lý do", choices=ExemptionReason.choices)
    applied_on = forms.DateField(label="Ngày làm đơn (hoặc báo cáo trực tiếp với chi bộ)")
    ends_on = forms.DateField(
        label="Trở lại sinh hoạt từ ngày (để trống nếu không thời hạn)", required=False
    )
    note = forms.CharField(label="Ghi chú", required=False, max_length=400)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate()
        _dates(self)


class EndForm(forms.Form):
    ended_by = forms.ChoiceField(
        label="Lý do kết thúc",
        choices=[(c.value, c.label) for c in ExemptionEnd if c.value],
    )
    on = forms.DateField(label="Trở lại công tác, sinh hoạt từ ngày", required=False)
    reference = forms.CharField(label="Số nghị quyết của chi bộ", required=False, max_length=60)
    note = forms.CharField(label="Ghi chú", required=False, max_length=400)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        _dates(self)


class ReadmissionForm(forms.Form):
    org = forms.ModelChoiceField(
        label="Chi bộ xét kết nạp lại", queryset=Organization.objects.none()
    )
    left_reason = forms.ChoiceField(label="Lý do đã ra khỏi Đảng", choices=LeaveReason.choices)
    record_cleared_on = forms.DateField(
        label="Ngày được xóa án tích (nếu bị án về tội ít nghiêm trọng)", required=False
    )
    opened_on = forms.DateField(label="Ngày nhận đơn xin kết nạp lại")
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)

    def __init__(self, *args: Any, cells: QuerySet[Organization], **kwargs: Any):
        super().__init__(*args, **kwargs)
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = cells
        self.fields["opened_on"].initial = timezone.localdate()
        _dates(self)


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


def exemption_list(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """ "Miễn công tác, sinh hoạt đảng": a subtree's exemptions on a day, by state and kind."""
    org = reportable_org(request, org_id)
    day = _day(request.GET.get("ngay"))
    state = request.GET.get("trang-thai") or "hieu-luc"
    state = state if state in exemptions.STATES else "hieu-luc"
    scope = request.GET.get("loai") or ""
    scope = scope if scope in ExemptionScope.values else ""
    page: Page[Exemption] = Page.from_request(request)
    page.of(exemptions.exemption_list(request.user, org, day=day, state=state, scope=scope))
    context = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "rows": page.rows,
        "day": day,
        "state": state,
        "states": list(exemptions.STATES.items()),
        "scope": scope,
        "scopes": ExemptionScope.choices,
        "today": timezone.localdate(),
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/exemption_list.html", "procedures/_exemption_list.html", context
    )


def exemption_apply_page(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Record a member's application for exemption (opens the case in the member's cell)."""
    member = kept_member(request, member_id)
    if not allowed(request.user, PROPOSE, Case(kind=CaseKind.EXEMPTION, org_path=member.org_path)):
        raise PermissionDenied("Đồng chí không có quyền ghi đơn của đảng viên này.")
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = exemption_apply(acting_user=request.user, member=member, **form.cleaned_data)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã ghi đơn xin miễn; chờ chi bộ xét, ra nghị quyết.")
            return redirect("case_detail", case.pk)
    problem = ""
    if member.status not in (Status.OFFICIAL, Status.EXEMPTED):
        problem = (
            f"Đồng chí {member.full_name} là đảng viên {member.get_status_display().lower()}: "
            "chỉ đảng viên chính thức được xét miễn công tác và sinh hoạt đảng."
        )
    context = {"member": member, "form": form, "problem": problem, "nav": NAV}
    return render(request, "procedures/exemption_apply.html", context)


def exemption_end_page(request: AuthenticatedRequest, exemption_id: int) -> HttpResponse:
    """Record the end of an exemption: the member asked, the cell decided, or its day came."""
    exemption = (
        exemptions.visible(request.user)
        .select_related("member", "case__org")
        .filter(pk=exemption_id)
        .first()
    )
    if exemption is None:
        raise Http404
    if not allowed(request.user, PROPOSE, exemption.case):
        raise PermissionDenied("Đồng chí không có quyền ghi việc này.")
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exemption_end(
                acting_user=request.user,
                exemption=exemption,
                on=data["on"] or timezone.localdate(),
                ended_by=data["ended_by"],
                reference=data["reference"],
                note=data["note"],
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã ghi kết thúc việc miễn.")
            return redirect("member_detail", exemption.member_id)
    context = {"exemption": exemption, "form": form, "nav": NAV}
    return render(request, "procedures/exemption_end.html", context)


def _cells_for(request: AuthenticatedRequest, member: Member) -> QuerySet[Organization]:
    """The cells the user may open the case in: the live cells of the member's last cell's
    parent that the user keeps (the record can be transferred afterwards)."""
    cells = Organization.objects.filter(level__holds_members=True, dissolved_on__isnull=True)
    if member.org is not None and member.org.parent_id is not None:
        cells = cells.filter(parent_id=member.org.parent_id)
    visible = restrict(cells, request.user, VIEW).order_by("name")
    return visible.filter(
        pk__in=[
            c.pk
            for c in visible[:500]
            if allowed(request.user, PROPOSE, Case(kind=CaseKind.ADMISSION, org_path=c.path))
        ]
    ).order_by("name")


def readmission_open_page(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """Open the re-admission of a former member from the closed record."""
    member = kept_member(request, member_id)
    cells = _cells_for(request, member)
    if not cells.exists():
        raise PermissionDenied("Đồng chí không có quyền mở hồ sơ kết nạp ở chi bộ nào.")
    form = ReadmissionForm(request.POST or None, cells=cells, initial={"org": member.org_id})
    if request.method == "POST" and form.is_valid():
        try:
            case = readmission_open(acting_user=request.user, member=member, **form.cleaned_data)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã mở hồ sơ kết nạp lại.")
            return redirect("case_detail", case.pk)
    problem = ""
    if member.status not in readmission.LEFT_STATUSES:
        problem = (
            f"Đồng chí {member.full_name} đang ở tình trạng «{member.get_status_display()}»: "
            "chỉ người đã bị xóa tên, khai trừ hoặc cho ra khỏi Đảng được xét kết nạp lại."
        )
    context = {
        "member": member,
        "form": form,
        "problem": problem,
        "left_on": readmission.left_on(member),
        "nav": NAV,
    }
    return render(request, "procedures/readmission_open.html", context)
