"""API of badges: the list of an award day in a node's subtree (scoped, paged as every list)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvien.accounts.access import REPORT
from dangvien.accounts.http import ApiRequest
from dangvien.orgs.selectors import org_for
from dangvien.procedures import badges
from dangvien.procedures.api import router
from dangvien.web.api import ERRORS, ErrorOut, NextOffsetPagination, acting_user, not_found


class BadgeRowOut(Schema):
    member_id: int
    full_name: str
    org_id: int | None
    org_name: str
    admission_date: dt.date | None
    milestone: int
    reaches_on: dt.date
    early: bool
    case_id: int | None
    case_state: str


def _row(row: badges.BadgeRow) -> dict[str, Any]:
    member = row.member
    case = row.badge.case if row.badge is not None else None
    return {
        "member_id": member.pk,
        "full_name": member.full_name,
        "org_id": member.org_id,
        "org_name": member.org_name,
        "admission_date": member.admission_date,
        "milestone": row.milestone,
        "reaches_on": row.reaches_on,
        "early": row.early,
        "case_id": case.pk if case else None,
        "case_state": case.state if case else "",
    }


@router.get(
    "/badges",
    response={200: list[BadgeRowOut], **ERRORS, 422: ErrorOut},
    summary="Danh sách xét tặng Huy hiệu Đảng của một đợt",
)
@paginate(NextOffsetPagination)
def badge_list(
    request: ApiRequest,
    org: int = Query(..., description="tổ chức (cả cây bên dưới)"),
    day: str = Query(..., description="ngày trao tặng của đợt (yyyy-mm-dd): 3/2, 19/5, 2/9 …"),
    early: bool = Query(False, description="gồm đảng viên bệnh nặng có thể xét sớm"),
) -> Any:
    """Members reaching 30, 40, 45 … 90 years of party age after the previous award day and by
    `day`, the highest milestone first, with their badge case if proposed."""
    user = acting_user(request)
    node = org_for(user, REPORT, org)
    if node is None:
        raise not_found()
    try:
        award_day = dt.date.fromisoformat(day)
    except ValueError:
        raise HttpError(
            422, f"«day» phải là một ngày dạng yyyy-mm-dd, không phải «{day}»."
        ) from None
    if award_day not in badges.award_days(award_day.year):
        raise HttpError(422, f"Ngày {award_day:%d/%m/%Y} không phải ngày trao tặng Huy hiệu Đảng.")
    return [_row(row) for row in badges.badge_list(user, node, award_day, early=early)]
