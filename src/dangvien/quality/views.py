"""Data-quality pages: a node's dashboard (score, children ranked, rules broken, run again) and
the fix list of the records to correct, each leading to the record's edit page.

Like the reports, they are for those who work on the subtree's records (`reportable_org`); any
other node answers 404, the same as a node that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangvien.accounts.access import CHECK_QUALITY, VIEW, allowed_everywhere
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.office.layout import NO_BASE, percent
from dangvien.office.layout import number as figure
from dangvien.orgs.models import Organization
from dangvien.orgs.views import reportable_context, reportable_home, reportable_org
from dangvien.quality import selectors
from dangvien.quality.catalogue import BY_CODE, RULES
from dangvien.quality.tasks import quality_check_in_progress, quality_check_start
from dangvien.web.ranking import Ranking, Row
from dangvien.web.shortcuts import Page, render_page_or_partial


def _context(request: AuthenticatedRequest, org: Organization, **extra: Any) -> dict[str, Any]:
    return reportable_context(request, org, "quality", **extra)


def quality_home(request: AuthenticatedRequest) -> HttpResponse:
    """The nodes the user may check; a single one opens at once."""
    return reportable_home(
        request, "quality_dashboard", template="quality/home.html", nav="quality"
    )


def quality_dashboard(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id, CHECK_QUALITY)
    score = selectors.score_of(org)
    running = quality_check_in_progress(org)
    counts = selectors.rule_counts(score)
    # Records placed in no node belong to no subtree: shown at the top of the tree to those who
    # see every record.
    nowhere: tuple[list[Any], int] = ([], 0)
    if org.parent_id is None and allowed_everywhere(request.user, "members.member", VIEW):
        nowhere = selectors.unplaced(request.user)
    return render(
        request,
        "quality/dashboard.html",
        _context(
            request,
            org,
            tab="dashboard",
            score=score,
            ranking=_ranking(selectors.children_scores(request.user, org)),
            errors=[c for c in counts if c.rule.is_error],
            warnings=[c for c in counts if not c.rule.is_error],
            running=running,
            own_task=running
            if running is not None and running.owner_id == request.user.pk
            else None,
            unplaced=nowhere[0],
            unplaced_count=nowhere[1],
        ),
    )


def _ranking(children: list[selectors.ChildScore]) -> Ranking:
    rows = []
    for child in children:
        score = child.score
        meta = f"{figure(score.members)} đảng viên" if score else "chưa kiểm tra"
        rows.append(
            Row(
                url=reverse("quality_dashboard", args=[child.org.pk]),
                name=child.org.name,
                meta=meta if child.org.is_active else f"{meta} · đã giải thể",
                bar=score.score if score and score.members else None,
                values=[percent(score.score), score.with_errors] if score else [NO_BASE, NO_BASE],
            )
        )
    return Ranking(
        title="Các tổ chức trực thuộc",
        hint="Điểm: tỷ lệ hồ sơ không có lỗi. Xếp từ điểm thấp đến cao: tổ chức cần sửa nhiều "
        "nhất ở trên cùng.",
        headings=["Điểm", "Có lỗi"],
        rows=rows,
    )


@require_POST
def quality_start(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id, CHECK_QUALITY)
    task = quality_check_start(acting_user=request.user, org=org)
    if task.finished:
        messages.success(request, "Đã kiểm tra xong; kết quả bên dưới.")
    elif task.owner_id == request.user.pk:
        messages.info(request, "Đã bắt đầu kiểm tra; kết quả hiện ra khi kiểm tra xong.")
    else:
        messages.info(request, "Tổ chức này đang được kiểm tra; kết quả hiện ra khi xong.")
    return redirect("quality_dashboard", org.pk)


def quality_fixes(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """Records to correct, by cell and name, filterable by rule; an HTMX request gets the list."""
    org = reportable_org(request, org_id, CHECK_QUALITY)
    rule = request.GET.get("loi", "")
    if rule not in BY_CODE:
        rule = ""
    page: Page[selectors.FixRow] = Page.from_request(request)
    page.take(selectors.fix_list(request.user, org, rule=rule, offset=page.offset, limit=page.size))
    score = selectors.score_of(org)
    counts = {c.rule.code: c.members for c in selectors.rule_counts(score)}
    context = _context(
        request,
        org,
        tab="fixes",
        score=score,
        rows=page.rows,
        **page.context(),
        rule=BY_CODE.get(rule),
        choices=[(r, counts[r.code]) for r in RULES if counts.get(r.code)],
    )
    return render_page_or_partial(request, "quality/fixes.html", "quality/_fixes.html", context)
