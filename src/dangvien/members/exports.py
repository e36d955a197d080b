"""Exporting a filtered member list to Excel, as a table or as the sổ danh sách (form 7-HSĐV).

A background task (`members.export`): the rows are read in chunks (`iterator`) and written with
XlsxWriter in constant-memory mode, which streams each row to a temporary file with its strings
inline (`office.xlsx`); the history a chunk needs (transfers, death, leaving the Party, the badge)
is fetched for that chunk only. Memory therefore stays flat whatever the number of rows. (A
shared-string table, as openpyxl's write-only mode keeps, holds every distinct string of the
workbook in memory: 106 MiB for 34,000 rows, 316 MiB for 457,397.)

The scope and the filters are applied when the task runs, with the rights the user has then, and
the export is written to the audit log (who took which list out of the installation, how many
records): member records are personal data.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from dangvien.accounts import access
from dangvien.accounts.models import User
from dangvien.accounts.types import Actor
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.core.paths import ancestor_ids
from dangvien.core.text import fold
from dangvien.jobs.registry import JobContext, JobFailed, job
from dangvien.jobs.services import job_start
from dangvien.members.filters import MemberFilterForm, export_filters, filter_members
from dangvien.members.models import (
    AcademicTitle,
    Award,
    EducationLevel,
    Ethnicity,
    Gender,
    Membership,
    Occupation,
    ProfessionalLevel,
    Religion,
    Status,
    StatusPeriod,
    TheoryLevel,
    WorkPeriod,
)
from dangvien.members.selectors import members_in_subtree, members_visible_to
from dangvien.office.layout import date, heading_of
from dangvien.office.layout import number as figure
from dangvien.office.xlsx import Workbook
from dangvien.orgs.models import Organization

EXPORT = "members.export"
LIST, BOOK = "list", "book"
LAYOUTS = {
    LIST: "Danh sách đảng viên (bảng tính)",
    BOOK: "Sổ danh sách đảng viên (mẫu 7-HSĐV)",
}
CHUNK = 2000  # members read, then their history fetched, together

# The fields read for every row: values, not model instances (cheaper, and no joins: the
# reference lists and cells are looked up in small dictionaries).
FIELDS = (
    "pk",
    "full_name",
    "birth_name",
    "gender",
    "date_of_birth",
    "citizen_id",
    "party_card_number",
    "record_number",
    "phone",
    "ethnicity_id",
    "religion_id",
    "hometown",
    "education_id",
    "professional_level_id",
    "professional_field",
    "academic_title_id",
    "theory_level_id",
    "foreign_languages",
    "occupation_id",
    "admission_date",
    "recognition_date",
    "status",
    "org_id",
)

# Column 9 of the book: members of the armed forces and retired members.
BOOK_OCCUPATIONS = {"luc_luong_vu_trang", "huu_tri"}
LEAVING = {Status.STRUCK_OFF.value, Status.EXPELLED.value, Status.DISCHARGED.value}
LEAVING_FORMS = {
    Status.STRUCK_OFF.value: "Xóa tên",
    Status.EXPELLED.value: "Khai trừ",
    Status.DISCHARGED.value: "Cho ra khỏi Đảng",
}

# (header, width) of the two layouts.
LIST_COLUMNS: list[tuple[str, int]] = [
    ("STT", 7),
    ("Họ và tên", 26),
    ("Giới tính", 9),
    ("Ngày sinh", 12),
    ("Dân tộc", 11),
    ("Tôn giáo", 12),
    ("Số CCCD", 15),
    ("Số thẻ đảng viên", 13),
    ("Số lý lịch", 12),
    ("Ngày vào Đảng", 13),
    ("Ngày chính thức", 13),
    ("Tình trạng", 14),
    ("Chi bộ", 30),
    ("Số điện thoại", 13),
    ("Quê quán", 30),
    ("Giáo dục phổ thông", 11),
    ("Chuyên môn", 22),
    ("Lý luận chính trị", 14),
    ("Nghề nghiệp", 20),
]
BOOK_COLUMNS: list[tuple[str, int]] = [
    ("Số thứ tự", 6),
    ("Họ và tên đang dùng\nHọ và tên khai sinh\nNgày sinh", 24),
    ("Nam, nữ\nDân tộc\nTôn giáo", 11),
    ("Quê quán", 22),
    ("Giáo dục phổ thông\nLý luận chính trị\nChuyên môn nghiệp vụ\nNgoại ngữ", 18),
    ("Nghề nghiệp trước khi vào Đảng\nNghề nghiệp hiện nay", 20),
    ("Ngày vào Đảng\nNgày chính thức", 12),
    ("Số thẻ đảng viên\nSố lý lịch\nHuy hiệu Đảng", 14),
    ("Bộ đội, công an, hưu trí", 12),
    ("Ngày chuyển đi, đến đảng bộ cơ sở nào", 20),
    ("Ngày chuyển đến, từ đảng bộ cơ sở nào", 20),
    ("Ngày từ trần, lý do", 16),
    ("Ngày ra khỏi Đảng, hình thức", 16),
    ("Ghi chú", 16),
]


class ExportError(JobFailed):
    pass


def _lines(*parts: str | None) -> str:
    """The values of a multi-line cell of the book; an empty value keeps its line."""
    return "\n".join(part or "" for part in parts).rstrip("\n")


def export_filename(org: Organization, layout: str, day: dt.date) -> str:
    prefix = "so-danh-sach" if layout == BOOK else "danh-sach-dang-vien"
    slug = re.sub(r"[^0-9a-z]+", "-", fold(org.name)).strip("-")[:60] or str(org.pk)
    return f"{prefix}-{slug}-{day:%Y%m%d}.xlsx"


def export_title(org: Organization, layout: str) -> str:
    what = "Sổ danh sách đảng viên" if layout == BOOK else "Danh sách đảng viên"
    return f"{what}: {org.name}"


def filters_described(filters: dict[str, str]) -> list[str]:
    """The filters as the user chose them, in words ("Giới tính: Nữ"), for the heading."""
    form = MemberFilterForm(filters)
    if not form.is_valid():
        return []
    described = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "sort" or value in (None, ""):
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        described.append(f"{field.label}: {value}")
    return described


# ---------------------------------------------------------------------------------------------
# Reading: members in chunks, with what the book needs of their history.


@dataclass
class Lookups:
    """Names of the reference lists and of the organizations met, loaded once or on demand."""

    names: dict[str, dict[int, str]]
    codes: dict[int, str]  # occupation id -> code
    grassroots: dict[int, str]  # grassroots organization id -> name
    org_names: dict[int, str]
    org_grassroots: dict[int, int]  # organization id -> id of its grassroots organization

    @classmethod
    def load(cls) -> Lookups:
        lists: dict[str, Any] = {
            "ethnicity": Ethnicity,
            "religion": Religion,
            "education": EducationLevel,
            "professional_level": ProfessionalLevel,
            "academic_title": AcademicTitle,
            "theory_level": TheoryLevel,
            "occupation": Occupation,
        }
        names = {key: dict(model.objects.values_list("pk", "name")) for key, model in lists.items()}
        grassroots = dict(
            Organization.objects.filter(level__is_grassroots=True).values_list("pk", "name")
        )
        return cls(
            names=names,
            codes=dict(Occupation.objects.values_list("pk", "code")),
            grassroots=grassroots,
            org_names={},
            org_grassroots={},
        )

    def name(self, key: str, pk: int | None) -> str:
        return self.names[key].get(pk, "") if pk is not None else ""

    def learn_orgs(self, ids: Iterable[int]) -> None:
        missing = {pk for pk in ids if pk is not None and pk not in self.org_names}
        if not missing:
            return
        for pk, name, path in Organization.objects.filter(pk__in=missing).values_list(
            "pk", "name", "path"
        ):
            self.org_names[pk] = name
            # The nearest grassroots organization on the path (the node itself included).
            found = [a for a in ancestor_ids(path) if a in self.grassroots]
            self.org_grassroots[pk] = found[-1] if found else pk

    def grassroots_name(self, org_id: int) -> str:
        grassroots = self.org_grassroots[org_id]
        return self.grassroots.get(grassroots) or self.org_names.get(grassroots, "")


@dataclass
class History:
    """What the book shows of one member's past."""

    transfer_in: str = ""
    transfer_out: str = ""
    death: str = ""
    left: str = ""
    badge: str = ""
    occupation_before: str = ""
    exempted_on: dt.date | None = None


def _histories(rows: Sequence[dict[str, Any]], lookups: Lookups) -> dict[int, History]:
    """The history of a chunk of members: four queries, whatever the chunk's size."""
    ids = [row["pk"] for row in rows]
    found: dict[int, History] = defaultdict(History)

    memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for member_id, org_id, start, end in (
        Membership.objects.filter(member_id__in=ids, kind=Membership.Kind.OFFICIAL)
        .order_by("member_id", "valid_from", "pk")
        .values_list("member_id", "org_id", "valid_from", "valid_to")
    ):
        memberships[member_id].append((org_id, start, end))
    lookups.learn_orgs(org for periods in memberships.values() for org, _, _ in periods)
    for member_id, periods in memberships.items():
        history = found[member_id]
        for (before, _, ended), (after, started, _) in itertools.pairwise(periods):
            source, target = lookups.org_grassroots[before], lookups.org_grassroots[after]
            if source == target:
                continue  # a move between cells of one grassroots organization
            history.transfer_out = f"{date(ended or started)}, đến {lookups.grassroots_name(after)}"
            history.transfer_in = f"{date(started)}, từ {lookups.grassroots_name(before)}"

    for member_id, status, start, note in (
        StatusPeriod.objects.filter(member_id__in=ids)
        .filter(
            status__in=[
                *LEAVING,
                Status.DECEASED,
                Status.TRANSFERRED_OUT,
                Status.EXEMPTED,
            ]
        )
        .order_by("member_id", "valid_from")
        .values_list("member_id", "status", "valid_from", "note")
    ):
        history = found[member_id]
        if status == Status.DECEASED:
            history.death = _lines(date(start), note)
        elif status in LEAVING:
            history.left = _lines(date(start), LEAVING_FORMS[status], note)
        elif status == Status.TRANSFERRED_OUT:
            history.transfer_out = history.transfer_out or date(start)
        else:
            history.exempted_on = start

    admitted = {row["pk"]: row["admission_date"] for row in rows if row["admission_date"]}
    for member_id, start, end, description in (
        WorkPeriod.objects.filter(member_id__in=list(admitted))
        .order_by("member_id", "start")
        .values_list("member_id", "start", "end", "description")
    ):
        day = admitted[member_id]
        if start <= day and (end is None or end >= day):
            found[member_id].occupation_before = description

    for member_id, form in (
        Award.objects.filter(member_id__in=ids)
        .filter(form__istartswith="huy hiệu")  # case folds the ASCII letters on every engine
        .order_by("member_id", "date")
        .values_list("member_id", "form")
    ):
        found[member_id].badge = form  # the latest badge: 30, 40, … years
    return found


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------------------------------------
# Writing.


def _gender(row: dict[str, Any]) -> str:
    return Gender(row["gender"]).label if row["gender"] in Gender.values else ""


def _profession(row: dict[str, Any], lookups: Lookups) -> str:
    """Professional level and field: "Đại học, Kế toán"."""
    level = lookups.name("professional_level", row["professional_level_id"])
    return ", ".join(part for part in (level, row["professional_field"]) if part)


def _list_row(number: int, row: dict[str, Any], lookups: Lookups) -> list[Any]:
    return [
        number,
        row["full_name"],
        _gender(row),
        row["date_of_birth"],
        lookups.name("ethnicity", row["ethnicity_id"]),
        lookups.name("religion", row["religion_id"]),
        row["citizen_id"] or "",
        row["party_card_number"] or "",
        row["record_number"],
        row["admission_date"],
        row["recognition_date"],
        Status(row["status"]).label if row["status"] in Status.values else row["status"],
        lookups.org_names.get(row["org_id"], ""),
        row["phone"],
        row["hometown"],
        lookups.name("education", row["education_id"]),
        _profession(row, lookups),
        lookups.name("theory_level", row["theory_level_id"]),
        lookups.name("occupation", row["occupation_id"]),
    ]


def _book_row(number: int, row: dict[str, Any], history: History, lookups: Lookups) -> list[Any]:
    birth_name = row["birth_name"] if row["birth_name"] != row["full_name"] else ""
    occupation = lookups.name("occupation", row["occupation_id"])
    armed_or_retired = (
        occupation if lookups.codes.get(row["occupation_id"]) in BOOK_OCCUPATIONS else ""
    )
    note = ""
    if row["status"] == Status.PROBATIONARY:
        note = "Đảng viên dự bị"
    elif row["status"] == Status.EXEMPTED:
        since = f"từ {date(history.exempted_on)}" if history.exempted_on else ""
        note = _lines("Miễn sinh hoạt", since)
    elif row["status"] == Status.TRANSFERRED_OUT and not history.transfer_out:
        note = "Đã chuyển đi"
    return [
        number,
        _lines(row["full_name"], birth_name, date(row["date_of_birth"])),
        _lines(
            _gender(row), lookups.name("ethnicity", row["ethnicity_id"]), _religion(row, lookups)
        ),
        row["hometown"],
        _lines(
            lookups.name("education", row["education_id"]),
            lookups.name("theory_level", row["theory_level_id"]),
            _profession(row, lookups),
            row["foreign_languages"],
        ),
        _lines(history.occupation_before, occupation),
        _lines(date(row["admission_date"]), date(row["recognition_date"])),
        _lines(row["party_card_number"] or "", row["record_number"], history.badge),
        armed_or_retired,
        history.transfer_out,
        history.transfer_in,
        history.death,
        history.left,
        note,
    ]


def _religion(row: dict[str, Any], lookups: Lookups) -> str:
    return lookups.name("religion", row["religion_id"]) or "Không"


def write_export(
    target: Path,
    *,
    user: Actor,
    org: Organization,
    layout: str,
    filters: dict[str, str],
    progress: Any = None,
) -> int:
    """Write the XLSX of `user`'s members of `org`'s subtree filtered by `filters`; the rows."""
    members = filter_members(members_in_subtree(members_visible_to(user), org), filters)
    total = members.count()
    if progress:
        progress(0, total)
    lookups = Lookups.load()

    columns = BOOK_COLUMNS if layout == BOOK else LIST_COLUMNS
    book = Workbook(target)
    sheet = book.sheet(
        "Sổ danh sách" if layout == BOOK else "Danh sách", [width for _, width in columns]
    )
    title = "SỔ DANH SÁCH ĐẢNG VIÊN" if layout == BOOK else "DANH SÁCH ĐẢNG VIÊN"
    lines = [f"Tính đến ngày {timezone.localdate():%d/%m/%Y}; {figure(total)} đảng viên"]
    lines += filters_described(filters)
    sheet.heading(heading_of(org, timezone.localdate()), title, lines)
    sheet.append([header for header, _ in columns], "header")
    if layout == BOOK:
        sheet.append([f"({n})" for n in range(1, len(columns) + 1)], "header")

    number = 0
    for chunk in _chunks(members.values(*FIELDS).iterator(chunk_size=CHUNK), CHUNK):
        lookups.learn_orgs(row["org_id"] for row in chunk)
        histories = _histories(chunk, lookups) if layout == BOOK else {}
        for row in chunk:
            number += 1
            if layout == BOOK:
                history = histories.get(row["pk"]) or History()
                sheet.append(_book_row(number, row, history, lookups), "wrap")
            else:
                sheet.append(_list_row(number, row, lookups))
        if progress:
            progress(number, total)
    book.close()
    return number


def export_start(
    *, acting_user: User, org: Organization, layout: str, filters: dict[str, str]
) -> Any:
    """Queue the export of `org`'s filtered list (its task, whose page shows the progress)."""

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    kept = export_filters(filters)
    return job_start(
        acting_user=acting_user,
        kind=EXPORT,
        params={"org": org.pk, "layout": layout, "filters": kept},
        title=export_title(org, layout),
        org=org,
    )


@job(EXPORT)
def run_export(context: JobContext) -> None:
    params = context.params
    org = Organization.objects.filter(pk=int(params.get("org") or 0)).first()
    if org is None or not access.allowed(context.user, access.EXPORT, org):
        raise ExportError("Bạn không còn quyền xuất danh sách đảng viên của tổ chức này.")
    layout = params.get("layout", LIST)
    filters = params.get("filters") or {}
    with tempfile.NamedTemporaryFile(dir=context.dir, suffix=".xlsx", delete=False) as handle:
        target = Path(handle.name)
    try:
        rows = write_export(
            target,
            user=context.user,
            org=org,
            layout=layout,
            filters=filters,
            progress=lambda done, total: context.progress(
                done, total, f"Đã ghi {figure(done)}/{figure(total)} đảng viên"
            ),
        )
        context.save_result(export_filename(org, layout, timezone.localdate()), target)
    finally:
        target.unlink(missing_ok=True)
    audit_record(
        actor=context.user,
        action=AuditEvent.Action.EXPORT,
        target=org,
        summary=f"Xuất {LAYOUTS[layout].lower()} ({rows} đảng viên) của «{org.name}»",
        after={"layout": layout, "filters": filters, "rows": rows},
    )
    context.set_summary({"rows": rows, "layout": layout})
