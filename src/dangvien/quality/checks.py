"""How the rules are evaluated over the records of a subtree, or of every record.

A few passes, whatever the number of records, none of them a query per member:

1. `sql_findings`: one query for every rule that is a condition on a member's own columns or a
   correlated EXISTS on its histories (`sql_rules`). A single scan of the subtree returns only
   the rows that break at least one rule, with one flag per rule.
2. `record_findings`: the rules the record forms already apply
   (`members.validation.member_problems`: CCCD, party card and record number formats, admission
   and recognition dates), over `values_list` rows streamed in chunks.
3. `duplicate_findings`: the members in the Party in date-of-birth order; each day's members
   (a few hundred nationally) are compared in memory, so a subtree is compared with everyone.
4. `identifier_findings`: the malformed CCCD and card numbers pass 2 met, normalised and looked up
   among the others (IN queries of 500).

Only members in the Party (probationary, official, exempted) are checked: a closed record
(death, striking off …) is history, kept as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)

from dangvien.core.dates import add_working_days
from dangvien.core.paths import path_upper_bound, subtree_q
from dangvien.members.models import (
    IN_PARTY,
    Gender,
    Member,
    Membership,
    Status,
    StatusPeriod,
)
from dangvien.members.rules import admission
from dangvien.members.validation import member_problems
from dangvien.orgs.models import Organization

CHUNK = 5000  # rows fetched per round trip by the streamed passes
IN_BATCH = 500  # values per IN (…) lookup
MAX_AGE_YEARS = 120  # older than this is a typing error, not a member
CARD_GRACE_DAYS = 92  # a card is handed out at a meeting after the recognition decision
RECOGNITION_WORKING_DAYS = 30  # the cell considers recognition within 30 working days
OFFICIAL_STATUSES = (Status.OFFICIAL, Status.EXEMPTED)  # official members, exempted or not

Progress = Callable[[int], None]  # rows done so far in the current pass


def _no_progress(done: int) -> None:
    return None


@dataclass(frozen=True)
class Finding:
    member_id: int
    rule: str
    org_path: str
    detail: str
    others: tuple[int, ...] = ()  # the other records of a probable duplicate


@dataclass
class Scope:
    """The members a run checks: those in the Party in a subtree (path), or everywhere (None)."""

    path: str | None
    today: dt.date
    # Malformed identifiers met by the record pass, for the identifier pass:
    # (member id, org_path, field, value).
    malformed: list[tuple[int, str, str, str]] = field(default_factory=list)

    def members(self) -> QuerySet[Member]:
        members = Member.objects.filter(status__in=IN_PARTY)
        if self.path is not None:
            members = members.filter(subtree_q("org_path", self.path))
        return members.order_by()

    def contains(self, org_path: str) -> bool:
        if self.path is None:
            return True
        return self.path <= org_path < path_upper_bound(self.path)


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


# --- 1. Conditions on a member's own columns and histories ---------------------------------------


@functools.lru_cache(maxsize=8192)  # admission dates repeat: each day's deadline computed once
def probation_due(admitted: dt.date) -> dt.date:
    """The last day for the cell to consider recognition: 30 working days after 12 months."""
    end = admission.add_months(admitted, admission.PROBATION_MONTHS)
    return add_working_days(end, RECOGNITION_WORKING_DAYS)


def probation_cutoff(today: dt.date) -> dt.date:
    """The latest admission date whose recognition is overdue on `today`.

    probation_due() never decreases with the admission date, so walk back from 12 months ago
    until the due day is past.
    """
    admitted = admission.add_months(today, -admission.PROBATION_MONTHS)
    while probation_due(admitted) >= today:
        admitted -= dt.timedelta(days=1)
    return admitted


def sql_rules(today: dt.date) -> dict[str, Q]:
    """Each rule evaluated in SQL: a condition on the members table (no join)."""
    open_status = StatusPeriod.objects.filter(member=OuterRef("pk"), valid_to__isnull=True)
    open_cell = Membership.objects.filter(
        member=OuterRef("pk"),
        org=OuterRef("org"),
        kind=Membership.Kind.OFFICIAL,
        valid_to__isnull=True,
    )
    not_a_cell = Organization.objects.filter(
        Q(dissolved_on__isnull=False) | Q(level__holds_members=False)
    ).values("pk")
    no_card = Q(party_card_number__isnull=True) | Q(party_card_number="")
    exempted = Q(status=Status.EXEMPTED)
    return {
        "missing_full_name": Q(full_name=""),
        "missing_gender": ~Q(gender__in=Gender.values),
        "missing_cccd": Q(citizen_id__isnull=True) | Q(citizen_id=""),
        "missing_admission_date": Q(admission_date__isnull=True),
        "missing_recognition_date": Q(status__in=OFFICIAL_STATUSES, recognition_date__isnull=True),
        "missing_card_number": Q(status__in=OFFICIAL_STATUSES)
        & no_card
        & (
            Q(recognition_date__isnull=True)
            | Q(recognition_date__lte=today - dt.timedelta(days=CARD_GRACE_DAYS))
        ),
        "birth_implausible": Q(date_of_birth__lt=admission.add_months(today, -12 * MAX_AGE_YEARS)),
        "ceremony_before_admission": Q(admission_ceremony_date__lt=F("admission_date")),
        "card_before_recognition": Q(party_card_issued_date__lt=F("recognition_date")),
        "date_future": Q(admission_ceremony_date__gt=today) | Q(party_card_issued_date__gt=today),
        "no_cell": Q(org__isnull=True) | Q(org__in=not_a_cell),
        "probationary_recognised": Q(status=Status.PROBATIONARY, recognition_date__isnull=False),
        "status_history_mismatch": ~exempted
        & ~Q(Exists(open_status.filter(status=OuterRef("status")))),
        "membership_mismatch": Q(org__isnull=False) & ~Q(Exists(open_cell)),
        "probation_overdue": Q(
            status=Status.PROBATIONARY,
            recognition_date__isnull=True,
            admission_date__lte=probation_cutoff(today),
        ),
        "exempt_without_decision": exempted
        & ~Q(Exists(open_status.filter(status=Status.EXEMPTED))),
        "exempt_decision_unreferenced": exempted
        & Q(Exists(open_status.filter(status=Status.EXEMPTED, note=""))),
    }


# The columns the details below are written from.
_DETAIL_FIELDS = (
    "full_name", "status", "org_id", "date_of_birth", "admission_date", "recognition_date",
    "admission_ceremony_date", "party_card_issued_date",
)  # fmt: skip


class _Orgs:
    """Names of the few organizations the details mention, loaded once each."""

    def __init__(self) -> None:
        self._known: dict[int, Organization | None] = {}

    def get(self, pk: int | None) -> Organization | None:
        if pk is None:
            return None
        if pk not in self._known:
            self._known[pk] = Organization.objects.select_related("level").filter(pk=pk).first()
        return self._known[pk]


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def _no_cell_detail(row: dict[str, Any], orgs: _Orgs) -> str:
    org = orgs.get(row["org_id"])
    if org is None:
        return "Hồ sơ không ghi chi bộ sinh hoạt."
    if org.dissolved_on is not None:
        return f"Chi bộ «{org.name}» đã giải thể ngày {_d(org.dissolved_on)}."
    return f"«{org.name}» ({org.level.name}) không phải chi bộ."


def _overdue_detail(row: dict[str, Any]) -> str:
    admitted = row["admission_date"]
    end = admission.add_months(admitted, admission.PROBATION_MONTHS)
    return (
        f"Vào Đảng ngày {_d(admitted)}: hết 12 tháng dự bị ngày {_d(end)}, hạn chi bộ xét "
        f"công nhận chính thức là {_d(probation_due(admitted))}."
    )


def _future_detail(row: dict[str, Any], today: dt.date) -> str:
    parts = []
    if row["admission_ceremony_date"] and row["admission_ceremony_date"] > today:
        parts.append(f"ngày lễ kết nạp {_d(row['admission_ceremony_date'])}")
    if row["party_card_issued_date"] and row["party_card_issued_date"] > today:
        parts.append(f"ngày cấp thẻ đảng {_d(row['party_card_issued_date'])}")
    return "Chưa tới: " + ", ".join(parts) + "."


def _detail(code: str, row: dict[str, Any], today: dt.date, orgs: _Orgs) -> str:
    status = _status_label(row["status"])
    born = row["date_of_birth"]
    match code:
        case "missing_full_name":
            return "Hồ sơ không có họ và tên."
        case "missing_gender":
            return "Hồ sơ không ghi giới tính."
        case "missing_cccd":
            return "Hồ sơ không có số CCCD."
        case "missing_admission_date":
            return "Hồ sơ không có ngày vào Đảng."
        case "missing_recognition_date":
            return f"Tình trạng «{status}» nhưng không có ngày chính thức."
        case "missing_card_number":
            since = row["recognition_date"]
            return (
                f"Chính thức từ ngày {_d(since)} nhưng chưa có số thẻ đảng viên."
                if since
                else "Đảng viên chính thức nhưng chưa có số thẻ đảng viên."
            )
        case "birth_implausible":
            return f"Ngày sinh {_d(born)}: hơn {MAX_AGE_YEARS} tuổi."
        case "ceremony_before_admission":
            return (
                f"Lễ kết nạp ngày {_d(row['admission_ceremony_date'])}, trước ngày quyết định "
                f"kết nạp {_d(row['admission_date'])}."
            )
        case "card_before_recognition":
            return (
                f"Thẻ cấp ngày {_d(row['party_card_issued_date'])}, trước ngày chính thức "
                f"{_d(row['recognition_date'])}."
            )
        case "date_future":
            return _future_detail(row, today)
        case "no_cell":
            return _no_cell_detail(row, orgs)
        case "probationary_recognised":
            return f"Tình trạng dự bị nhưng có ngày chính thức {_d(row['recognition_date'])}."
        case "status_history_mismatch":
            return (
                f"Tình trạng «{status}» nhưng quá trình tình trạng không có giai đoạn "
                f"«{status}» nào đang mở."
            )
        case "membership_mismatch":
            org = orgs.get(row["org_id"])
            name = org.name if org else "chi bộ hiện tại"
            return f"Quá trình sinh hoạt không có giai đoạn nào đang mở ở «{name}»."
        case "probation_overdue":
            return _overdue_detail(row)
        case "exempt_without_decision":
            return "Tình trạng miễn sinh hoạt nhưng quá trình tình trạng không ghi lần miễn nào."
        case "exempt_decision_unreferenced":
            return "Giai đoạn miễn sinh hoạt đang mở không ghi nghị quyết hay lý do."
    raise ValueError(f"no detail for rule {code!r}")


def sql_findings(scope: Scope) -> Iterator[Finding]:
    rules = sql_rules(scope.today)
    flags = {
        f"flag_{code}": ExpressionWrapper(q, output_field=BooleanField())
        for code, q in rules.items()
    }
    flagged = (
        scope.members()
        .filter(functools.reduce(operator.or_, rules.values()))
        .annotate(**flags)
        .values("pk", "org_path", *_DETAIL_FIELDS, *flags)
    )
    orgs = _Orgs()
    for row in flagged.iterator(chunk_size=CHUNK):
        for code in rules:
            if row[f"flag_{code}"]:
                detail = _detail(code, row, scope.today, orgs)
                yield Finding(row["pk"], code, row["org_path"], detail)


# --- 2. The record forms' own rules -------------------------------------------------------------

_RECORD_FIELDS = (
    "gender", "date_of_birth", "citizen_id", "party_card_number", "record_number",
    "admission_date", "recognition_date", "party_card_issued_date",
)  # fmt: skip
# Problems whose value is kept for the identifier pass: (code, field).
_MALFORMED = {"cccd_length": "citizen_id", "card_format": "party_card_number"}


def record_findings(scope: Scope, progress: Progress = _no_progress) -> Iterator[Finding]:
    """`member_problems` on every record. Its warnings (admission age, probation length) judge
    the dates by the statute in force since `admission.EFFECTIVE_FROM`: older admissions are
    judged by the rules of their time, which these are not."""
    rows = scope.members().values_list("pk", "org_path", *_RECORD_FIELDS)
    today, since = scope.today, admission.EFFECTIVE_FROM
    for done, (pk, path, *values) in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        if done % CHUNK == 0:
            progress(done)
        record = dict(zip(_RECORD_FIELDS, values, strict=True))
        admitted = record["admission_date"]
        seen: set[str] = set()
        for problem in member_problems(record, check_unique=False, today=today):
            if problem.rule in seen:
                continue
            if not problem.blocking and admitted is not None and admitted < since:
                continue
            seen.add(problem.rule)
            if problem.rule in _MALFORMED:
                name = _MALFORMED[problem.rule]
                scope.malformed.append((pk, path, name, record[name]))
            yield Finding(pk, problem.rule, path, problem.message)


# --- 3. Probable duplicates ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    pk: int
    name: str  # folded
    citizen_id: str | None
    org_path: str


def _well_formed_cccd(value: str | None) -> bool:
    return value is not None and len(value) == 12 and value.isascii() and value.isdigit()


def two_people(a: _Person, b: _Person) -> bool:
    """Two records with two different well-formed CCCD are two people, whatever their names."""
    return (
        _well_formed_cccd(a.citizen_id)
        and _well_formed_cccd(b.citizen_id)
        and a.citizen_id != b.citizen_id
    )


def _middle_variants(words: list[str]) -> Iterator[tuple[tuple[str, ...], str]]:
    """For each middle word: the name with that word as a wildcard, and the name without it."""
    for i in range(1, len(words) - 1):
        yield (*words[:i], "*", *words[i + 1 :]), " ".join(words[:i] + words[i + 1 :])


def duplicates_of_day(people: list[_Person]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Exact (same folded name) and near (one middle name different, added or missing) matches
    among the members born on one day: member id → the ids of the others."""
    exact: dict[int, set[int]] = defaultdict(set)
    near: dict[int, set[int]] = defaultdict(set)
    by_name: dict[str, list[_Person]] = defaultdict(list)
    for person in people:
        by_name[person.name].append(person)
    for same in by_name.values():
        for a, b in itertools.combinations(same, 2):
            if not two_people(a, b):
                exact[a.pk].add(b.pk)
                exact[b.pk].add(a.pk)
    by_wildcard: dict[tuple[str, ...], list[_Person]] = defaultdict(list)
    pairs: list[tuple[_Person, _Person]] = []
    for person in people:
        for wildcard, shorter in _middle_variants(person.name.split()):
            by_wildcard[wildcard].append(person)
            pairs += [(person, other) for other in by_name.get(shorter, ())]
    for group in by_wildcard.values():
        pairs += [(a, b) for a, b in itertools.combinations(group, 2) if a.name != b.name]
    for a, b in pairs:
        if not two_people(a, b):
            near[a.pk].add(b.pk)
            near[b.pk].add(a.pk)
    return exact, near


def duplicate_findings(scope: Scope, progress: Progress = _no_progress) -> Iterator[Finding]:
    """Each member of the scope against every member in the Party born the same day."""
    everyone = Member.objects.filter(status__in=IN_PARTY).order_by()
    if scope.path is not None:
        everyone = everyone.filter(date_of_birth__in=scope.members().values("date_of_birth"))
    rows = everyone.order_by("date_of_birth").values_list(
        "date_of_birth", "pk", "name_fold", "citizen_id", "org_path"
    )
    done, reported = 0, 0
    for day, group in itertools.groupby(
        rows.iterator(chunk_size=CHUNK), key=operator.itemgetter(0)
    ):
        people = [_Person(pk, name, cccd, path) for _day, pk, name, cccd, path in group]
        done += len(people)
        if done - reported >= CHUNK:
            progress(reported := done)
        if len(people) < 2:
            continue
        exact, near = duplicates_of_day(people)
        for person in people:
            if not scope.contains(person.org_path):
                continue
            if person.pk in exact:
                others = tuple(sorted(exact[person.pk]))
                yield Finding(
                    person.pk,
                    "duplicate_name_birth",
                    person.org_path,
                    f"Cùng họ tên và ngày sinh {_d(day)} với {len(others)} hồ sơ khác.",
                    others,
                )
            if person.pk in near:
                others = tuple(sorted(near[person.pk]))
                yield Finding(
                    person.pk,
                    "duplicate_near",
                    person.org_path,
                    f"Cùng ngày sinh {_d(day)}, họ tên chỉ khác một tên đệm so với "
                    f"{len(others)} hồ sơ khác.",
                    others,
                )


# --- 4. Malformed identifiers that match another record once normalised ---------------------------

_NOT_DIGIT = re.compile(r"\D")
_WIDTH = {"citizen_id": 12, "party_card_number": 8}
_LABEL = {"citizen_id": "Số CCCD", "party_card_number": "Số thẻ đảng viên"}


def normalized_identifier(value: str, name: str) -> str | None:
    """Digits only, the leading zeros a spreadsheet dropped put back; None if it cannot be one."""
    digits = _NOT_DIGIT.sub("", value)
    width = _WIDTH[name]
    if not digits or len(digits) > width:
        return None
    return digits.zfill(width)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), IN_BATCH):
        yield values[start : start + IN_BATCH]


def identifier_findings(scope: Scope) -> Iterator[Finding]:
    """After `record_findings`: its malformed values against every stored value of the field."""
    for name in _WIDTH:
        # normalised value → records holding it: (member id, org_path, value as written)
        holders: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for pk, path, field_name, value in scope.malformed:
            if field_name == name and (normal := normalized_identifier(value, name)):
                holders[normal].append((pk, path, value))
        for chunk in _chunks(sorted(holders)):
            stored = Member.objects.filter(status__in=IN_PARTY, **{f"{name}__in": chunk})
            for pk, path, value in stored.values_list("pk", "org_path", name):
                holders[value].append((pk, path, value))
        for normal, records in holders.items():
            if len(records) < 2:
                continue
            ids = {pk for pk, _path, _value in records}
            for pk, path, value in records:
                if not scope.contains(path):
                    continue
                others = tuple(sorted(ids - {pk}))
                yield Finding(
                    pk,
                    "duplicate_identifier",
                    path,
                    f"{_LABEL[name]} «{value}» (chuẩn hóa: {normal}) trùng với {len(others)} "
                    "hồ sơ khác.",
                    others,
                )


# --- Field completeness ---------------------------------------------------------------------------

# (name, filled, for official members only). The dossier fields a complete record has; religion,
# academic title and theory level may rightly be empty and are not counted.
COMPLETENESS: tuple[tuple[str, Q, bool], ...] = (
    ("full_name", ~Q(full_name=""), False),
    ("gender", Q(gender__in=Gender.values), False),
    ("date_of_birth", Q(date_of_birth__isnull=False), False),
    ("citizen_id", Q(citizen_id__isnull=False) & ~Q(citizen_id=""), False),
    ("ethnicity", Q(ethnicity__isnull=False), False),
    ("birthplace", ~Q(birthplace="") | Q(birth_province_code__isnull=False), False),
    ("hometown", ~Q(hometown="") | Q(hometown_province_code__isnull=False), False),
    ("residence", ~Q(residence_address="") | Q(residence_province_code__isnull=False), False),
    ("education", Q(education__isnull=False), False),
    ("professional_level", Q(professional_level__isnull=False), False),
    ("occupation", Q(occupation__isnull=False), False),
    ("phone", ~Q(phone=""), False),
    ("admission_date", Q(admission_date__isnull=False), False),
    ("org", Q(org__isnull=False), False),
    ("recognition_date", Q(recognition_date__isnull=False), True),
    ("party_card_number", Q(party_card_number__isnull=False) & ~Q(party_card_number=""), True),
)


@dataclass(frozen=True)
class MemberFigures:
    members: int
    fields_filled: int
    fields_expected: int


def member_figures(scope: Scope) -> dict[str, MemberFigures]:
    """Members and filled dossier fields per org_path: one aggregate query."""
    official = Q(status__in=OFFICIAL_STATUSES)
    counts = {
        f"f{i}": Count("pk", filter=(filled & official) if for_official else filled)
        for i, (_name, filled, for_official) in enumerate(COMPLETENESS)
    }
    base = sum(1 for *_rest, for_official in COMPLETENESS if not for_official)
    extra = len(COMPLETENESS) - base
    rows = (
        scope.members()
        .values("org_path")
        .annotate(n=Count("pk"), officials=Count("pk", filter=official), **counts)
        .order_by()
    )
    return {
        row["org_path"]: MemberFigures(
            members=row["n"],
            fields_filled=sum(row[key] for key in counts),
            fields_expected=row["n"] * base + row["officials"] * extra,
        )
        for row in rows
    }
