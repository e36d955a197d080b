"""API of recognition as official: the probationary members whose 12 months end soon or ended
without a decision, in the user's scope or a node's subtree (scoped, paged as every list)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Schema
from ninja.pagination import paginate

from dangvien.accounts.access import REPORT
from dangvien.accounts.http import ApiRequest
from dangvien.members.models import Member
from dangvien.orgs.selectors import org_for
from dangvien.procedures import recognition
from dangvien.procedures.api import router
from dangvien.web.api import ERRORS, NextOffsetPagination, acting_user, not_found


class DueOut(Schema):
    member_id: int
    full_name: str
    org_id: int | None
    org_name: str
    admission_date: dt.date | None
    probation_end: dt.date
    deadline: dt.date
    days_left: int
    overdue: bool
    case_id: int | None


class _DueRows:
    """The list's queryset read a page at a time, each page turned into rows with their dates."""

    def __init__(self, members: Any) -> None:
        self.members = members

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        rows = recognition.due_rows(list(self.members[page]))
        return [_row(row) for row in rows]


def _row(row: recognition.Due) -> dict[str, Any]:
    member: Member = row.member
    return {
        "member_id": member.pk,
        "full_name": member.full_name,
        "org_id": member.org_id,
        "org_name": member.org.name if member.org else "",
        "admission_date": member.admission_date,
        "probation_end": row.probation_end,
        "deadline": row.deadline,
        "days_left": row.days_left,
        "overdue": row.overdue,
        "case_id": row.case.pk if row.case else None,
    }


@router.get(
    "/recognitions-due",
    response={200: list[DueOut], **ERRORS},
    summary="Đảng viên dự bị sắp hết thời hạn",
)
@paginate(NextOffsetPagination)
def recognitions_due(
    request: ApiRequest,
    org: int | None = Query(None, description="chỉ cây tổ chức của tổ chức này"),
    overdue: bool = Query(False, description="chỉ những người đã quá hạn chi bộ xét"),
) -> Any:
    """Probationary members whose 12 months end within 60 days or ended, the soonest first;
    `days_left` counts working days to the cell's deadline (negative when overdue)."""
    user = acting_user(request)
    node = None
    if org is not None:
        node = org_for(user, REPORT, org)
        if node is None:
            raise not_found()
    return _DueRows(recognition.recognitions_due(user, node, overdue_only=overdue))
