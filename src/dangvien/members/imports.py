"""Importing member records from XLSX and CSV: a validation pass, then an all-or-nothing commit.

Two background tasks (dangvien.tasks):

- `members.import_validate` reads the file, recognises the Vietnamese column headers, parses every
  cell, checks each record (`validation.member_problems` when it is there, plus uniqueness inside
  the file and against the database in bulk), writes an XLSX report of every problem, and pickles
  the plan (the rows to create, the changes to make) next to the task's files.
- `members.import_commit` loads that plan, checks again in bulk that the database has not moved
  under it (a key taken since, a record changed since), and writes everything in ONE transaction
  with the bulk writer of the demo load (executemany / COPY), so a process killed half-way leaves
  the database as it was.

Upsert: a row whose CCCD or party card number is already a member's updates that member (only the
columns present and non-empty in the file; never its cell or status, which have their own
procedures); otherwise it creates a member. Running the same file twice changes nothing the second
time: every row is "unchanged".
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import importlib
import io
import json
import pickle
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, ForeignKey, Model
from django.utils import timezone

from dangvien.accounts.access import scope_for
from dangvien.core.models import AuditEvent
from dangvien.core.text import fold, name_sort_key, normalize
from dangvien.demo.writer import Table, Writer, drop_secondary_indexes
from dangvien.members.models import Gender, Member, Membership, NameKey, Status, StatusPeriod
from dangvien.members.search import key_words, name_keys_for, name_keys_refresh
from dangvien.orgs.models import Organization
from dangvien.tasks.registry import TaskContext, TaskFailed, task_dir, task_handler

_validation: Any
try:  # the validation rules (another module); without them only the import's own checks run
    _validation = importlib.import_module("dangvien.members.validation")
except ImportError:  # pragma: no cover - until validation.py exists
    _validation = None

VALIDATE = "members.import_validate"
COMMIT = "members.import_commit"

MAX_FILE_BYTES = 100 * 1024 * 1024  # a national file of 457,397 rows is about 32 MB in XLSX
MAX_UNZIPPED_BYTES = 1536 * 1024 * 1024  # an XLSX that inflates beyond this is not a member list
MAX_ROWS = 1_000_000
MAX_CELL = 1000  # characters; longer is not a member's data
MAX_REPORT_PROBLEMS = 100_000  # the report lists these; the counts cover all
HEADER_SEARCH_ROWS = 10  # a title may sit above the header row
SAMPLE_SIZE = 20
CHUNK = 500  # keys per IN (…) query
RECHECK_CHUNK = 5000  # keys per IN (…) query of the commit's check (SQLite allows 32,766)
ROWS_CHUNK = 5000  # rows parsed, then matched against the database together
PLAN_CHUNK = 10_000  # rows to create per chunk of the plan file (and per batch of the commit)
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

# Fields a row may change on an existing member (its cell and status have their own procedures).
NOT_UPDATED = {"org", "status"}
REQUIRED_FOR_CREATE = ("full_name", "gender", "date_of_birth", "admission_date")
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
    fields = _member_fields()
    return [
        (name, LABELS.get(name) or str(fields[name].verbose_name).capitalize())
        for name in _ALIASES
        if name in fields
    ]


def header_key(text: Any) -> str:
    return _PUNCT.sub(" ", fold(str(text))).strip()


class ImportFileError(Exception):
    """The file cannot be read as a table: the message says why, in Vietnamese.

    `unknown` lists the columns not recognised, when the header was found: the user may map them.
    """

    def __init__(self, message: str, unknown: list[str] | None = None) -> None:
        super().__init__(message)
        self.unknown = unknown or []


class CellError(ValueError):
    pass


# ---------------------------------------------------------------------------------------------
# Reading


def read_table(path: Path, filename: str) -> Iterator[list[Any]]:
    """Rows of the first sheet (XLSX) or of the CSV, as lists of cell values."""
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("Tệp rỗng: không có dữ liệu nào.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Tệp quá lớn ({size / 1024**2:.0f} MB); tối đa {MAX_FILE_BYTES // 1024**2} MB."
        )
    with path.open("rb") as f:
        head = f.read(8)
    name = filename.lower()
    if head.startswith(b"PK"):
        return _read_xlsx(path)
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")) or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. "
            "Hãy mở tệp bằng Excel và lưu lại dưới dạng «Excel Workbook (.xlsx)»."
        )
    return _read_csv(path)


def _read_xlsx(path: Path) -> Iterator[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        if not zipfile.is_zipfile(path):
            raise ValueError("not a zip")
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > MAX_UNZIPPED_BYTES:
            raise ImportFileError(
                "Tệp Excel quá lớn khi giải nén: hãy chia nhỏ tệp hoặc lưu dưới dạng CSV."
            )
        workbook = CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise ImportFileError("Tệp Excel không có trang tính nào.")
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. "
            "Hãy mở tệp bằng Excel và lưu lại dưới dạng «Excel Workbook (.xlsx)»."
        ) from error

    def generate() -> Iterator[list[Any]]:
        try:
            yield from rows
        except Exception as error:
            raise ImportFileError("Tệp Excel bị hỏng ở giữa chừng: không đọc tiếp được.") from error

    return generate()


def _read_csv(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything; kept for safety
        raise ImportFileError("Không nhận ra bảng mã của tệp CSV: hãy lưu lại dưới dạng UTF-8.")
    if "\x00" in text[:4096]:
        raise ImportFileError(
            "Tệp không phải bảng tính CSV hay Excel (.xlsx) đọc được: hãy kiểm tra lại tệp."
        )
    first = text[: text.find("\n")] if "\n" in text else text
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def generate() -> Iterator[list[Any]]:
        try:
            yield from reader
        except csv.Error as error:
            raise ImportFileError(f"Tệp CSV sai cấu trúc: {error}.") from error

    return generate()


# ---------------------------------------------------------------------------------------------
# Cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


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


def _year_ok(day: dt.date) -> dt.date:
    if day.year < 1900 or day > dt.date.today():
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
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    text = _text(value).replace(" ", "").replace(".", "") if not numeric else _text(value)
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
    parse: Callable[[Any], Any]


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    blocking: bool = True


_NONE_WORDS = {"khong", "khong co", "khong ton giao", "-", "khong theo ton giao"}


@dataclass
class Lookup:
    """Reference values by folded name or code."""

    by_key: dict[str, Any]
    label: str

    @classmethod
    def of(cls, model: type[Model], label: str) -> Lookup:
        by_key: dict[str, Any] = {}
        for pk, code, name in model._default_manager.values_list("pk", "code", "name"):
            by_key.setdefault(fold(name), pk)
            by_key[fold(code)] = pk
        return cls(by_key, label)

    def __call__(self, value: Any) -> Any:
        key = fold(_text(value))
        if key in _NONE_WORDS and key not in self.by_key:
            return None  # "Không" in the religion column: no religion
        pk = self.by_key.get(key)
        if pk is None:
            raise CellError(f"Không có {self.label} «{_text(value)[:60]}» trong danh mục.")
        return pk


class Context:
    """What parsing needs from the database, loaded once per import."""

    def __init__(self, user: Any, fixed_org_id: int | None) -> None:
        self.user = user
        self.scope = scope_for(user)
        cells = Organization.objects.filter(level__holds_members=True, dissolved_on__isnull=True)
        if not self.scope.all_members:
            from dangvien.orgs.paths import subtrees_q

            cells = cells.filter(subtrees_q("path", list(self.scope.member_paths)))
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

    def org(self, value: Any) -> int:
        text = _text(value)
        if text.isdigit() and int(text) in self.cells:
            return int(text)
        key = fold(text)
        if key in self.cell_by_name:
            pk = self.cell_by_name[key]
            if pk is None:
                raise CellError(f"Có nhiều chi bộ tên «{text[:60]}»: hãy ghi mã chi bộ.")
            return pk
        raise CellError(f"Không có chi bộ «{text[:60]}» trong phạm vi đồng chí quản lý.")


def _member_fields() -> dict[str, Any]:
    return {f.name: f for f in Member._meta.concrete_fields}


def column_parser(field_name: str, context: Context) -> Callable[[Any], Any]:
    """How a cell becomes the stored value of a field (a ValueError says what is wrong)."""
    model_field = _member_fields()[field_name] if field_name != "org" else None
    if field_name == "full_name":

        def full_name(value: Any) -> str:
            name = normalize(_text(value))
            if len(name) > 120:
                raise CellError("Họ và tên dài quá 120 ký tự.")
            return name

        return full_name
    if field_name == "gender":

        def gender(value: Any) -> str:
            found = _GENDERS.get(fold(_text(value)))
            if found is None:
                raise CellError("Giới tính ghi «Nam» hoặc «Nữ».")
            return str(found)

        return gender
    if field_name == "status":

        def status(value: Any) -> str:
            found = _STATUSES.get(fold(_text(value)))
            if found is None:
                raise CellError("Tình trạng ghi «Dự bị» hoặc «Chính thức».")
            return str(found)

        return status
    if field_name == "org":
        return context.org
    if field_name == "citizen_id":
        return lambda v: _digits(v, length=12, label="Số CCCD", max_length=12)
    if field_name == "party_card_number":
        return lambda v: _digits(v, length=None, label="Số thẻ đảng viên", max_length=16)
    if field_name == "phone":
        return lambda v: _digits(
            _text(v).replace("+84", "0").replace("-", ""),
            length=None,
            label="Số điện thoại",
            max_length=20,
        )
    if isinstance(model_field, ForeignKey):
        label = str(model_field.verbose_name)
        return Lookup.of(model_field.related_model, label)  # type: ignore[arg-type]
    if model_field is not None and model_field.get_internal_type() == "DateField":
        return lambda v: _year_ok(parse_date(v))
    max_length = getattr(model_field, "max_length", None) or MAX_CELL

    def text(value: Any) -> str:
        result = normalize(_text(value))
        if len(result) > max_length:
            raise CellError(f"Dài quá {max_length} ký tự.")
        return result

    return text


# ---------------------------------------------------------------------------------------------
# Validation


@dataclass
class Plan:
    """What the commit will do, decided by the validation pass.

    The rows to create are not kept in memory: they go to the plan file in chunks as they are
    decided (a national file would otherwise hold every row twice, parsed and planned), and the
    commit streams them back. The file is a sequence of pickles: ("head", filename, fields), then
    ("creates", [tuple, …]) chunks, then ("end", updates, unchanged, rows).
    """

    filename: str
    create_fields: list[str]
    path: Path
    created: int = 0
    # (member id, {field: (before, after)}) for each changed member
    updates: list[tuple[int, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0
    _buffer: list[tuple] = field(default_factory=list)
    _file: Any = None

    def open(self) -> None:
        self._file = self.path.open("wb")
        self._dump(("head", self.filename, self.create_fields))

    def _dump(self, record: tuple) -> None:
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def create(self, values: tuple) -> None:
        self._buffer.append(values)
        self.created += 1
        if len(self._buffer) >= PLAN_CHUNK:
            self._dump(("creates", self._buffer))
            self._buffer = []

    def close(self) -> None:
        if self._buffer:
            self._dump(("creates", self._buffer))
            self._buffer = []
        self._dump(("end", self.updates, self.unchanged, self.rows))
        self._file.close()


def plan_records(path: Path) -> Iterator[tuple]:
    with path.open("rb") as f:
        while True:
            try:
                yield pickle.load(f)  # our own file, outside the web root
            except EOFError:
                return


@dataclass
class Outcome:
    plan: Plan
    problems: list[Problem]
    columns: list[Column]
    unknown: list[str]
    blocking: int = 0
    warnings: int = 0
    problem_rows: int = 0
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _find_header(rows: Iterator[list[Any]]) -> tuple[int, list[Any]]:
    """(row number, header cells): the first row naming ≥ 2 known fields (a title may be above)."""
    for number, row in enumerate(rows, start=1):
        known = sum(1 for cell in row if header_key(_text(cell)[:100]) in HEADERS)
        if known >= 2:
            return number, row
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(
        "Không tìm thấy dòng tiêu đề: cần ít nhất hai cột có tên quen thuộc như «Họ và tên», "
        "«Ngày sinh», «Số CCCD» trong 10 dòng đầu."
    )


def map_columns(
    header: list[Any], mapping: dict[str, str], context: Context
) -> tuple[list[Column], list[str]]:
    fields = _member_fields()
    columns: list[Column] = []
    unknown: list[str] = []
    used: set[str] = set()
    for index, cell in enumerate(header):
        title = _text(cell)[:100]
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
        parser = column_parser(target, context)
        if target not in UNIQUE_FIELDS:
            parser = _memo(parser)
        columns.append(Column(index, title, target, parser))
    return columns, unknown


UNIQUE_FIELDS = {"full_name", "citizen_id", "party_card_number", "phone", "record_number"}


def _memo(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Cells repeat (dates, gender, ethnicity, cell names): each distinct value is parsed once."""
    seen: dict[tuple[type, Any], Any] = {}

    def parse_once(value: Any) -> Any:
        key = (type(value), value)
        found = seen.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = parse(value)
            except (CellError, ValueError, OverflowError) as error:
                found = error
            if len(seen) < MEMO_LIMIT:
                seen[key] = found
        if isinstance(found, Exception):
            raise found
        return found

    return parse_once


_MISSING = object()


def _own_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """The rules the import checks itself when the validation module is not there."""
    found = []
    born, admitted = values.get("date_of_birth"), values.get("admission_date")
    recognised = values.get("recognition_date")
    if born and admitted and _age(born, admitted) < 18:
        found.append(("admission_date", "Ngày vào Đảng khi chưa đủ 18 tuổi."))
    if admitted and recognised and recognised < admitted:
        found.append(("recognition_date", "Ngày chính thức trước ngày vào Đảng."))
    return found


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _rule_problems(values: dict[str, Any], member: Member | None) -> list[tuple[str, str, bool]]:
    """(field, message, blocking) from the validation module, if present, else our own rules."""
    if _validation is None:
        return [(f, m, True) for f, m in _own_problems(values)]
    # Reference values are ids here: the rules get the plain fields (FK checks are the import's).
    fks = _fk_names()
    checked = {k: v for k, v in values.items() if k not in fks and k != "org_id"}
    try:
        problems = _validation.member_problems(checked, member=member, check_unique=False)
    except TypeError:
        problems = _validation.member_problems(checked, member=member)
    return [(p.field, p.message, p.blocking) for p in problems]


def validate(
    path: Path,
    filename: str,
    *,
    user: Any,
    mapping: dict[str, str] | None = None,
    fixed_org_id: int | None = None,
    plan_path: Path,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Outcome:
    context = Context(user, fixed_org_id)
    rows = read_table(path, filename)
    header_row, header = _find_header(rows)
    columns, unknown = map_columns(header, mapping or {}, context)
    mapped = {c.field for c in columns}
    if "org" not in mapped and fixed_org_id is None:
        raise ImportFileError(
            "Tệp không có cột «Chi bộ»: hãy thêm cột này hoặc chọn chi bộ nhận đảng viên "
            "trên biểu mẫu.",
            unknown,
        )
    if "citizen_id" not in mapped and "party_card_number" not in mapped:
        raise ImportFileError(
            "Tệp cần cột «Số CCCD» hoặc «Số thẻ đảng viên» để nhận ra đảng viên đã có.", unknown
        )
    problems: list[Problem] = []
    problem_count = {"blocking": 0, "warning": 0}
    bad_rows: set[int] = set()

    def problem(row: int, column: str, value: Any, message: str, blocking: bool = True) -> None:
        problem_count["blocking" if blocking else "warning"] += 1
        if blocking:
            bad_rows.add(row)
        if len(problems) < MAX_REPORT_PROBLEMS:
            problems.append(Problem(row, column, _text(value)[:200], message, blocking))

    by_cccd: dict[str, int] = {}
    by_card: dict[str, int] = {}
    header_of = {c.field: c.header for c in columns}
    create_fields = [c.field for c in columns if c.field not in ("full_name",)]
    for extra in ("org", "status"):
        if extra not in create_fields:
            create_fields.append(extra)
    plan = Plan(filename=filename, create_fields=["full_name", *create_fields], path=plan_path)
    samples: dict[str, list[dict[str, Any]]] = {"create": [], "update": []}
    fields = [c.field for c in columns]
    pending: list[tuple[int, dict[str, Any]]] = []

    def settle() -> None:
        """Match the pending rows against the database, and plan each one."""
        existing = _existing(
            [v["citizen_id"] for _, v in pending if isinstance(v.get("citizen_id"), str)],
            [
                v["party_card_number"]
                for _, v in pending
                if isinstance(v.get("party_card_number"), str)
            ],
            fields,
        )
        for number, values in pending:
            invalid = any(v is _INVALID for v in values.values())
            match = _match(values, existing, number, header_of, problem)
            if match is False:
                continue
            if match is None:
                _plan_create(number, values, invalid, context, plan, problem, header_of, samples)
            elif isinstance(match, dict):
                _plan_update(
                    number, values, invalid, match, context, plan, problem, header_of, samples
                )
        pending.clear()
        progress(plan.rows, 0)

    width = max((c.index for c in columns), default=0) + 1
    plan.open()
    try:
        for number, row in enumerate(rows, start=header_row + 1):
            if number - header_row > MAX_ROWS:
                raise ImportFileError(
                    f"Tệp có hơn {MAX_ROWS:,} dòng: hãy chia nhỏ tệp.".replace(",", ".")
                )
            values = _parse_row(row, number, columns, width, problem)
            if values is None:
                continue
            cccd, card = values.get("citizen_id"), values.get("party_card_number")
            if isinstance(cccd, str):
                if cccd in by_cccd:
                    problem(
                        number,
                        header_of["citizen_id"],
                        cccd,
                        f"Số CCCD trùng với dòng {by_cccd[cccd]} trong tệp.",
                    )
                else:
                    by_cccd[cccd] = number
            if isinstance(card, str):
                if card in by_card:
                    message = f"Số thẻ đảng viên trùng với dòng {by_card[card]} trong tệp."
                    problem(number, header_of["party_card_number"], card, message)
                else:
                    by_card[card] = number
            if cccd is None and card is None:
                problem(number, "", "", "Dòng không có Số CCCD hay Số thẻ đảng viên.")
            plan.rows += 1
            pending.append((number, values))
            if len(pending) >= ROWS_CHUNK:
                settle()
        settle()
    finally:
        plan.close()
    if not plan.rows:
        raise ImportFileError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    outcome = Outcome(plan, problems, columns, unknown)
    outcome.blocking = problem_count["blocking"]
    outcome.warnings = problem_count["warning"]
    outcome.problem_rows = len(bad_rows)
    outcome.samples = samples
    progress(plan.rows, plan.rows)
    return outcome


def _parse_row(
    row: list[Any],
    number: int,
    columns: list[Column],
    width: int,
    problem: Callable[..., None],
) -> dict[str, Any] | None:
    """The row's values by field (a bad cell: _INVALID and a problem); None for an empty row."""
    if len(row) < width:
        row = [*row, *([""] * (width - len(row)))]
    values: dict[str, Any] = {}
    empty = True
    for column in columns:
        cell = row[column.index]
        if cell is None or cell == "":
            continue
        empty = False
        if isinstance(cell, str):
            if len(cell) > MAX_CELL:
                problem(number, column.header, cell[:50] + "…", f"Ô dài quá {MAX_CELL} ký tự.")
                values[column.field] = _INVALID
                continue
            if cell.startswith("=") and len(cell) > 1:
                problem(number, column.header, cell, "Ô chứa công thức: hãy ghi giá trị.")
                values[column.field] = _INVALID
                continue
            if not cell.strip():
                continue
        try:
            values[column.field] = column.parse(cell)
        except (CellError, ValueError, OverflowError) as error:
            problem(number, column.header, cell, str(error) or "Giá trị không hợp lệ.")
            values[column.field] = _INVALID
    return None if empty else values


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()

_MATCH_FIELDS = ["pk", "citizen_id", "party_card_number", "org_path", "full_name"]


def _existing(
    by_cccd: list[str], by_card: list[str], fields: list[str]
) -> dict[str, dict[Any, dict[str, Any]]]:
    """Members already holding a CCCD or a card number of the file, with the file's fields."""
    wanted = sorted({*_MATCH_FIELDS, *(f if f != "org" else "org_id" for f in fields)} - {"org"})
    found: dict[str, dict[Any, dict[str, Any]]] = {"citizen_id": {}, "party_card_number": {}}
    for key, values in (("citizen_id", by_cccd), ("party_card_number", by_card)):
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            for member in Member.objects.filter(**{f"{key}__in": chunk}).values(*wanted):
                found[key][member[key]] = member
    return found


def _match(
    values: dict[str, Any],
    existing: dict[str, dict[Any, dict[str, Any]]],
    number: int,
    header_of: dict[str, str],
    problem: Callable[..., None],
) -> dict[str, Any] | bool | None:
    """The existing member the row is about, None for a new one, False when it cannot be said."""
    by_cccd = existing["citizen_id"].get(values.get("citizen_id"))
    by_card = existing["party_card_number"].get(values.get("party_card_number"))
    if by_cccd and by_card and by_cccd["pk"] != by_card["pk"]:
        problem(
            number,
            header_of.get("party_card_number", ""),
            values.get("party_card_number"),
            f"Số CCCD là của «{by_cccd['full_name']}» nhưng số thẻ "
            f"là của «{by_card['full_name']}».",
        )
        return False
    return by_cccd or by_card or None


def _plan_create(
    number: int,
    values: dict[str, Any],
    invalid: bool,
    context: Context,
    plan: Plan,
    problem: Callable[..., None],
    header_of: dict[str, str],
    samples: dict[str, list[dict[str, Any]]],
) -> None:
    if values.get("org") is None and context.fixed_org_id is not None:
        values["org"] = context.fixed_org_id
    values.setdefault(
        "status", Status.OFFICIAL if values.get("recognition_date") else Status.PROBATIONARY
    )
    missing = [f for f in (*REQUIRED_FOR_CREATE, "org") if values.get(f) is None]
    for name in missing:
        problem(
            number,
            header_of.get(name, LABELS.get(name, name)),
            "",
            f"Thiếu «{LABELS.get(name, name)}»: cần có để tạo hồ sơ mới.",
        )
    if invalid or missing:
        return
    blocking = False
    for name, message, is_blocking in _rule_problems(values, None):
        problem(number, header_of.get(name, ""), values.get(name, ""), message, is_blocking)
        blocking = blocking or is_blocking
    if blocking:
        return
    plan.create(tuple(values.get(f) for f in plan.create_fields))
    if len(samples["create"]) < SAMPLE_SIZE:
        samples["create"].append(
            {"row": number, "name": values["full_name"], "org": context.cells[values["org"]][0]}
        )


def _plan_update(
    number: int,
    values: dict[str, Any],
    invalid: bool,
    member: dict[str, Any],
    context: Context,
    plan: Plan,
    problem: Callable[..., None],
    header_of: dict[str, str],
    samples: dict[str, list[dict[str, Any]]],
) -> None:
    scope = context.scope
    if not (scope.all_members or member["org_path"].startswith(scope.member_paths)):
        problem(
            number,
            header_of.get("citizen_id") or header_of.get("party_card_number", ""),
            values.get("citizen_id") or values.get("party_card_number"),
            "Số này đã là của một đảng viên ngoài phạm vi đồng chí quản lý.",
        )
        return
    if invalid:
        return
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in values.items():
        if name in NOT_UPDATED:
            if name == "org" and value != member.get("org_id"):
                problem(
                    number,
                    header_of["org"],
                    "",
                    "Đảng viên đã có hồ sơ ở chi bộ khác: chuyển sinh hoạt làm trong hồ sơ, "
                    "dòng này chỉ cập nhật các thông tin khác.",
                    False,
                )
            continue
        if member.get(name) != value:
            changes[name] = (member.get(name), value)
    if not changes:
        plan.unchanged += 1
        return
    merged = {k: v for k, v in member.items() if k not in ("pk", "org_path", "org_id")}
    merged.update({n: after for n, (_before, after) in changes.items()})
    instance = Member(pk=member["pk"])
    blocking = False
    for name, message, is_blocking in _rule_problems(merged, instance):
        if name in changes or name == "":
            problem(number, header_of.get(name, ""), merged.get(name, ""), message, is_blocking)
            blocking = blocking or is_blocking
    if blocking:
        return
    plan.updates.append((member["pk"], changes))
    if len(samples["update"]) < SAMPLE_SIZE:
        samples["update"].append(
            {
                "row": number,
                "name": member["full_name"],
                "fields": [LABELS.get(n, n) for n in changes],
            }
        )


# ---------------------------------------------------------------------------------------------
# Report


def write_report(outcome: Outcome, target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(text: str) -> str:
        return ILLEGAL_CHARACTERS_RE.sub("?", text)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lỗi")
    sheet.append(["Dòng", "Cột", "Giá trị", "Vấn đề", "Mức độ"])
    for p in outcome.problems:
        value = p.value
        if value.startswith(("=", "+", "-", "@")):
            value = "'" + value  # shown as text, never evaluated when the report is opened
        sheet.append(
            [
                p.row,
                clean(p.column),
                clean(value),
                clean(p.message),
                "Lỗi" if p.blocking else "Cảnh báo",
            ]
        )
    shown = len(outcome.problems)
    total = outcome.blocking + outcome.warnings
    if total > shown:
        sheet.append(["", "", "", f"… và {total - shown} vấn đề khác (chưa liệt kê).", ""])
    summary = workbook.create_sheet("Tóm tắt")
    for label, value in _summary_rows(outcome):
        summary.append([label, clean(value) if isinstance(value, str) else value])
    workbook.save(target)


def _summary_rows(outcome: Outcome) -> list[tuple[str, Any]]:
    plan = outcome.plan
    return [
        ("Tệp", plan.filename),
        ("Số dòng dữ liệu", plan.rows),
        ("Sẽ tạo mới", plan.created),
        ("Sẽ cập nhật", len(plan.updates)),
        ("Không thay đổi", plan.unchanged),
        ("Dòng có lỗi", outcome.problem_rows),
        ("Lỗi", outcome.blocking),
        ("Cảnh báo", outcome.warnings),
    ]


# ---------------------------------------------------------------------------------------------
# Tasks


def _plan_path(task: Any) -> Path:
    return task_dir(task) / "plan.pickle"


@task_handler(VALIDATE)
def validate_task(ctx: TaskContext) -> None:
    params = ctx.params
    filename = params.get("filename", "tep")
    try:
        outcome = validate(
            ctx.input_path(),
            filename,
            user=ctx.user,
            mapping=params.get("mapping") or {},
            fixed_org_id=params.get("org"),
            plan_path=_plan_path(ctx.task),
            progress=lambda done, total: ctx.progress(done, total),
        )
    except ImportFileError as error:
        _plan_path(ctx.task).unlink(missing_ok=True)
        summary = {"filename": filename, "unknown": error.unknown} if error.unknown else None
        raise TaskFailed(str(error), summary) from error
    report = ctx.dir / "report.xlsx"
    write_report(outcome, report)
    ctx.save_result(f"bao-cao-kiem-tra-{Path(filename).stem[:80]}.xlsx", report)
    plan = outcome.plan
    ctx.set_summary(
        {
            "filename": filename,
            "rows": plan.rows,
            "create": plan.created,
            "update": len(plan.updates),
            "unchanged": plan.unchanged,
            "blocking": outcome.blocking,
            "warnings": outcome.warnings,
            "problem_rows": outcome.problem_rows,
            "columns": [{"header": c.header, "field": c.field} for c in outcome.columns],
            "unknown": outcome.unknown,
            "problems": [
                {
                    "row": p.row,
                    "column": p.column,
                    "value": p.value,
                    "message": p.message,
                    "blocking": p.blocking,
                }
                for p in outcome.problems[:50]
            ],
            "samples": outcome.samples,
        }
    )


class Stale(Exception):
    """The database moved since the validation: a key is taken, or a record changed."""


def commit_plan(
    path: Path,
    *,
    user: Any,
    task: Any,
    expected: int = 0,
    on_batch: Callable[[int], None] = lambda done: None,
) -> dict[str, Any]:
    """Write the plan file in one transaction; Stale if the database moved since the validation.

    SQLite's page cache is raised for the transaction (index upkeep of a national file touches
    far more pages than the default 2 MB hold) and restored after.
    """
    records = plan_records(path)
    _kind, filename, fields = next(records)
    created = updated = unchanged = 0
    with transaction.atomic(), _large_cache():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Member._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        creator = _Creator(fields, filename, user, expected)
        for record in records:
            if record[0] == "creates":
                _recheck_creates(fields, record[1])
                creator.write(record[1])
                created += len(record[1])
                on_batch(created)
            elif record[0] == "end":
                _kind, updates, unchanged, _rows = record
                _recheck_updates(updates)
                updated = _write_updates(updates, filename, user=user)
        creator.finish()
        counts = {"create": created, "update": updated, "unchanged": unchanged}
        AuditEvent.objects.create(
            actor=user,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            target_type=task._meta.label_lower,
            target_id=task.pk,
            summary=(
                f"Nhập tệp «{filename}»: tạo {created}, cập nhật {updated}, "
                f"không đổi {unchanged} đảng viên"
            )[:300],
            after={"filename": filename, **counts},
        )
    return {"filename": filename, **counts}


@contextlib.contextmanager
def _large_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        size = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={size}")


def _recheck_creates(fields: list[str], rows: list[tuple]) -> None:
    for key in ("citizen_id", "party_card_number"):
        if key not in fields:
            continue
        index = fields.index(key)
        values = [row[index] for row in rows if row[index]]
        # Plain SQL in large chunks: the ORM's lookup preparation costs more than the query here.
        qn = connection.ops.quote_name
        column = qn(_member_fields()[key].column)
        table = qn(Member._meta.db_table)
        for start in range(0, len(values), RECHECK_CHUNK):
            chunk = values[start : start + RECHECK_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT 1 FROM {table} WHERE {column} IN ({marks}) LIMIT 1",
                    chunk,
                )
                if cursor.fetchone() is not None:
                    raise Stale


def _recheck_updates(updates: list[tuple[int, dict[str, tuple[Any, Any]]]]) -> None:
    by_id = dict(updates)
    ids = list(by_id)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        names = sorted({n for pk in chunk for n in by_id[pk]})
        rows = {row["pk"]: row for row in Member.objects.filter(pk__in=chunk).values("pk", *names)}
        for pk in chunk:
            row = rows.get(pk)
            if row is None:
                raise Stale
            for name, (before, _after) in by_id[pk].items():
                if row[name] != before:
                    raise Stale


def _fk_names() -> set[str]:
    return {f.name for f in Member._meta.concrete_fields if isinstance(f, ForeignKey)}


AUDIT_FIELDS = ["at", "actor", "action", "target_type", "target_id", "summary", "before", "after"]


def _blank(model_field: Any) -> Any:
    return "" if isinstance(model_field, CharField) and not model_field.null else None


def _table(model: type[Model], fields: list[str]) -> Table:
    """The demo writer's table, with auto_now columns (added later) given the time of the write."""
    table = Table(model, fields)
    named = {model._meta.get_field(n).column for n in fields}  # type: ignore[union-attr]
    others = [f for f in model._meta.concrete_fields if f.column not in named and not f.primary_key]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table.constants = tuple(
        now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else c
        for f, c in zip(others, table.constants, strict=True)
    )
    return table


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@functools.lru_cache(maxsize=200_000)
def _name_forms(name: str) -> tuple[str, str]:
    """Folded and sort forms of a name: names repeat a lot in a large file, so they are cached."""
    return fold(name)[:120], name_sort_key(name)[:400]


def _name_key_indexes(action: str) -> None:
    """Drop ("drop") or build ("create") NameKey's indexes by plain SQL (as members.search's
    rebuild does): the schema editor's context cannot be entered inside a transaction on SQLite."""
    editor = connection.schema_editor()
    with connection.cursor() as cursor:
        for index in NameKey._meta.indexes:
            if action == "drop":
                cursor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(str(index.name))}")
            else:
                cursor.execute(str(index.create_sql(NameKey, editor)))


class _Creator:
    """Writes planned rows: members with ids chosen after MAX(id), their first status period,
    membership and a creation audit row each, by the bulk writer of the demo load."""

    def __init__(self, fields: list[str], filename: str, user: Any, expected: int) -> None:
        self.fields = fields
        extra = [f for f in ("name_fold", "name_sort", "org_path") if f not in fields]
        self.members = _table(Member, ["id", *fields, *extra])
        self.statuses = _table(StatusPeriod, ["member", "status", "valid_from", "valid_to", "note"])
        self.memberships = _table(Membership, ["member", "org", "kind", "valid_from", "valid_to"])
        self.audits = _table(AuditEvent, AUDIT_FIELDS)
        self.paths = dict(Organization.objects.values_list("pk", "path"))
        self.writer = Writer()
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Member._meta.db_table)
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            self.first_id = self.next_id = (cursor.fetchone()[0] or 0) + 1
        # The name search index (members.search): several keys per member.
        self.keys = _table(
            NameKey, ["member", "key", "word", "word2", "position", "org_path", "name_sort"]
        )
        # Filling an indexed table row by row costs far more than building its indexes once:
        # when the import more than doubles the members, the secondary indexes of the tables
        # written are dropped and built again at the end, inside the transaction (a failure or
        # a kill restores them). UNIQUE constraints stay: they are the last guard of the keys.
        self.rebuilt: list[str] = []
        if expected > self.first_id - 1:
            if connection.vendor == "sqlite":
                self.rebuilt = drop_secondary_indexes([Member, StatusPeriod, Membership, NameKey])
            else:
                _name_key_indexes("drop")
                self.rebuilt = ["namekey"]
        self.org_i, self.status_i = fields.index("org"), fields.index("status")
        self.admission_i = fields.index("admission_date")
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.actor = user.pk
        self.summary = f"Tạo hồ sơ qua nhập tệp «{filename}»"[:300]
        # An empty optional text cell is "" in a NOT NULL column, not NULL.
        self.blanks = [
            (i, blank)
            for i, f in enumerate(fields)
            if (blank := _blank(Member._meta.get_field(f))) is not None
        ]
        self.dates = [
            i
            for i, f in enumerate(fields)
            if _member_fields()[f].get_internal_type() == "DateField"
        ]

    def write(self, rows: list[tuple]) -> None:
        members, statuses, memberships, audits = [], [], [], []
        keys: list[tuple] = []
        label, create = Member._meta.label_lower, AuditEvent.Action.CREATE
        blanks, dates = self.blanks, self.dates
        for row in rows:
            pk = self.next_id
            self.next_id += 1
            org = row[self.org_i]
            joined = row[self.admission_i].isoformat()
            values = list(row)
            for i in dates:
                if values[i] is not None:
                    values[i] = values[i].isoformat()
            for i, blank in blanks:
                if values[i] is None:
                    values[i] = blank
            name_fold, name_sort = _name_forms(row[0])
            path = self.paths[org]
            members.append((pk, *values, name_fold, name_sort, path))
            keys += [
                (pk, key, *key_words(key), position, path, name_sort)
                for position, key in name_keys_for(row[0])
            ]
            statuses.append((pk, row[self.status_i], joined, None, ""))
            memberships.append((pk, org, Membership.Kind.OFFICIAL, joined, None))
            audits.append((self.now, self.actor, create, label, pk, self.summary, None, None))
        self.writer.write(
            [
                (self.members, members),
                (self.statuses, statuses),
                (self.memberships, memberships),
                (self.audits, audits),
                (self.keys, keys),
            ]
        )

    def finish(self) -> None:
        if self.next_id == self.first_id:
            return
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Member]):
                    cursor.execute(sql)
        if self.rebuilt == ["namekey"]:
            _name_key_indexes("create")
        elif self.rebuilt:
            with connection.cursor() as cursor:
                for sql in self.rebuilt:
                    cursor.execute(sql)


def _write_updates(
    updates: list[tuple[int, dict[str, tuple[Any, Any]]]], filename: str, *, user: Any
) -> int:
    if not updates:
        return 0
    has_version = "version" in _member_fields()
    groups: dict[tuple[str, ...], list[tuple]] = {}
    audits = []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    summary = f"Cập nhật qua nhập tệp «{filename}»"[:300]
    for pk, changes in updates:
        names = tuple(sorted(changes))
        groups.setdefault(names, []).append((*(_iso(changes[n][1]) for n in names), pk))
        before = {n: _iso(b) for n, (b, _a) in changes.items()}
        after = {n: _iso(a) for n, (_b, a) in changes.items()}
        audits.append(
            (
                now,
                user.pk,
                AuditEvent.Action.UPDATE,
                Member._meta.label_lower,
                pk,
                summary,
                json.dumps(before, ensure_ascii=False),
                json.dumps(after, ensure_ascii=False),
            )
        )
    qn = connection.ops.quote_name
    for names, rows in groups.items():
        sets = [f"{qn(_member_fields()[n].column)} = %s" for n in names]
        if "full_name" in names:
            # The derived name forms follow the name.
            index = names.index("full_name")
            rows = [(*r[:-1], *_name_forms(r[index]), r[-1]) for r in rows]
            sets += [f"{qn('name_fold')} = %s", f"{qn('name_sort')} = %s"]
        if has_version:
            sets.append(f"{qn('version')} = {qn('version')} + 1")  # optimistic concurrency
        if "updated_at" in _member_fields():
            rows = [(*r[:-1], now, r[-1]) for r in rows]
            sets.append(f"{qn('updated_at')} = %s")
        sql = f"UPDATE {qn(Member._meta.db_table)} SET {', '.join(sets)} WHERE id = %s"
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    renamed = [pk for pk, changes in updates if "full_name" in changes]
    for start in range(0, len(renamed), CHUNK):
        for member in Member.objects.filter(pk__in=renamed[start : start + CHUNK]):
            name_keys_refresh(member)
    Writer().write([(_table(AuditEvent, AUDIT_FIELDS), audits)])
    return len(updates)


@task_handler(COMMIT)
def commit_task(ctx: TaskContext) -> None:
    from dangvien.tasks.models import Task

    validation = Task.objects.filter(
        pk=int(ctx.params.get("validation") or 0),
        owner=ctx.user,
        kind=VALIDATE,
        status=Task.Status.DONE,
    ).first()
    if validation is None:
        raise TaskFailed("Không tìm thấy lần kiểm tra tệp tương ứng: hãy tải tệp lên lại.")
    if validation.summary.get("blocking"):
        raise TaskFailed("Tệp còn lỗi: hãy sửa theo báo cáo rồi tải lên lại.")
    path = _plan_path(validation)
    if not path.is_file():
        raise TaskFailed("Kết quả kiểm tra tệp đã bị xóa: hãy tải tệp lên lại.")
    total = int(validation.summary.get("create") or 0)
    ctx.progress(0, total, "Đang ghi dữ liệu …")
    try:
        counts = commit_plan(
            path,
            user=ctx.user,
            task=ctx.task,
            expected=total,
            on_batch=lambda done: ctx.progress(done, total),
        )
    except Stale as error:
        raise TaskFailed(
            "Dữ liệu đã thay đổi từ lúc kiểm tra tệp (có hồ sơ mới hoặc vừa được sửa): "
            "hãy kiểm tra lại tệp rồi ghi. Chưa có gì được ghi."
        ) from error
    ctx.progress(total, total, "")
    ctx.set_summary({**counts, "validation": validation.pk})
