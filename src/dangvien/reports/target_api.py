"""Admission targets as JSON, at `/api/v1/procedures/targets`: the same figures as the targets
page (a node and its children: target, admitted, remaining, the children's targets; the sources'
pipeline), for the nodes the user may report on. Mounted under the procedures' prefix, but kept
here because "admitted" is the reports' own figure."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.errors import HttpError

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.http import ApiRequest
from dangvien.accounts.models import User
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_for, orgs_visible_to
from dangvien.procedures import targets as procedure_targets
from dangvien.reports.selectors import nodes_on, today
from dangvien.reports.targets import TargetRow, target_report
from dangvien.web.api import ERRORS, ErrorOut, acting_user, not_found

router = Router(tags=["Thủ tục"])


class TargetOut(Schema):
    org: int
    name: str
    target: int | None
    achieved: int
    remaining: int | None
    children_target: int | None


class SourceOut(Schema):
    source: str
    label: str
    registered: int
    certified: int
    applied: int
    admitted: int


class TargetsOut(Schema):
    year: int
    node: TargetOut
    children: list[TargetOut]
    pipeline: list[SourceOut]


def _row(row: TargetRow) -> TargetOut:
    return TargetOut(
        org=row.org.pk,
        name=row.org.name,
        target=row.target,
        achieved=row.achieved,
        remaining=row.remaining,
        children_target=row.children_target,
    )


def _children(user: User, org: Organization, day: dt.date) -> list[Organization]:
    """The node's children on `day` that the user may report on (as the pages' own list)."""
    ids = nodes_on(org, day).filter(parent=org).values("org_id")
    children = orgs_visible_to(user).filter(pk__in=ids).select_related("level")
    return [c for c in children.order_by("level__rank", "name") if allowed(user, REPORT, c)]


@router.get(
    "/targets",
    response={200: TargetsOut, **ERRORS, 422: ErrorOut},
    summary="Chỉ tiêu kết nạp và nguồn phát triển đảng viên",
)
def targets(request: ApiRequest, org: int, year: int | None = None) -> TargetsOut:
    """`org`'s admission target of `year` (this year when absent) and its children's, each with
    the members admitted that year in its subtree and what remains, and the candidates of the
    subtree by source: on the list, with a valid certificate, applied, admitted."""
    user = acting_user(request)
    node = org_for(user, REPORT, org)
    if node is None:
        raise not_found()
    low, high = procedure_targets.year_bounds()
    year = year or today().year
    if not low <= year <= high:
        raise HttpError(422, f"«year» phải từ {low} đến {high}.")
    children = _children(user, node, min(dt.date(year, 12, 31), today()))
    report = target_report(node, children, year, set())
    return TargetsOut(
        year=year,
        node=_row(report.node),
        children=[_row(row) for row in report.children],
        pipeline=[
            SourceOut(
                source=row.source,
                label=row.label,
                registered=row.registered,
                certified=row.certified,
                applied=row.applied,
                admitted=row.admitted,
            )
            for row in procedure_targets.pipeline(user, node, year)
        ],
    )
