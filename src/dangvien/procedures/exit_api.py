"""API of leaving the Party: the exits of a node's subtree over a period (scoped, paged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from ninja import Query, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangvien.accounts.access import REPORT
from dangvien.accounts.http import ApiRequest
from dangvien.orgs.selectors import org_for
from dangvien.procedures import exits
from dangvien.procedures.api import router
from dangvien.procedures.models import Case, Step
from dangvien.web.api import ERRORS, ErrorOut, NextOffsetPagination, acting_user, not_found


class ExitOut(Schema):
    """One exit: the case, the member, the reason and the act that closed the record."""

    id: int
    kind: str
    kind_label: str
    member_id: int | None
    full_name: str
    org_id: int
    org_name: str
    reason: str
    reason_label: str
    detail: str
    authority: str
    died_on: dt.date | None
    closed_on: dt.date | None
    reference: str

    @staticmethod
    def resolve_kind_label(obj: Case) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_full_name(obj: Case) -> str:
        return obj.person_name

    @staticmethod
    def resolve_org_name(obj: Case) -> str:
        return obj.org.name

    @staticmethod
    def resolve_reason(obj: Case) -> str:
        return obj.exit.reason

    @staticmethod
    def resolve_reason_label(obj: Case) -> str:
        return obj.exit.get_reason_display() if obj.exit.reason else ""

    @staticmethod
    def resolve_detail(obj: Case) -> str:
        return obj.exit.detail

    @staticmethod
    def resolve_authority(obj: Case) -> str:
        return obj.exit.authority

    @staticmethod
    def resolve_died_on(obj: Case) -> dt.date | None:
        return obj.exit.died_on

    @staticmethod
    def resolve_reference(obj: Case) -> str:
        return getattr(obj, "decision_reference", None) or ""


def _day(raw: str | None, name: str, default: dt.date) -> dt.date:
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise HttpError(
            422, f"«{name}» phải là một ngày dạng yyyy-mm-dd, không phải «{raw}»."
        ) from None


@router.get(
    "/exits",
    response={200: list[ExitOut], **ERRORS, 422: ErrorOut},
    summary="Đảng viên ra khỏi Đảng trong một thời gian",
)
@paginate(NextOffsetPagination)
def exit_list(
    request: ApiRequest,
    org: int = Query(..., description="tổ chức (cả cây bên dưới)"),
    start: str = Query("", alias="from", description="từ ngày (yyyy-mm-dd), mặc định đầu năm"),
    end: str = Query("", alias="to", description="đến ngày (yyyy-mm-dd), mặc định hôm nay"),
    kind: str = Query("", description="strike_off, expulsion, discharge hoặc death"),
) -> Any:
    """Striking off, expulsion, discharge and death of the subtree whose record closed over the
    period (the decision's day, the report's for a death), newest first."""
    user = acting_user(request)
    node = org_for(user, REPORT, org)
    if node is None:
        raise not_found()
    today = timezone.localdate()
    first = _day(start, "from", today.replace(month=1, day=1))
    last = _day(end, "to", today)
    if kind and kind not in exits.EXIT_KINDS:
        raise HttpError(422, f"«kind» phải là một trong {', '.join(exits.EXIT_KINDS)}.")
    # The closing step's number, in the list's query (a page costs the same for one row or 50).
    closing = Step.objects.filter(
        case=OuterRef("pk"), kind__in=sorted(set(exits.CLOSING_STEP.values()))
    ).values("reference")[:1]
    return exits.exits_closed(user, node, first, last, kind=kind).annotate(
        decision_reference=Subquery(closing)
    )
