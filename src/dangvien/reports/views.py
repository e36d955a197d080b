"""Report pages: a subtree's figures on a day, its changes over a period, the lists behind every
number, and the same figures as an Excel workbook.

Reports are for those who work on the subtree's records (the policy's `report` action); any
other node answers 404 like a node that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from dangvien.accounts.access import EXPORT, REPORT, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.models import Member
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.models import Organization, OrgLevel
from dangvien.orgs.selectors import orgs_visible_to
from dangvien.orgs.views import reportable_context, reportable_home, reportable_org
from dangvien.reports import selectors
from dangvien.reports.exports import report_workbook
from dangvien.reports.forms import DayForm, PeriodForm
from dangvien.reports.measures import member_measure
from dangvien.reports.pdf import FontMissing, report_pdf
from dangvien.reports.targets import procedure_figures
from dangvien.web.ranking import Ranking, Row
from dangvien.web.shortcuts import Page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(request: AuthenticatedRequest) -> tuple[DayForm, dt.date]:
    form = DayForm(request.GET)
    day = form.cleaned_data["ngay"] if form.is_valid() else selectors.today()
    return form, day


def _period(request: AuthenticatedRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["tu"], form.cleaned_data["den"]
    end = selectors.today()
    return form, end.replace(month=1, day=1), end


def _context(request: AuthenticatedRequest, org: Organization, **extra: Any) -> dict[str, Any]:
    return reportable_context(request, org, "reports", **extra)


def report_home(request: AuthenticatedRequest) -> HttpResponse:
    """The nodes the user may report on; a single one opens at once."""
    return reportable_home(request, "report_summary", template="reports/home.html", nav="reports")


def report_summary(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    form, day = _day(request)
    groups, children = selectors.member_report(org, day, _children_on(request, org, day))
    orgs = selectors.org_figures(org, day)
    return render(
        request,
        "reports/summary.html",
        _context(
            request,
            org,
            form=form,
            day=day,
            iso_day=day.isoformat(),
            groups=groups,
            orgs=orgs,
            year_start=day.replace(month=1, day=1),
            procedures=procedure_figures(request.user, org, day.replace(month=1, day=1), day),
            ranking=Ranking(
                title="Theo tổ chức trực thuộc",
                headings=["Đảng viên"],
                rows=[
                    Row(
                        url=f"{reverse('report_summary', args=[child.pk])}?ngay={day.isoformat()}",
                        name=child.name,
                        values=[n],
                    )
                    for child, n in children
                ],
            ),
        ),
    )


def _children_on(
    request: AuthenticatedRequest, org: Organization, day: dt.date
) -> list[Organization]:
    """The node's children on `day` that the user may report on."""
    ids = selectors.nodes_on(org, day).filter(parent=org).values("org_id")
    children = orgs_visible_to(request.user).filter(pk__in=ids).select_related("level")
    return [c for c in children.order_by("level__rank", "name") if allowed(request.user, REPORT, c)]


def report_changes(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    form, start, end = _period(request)
    counts = selectors.change_figures(org, start, end)
    rows = [(key, label, counts[key]) for key, label in selectors.CHANGES]
    return render(
        request,
        "reports/changes.html",
        _context(
            request,
            org,
            form=form,
            start=start,
            end=end,
            iso_start=start.isoformat(),
            iso_end=end.isoformat(),
            rows=rows,
        ),
    )


def report_members(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """The members behind one number (a figure on a day, or a change over a period)."""
    org = reportable_org(request, org_id)
    key = request.GET.get("chi-so", "")
    visible = members_visible_to(request.user)
    if key in selectors.CHANGE_LABELS:
        _form_p, start, end = _period(request)
        title = f"{selectors.CHANGE_LABELS[key]} từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
        members = visible.filter(selectors.change_q(org, start, end, key))
        back = (
            reverse("report_changes", args=[org.pk])
            + "?"
            + urlencode({"tu": start.isoformat(), "den": end.isoformat()})
        )
    else:
        _form_d, day = _day(request)
        measure = member_measure(day, key)
        if measure is None:
            raise Http404
        title = f"{measure.label}, tính đến ngày {day:%d/%m/%Y}"
        base = selectors.members_on(org, day).filter(measure.q)
        members = visible.filter(pk__in=base.values("pk"))
        back = reverse("report_summary", args=[org.pk]) + "?ngay=" + day.isoformat()
    page: Page[Member] = Page.from_request(request)
    page.of(members.order_by("name_sort", "pk"))
    return render(
        request,
        "reports/members.html",
        _context(
            request,
            org,
            title=title,
            back=back,
            rows=page.rows,
            **page.context(),
        ),
    )


def report_orgs(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """The organizations behind a count by level or by kind of grassroots organization."""
    org = reportable_org(request, org_id)
    _form, day = _day(request)
    nodes = selectors.nodes_on(org, day)
    level_code, kind = request.GET.get("cap", ""), request.GET.get("loai-hinh", "")
    if level_code:
        level = OrgLevel.objects.filter(code=level_code).first()
        if level is None:
            raise Http404
        nodes, title = nodes.filter(level=level), level.name
    elif kind:
        nodes = nodes.filter(level__is_grassroots=True)
        if kind == "khac":
            nodes, title = nodes.filter(org__kind__isnull=True), "Chưa phân loại"
        else:
            nodes = nodes.filter(org__kind__code=kind)
            title = f"Tổ chức cơ sở đảng: {kind}"
            first = nodes.select_related("org__kind").first()
            if first is not None and first.org.kind is not None:
                title = f"Tổ chức cơ sở đảng loại hình {first.org.kind.name}"
    else:
        raise Http404
    page: Page[Any] = Page.from_request(request)
    page.of(nodes.select_related("level", "org").order_by("path"))
    return render(
        request,
        "reports/orgs.html",
        _context(
            request,
            org,
            title=f"{title}, tính đến ngày {day:%d/%m/%Y}",
            back=reverse("report_summary", args=[org.pk]) + "?ngay=" + day.isoformat(),
            rows=page.rows,
            **page.context(),
        ),
    )


def report_export(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id, EXPORT)
    _form, day = _day(request)
    _pform, start, end = _period(request)
    content = report_workbook(org, day=day, start=start, end=end)
    response = HttpResponse(content, content_type=XLSX)
    name = f"bao-cao-{org.pk}-{day:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_pdf_view(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id, EXPORT)
    _form, day = _day(request)
    _pform, start, end = _period(request)
    try:
        content = report_pdf(org, day=day, start=start, end=end)
    except FontMissing as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    name = f"bao-cao-{org.pk}-{day:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
