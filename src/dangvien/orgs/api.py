"""API of the organization tree: the user's top nodes, one node, a node's children."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from dangvien.accounts.http import ApiRequest
from dangvien.accounts.types import Actor
from dangvien.members.selectors import member_counts
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import (
    org_children_visible_to,
    org_roots_for,
    org_visible,
    orgs_visible_to,
    with_child_count,
)
from dangvien.web.api import ERRORS, ErrorOut, NextOffsetPagination, acting_user, not_found

router = Router(tags=["Tổ chức đảng"])


class LevelOut(Schema):
    code: str
    name: str


class KindOut(Schema):
    code: str
    name: str


class OrgOut(Schema):
    id: int
    name: str
    level: LevelOut
    kind: KindOut | None
    parent_id: int | None
    depth: int
    founded_on: dt.date
    dissolved_on: dt.date | None
    child_count: int


class OrgDetailOut(OrgOut):
    member_count: int


def visible_org(user: Actor, org_id: int) -> Organization:
    """One node the user may see; 404 whether it is missing or out of scope."""
    org = org_visible(user, org_id)
    if org is None:
        raise not_found()
    return org


@router.get(
    "",
    response={200: list[OrgOut], 401: ErrorOut},
    summary="Các tổ chức cao nhất người dùng được xem",
)
def org_roots(request: ApiRequest) -> list[Organization]:
    user = acting_user(request)
    return list(with_child_count(org_roots_for(user), user))


@router.get("/{org_id}", response={200: OrgDetailOut, **ERRORS}, summary="Một tổ chức")
def org_detail(request: ApiRequest, org_id: int) -> OrgDetailOut:
    user = acting_user(request)
    org = with_child_count(orgs_visible_to(user).filter(pk=org_id), user).first()
    if org is None:
        raise not_found()
    summary = OrgOut.from_orm(org).model_dump()
    return OrgDetailOut(**summary, member_count=member_counts([org])[org.pk])


@router.get(
    "/{org_id}/children", response={200: list[OrgOut], **ERRORS}, summary="Các tổ chức trực thuộc"
)
@paginate(NextOffsetPagination)
def org_children_list(
    request: ApiRequest, org_id: int, include_dissolved: bool = False
) -> QuerySet[Organization]:
    user = acting_user(request)
    org = visible_org(user, org_id)
    children = org_children_visible_to(user, org, include_dissolved=include_dissolved)
    return with_child_count(children, user)
