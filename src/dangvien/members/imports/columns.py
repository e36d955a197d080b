"""The columns of an import file: header spellings, how each cell becomes a member's value, and
the reference lookups (cells in the user's scope, catalogues) parsing needs."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, ForeignKey, Model, QuerySet
from django.utils import timezone

from dangvien.accounts.access import IMPORT, IMPORT_CREATE, MANAGE, reach, restrict
from dangvien.accounts.types import Actor
from dangvien.core.text import fold, normalize
from dangvien.members.imports.read import ImportFileError, cell_text
from dangvien.members.models import Gender, Member, Status
from dangvien.orgs.models import Organization

MAX_CELL = 1000  # characters; longer is not a member's data
HEADER_SEARCH_ROWS = 10  # a title may sit above the header row
MEMO_LIMIT = 100_000  # distinct cell values remembered per column

# Headers as users write them, folded (no marks, lower case, punctuation as spaces).
HEADERS: dict[str, str] = {}
_ALIASES: dict[str, Sequence[str]] = {
    "full_name": ["ho va ten", "ho ten", "ho va ten dang vien", "ho ten dang vien", "ten"],
    "birth_name": ["ho ten khai sinh", "ho va ten khai sinh", "ten khai sinh"],
    "other_names": ["ten goi khac", "ten khac", "bi danh"],
    "gender": ["gioi tinh", "gioi", "nam nu", "nam/nu"],
    "date_of_birth": ["ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay sinh dd mm yyyy"],
    "citizen_id": [
        "so cccd",
        "cccd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "can cuoc cong dan",
        "so can cuoc",
        "so can cuoc cong dan",
        "cmnd cccd",
        "so cmnd cccd",
        "ma dinh danh",
    ],
    "party_card_number": ["so the dang vien", "so the", "the dang vien", "so the dang"],
    "record_number": ["so ly lich", "so ll", "so ly lich dang vien"],
    "admission_date": ["ngay vao dang", "ngay ket nap", "ngay ket nap dang", "ngay ket nap vao"],
    "recognition_date": [
        "ngay chinh thuc",
        "ngay cong nhan chinh thuc",
        "ngay dang vien chinh thuc",
        "ngay chuyen chinh thuc",
    ],
    "ethnicity": ["dan toc"],
    "religion": ["ton giao"],
    "org": ["chi bo", "chi bo sinh hoat", "ma chi bo", "to chuc dang", "noi sinh hoat"],
    "status": ["tinh trang", "trang thai", "tinh trang dang vien"],
    "phone": ["so dien thoai", "dien thoai", "sdt", "so dt", "dien thoai di dong"],
    "education": [
        "trinh do hoc van",
        "giao duc pho thong",
        "hoc van",
        "trinh do giao duc pho thong",
        "trinh do van hoa",
        "van hoa",
    ],
    "professional_level": ["trinh do chuyen mon", "chuyen mon", "trinh do chuyen mon nghiep vu"],
    "professional_field": ["chuyen nganh", "nganh dao tao"],
    "theory_level": ["ly luan chinh tri", "trinh do ly luan chinh tri", "trinh do ly luan", "llct"],
    "occupation": ["nghe nghiep", "nghe nghiep hien nay"],
    "birthplace": ["noi sinh"],
    "hometown": ["que quan", "nguyen quan"],
    "residence_address": ["noi thuong tru", "dia chi thuong tru", "thuong tru"],
    "current_address": ["noi o hien nay", "cho o hien nay", "dia chi hien nay", "noi o"],
    "foreign_languages": ["ngoai ngu", "trinh do ngoai ngu"],
    "it_skills": ["tin hoc", "trinh do tin hoc"],
    "admission_org_name": ["noi ket nap", "chi bo ket nap"],
}
for _field, _names in _ALIASES.items():
    for _name in _names:
        HEADERS[_name] = _field
IGNORED_HEADERS = {"stt", "tt", "so thu tu", "ghi chu"}

LABELS = {
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "date_of_birth": "Ngày sinh",
    "citizen_id": "Số CCCD",
    "party_card_number": "Số thẻ đảng viên",
    "admission_date": "Ngày vào Đảng",
    "recognition_date": "Ngày chính thức",
    "org": "Chi bộ",
    "status": "Tình trạng",
}

_PUNCT = re.compile(r"[^0-9a-z]+")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def mappable_fields() -> list[tuple[str, str]]:
    """(field, label) a user may map an unrecognised column to, in the order of the aliases."""
    fields = member_fields()
    return [
        (name, LABELS.get(name) or str(fields[name].verbose_name).capitalize())
        for name in _ALIASES
        if name in fields
    ]


def header_key(text: Any) -> str:
    return _PUNCT.sub(" ", fold(str(text))).strip()


class CellError(ValueError):
    pass


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("Không phải ngày tháng.")
    if isinstance(value, int | float):
        if 1800 <= value <= 2100:
            raise CellError("Chỉ có năm: cần ghi đủ ngày/tháng/năm, ví dụ 05/09/1980.")
        if 1 <= value < 80000:  # an Excel serial day left unformatted
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError("Không phải ngày tháng.")
    text = str(value).strip()
    found = _DMY.match(text)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year, month, day)
        found = _YMD.match(text)
        if found:
            year, month, day = (int(g) for g in found.groups())
            return dt.date(year, month, day)
    except ValueError as error:
        raise CellError("Ngày không có thật trên lịch.") from error
    raise CellError("Ngày phải viết dạng ngày/tháng/năm, ví dụ 05/09/1980.")


def _year_ok(day: dt.date, today: dt.date) -> dt.date:
    if day.year < 1900 or day > today:
        raise CellError(f"Ngày {day:%d/%m/%Y} nằm ngoài khoảng hợp lý (từ 1900 đến hôm nay).")
    return day


_GENDERS = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
_STATUSES = {fold(label): value for value, label in Status.choices} | {
    "du bi": Status.PROBATIONARY,
    "chinh thuc": Status.OFFICIAL,
}


def _digits(value: Any, *, length: int | None, label: str, max_length: int) -> str:
    if (
        type(value) is str
        and value.isascii()
        and value.isdigit()
        and len(value) == (length or len(value)) <= max_length
    ):
        return value  # as most cells are: nothing to clean
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    text = cell_text(value).replace(" ", "").replace(".", "") if not numeric else cell_text(value)
    if not text.isdigit() or not text.isascii():
        raise CellError(f"{label} chỉ gồm chữ số.")
    if numeric and length and len(text) == length - 1:
        text = "0" + text  # Excel drops the leading 0 of a number (CCCD of Hà Nội: 001…)
    if length and len(text) != length:
        raise CellError(f"{label} phải có đúng {length} chữ số (đang có {len(text)}).")
    if len(text) > max_length:
        raise CellError(f"{label} dài quá {max_length} chữ số.")
    return text


@dataclass
class Column:
    index: int
    header: str
    field: str
    # A non-empty cell → its value, BLANK (white space only) or a Bad (what is wrong).
    read: Callable[[Any], Any]
    # Text cells already read, for a column whose values repeat (filled by `read`).
    memo: dict[str, Any] | None = None


_NONE_WORDS = {"khong", "khong co", "khong ton giao", "-", "khong theo ton giao"}


@dataclass
class CatalogueLookup:
    """A catalogue's values (ethnicity, religion, …) by folded name or code: reads a cell."""

    by_key: dict[str, Any]
    label: str

    @classmethod
    def of(cls, model: type[Model], label: str) -> CatalogueLookup:
        by_key: dict[str, Any] = {}
        for pk, code, name in model._default_manager.values_list("pk", "code", "name"):
            by_key.setdefault(fold(name), pk)
            by_key[fold(code)] = pk
        return cls(by_key, label)

    def __call__(self, value: Any) -> Any:
        key = fold(cell_text(value))
        if key in _NONE_WORDS and key not in self.by_key:
            return None  # "Không" in the religion column: no religion
        pk = self.by_key.get(key)
        if pk is None:
            raise CellError(f"Không có {self.label} «{cell_text(value)[:60]}» trong danh mục.")
        return pk


def importable_cells(user: Actor) -> QuerySet[Organization]:
    """Cells the user may import members into: those of the subtrees whose records they keep."""
    cells = Organization.objects.filter(level__holds_members=True, dissolved_on__isnull=True)
    return restrict(cells, user, IMPORT).order_by("path")


class ImportScope:
    """What parsing needs from the database, loaded once per import: the cells the user may
    import into (by id and by name), the cell chosen on the form, and the day of the checks."""

    def __init__(self, user: Actor, fixed_org_id: int | None) -> None:
        self.user = user
        self.manages = reach(user, "members.member", MANAGE)  # records an update may touch
        cells = importable_cells(user)
        self.cells: dict[int, tuple[str, str]] = {
            pk: (name, path) for pk, name, path in cells.values_list("pk", "name", "path")
        }
        self.cell_by_name: dict[str, int | None] = {}
        for pk, (name, _path) in self.cells.items():
            key = fold(name)
            self.cell_by_name[key] = None if key in self.cell_by_name else pk  # None: ambiguous
        if fixed_org_id is not None and fixed_org_id not in self.cells:
            raise ImportFileError("Chi bộ đã chọn không thuộc phạm vi đồng chí quản lý.")
        self.fixed_org_id = fixed_org_id
        # The cells where a row matching no record may create one (committee staff only).
        self.creates_in = set(restrict(cells, user, IMPORT_CREATE).values_list("pk", flat=True))
        self.today = timezone.localdate()  # once: the rules are checked against one day

    def org(self, value: Any) -> int:
        text = cell_text(value)
        if text.isdigit() and int(text) in self.cells:
            return int(text)
        key = fold(text)
        if key in self.cell_by_name:
            pk = self.cell_by_name[key]
            if pk is None:
                raise CellError(f"Có nhiều chi bộ tên «{text[:60]}»: hãy ghi mã chi bộ.")
            return pk
        raise CellError(f"Không có chi bộ «{text[:60]}» trong phạm vi đồng chí quản lý.")


@functools.cache
def member_fields() -> dict[str, Any]:
    return {f.name: f for f in Member._meta.concrete_fields}


def column_parser(field_name: str, scope: ImportScope) -> Callable[[Any], Any]:
    """How a cell becomes the stored value of a field (a ValueError says what is wrong)."""
    model_field = member_fields()[field_name] if field_name != "org" else None
    if field_name == "full_name":

        def full_name(value: Any) -> str:
            name = normalize(cell_text(value))
            if len(name) > 120:
                raise CellError("Họ và tên dài quá 120 ký tự.")
            return name

        return full_name
    if field_name == "gender":

        def gender(value: Any) -> str:
            found = _GENDERS.get(fold(cell_text(value)))
            if found is None:
                raise CellError("Giới tính ghi «Nam» hoặc «Nữ».")
            return str(found)

        return gender
    if field_name == "status":

        def status(value: Any) -> str:
            found = _STATUSES.get(fold(cell_text(value)))
            if found is None:
                raise CellError("Tình trạng ghi «Dự bị» hoặc «Chính thức».")
            return str(found)

        return status
    if field_name == "org":
        return scope.org
    if field_name == "citizen_id":
        return lambda v: _digits(v, length=12, label="Số CCCD", max_length=12)
    if field_name == "party_card_number":
        return lambda v: _digits(v, length=None, label="Số thẻ đảng viên", max_length=16)
    if field_name == "phone":
        return lambda v: _digits(
            cell_text(v).replace("+84", "0").replace("-", ""),
            length=None,
            label="Số điện thoại",
            max_length=20,
        )
    if isinstance(model_field, ForeignKey):
        label = str(model_field.verbose_name)
        return CatalogueLookup.of(model_field.related_model, label)  # type: ignore[arg-type]
    if model_field is not None and model_field.get_internal_type() == "DateField":
        today = scope.today
        return lambda v: _year_ok(parse_date(v), today)
    max_length = getattr(model_field, "max_length", None) or MAX_CELL

    def text(value: Any) -> str:
        result = normalize(cell_text(value))
        if len(result) > max_length:
            raise CellError(f"Dài quá {max_length} ký tự.")
        return result

    return text


def find_header(rows: Iterator[list[Any]]) -> tuple[int, list[Any]]:
    """(row number, header cells): the first row naming ≥ 2 known fields (a title may be above)."""
    for number, row in enumerate(rows, start=1):
        known = sum(1 for cell in row if header_key(cell_text(cell)[:100]) in HEADERS)
        if known >= 2:
            return number, row
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(
        "Không tìm thấy dòng tiêu đề: cần ít nhất hai cột có tên quen thuộc như «Họ và tên», "
        "«Ngày sinh», «Số CCCD» trong 10 dòng đầu."
    )


def map_columns(
    header: list[Any], mapping: dict[str, str], scope: ImportScope
) -> tuple[list[Column], list[str]]:
    fields = member_fields()
    columns: list[Column] = []
    unknown: list[str] = []
    used: set[str] = set()
    for index, cell in enumerate(header):
        title = cell_text(cell)[:100]
        key = header_key(title)
        chosen = mapping.get(title) or mapping.get(str(index))
        target = chosen if chosen is not None else HEADERS.get(key)
        if target == "" or (target is None and (not key or key in IGNORED_HEADERS)):
            continue
        if target is None or (target not in fields and target != "org"):
            if title:
                unknown.append(title)
            continue
        if target in used:
            raise ImportFileError(
                f"Hai cột cùng là «{LABELS.get(target, title)}»: hãy bỏ bớt một cột."
            )
        used.add(target)
        read = cell_reader(column_parser(target, scope))
        if target in UNIQUE_FIELDS:
            columns.append(Column(index, title, target, read))
        else:
            memo: dict[str, Any] = {"": EMPTY}
            columns.append(Column(index, title, target, _memo(read, memo), memo))
    return columns, unknown


UNIQUE_FIELDS = {"full_name", "citizen_id", "party_card_number", "phone", "record_number"}


class Bad:
    """A cell that cannot be read: the message, and the value to show in the report."""

    __slots__ = ("message", "shown")

    def __init__(self, message: str, shown: Any) -> None:
        self.message, self.shown = message, shown


class _Blank:
    def __repr__(self) -> str:
        return "<blank>"


class _Empty:
    def __repr__(self) -> str:
        return "<empty>"


BLANK: Any = _Blank()  # a cell of white space only: not empty, but no value
EMPTY: Any = _Empty()  # an empty cell (None or "")
MARKS = frozenset({_Blank, _Empty, Bad})


def cell_reader(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The checks every non-empty cell goes through, then the field's parser; never raises."""

    def read(cell: Any) -> Any:
        if isinstance(cell, str):
            if len(cell) > MAX_CELL:
                return Bad(f"Ô dài quá {MAX_CELL} ký tự.", cell[:50] + "…")
            if cell.startswith("=") and len(cell) > 1:
                return Bad("Ô chứa công thức: hãy ghi giá trị.", cell)
            if not cell.strip():
                return BLANK
        try:
            return parse(cell)
        except (CellError, ValueError, OverflowError) as error:
            return Bad(str(error) or "Giá trị không hợp lệ.", cell)

    return read


def _memo(read: Callable[[Any], Any], texts: dict[str, Any]) -> Callable[[Any], Any]:
    """Cells repeat (dates, gender, ethnicity, cell names): each distinct value is read once.
    Text cells (nearly all of them) are kept in `texts`, which the row loop looks up first;
    other values by type too (1, 1.0 and True are equal keys of a dict but not the same cell)."""
    others: dict[tuple[type, Any], Any] = {}

    def read_once(cell: Any) -> Any:
        if type(cell) is str:
            found = texts.get(cell, MISSING)
            if found is MISSING:
                found = read(cell)
                if len(texts) < MEMO_LIMIT:
                    texts[cell] = found
            return found
        key = (type(cell), cell)
        found = others.get(key, MISSING)
        if found is MISSING:
            found = read(cell)
            if len(others) < MEMO_LIMIT:
                others[key] = found
        return found

    return read_once


MISSING = object()


@functools.cache
def fk_names() -> frozenset[str]:
    return frozenset(f.name for f in Member._meta.concrete_fields if isinstance(f, ForeignKey))


def blank_of(model_field: Any) -> Any:
    return "" if isinstance(model_field, CharField) and not model_field.null else None
