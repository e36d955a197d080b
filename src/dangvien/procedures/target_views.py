"""Setting an organization's yearly admission target, and the cases behind a procedure figure.

The target form is for the committee above the organization (the policy's `decide` on its
target); for anyone else the page does not exist (404). The figures themselves are shown by the
report pages, which lead here for the list of cases each one counts.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangvien.accounts.access import DECIDE, REPORT, VIEW, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to, org_for
from dangvien.procedures import targets
from dangvien.procedures.models import Case
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class TargetForm(forms.Form):
    year = forms.IntegerField(label="Năm")
    target = forms.IntegerField(label="Chỉ tiêu kết nạp (người)")
    note = forms.CharField(
        label="Ghi chú (số văn bản giao chỉ tiêu…)", max_length=400, required=False
    )


def target_edit(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """Set or change an organization's admission target of a year (`?nam=`)."""
    org = org_for(request.user, VIEW, org_id)
    if org is None:
        raise Http404
    year = targets.year_of(request.GET.get("nam") or request.POST.get("year"))
    current = targets.target_for(org, year)
    if not allowed(request.user, DECIDE, targets.target_for(org, year)):
        raise Http404
    initial = {"year": year, "target": current.target if current.pk else None, "note": current.note}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            targets.target_set(
                acting_user=request.user,
                org=org,
                year=form.cleaned_data["year"],
                target=form.cleaned_data["target"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Đã giao chỉ tiêu kết nạp năm {form.cleaned_data['year']} cho {org.name}: "
                f"{form.cleaned_data['target']} đảng viên.",
            )
            back = org.parent_id if org.parent_id is not None else org.pk
            return redirect(
                reverse("report_targets", args=[back]) + f"?nam={form.cleaned_data['year']}"
            )
    context = {"org": org, "year": year, "current": current, "form": form, "nav": NAV}
    return render(request, "procedures/target_form.html", context)


class PeriodForm(forms.Form):
    tu = forms.DateField(required=False, input_formats=DATE_INPUTS)
    den = forms.DateField(required=False, input_formats=DATE_INPUTS)


def _period(request: AuthenticatedRequest) -> tuple[dt.date, dt.date]:
    form = PeriodForm(request.GET)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    if form.is_valid():
        start = form.cleaned_data["tu"] or start
        end = form.cleaned_data["den"] or end
    if start > end:
        start, end = end, start
    return start, end


def org_cases(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """The cases behind one procedure figure of a node (`?chi-so=`, `tu`, `den`)."""
    org: Organization | None = org_for(request.user, REPORT, org_id)
    if org is None:
        raise Http404
    key = request.GET.get("chi-so", "")
    start, end = _period(request)
    cases = targets.figure_cases(request.user, key, org, start, end)
    if cases is None:
        raise Http404
    figure = targets.FIGURES_BY_KEY[key]
    page: Page[Case] = Page.from_request(request)
    page.of(cases)
    context = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "title": f"{figure.label} từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
        "back": reverse("report_targets", args=[org.pk]) + f"?nam={end.year}",
        "cases": page.rows,
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/target_cases.html", "procedures/_cases.html", context
    )
