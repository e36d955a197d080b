"""API of procedures: the cases a user sees (scoped, paged) and one case with its steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from dangvien.accounts.http import ApiRequest
from dangvien.procedures import selectors
from dangvien.procedures.flows import step_title
from dangvien.procedures.models import Case, CaseState, Step, Transfer
from dangvien.procedures.transfers import destination_name
from dangvien.web.api import ERRORS, NextOffsetPagination, acting_user, not_found

router = Router(tags=["Thủ tục"])


class CaseOut(Schema):
    id: int
    kind: str
    kind_label: str
    person: str
    member_id: int | None
    candidate_id: int | None
    org_id: int
    org_name: str
    other_org_id: int | None
    opened_on: dt.date
    state: str
    closed_on: dt.date | None
    outcome: str
    next_deadline: dt.date | None

    @staticmethod
    def resolve_kind_label(obj: Case) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_person(obj: Case) -> str:
        return obj.person_name

    @staticmethod
    def resolve_org_name(obj: Case) -> str:
        return obj.org.name


class StepOut(Schema):
    kind: str
    title: str
    done_on: dt.date
    received_on: dt.date | None
    reference: str
    eligible: int | None
    present: int | None
    votes_for: int | None
    votes_against: int | None
    deadline: dt.date | None
    late: bool
    late_reason: str
    rule: str
    note: str


class DocumentOut(Schema):
    id: int
    form_code: str
    title: str
    generated: bool


class TransferOut(Schema):
    reason: str
    reason_label: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    other_end: str  # the cell inside the installation, or the organization outside it
    outside: bool


class CaseDetailOut(CaseOut):
    steps: list[StepOut]
    documents: list[DocumentOut]
    transfer: TransferOut | None

    @staticmethod
    def resolve_transfer(obj: Case) -> dict[str, Any] | None:
        transfer = Transfer.objects.filter(case=obj).first()
        if transfer is None:
            return None
        return {
            "reason": transfer.reason,
            "reason_label": transfer.get_reason_display(),
            "starts_on": transfer.starts_on,
            "ends_on": transfer.ends_on,
            "other_end": destination_name(obj),
            "outside": obj.other_org_id is None,
        }

    @staticmethod
    def resolve_steps(obj: Case) -> list[dict[str, Any]]:
        return [_step(obj, step) for step in obj.steps.all()]

    @staticmethod
    def resolve_documents(obj: Case) -> list[dict[str, Any]]:
        return [
            {"id": d.pk, "form_code": d.form_code, "title": d.title, "generated": d.generated}
            for d in obj.documents.all()
        ]


def _step(case: Case, step: Step) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "title": step_title(case.kind, step.kind),
        **{
            name: getattr(step, name)
            for name in ("done_on", "received_on", "reference", "eligible", "present",
                         "votes_for", "votes_against", "deadline", "late", "late_reason",
                         "rule", "note")
        },
    }  # fmt: skip


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="Danh sách hồ sơ thủ tục")
@paginate(NextOffsetPagination)
def case_list(
    request: ApiRequest,
    state: str = Query("", description="open: đang giải quyết; closed: đã kết thúc; trống: tất cả"),
    kind: str = Query("", description="admission, recognition, transfer_official …"),
) -> Any:
    """Open cases first, soonest deadline first, then the closed ones, newest first."""
    state = state if state in CaseState.values else ""
    return selectors.case_list(acting_user(request), state=state, kind=kind)


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    summary="Một hồ sơ thủ tục và các bước",
)
def case_detail(request: ApiRequest, case_id: int) -> Case:
    case = selectors.case_detail(acting_user(request), case_id)
    if case is None:
        raise not_found()
    return case


# Recognition's routes join this router (a module of their own, imported for that).
from dangvien.procedures import (  # noqa: E402, F401
    badge_api,
    card_api,
    exemption_api,
    exit_api,
    recognition_api,
)
