"""The admission targets page of a node: its own target and each child's against the admissions
of the year, the sources' pipeline of candidates, and the procedure figures of the year, each
leading to the cases it counts. Like every report page, for those who report on the node (404 for
anyone else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.orgs.views import reportable_org
from dangvien.procedures import targets as procedure_targets
from dangvien.reports.selectors import today
from dangvien.reports.targets import procedure_figures, target_report
from dangvien.reports.views import _children_on, _context
from dangvien.web.shortcuts import render_page_or_partial


def report_targets(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    year = procedure_targets.year_of(request.GET.get("nam"))
    start, end = procedure_targets.year_days(year)
    children = _children_on(request, org, min(dt.date(year, 12, 31), today()))
    settable = procedure_targets.settable(request.user, org, children, year)
    pipeline = procedure_targets.pipeline(request.user, org, year)
    low, high = procedure_targets.year_bounds()
    context: dict[str, Any] = _context(
        request,
        org,
        year=year,
        years=list(range(high, low - 1, -1)),
        start=start,
        end=end,
        report=target_report(org, children, year, settable),
        pipeline=pipeline,
        pipeline_total=procedure_targets.pipeline_total(pipeline),
        figures=procedure_figures(request.user, org, start, end),
    )
    return render_page_or_partial(request, "reports/targets.html", "reports/_targets.html", context)
