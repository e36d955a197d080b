"""The validation pass of an import: every row parsed, checked and matched against the members
already there, and the plan of what the commit will write (a file next to the task's files).

The plan is a stream of pickles rather than JSON lines: at national scale (457,397 rows) JSON
cost about 3 s more to write and read back, against a 60 s budget for the whole import. The file
is our own, written and read by the worker, outside the web root.
"""

from __future__ import annotations

import itertools
import operator
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

from dangvien.accounts.types import Actor
from dangvien.jobs.registry import job_dir
from dangvien.members import validation
from dangvien.members.imports.columns import (
    BLANK,
    EMPTY,
    LABELS,
    MARKS,
    MISSING,
    Bad,
    Column,
    ImportScope,
    blank_of,
    find_header,
    fk_names,
    map_columns,
    member_fields,
)
from dangvien.members.imports.read import ImportFileError, cell_text, read_table
from dangvien.members.models import Member, Status
from dangvien.office.layout import number as figure

MAX_ROWS = 1_000_000
MAX_REPORT_PROBLEMS = 100_000  # the report lists these; the counts cover all
SAMPLE_SIZE = 20
CHUNK = 500  # keys per IN (…) query
HELD_CHUNK = 5000  # keys per plain IN (…) query of `_held` (SQLite allows 32,766)
ROWS_CHUNK = 5000  # rows parsed, then matched against the database together
PLAN_CHUNK = 10_000  # rows to create per chunk of the plan file (and per batch of the commit)

# Fields a row may change on an existing member (its cell and status have their own procedures).
NOT_UPDATED = {"org", "status"}
REQUIRED_FOR_CREATE = ("full_name", "gender", "date_of_birth", "admission_date")
_REQUIRED = (*REQUIRED_FOR_CREATE, "org")
# The status of a new member whose file has no status column: official once recognised.
_OFFICIAL, _PROBATIONARY = Status.OFFICIAL.value, Status.PROBATIONARY.value


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    blocking: bool = True


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
        fields = member_fields()
        # An empty optional text cell is "" in a NOT NULL column, not NULL.
        self._blanks = [
            i for i, f in enumerate(self.create_fields) if blank_of(fields.get(f)) is not None
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


def plan_path(task: Any) -> Path:
    """Where a validation task keeps its plan."""
    return job_dir(task) / "plan.pickle"


def _rule_problems(
    values: dict[str, Any], member: Member | None, today: Any
) -> list[tuple[str, str, bool]]:
    """(field, message, blocking) by the validation rules (members/validation.py)."""
    # Reference values are ids here: the rules get the plain fields (FK checks are the import's).
    fks = fk_names()
    checked = {k: v for k, v in values.items() if k not in fks and k != "org_id"}
    problems = validation.member_problems(checked, member=member, check_unique=False, today=today)
    return [(p.field, p.message, p.blocking) for p in problems]


def validate(
    path: Path,
    filename: str,
    *,
    user: Actor,
    mapping: dict[str, str] | None = None,
    fixed_org_id: int | None = None,
    plan_path: Path,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Outcome:
    within = ImportScope(user, fixed_org_id)
    rows = read_table(path, filename)
    header_row, header = find_header(rows)
    columns, unknown = map_columns(header, mapping or {}, within)
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
            problems.append(Problem(row, column, cell_text(value)[:200], message, blocking))

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
                _plan_create(number, values, invalid, within, plan, problem, header_of, samples)
            elif isinstance(match, dict):
                _plan_update(
                    number, values, invalid, match, within, plan, problem, header_of, samples
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
                raise ImportFileError(f"Tệp có hơn {figure(MAX_ROWS)} dòng: hãy chia nhỏ tệp.")
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
            values = [EMPTY if cell is None or cell == "" else read(cell) for cell in cells]
        else:
            values = list(map(known, cells, itertools.repeat(MISSING)))
            if MISSING in values:
                for i, value in enumerate(values):
                    if value is MISSING:
                        cell = cells[i]
                        values[i] = EMPTY if cell is None or cell == "" else read(cell)
        if not MARKS.isdisjoint(set(map(type, values))):
            odd.update(i for i, value in enumerate(values) if type(value) in MARKS)
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
            if value is EMPTY:
                continue
            empty = False
            if value is BLANK:
                continue
            if type(value) is Bad:
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
    column = qn(member_fields()[key].column)
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
    within: ImportScope,
    plan: Plan,
    problem: Callable[..., None],
    header_of: dict[str, str],
    samples: dict[str, list[dict[str, Any]]],
) -> None:
    get = values.get
    if get("org") is None and within.fixed_org_id is not None:
        values["org"] = within.fixed_org_id
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
    if values["org"] not in within.creates_in:
        problem(
            number,
            header_of.get("citizen_id") or header_of.get("full_name", ""),
            values.get("citizen_id") or values["full_name"],
            "Dòng này không khớp hồ sơ nào: chi bộ chỉ cập nhật hồ sơ đã có qua nhập tệp. "
            "Đảng viên mới vào qua thủ tục kết nạp hoặc chuyển sinh hoạt đến; hồ sơ đảng viên "
            "từ nơi khác do cấp ủy cấp trên nhập.",
        )
        return
    blocking = False
    for name, message, is_blocking in _rule_problems(values, None, within.today):
        problem(number, header_of.get(name, ""), values.get(name, ""), message, is_blocking)
        blocking = blocking or is_blocking
    if blocking:
        return
    plan.create(values)
    if len(samples["create"]) < SAMPLE_SIZE:
        samples["create"].append(
            {"row": number, "name": values["full_name"], "org": within.cells[values["org"]][0]}
        )


def _plan_update(
    number: int,
    values: dict[str, Any],
    invalid: bool,
    member: dict[str, Any],
    within: ImportScope,
    plan: Plan,
    problem: Callable[..., None],
    header_of: dict[str, str],
    samples: dict[str, list[dict[str, Any]]],
) -> None:
    if not within.manages.covers(member["org_path"]):
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
    for name, message, is_blocking in _rule_problems(merged, instance, within.today):
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
