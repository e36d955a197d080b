"""Report figures as JSON: the same numbers as the report pages, for the nodes the user may
report on."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from dangvien.accounts.access import REPORT
from dangvien.accounts.http import ApiRequest
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_for
from dangvien.reports import selectors
from dangvien.reports.forms import EARLIEST
from dangvien.web.api import ERRORS, ErrorOut, acting_user, not_found

router = Router(tags=["Báo cáo thống kê"])


class FigureOut(Schema):
    key: str
    label: str
    value: int


class GroupOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]


class CountOut(Schema):
    code: str
    name: str
    count: int


class SummaryOut(Schema):
    org: int
    date: dt.date
    organizations: list[CountOut] = Field(description="Tổ chức trực thuộc theo cấp")
    grassroots: int = Field(description="Tổng số tổ chức cơ sở đảng")
    grassroots_by_kind: list[CountOut]
    members: int
    groups: list[GroupOut]


class PeriodIn(Schema):
    org: int
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


class ChangesOut(Schema):
    org: int
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    changes: list[FigureOut]


def _report_org(request: ApiRequest, org_id: int) -> Organization:
    org = org_for(acting_user(request), REPORT, org_id)
    if org is None:
        raise not_found()
    return org


def _check_day(day: dt.date, name: str) -> None:
    if day < EARLIEST or day > selectors.today():
        raise HttpError(422, f"«{name}» phải từ 03/02/1930 đến hôm nay.")


REPORT_ERRORS = {**ERRORS, 422: ErrorOut}


@router.get("/summary", response={200: SummaryOut, **REPORT_ERRORS}, summary="Số lượng")
def report_summary(request: ApiRequest, org: int, date: dt.date | None = None) -> SummaryOut:
    """Organizations by level and kind and members by every breakdown in `org`'s subtree on
    `date` (today when absent)."""
    node = _report_org(request, org)
    day = date or selectors.today()
    _check_day(day, "date")
    orgs = selectors.org_figures(node, day)
    groups = selectors.member_figures(node, day)
    return SummaryOut(
        org=node.pk,
        date=day,
        organizations=[CountOut(code=lv.code, name=lv.name, count=n) for lv, n in orgs.by_level],
        grassroots=orgs.grassroots,
        grassroots_by_kind=[
            CountOut(code=k.code if k else "", name=k.name if k else "Chưa phân loại", count=n)
            for k, n in orgs.by_kind
        ],
        members=groups[0].rows[0].value,
        groups=[
            GroupOut(
                key=g.group.key,
                title=g.group.title,
                figures=[
                    FigureOut(key=r.measure.key, label=r.measure.label, value=r.value)
                    for r in g.rows
                ],
            )
            for g in groups
        ],
    )


@router.get(
    "/changes", response={200: ChangesOut, **REPORT_ERRORS}, summary="Biến động", by_alias=True
)
def report_changes(request: ApiRequest, params: Query[PeriodIn]) -> dict:
    """Members admitted, recognised, transferred, exempted or leaving in `org`'s subtree between
    `from` and `to` (both included)."""
    node, start, end = _report_org(request, params.org), params.start, params.end
    _check_day(start, "from")
    _check_day(end, "to")
    if start > end:
        raise HttpError(422, "«from» phải trước hoặc bằng «to».")
    counts = selectors.change_figures(node, start, end)
    return {
        "org": node.pk,
        "from": start,
        "to": end,
        "changes": [
            {"key": key, "label": label, "value": counts[key]} for key, label in selectors.CHANGES
        ],
    }
