"""API of exemptions: those of a node's subtree on a day, by state and kind (scoped, paged as
every list)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Query, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvien.accounts.access import REPORT
from dangvien.accounts.http import ApiRequest
from dangvien.orgs.selectors import org_for
from dangvien.procedures import exemptions
from dangvien.procedures.api import router
from dangvien.procedures.models import Exemption, ExemptionScope
from dangvien.web.api import ERRORS, ErrorOut, NextOffsetPagination, acting_user, not_found

STATES = {"in_force": "hieu-luc", "pending": "cho-xet", "ended": "da-ket-thuc", "all": "tat-ca"}


class ExemptionOut(Schema):
    id: int
    case_id: int
    member_id: int
    full_name: str
    org_id: int
    org_name: str
    scope: str
    reason: str
    decided: bool
    valid_from: dt.date
    valid_to: dt.date | None
    ended_by: str


def _row(row: Exemption) -> dict[str, Any]:
    return {
        "id": row.pk,
        "case_id": row.case_id,
        "member_id": row.member_id,
        "full_name": row.member.full_name,
        "org_id": row.case.org_id,
        "org_name": row.case.org.name,
        "scope": row.scope,
        "reason": row.reason,
        "decided": row.decided,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "ended_by": row.ended_by,
    }


@router.get(
    "/exemptions",
    response={200: list[ExemptionOut], **ERRORS, 422: ErrorOut},
    summary="Đảng viên được miễn công tác, sinh hoạt đảng",
)
@paginate(NextOffsetPagination)
def exemption_list(
    request: ApiRequest,
    org: int = Query(..., description="tổ chức (cả cây bên dưới)"),
    day: str = Query("", description="tính đến ngày (yyyy-mm-dd); mặc định hôm nay"),
    state: str = Query("in_force", description="in_force, pending, ended hoặc all"),
    scope: str = Query("", description="activity (miễn sinh hoạt) hoặc work (chỉ miễn công tác)"),
) -> Any:
    """The exemptions of the cells of `org`'s subtree: in force on `day` (by default), waiting for
    the cell's resolution, ended by `day`, or all of them."""
    user = acting_user(request)
    node = org_for(user, REPORT, org)
    if node is None:
        raise not_found()
    try:
        on = dt.date.fromisoformat(day) if day else timezone.localdate()
    except ValueError:
        raise HttpError(
            422, f"«day» phải là một ngày dạng yyyy-mm-dd, không phải «{day}»."
        ) from None
    if state not in STATES:
        raise HttpError(
            422, f"«state» phải là in_force, pending, ended hoặc all, không phải «{state}»."
        )
    if scope and scope not in ExemptionScope.values:
        raise HttpError(422, f"«scope» phải là activity hoặc work, không phải «{scope}».")
    rows = exemptions.exemption_list(user, node, day=on, state=STATES[state], scope=scope)
    return [_row(row) for row in rows]
