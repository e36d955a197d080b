"""API of member records: a scoped, searchable list and one record (each opening is audited)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from dangvien.api.common import ERRORS, NextOffsetPagination, acting_user, not_found
from dangvien.members.models import Member
from dangvien.members.selectors import member_search, members_in_subtree, members_visible_to
from dangvien.members.services import member_viewed
from dangvien.orgs.api import visible_org

router = Router(tags=["Đảng viên"])


class ChoiceOut(Schema):
    code: str
    label: str


class OrgRefOut(Schema):
    id: int
    name: str


class CodeNameOut(Schema):
    code: str
    name: str


class MemberOut(Schema):
    id: int
    full_name: str
    gender: ChoiceOut
    date_of_birth: dt.date
    status: ChoiceOut
    org: OrgRefOut | None

    @staticmethod
    def resolve_gender(obj: Member) -> dict[str, str]:
        return {"code": obj.gender, "label": obj.get_gender_display()}

    @staticmethod
    def resolve_status(obj: Member) -> dict[str, str]:
        return {"code": obj.status, "label": obj.get_status_display()}


class MemberDetailOut(MemberOut):
    citizen_id: str | None
    party_card_number: str | None
    record_number: str
    ethnicity: CodeNameOut | None
    religion: CodeNameOut | None
    birth_province_code: int | None
    residence_province_code: int | None
    admission_date: dt.date | None
    recognition_date: dt.date | None


@router.get(
    "", response={200: list[MemberOut], **ERRORS}, summary="Danh sách đảng viên, theo thứ tự tên"
)
@paginate(NextOffsetPagination)
def member_list(request: HttpRequest, org: int | None = None, q: str = "") -> QuerySet[Member]:
    """`org` keeps the members of that node's subtree; `q` searches names (tones and marks
    ignored, đ = d), or card number / CCCD when it is all digits."""
    user = acting_user(request)
    members = members_visible_to(user)
    if org is not None:
        members = members_in_subtree(members, visible_org(user, org))
    return member_search(members, q).order_by("name_sort", "pk")


@router.get(
    "/{member_id}", response={200: MemberDetailOut, **ERRORS}, summary="Hồ sơ một đảng viên"
)
def member_detail(request: HttpRequest, member_id: int) -> Member:
    """Each opening is written to the audit log (who viewed whose record)."""
    user = acting_user(request)
    member = members_visible_to(user).filter(pk=member_id).first()
    if member is None:
        raise not_found()
    member_viewed(acting_user=user, member=member)
    return member
