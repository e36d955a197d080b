"""The badge list of an organization for an award day: who reaches a milestone of party age,
what has been proposed, and proposing the chosen ones at once; its Excel copy for those who may
export the organization's records (audited). The badge cases themselves are the procedures'
common pages (case page, steps, to-do lists)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dangvien.accounts.access import EXPORT, PROPOSE, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.office.xlsx import Workbook
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to
from dangvien.orgs.views import reportable_org
from dangvien.procedures import badges, documents
from dangvien.procedures.models import Case, CaseKind
from dangvien.procedures.rules import badge as rules
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _award_day(request: AuthenticatedRequest, raw: str | None, today: dt.date) -> dt.date:
    """The award day asked for (`?ngay=yyyy-mm-dd`, one of that year's), else the next one (said
    to the user when the day asked was not one)."""
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        day = None
    if day is not None and day in badges.award_days(day.year):
        return day
    shown = badges.next_award_day(today)
    if raw:
        messages.warning(
            request,
            f"«{raw}» không phải một ngày trao Huy hiệu Đảng: đang hiển thị đợt {shown:%d/%m/%Y}.",
        )
    return shown


def _may_propose(request: AuthenticatedRequest, member: badges.Listed) -> bool:
    return allowed(request.user, PROPOSE, Case(kind=CaseKind.BADGE, org_path=member.org_path))


def badge_list_page(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else request.GET
    day = _award_day(request, data.get("ngay"), today)
    early = data.get("som") == "1"
    rows = badges.badge_list(request.user, org, day, early=early)
    if request.method == "POST":
        return _propose(request, org, day, early, rows)
    if request.GET.get("dinh-dang") == "xlsx":
        return _xlsx(request, org, day, rows)
    if request.GET.get("dinh-dang") in ("docx", "pdf"):
        # The proposal holds the early ones proposed too, whether the page shows them or not.
        every = rows if early else badges.badge_list(request.user, org, day, early=True)
        return _proposal(request, org, day, every, as_pdf=request.GET["dinh-dang"] == "pdf")
    page: Page[badges.BadgeRow] = Page.from_request(request)
    page.take(rows[page.offset : page.offset + page.fetch])
    by_milestone = Counter(row.milestone for row in rows)
    proposed = sum(1 for row in rows if row.badge is not None)
    context: dict[str, Any] = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "day": day,
        "early": early,
        "days": [
            d for year in (day.year - 1, day.year, day.year + 1) for d in badges.award_days(year)
        ],
        "rows": [
            (row, row.badge is None and _may_propose(request, row.member)) for row in page.rows
        ],
        "total": len(rows),
        "proposed": proposed,
        "by_milestone": sorted(by_milestone.items(), reverse=True),
        "may_export": allowed(request.user, EXPORT, org),
        "query": urlencode({"ngay": day.isoformat(), **({"som": "1"} if early else {})}),
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/badge_list.html", "procedures/_badge_list.html", context
    )


def _propose(
    request: AuthenticatedRequest,
    org: Organization,
    day: dt.date,
    early: bool,
    rows: list[badges.BadgeRow],
) -> HttpResponse:
    """Propose the chosen rows (`chon=<member>-<milestone>`): each must be on the list the
    user sees and theirs to propose; the early ones as seriously ill members."""
    chosen = set(request.POST.getlist("chon"))
    picked = [r for r in rows if f"{r.member.pk}-{r.milestone}" in chosen and r.badge is None]
    if not picked:
        messages.error(request, "Xin chọn ít nhất một đảng viên chưa được đề nghị trong danh sách.")
    elif not all(_may_propose(request, r.member) for r in picked):
        raise PermissionDenied("Đồng chí không có quyền đề nghị cho một số đảng viên đã chọn.")
    else:
        done, refused = badges.badges_propose(
            acting_user=request.user,
            rows=[(r.member, r.milestone, rules.ILL if r.early else "") for r in picked],
            award_day=day,
        )
        if done:
            messages.success(request, f"Đã đề nghị tặng Huy hiệu Đảng cho {done} đảng viên.")
        for reason in refused:
            messages.error(request, reason)
    query = {"ngay": day.isoformat(), **({"som": "1"} if early else {})}
    return redirect(f"{reverse('badge_list', args=[org.pk])}?{urlencode(query)}")


def _proposal(
    request: AuthenticatedRequest,
    org: Organization,
    day: dt.date,
    rows: list[badges.BadgeRow],
    *,
    as_pdf: bool,
) -> HttpResponse:
    """The proposal (tờ trình) of the members proposed for `day`, in Word or PDF (audited)."""
    if not allowed(request.user, EXPORT, org):
        raise PermissionDenied("Đồng chí không có quyền xuất danh sách của tổ chức này.")
    proposed = [
        (r.member, r.milestone, r.early)
        for r in rows
        if r.badge is not None and r.badge.award_day == day
    ]
    query = urlencode({"ngay": day.isoformat()})
    if not proposed:
        messages.error(
            request,
            "Chưa có đảng viên nào được đề nghị trong đợt này: chọn đảng viên trong danh sách "
            "và bấm «Đề nghị» trước khi in tờ trình.",
        )
        return redirect(f"{reverse('badge_list', args=[org.pk])}?{query}")
    try:
        data = documents.badge_proposal_docx(org, day, proposed, today=timezone.localdate())
        if as_pdf:
            data = documents.convert(data, title="Tờ trình đề nghị tặng Huy hiệu Đảng")
    except documents.DocumentRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect(f"{reverse('badge_list', args=[org.pk])}?{query}")
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=org,
        summary=f"Tờ trình đề nghị tặng Huy hiệu Đảng đợt {day:%d/%m/%Y}: "
        f"{len(proposed)} đảng viên",
    )
    extension = "pdf" if as_pdf else "docx"
    response = HttpResponse(data, content_type=documents.PDF if as_pdf else documents.DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="to-trinh-huy-hieu-dang-{day.isoformat()}.{extension}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(
    request: AuthenticatedRequest, org: Organization, day: dt.date, rows: list[badges.BadgeRow]
) -> HttpResponse:
    if not allowed(request.user, EXPORT, org):
        raise PermissionDenied("Đồng chí không có quyền xuất danh sách của tổ chức này.")
    buffer = io.BytesIO()
    with Workbook(buffer, constant_memory=False) as book:
        sheet = book.sheet("Huy hiệu Đảng", widths=(5, 28, 12, 30, 12, 10, 14, 22))
        sheet.append([f"DANH SÁCH ĐẢNG VIÊN ĐỦ TIÊU CHUẨN XÉT TẶNG HUY HIỆU ĐẢNG ĐỢT "
                      f"{day:%d/%m/%Y}"], "bold")  # fmt: skip
        sheet.append([f"{org.name} (tính đến ngày {day:%d/%m/%Y})"])
        sheet.append(["TT", "Họ và tên", "Ngày sinh", "Chi bộ", "Ngày vào Đảng",
                      "Huy hiệu (năm)", "Ngày đủ tuổi đảng", "Ghi chú"], "header")  # fmt: skip
        for number, row in enumerate(rows, start=1):
            notes = ["Xét sớm (bệnh nặng)"] if row.early else []
            if row.badge is not None:
                notes.append(f"Đã đề nghị ({row.badge.case.get_state_display().lower()})")
            note = "; ".join(notes)
            sheet.append(
                [number, row.member.full_name, row.member.date_of_birth,
                 row.member.org_name, row.member.admission_date,
                 row.milestone, row.reaches_on, note],
                styles=[None, None, "date", "wrap", "date", None, "date", "wrap"],
            )  # fmt: skip
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=org,
        summary=f"Xuất danh sách xét tặng Huy hiệu Đảng đợt {day:%d/%m/%Y}: {len(rows)} đảng viên",
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="huy-hieu-dang-{day.isoformat()}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
