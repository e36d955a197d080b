"""API of member records: a scoped, searchable list and one record (each opening is audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Body, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangvien.accounts.access import MANAGE, allowed
from dangvien.accounts.http import ApiRequest
from dangvien.members.editing import EDITABLE, RecordProblems, VersionConflict, member_update
from dangvien.members.filters import filter_members
from dangvien.members.models import Member
from dangvien.members.search import member_search, search_scope
from dangvien.members.selectors import (
    members_in_subtree,
    members_visible_to,
    with_dossier,
)
from dangvien.members.services import member_viewed
from dangvien.orgs.api import visible_org
from dangvien.web.api import ERRORS, NextOffsetPagination, acting_user, not_found

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


class FamilyOut(Schema):
    relation: str
    full_name: str
    birth_year: int | None
    occupation: str
    address: str
    note: str


class WorkPeriodOut(Schema):
    start: dt.date
    end: dt.date | None
    description: str


class TrainingOut(Schema):
    start: dt.date
    end: dt.date | None
    school: str
    field: str
    form: str
    qualification: str


class AwardOut(Schema):
    """An award or a discipline: same shape."""

    date: dt.date
    form: str
    issuer: str
    reason: str


class PositionOut(Schema):
    kind: str
    title: str
    org_name: str
    start: dt.date | None
    end: dt.date | None


class SupplementOut(Schema):
    year: int
    submitted: dt.date
    changes: dict[str, Any]
    note: str


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
    # The dossier fields, beyond the core record
    birth_name: str
    other_names: str
    phone: str
    birthplace: str
    hometown: str
    hometown_province_code: int | None
    hometown_ward_code: int | None
    residence_address: str
    residence_ward_code: int | None
    residence_original: str
    current_address: str
    current_province_code: int | None
    current_ward_code: int | None
    education: CodeNameOut | None
    professional_level: CodeNameOut | None
    professional_field: str
    academic_title: CodeNameOut | None
    theory_level: CodeNameOut | None
    foreign_languages: str
    it_skills: str
    occupation: CodeNameOut | None
    admission_ceremony_date: dt.date | None
    admission_org_name: str
    introducer_1: str
    introducer_2: str
    recognition_org_name: str
    party_card_issued_date: dt.date | None
    has_photo: bool
    version: int
    family: list[FamilyOut]
    work_history: list[WorkPeriodOut]
    training: list[TrainingOut]
    awards: list[AwardOut]
    disciplines: list[AwardOut]
    positions: list[PositionOut]
    supplements: list[SupplementOut]

    @staticmethod
    def resolve_has_photo(obj: Member) -> bool:
        return bool(obj.photo)


class RankedSearch:
    """The ranked search as a sliceable sequence, for the offset pagination of the list."""

    def __init__(self, members: QuerySet[Member], query: str, within: list[str] | None) -> None:
        self.members, self.query, self.within = members, query, within

    def __getitem__(self, window: slice) -> list[Member]:
        start = window.start or 0
        found = member_search(
            self.members, self.query, within=self.within, limit=window.stop - start, offset=start
        )
        return found.rows


@router.get(
    "", response={200: list[MemberOut], **ERRORS}, summary="Danh sách đảng viên, theo thứ tự tên"
)
@paginate(NextOffsetPagination)
def member_list(
    request: ApiRequest,
    org: int | None = None,
    q: str = "",
    status: str = Query(
        "all", description="all (mặc định): tất cả; in_party: đang sinh hoạt; hoặc một tình trạng"
    ),
    gender: str = Query("", description="M hoặc F"),
    age: str = Query("", description="độ tuổi: 18-30, 31-40, 41-50, 51-60, 61-70, 71+"),
    ethnicity: str = Query("", description="mã dân tộc"),
    religion: str = Query("", description="mã tôn giáo"),
    education: str = Query("", description="mã trình độ giáo dục phổ thông"),
    theory_level: str = Query("", description="mã trình độ lý luận chính trị"),
    occupation: str = Query("", description="mã nghề nghiệp"),
    admission_year: str = Query("", description="năm vào Đảng"),
    sort: str = Query("", description="name (mặc định), admission, -admission, birth"),
) -> Any:
    """`org` keeps the members of that node's subtree; `q` searches names (tones and marks
    ignored, đ = d; exact name first, then names starting with it, then any word), or card
    number / CCCD / phone when it is digits. The other parameters are the list filters."""
    user = acting_user(request)
    members = members_visible_to(user)
    within = search_scope(user)
    if org is not None:
        node = visible_org(user, org)
        members = members_in_subtree(members, node)
        within = [node.path]
    params = {
        "status": status,
        "gender": gender,
        "age": age,
        "ethnicity": ethnicity,
        "religion": religion,
        "education": education,
        "theory_level": theory_level,
        "occupation": occupation,
        "admission_year": admission_year,
        "sort": sort,
    }
    members = filter_members(members, {k: v for k, v in params.items() if v})
    if q.strip():
        return RankedSearch(members, q, within)
    return members


@router.get(
    "/{member_id}", response={200: MemberDetailOut, **ERRORS}, summary="Hồ sơ một đảng viên"
)
def member_detail(request: ApiRequest, member_id: int) -> Member:
    """Each opening is written to the audit log (who viewed whose record)."""
    user = acting_user(request)
    member = with_dossier(members_visible_to(user)).filter(pk=member_id).first()
    if member is None:
        raise not_found()
    member_viewed(acting_user=user, member=member)
    return member


class ProblemOut(Schema):
    field: str
    message: str
    blocking: bool
    rule: str


class ChangeOut(Schema):
    field: str
    label: str
    yours: Any
    saved: Any


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class ConflictOut(Schema):
    detail: str
    version: int
    changes: list[ChangeOut]


PATCH_BODY = Body(
    default_factory=dict,
    description=(
        "`version` as read from GET (required); the fields to change by their names in "
        "MemberDetailOut (reference lists by id); `confirm_warnings: true` to save despite "
        "warnings."
    ),
    examples=[{"version": 3, "phone": "0912345678"}],
)


@router.patch(
    "/{member_id}",
    response={200: MemberDetailOut, 409: ConflictOut, 422: ProblemsOut, **ERRORS},
    summary="Sửa hồ sơ một đảng viên",
)
def member_patch(
    request: ApiRequest,
    member_id: int,
    payload: dict[str, Any] = PATCH_BODY,
) -> Any:
    """Refused with 409 and what changed when the record was saved after `version`; with 422 and
    the problems (Vietnamese messages) for blocking errors or unconfirmed warnings."""
    user = acting_user(request)
    member = members_visible_to(user).filter(pk=member_id).first()
    if member is None or not allowed(user, MANAGE, member):
        raise not_found()
    raw = dict(payload)
    version, confirm = raw.pop("version", None), bool(raw.pop("confirm_warnings", False))
    if not isinstance(version, int):
        return _refused("Thiếu «version» (số phiên bản hồ sơ đọc được từ GET).", [])
    unknown = sorted(set(raw) - set(EDITABLE))
    if unknown:
        wrong = [
            {"field": f, "message": "Trường không sửa được.", "rule": "field"} for f in unknown
        ]
        return _refused("Không sửa được các trường này.", wrong)
    values: dict[str, Any] = {}
    for name, value in raw.items():
        field = Member._meta.get_field(name)
        try:
            if field.is_relation:
                related = field.related_model._default_manager  # type: ignore[union-attr]
                values[name] = None if value is None else related.get(pk=value)
            else:
                values[name] = field.to_python(value)  # type: ignore[union-attr]
        except Exception:
            bad = {"field": name, "message": f"Giá trị «{value}» không hợp lệ.", "rule": "value"}
            return _refused("Giá trị không hợp lệ.", [bad])
    try:
        return member_update(
            acting_user=user,
            member=member,
            values=values,
            expected_version=version,
            confirm_warnings=confirm,
        )
    except VersionConflict as conflict:
        changes = [
            {"field": c.field, "label": c.label, "yours": _plain(c.yours), "saved": _plain(c.saved)}
            for c in conflict.changes
        ]
        body = {"detail": str(conflict), "version": conflict.version, "changes": changes}
        return Status(409, body)
    except RecordProblems as refused:
        problems = [p.__dict__ for p in refused.problems]
        return _refused("Hồ sơ chưa được lưu.", problems)


def _refused(detail: str, problems: list[dict[str, Any]]) -> Status[Any]:
    return Status(422, {"detail": detail, "problems": [{"blocking": True, **p} for p in problems]})


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
