"""Importing member records from XLSX and CSV: a validation pass, then an all-or-nothing commit.

Two background tasks (dangvien.jobs):

- `members.import_validate` reads the file, recognises the Vietnamese column headers, parses every
  cell, checks each record (`validation.member_problems` when it is there, plus uniqueness inside
  the file and against the database in bulk), writes an XLSX report of every problem, and pickles
  the plan (the rows to create, the changes to make) next to the task's files.
- `members.import_commit` loads that plan, checks that the database has not moved under it (a
  record changed since: checked in bulk; a key taken since: refused by the UNIQUE constraint), and
  writes everything in ONE transaction with the bulk writer of the demo load (executemany / COPY),
  so a process killed half-way leaves the database as it was.

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
import itertools
import json
import operator
import pickle
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, ForeignKey, Model
from django.utils import timezone

from dangvien.accounts.access import scope_for
from dangvien.core.models import AuditEvent
from dangvien.core.text import fold, name_sort_key, normalize
from dangvien.demo.writer import Table, Writer, drop_secondary_indexes
from dangvien.jobs.registry import JobContext, JobFailed, job, job_dir
from dangvien.members.models import Gender, Member, Membership, NameKey, Status, StatusPeriod
from dangvien.members.search import key_words, name_keys_for, name_keys_refresh
from dangvien.orgs.models import Organization

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
HELD_CHUNK = 5000  # keys per plain IN (…) query of `_held` (SQLite allows 32,766)
ROWS_CHUNK = 5000  # rows parsed, then matched against the database together
PLAN_CHUNK = 10_000  # rows to create per chunk of the plan file (and per batch of the commit)
MEMO_LIMIT = 100_000  # distinct cell values remembered per column
# SQLite page cache of the commit (index upkeep of a national file touches far more pages than
# the default holds), and while its dropped indexes are built again (see _Creator.finish).
LARGE_CACHE_KIB = 256 * 1024
SORT_CACHE_KIB = 16 * 1024

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
_REQUIRED = (*REQUIRED_FOR_CREATE, "org")
# The status of a new member whose file has no status column: official once recognised.
_OFFICIAL, _PROBATIONARY = Status.OFFICIAL.value, Status.PROBATIONARY.value
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
    # A non-empty cell → its value, _BLANK (white space only) or a _Bad (what is wrong).
    read: Callable[[Any], Any]
    # Text cells already read, for a column whose values repeat (filled by `read`).
    memo: dict[str, Any] | None = None


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
        self.today = timezone.localdate()  # once: the rules are checked against one day

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


@functools.cache
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
        today = dt.date.today()
        return lambda v: _year_ok(parse_date(v), today)
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
    ("creates", [tuple, …]) chunks, then ("end", updates, unchanged, rows). A row to create is
    stored as its columns take it (dates as ISO text, an empty text as ""), ready to insert.
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
    _blanks: list[int] = field(default_factory=list)
    _dates: list[int] = field(default_factory=list)

    def open(self) -> None:
        fields = _member_fields()
        # An empty optional text cell is "" in a NOT NULL column, not NULL.
        self._blanks = [
            i for i, f in enumerate(self.create_fields) if _blank(fields.get(f)) is not None
        ]
        self._dates = [
            i
            for i, f in enumerate(self.create_fields)
            if f in fields and fields[f].get_internal_type() == "DateField"
        ]
        self._file = self.path.open("wb")
        self._dump(("head", self.filename, self.create_fields))

    def _dump(self, record: tuple) -> None:
        pickle.dump(record, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def create(self, values: dict[str, Any]) -> None:
        row: list[Any] = list(map(values.get, self.create_fields))
        for i in self._dates:
            if row[i] is not None:
                row[i] = row[i].isoformat()
        for i in self._blanks:
            if row[i] is None:
                row[i] = ""
        self._buffer.append(tuple(row))
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
        read = _cell_reader(column_parser(target, context))
        if target in UNIQUE_FIELDS:
            columns.append(Column(index, title, target, read))
        else:
            memo: dict[str, Any] = {"": _EMPTY}
            columns.append(Column(index, title, target, _memo(read, memo), memo))
    return columns, unknown


UNIQUE_FIELDS = {"full_name", "citizen_id", "party_card_number", "phone", "record_number"}


class _Bad:
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


_BLANK: Any = _Blank()  # a cell of white space only: not empty, but no value
_EMPTY: Any = _Empty()  # an empty cell (None or "")
_MARKS = frozenset({_Blank, _Empty, _Bad})


def _cell_reader(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """The checks every non-empty cell goes through, then the field's parser; never raises."""

    def read(cell: Any) -> Any:
        if isinstance(cell, str):
            if len(cell) > MAX_CELL:
                return _Bad(f"Ô dài quá {MAX_CELL} ký tự.", cell[:50] + "…")
            if cell.startswith("=") and len(cell) > 1:
                return _Bad("Ô chứa công thức: hãy ghi giá trị.", cell)
            if not cell.strip():
                return _BLANK
        try:
            return parse(cell)
        except (CellError, ValueError, OverflowError) as error:
            return _Bad(str(error) or "Giá trị không hợp lệ.", cell)

    return read


def _memo(read: Callable[[Any], Any], texts: dict[str, Any]) -> Callable[[Any], Any]:
    """Cells repeat (dates, gender, ethnicity, cell names): each distinct value is read once.
    Text cells (nearly all of them) are kept in `texts`, which the row loop looks up first;
    other values by type too (1, 1.0 and True are equal keys of a dict but not the same cell)."""
    others: dict[tuple[type, Any], Any] = {}

    def read_once(cell: Any) -> Any:
        if type(cell) is str:
            found = texts.get(cell, _MISSING)
            if found is _MISSING:
                found = read(cell)
                if len(texts) < MEMO_LIMIT:
                    texts[cell] = found
            return found
        key = (type(cell), cell)
        found = others.get(key, _MISSING)
        if found is _MISSING:
            found = read(cell)
            if len(others) < MEMO_LIMIT:
                others[key] = found
        return found

    return read_once


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


def _rule_problems(
    values: dict[str, Any], member: Member | None, today: dt.date
) -> list[tuple[str, str, bool]]:
    """(field, message, blocking) from the validation module, if present, else our own rules."""
    if _validation is None:
        return [(f, m, True) for f, m in _own_problems(values)]
    # Reference values are ids here: the rules get the plain fields (FK checks are the import's).
    fks = _fk_names()
    checked = {k: v for k, v in values.items() if k not in fks and k != "org_id"}
    try:
        problems = _validation.member_problems(
            checked, member=member, check_unique=False, today=today
        )
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
    pending: list[tuple[int, dict[str, Any], bool]] = []

    def settle() -> None:
        """Match the pending rows against the database, and plan each one."""
        existing = _existing(
            [v["citizen_id"] for _, v, _ in pending if isinstance(v.get("citizen_id"), str)],
            [
                v["party_card_number"]
                for _, v, _ in pending
                if isinstance(v.get("party_card_number"), str)
            ],
            fields,
        )
        for number, values, invalid in pending:
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

    reading = _Reading(columns)
    plan.open()
    try:
        last = header_row  # the number of the last row read
        while raw := list(itertools.islice(rows, ROWS_CHUNK)):
            first, last = last + 1, last + len(raw)
            if last - header_row > MAX_ROWS:
                raise ImportFileError(
                    f"Tệp có hơn {MAX_ROWS:,} dòng: hãy chia nhỏ tệp.".replace(",", ".")
                )
            for number, values, invalid in _parsed(raw, first, reading, problem):
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
                pending.append((number, values, invalid))
            plan.rows += len(pending)
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


def _parsed(
    raw: list[list[Any]], first: int, reading: _Reading, problem: Callable[..., None]
) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """The rows of a chunk (numbered from `first`): each with its values by field (a bad cell:
    _INVALID and a problem) and whether a cell was bad; empty rows are left out.

    The cells are read column by column: a repetitive column's cells are looked up in its memo
    by one C call, and only the rows with an empty, blank or bad cell go through the cell by
    cell path (a row's problems are reported when the row is yielded, in column order)."""
    width = reading.width
    if min(map(len, raw)) < width:
        raw = [row if len(row) >= width else [*row, *([""] * (width - len(row)))] for row in raw]
    parsed: list[list[Any]] = []
    odd: set[int] = set()  # rows with an empty, blank or bad cell
    columns = zip(*map(reading.cells, raw), strict=True)
    for (_field, _header, known, read), cells in zip(reading.specs, columns, strict=True):
        if known is None:
            values = [_EMPTY if cell is None or cell == "" else read(cell) for cell in cells]
        else:
            values = list(map(known, cells, itertools.repeat(_MISSING)))
            if _MISSING in values:
                for i, value in enumerate(values):
                    if value is _MISSING:
                        cell = cells[i]
                        values[i] = _EMPTY if cell is None or cell == "" else read(cell)
        if not _MARKS.isdisjoint(set(map(type, values))):
            odd.update(i for i, value in enumerate(values) if type(value) in _MARKS)
        parsed.append(values)
    fields = reading.fields
    for i, cells_read in enumerate(zip(*parsed, strict=True)):
        if i not in odd:
            yield first + i, dict(zip(fields, cells_read, strict=True)), False
            continue
        row: dict[str, Any] = {}
        empty = True
        invalid = False
        for (field_name, header, _known, _read), value in zip(
            reading.specs, cells_read, strict=True
        ):
            if value is _EMPTY:
                continue
            empty = False
            if value is _BLANK:
                continue
            if type(value) is _Bad:
                problem(first + i, header, value.shown, value.message)
                value = _INVALID
                invalid = True
            row[field_name] = value
        if not empty:
            yield first + i, row, invalid


class _Reading:
    """The columns as the row loop reads them: (field, header, memo lookup or None, reader)
    each, and the cells of a row in that order (one C call)."""

    def __init__(self, columns: list[Column]) -> None:
        self.specs = [
            (c.field, c.header, c.memo.get if c.memo is not None else None, c.read) for c in columns
        ]
        self.fields = [c.field for c in columns]
        self.width = max((c.index for c in columns), default=0) + 1
        indexes = [c.index for c in columns]
        if len(indexes) == 1:
            (index,) = indexes
            self.cells: Callable[[list[Any]], Sequence[Any]] = lambda row: (row[index],)
        else:
            self.cells = operator.itemgetter(*indexes)


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()

_MATCH_FIELDS = ["pk", "citizen_id", "party_card_number", "org_path", "full_name"]


def _existing(
    by_cccd: list[str], by_card: list[str], fields: list[str]
) -> dict[str, dict[Any, dict[str, Any]]]:
    """Members already holding a CCCD or a card number of the file, with the file's fields.

    The numbers held are found first by plain SQL (most rows of a large file are new members):
    only those are read through the ORM."""
    wanted = sorted({*_MATCH_FIELDS, *(f if f != "org" else "org_id" for f in fields)} - {"org"})
    found: dict[str, dict[Any, dict[str, Any]]] = {"citizen_id": {}, "party_card_number": {}}
    for key, values in (("citizen_id", by_cccd), ("party_card_number", by_card)):
        held = _held(key, values)
        for start in range(0, len(held), CHUNK):
            chunk = held[start : start + CHUNK]
            for member in Member.objects.filter(**{f"{key}__in": chunk}).values(*wanted):
                found[key][member[key]] = member
    return found


def _held(key: str, values: list[str]) -> list[str]:
    """The values of `key` (citizen_id, party_card_number) some member already holds.

    Plain SQL in large chunks: the ORM's lookup preparation costs more than the query here."""
    qn = connection.ops.quote_name
    column = qn(_member_fields()[key].column)
    table = qn(Member._meta.db_table)
    held: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), HELD_CHUNK):
            chunk = values[start : start + HELD_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", chunk)
            held += [value for (value,) in cursor.fetchall()]
    return held


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
    get = values.get
    if get("org") is None and context.fixed_org_id is not None:
        values["org"] = context.fixed_org_id
    if "status" not in values:
        values["status"] = _OFFICIAL if get("recognition_date") else _PROBATIONARY
    missing = [f for f in _REQUIRED if get(f) is None]
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
    for name, message, is_blocking in _rule_problems(values, None, context.today):
        problem(number, header_of.get(name, ""), values.get(name, ""), message, is_blocking)
        blocking = blocking or is_blocking
    if blocking:
        return
    plan.create(values)
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
    for name, message, is_blocking in _rule_problems(merged, instance, context.today):
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
    return job_dir(task) / "plan.pickle"


@job(VALIDATE, queue="imports", detail_url="import_detail")
def validate_task(ctx: JobContext) -> None:
    params = ctx.params
    filename = params.get("filename", "tep")
    try:
        outcome = validate(
            ctx.input_path(),
            filename,
            user=ctx.user,
            mapping=params.get("mapping") or {},
            fixed_org_id=params.get("org"),
            plan_path=_plan_path(ctx.job),
            progress=lambda done, total: ctx.progress(done, total),
        )
    except ImportFileError as error:
        _plan_path(ctx.job).unlink(missing_ok=True)
        summary = {"filename": filename, "unknown": error.unknown} if error.unknown else None
        raise JobFailed(str(error), summary) from error
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
    with (
        _foreign_keys_checked_here() as checked_here,
        transaction.atomic(),
        _cache_size(LARGE_CACHE_KIB),
    ):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Member._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        creator = _Creator(fields, filename, user, expected)
        # The bulk writer uses the driver's own cursor: its errors are the driver's.
        integrity_errors = (IntegrityError, connection.Database.IntegrityError)  # type: ignore[attr-defined]
        for record in records:
            if record[0] == "creates":
                try:
                    creator.write(record[1])
                except integrity_errors as error:
                    # A CCCD or card number taken since the validation: the UNIQUE constraint
                    # refuses it (cheaper than looking every number up again first).
                    if _key_taken(error):
                        raise Stale from error
                    raise
                created += len(record[1])
                on_batch(created)
            elif record[0] == "end":
                _kind, updates, unchanged, _rows = record
                _recheck_updates(updates)
                updated = _write_updates(updates, filename, user=user)
                for _pk, changes in updates:
                    for name in creator.referenced.keys() & changes.keys():
                        creator.referenced[name].add(changes[name][1])
        creator.finish()
        if checked_here:
            _check_references(creator.referenced, user)
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
def _cache_size(kib: int) -> Iterator[None]:
    """SQLite: the page cache set to `kib` KiB for a while (it also sizes the sorter's runs),
    restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size=-{kib}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={size}")


def _key_taken(error: Exception) -> bool:
    """Whether the error is a UNIQUE constraint on the CCCD or the card number (SQLite and
    PostgreSQL both name the column)."""
    fields = _member_fields()
    return any(fields[key].column in str(error) for key in ("citizen_id", "party_card_number"))


@contextlib.contextmanager
def _foreign_keys_checked_here() -> Iterator[bool]:
    """SQLite: its foreign key checks off for the commit (True), which checks the references
    it writes set-wise instead (`_check_references`).

    SQLite looks up every reference of every row written: 1.4 million name keys their member,
    every member its cell and reference values (3 s of a national import). The rows the commit
    derives refer to the members it has just written, and those to a few thousand cells and
    reference values, which one query per table checks. (`PRAGMA foreign_key_check`, which the
    demo load runs, would read whole tables.) The pragma cannot change inside a transaction:
    there (tests) SQLite keeps checking, and so on PostgreSQL.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield False
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        enforced = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA foreign_keys=OFF")
    try:
        yield bool(enforced)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA foreign_keys={enforced}")


def _check_references(referenced: dict[str, set[Any]], user: Any) -> None:
    """Every cell and reference value the written members point to exists, and the actor of the
    audit rows (inside the transaction: no one can delete them meanwhile)."""
    fields = _member_fields()
    wanted = [(fields[name].target_field, values - {None}) for name, values in referenced.items()]
    if getattr(user, "pk", None) is not None:
        wanted.append((get_user_model()._meta.pk, {user.pk}))
    for target, values in wanted:
        ids = sorted(values)
        found = 0
        for start in range(0, len(ids), CHUNK):
            found += target.model._base_manager.filter(
                **{f"{target.name}__in": ids[start : start + CHUNK]}
            ).count()
        if found != len(ids):
            raise IntegrityError(
                f"Nhập tệp: tham chiếu không tồn tại trong bảng {target.model._meta.db_table}."
            )


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


@functools.cache
def _fk_names() -> frozenset[str]:
    return frozenset(f.name for f in Member._meta.concrete_fields if isinstance(f, ForeignKey))


AUDIT_FIELDS = ["at", "actor", "action", "target_type", "target_id", "summary", "before", "after"]


def _blank(model_field: Any) -> Any:
    return "" if isinstance(model_field, CharField) and not model_field.null else None


def _table(model: type[Model], fields: list[str], **fixed: Any) -> Table:
    """The demo writer's table, with auto_now columns (added later) given the time of the write
    and the `fixed` fields (by name) the same value in every row: constants of the statement."""
    table = Table(model, fields)
    now = connection.ops.adapt_datetimefield_value(timezone.now())

    def constant(f: Any, default: Any) -> Any:
        if f.name in fixed:
            return f.get_db_prep_save(fixed[f.name], connection)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return now
        return default

    table.constants = tuple(
        constant(f, c) for f, c in zip(table.others, table.constants, strict=True)
    )
    return table


def _insert_derived(table: Table, expressions: list[str], first: int, last: int) -> None:
    """Rows derived from the members with ids first…last by one INSERT … SELECT: `expressions`
    (SQL over the member row) give the table's generated columns, the constants the rest."""
    qn = connection.ops.quote_name
    mark = "?" if connection.vendor == "sqlite" else "%s"
    constants, params = table.constants_sql(mark)
    sql = (
        f"INSERT INTO {qn(table.table)} ({', '.join(qn(c) for c in table.columns)}) "
        f"SELECT {', '.join([*expressions, *constants])} FROM {qn(Member._meta.db_table)} "
        f"WHERE {qn('id')} BETWEEN {mark} AND {mark}"
    )
    if connection.vendor == "sqlite":  # the plain connection: the literals may hold a "%"
        connection.ensure_connection()
        connection.connection.execute(sql, [*params, first, last])
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, first, last])


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


NameIndex = tuple[str, str, tuple[tuple[str, str, str, int], ...]]


@functools.lru_cache(maxsize=50_000)
def _name_index(name: str) -> NameIndex:
    """Folded and sort forms of a name and its search keys (key, word, word2, position): names
    repeat a lot in a large file, so they are made once per name."""
    keys = tuple((key, *key_words(key), position) for position, key in name_keys_for(name))
    return fold(name)[:120], name_sort_key(name)[:400], keys


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
    membership, search keys and a creation audit row each, by the bulk writer of the demo load.

    The plan's rows are already in the columns' form (dates as ISO text, empty text as ""), and
    every value that is the same for all rows (the membership's kind, the audit row's time,
    actor, action and summary …) is a constant of the statement, not a value bound per row."""

    def __init__(self, fields: list[str], filename: str, user: Any, expected: int) -> None:
        self.fields = fields
        extra = [f for f in ("name_fold", "name_sort", "org_path") if f not in fields]
        self.members = _table(Member, ["id", *fields, *extra])
        self.statuses = _table(StatusPeriod, ["member", "status", "valid_from"], valid_to=None)
        self.memberships = _table(
            Membership,
            ["member", "org", "valid_from"],
            kind=Membership.Kind.OFFICIAL,
            valid_to=None,
        )
        self.audits = _table(
            AuditEvent,
            ["target_id"],
            actor=user.pk,
            action=AuditEvent.Action.CREATE,
            target_type=Member._meta.label_lower,
            summary=f"Tạo hồ sơ qua nhập tệp «{filename}»"[:300],
            before=None,
            after=None,
        )
        self.paths = dict(Organization.objects.values_list("pk", "path"))
        # The foreign keys written (field → values), for _check_references.
        self.referenced: dict[str, set[Any]] = {n: set() for n in fields if n in _fk_names()}
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
        self.rebuilt: list[str] = []  # SQLite: the CREATE statements of the dropped indexes
        self.rebuilt_keys: list[str] = []  # … of NameKey's (PostgreSQL: ["namekey"])
        if expected > self.first_id - 1:
            if connection.vendor == "sqlite":
                self.rebuilt = drop_secondary_indexes([Member, StatusPeriod, Membership])
                self.rebuilt_keys = drop_secondary_indexes([NameKey])
            else:
                _name_key_indexes("drop")
                self.rebuilt_keys = ["namekey"]

    def write(self, rows: list[tuple]) -> None:
        members, keys = [], []
        paths = self.paths
        org_i = self.fields.index("org")
        first = self.next_id
        for pk, row in enumerate(rows, start=first):
            name_fold, name_sort, name_keys = _name_index(row[0])
            path = paths[row[org_i]]
            members.append((pk, *row, name_fold, name_sort, path))
            keys += [(pk, key, w1, w2, at, path, name_sort) for key, w1, w2, at in name_keys]
        self.next_id = last = first + len(rows)
        for name, values in self.referenced.items():
            values.update(map(operator.itemgetter(self.fields.index(name)), rows))
        self.writer.write([(self.members, members), (self.keys, keys)])
        # The first status period and membership (from the admission date) and the audit row
        # of each member are read from the member rows just written, by SQL.
        qn = connection.ops.quote_name
        fields = _member_fields()
        member_id, status, org, admitted = (
            qn(fields[name].column) for name in ("id", "status", "org", "admission_date")
        )
        _insert_derived(self.statuses, [member_id, status, admitted], first, last - 1)
        _insert_derived(self.memberships, [member_id, org, admitted], first, last - 1)
        _insert_derived(self.audits, [member_id], first, last - 1)

    def finish(self) -> None:
        if self.next_id == self.first_id:
            return
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Member]):
                    cursor.execute(sql)
        with connection.cursor() as cursor:
            for sql in self.rebuilt:
                cursor.execute(sql)
        if self.rebuilt_keys == ["namekey"]:
            _name_key_indexes("create")
        elif self.rebuilt_keys:
            # SQLite sorts an index's entries in runs the size of the page cache, then merges
            # them: runs of 16 MiB sort faster than one run of 256 MiB (the name keys' five
            # wide indexes at national scale: 12.2 → 9.2 s of CPU). The members' indexes are
            # built with the large cache, which keeps the table they each read in memory.
            with connection.cursor() as cursor, _cache_size(SORT_CACHE_KIB):
                for sql in self.rebuilt_keys:
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
            rows = [(*r[:-1], *_name_index(r[index])[:2], r[-1]) for r in rows]
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


@job(COMMIT, queue="imports", detail_url="import_detail")
def commit_task(ctx: JobContext) -> None:
    from dangvien.jobs.models import Job

    validation = Job.objects.filter(
        pk=int(ctx.params.get("validation") or 0),
        owner=ctx.user,
        kind=VALIDATE,
        status=Job.Status.DONE,
    ).first()
    if validation is None:
        raise JobFailed("Không tìm thấy lần kiểm tra tệp tương ứng: hãy tải tệp lên lại.")
    if validation.summary.get("blocking"):
        raise JobFailed("Tệp còn lỗi: hãy sửa theo báo cáo rồi tải lên lại.")
    path = _plan_path(validation)
    if not path.is_file():
        raise JobFailed("Kết quả kiểm tra tệp đã bị xóa: hãy tải tệp lên lại.")
    total = int(validation.summary.get("create") or 0)
    ctx.progress(0, total, "Đang ghi dữ liệu …")
    try:
        counts = commit_plan(
            path,
            user=ctx.user,
            task=ctx.job,
            expected=total,
            on_batch=lambda done: ctx.progress(done, total),
        )
    except Stale as error:
        raise JobFailed(
            "Dữ liệu đã thay đổi từ lúc kiểm tra tệp (có hồ sơ mới hoặc vừa được sửa): "
            "hãy kiểm tra lại tệp rồi ghi. Chưa có gì được ghi."
        ) from error
    ctx.progress(total, total, "")
    ctx.set_summary({**counts, "validation": validation.pk})
