"""Demo procedures, made after the members are written and consistent with them: candidates of each
cell, admission cases (closed for the members admitted in the two years before the as-of day,
their decision on the admission date; open for some candidates at various steps), recognition
cases, and closed official transfers mirroring the moves between cells of the demo memberships.

Dates are planned here; deadlines come from the dated rules in force (`rule_in_force`), and an
open case's next step and deadline are those `step_record` would leave: the flow's next main step
(`flows.main_next`, with the steps `flows.skipped` for the cell's level) and the deadline its rule
gives from the step it counts from. A step after its deadline is marked late with a reason.
Votes use the cell's official members on the meeting's day, counted from the written membership
and status periods as `members_of_org_on` counts them. Rows go through the bulk writer.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Model

from dangvien.core.dates import add_months, months_reached, years_before
from dangvien.core.db import bulk
from dangvien.core.db.bulk import Table, table_with
from dangvien.core.paths import subtree_q
from dangvien.demo.names import NameMaker
from dangvien.demo.orgnames import ARMED, CARE, RESIDENTIAL
from dangvien.demo.people import CARD_HALF, number_keys, shuffle_number
from dangvien.demo.plan import GRASSROOTS_CELL, OrgPlan, Plan
from dangvien.members.models import (
    IN_PARTY,
    Award,
    EducationLevel,
    Member,
    Membership,
    Status,
    StatusPeriod,
)
from dangvien.procedures.flows import main_next, skipped, spec_of
from dangvien.procedures.models import (
    Badge,
    Candidate,
    CandidateSource,
    CardState,
    CardVoidReason,
    Case,
    CaseKind,
    CaseState,
    Exemption,
    Exit,
    ExitReason,
    Introducer,
    Outcome,
    PartyCard,
    Step,
)
from dangvien.procedures.rules import NoRuleInForce, Rule, rule_in_force
from dangvien.procedures.rules import badge as badge_rules
from dangvien.procedures.rules import recognition as recognition_rules
from dangvien.procedures.rules import votes as vote_rules

ADMISSION_YEARS = 2  # closed admission cases for the members admitted this long before as-of
CANDIDATES_PER_CELL = (1, 1, 2, 2, 2, 3, 3, 4)  # drawn per cell: about two on average
OPEN_CASE_SHARE = 0.45  # candidates with an admission case under way
LATE_SHARE = 0.04  # cases whose committee decides after the 60 working days
RECOGNITION_DUE_DAYS = 60  # probations ending this soon have their recognition case opened
RECOGNITION_OPEN_SHARE = 0.7
CHUNK = 5000  # cells or members per query of a province's rows (each by its index)
BADGE_PROPOSED_SHARE = 0.6  # of the members reaching a milestone by the next award day
BADGE_FIELDS = ["case", "member", "milestone", "award_day", "reaches_on", "early", "active"]
EXIT_FIELDS = ["case", "member", "reason", "detail", "authority", "died_on"]
OPEN_STRIKE_OFFS_PER_CELLS = 60  # one open striking off per this many cells of a province
# The case kind of each status of a member who left the Party.
EXIT_OF_STATUS: dict[str, tuple[str, str]] = {
    Status.STRUCK_OFF: (CaseKind.STRIKE_OFF, Outcome.STRUCK_OFF),
    Status.EXPELLED: (CaseKind.EXPULSION, Outcome.EXPELLED),
    Status.DISCHARGED: (CaseKind.DISCHARGE, Outcome.DISCHARGED),
    Status.DECEASED: (CaseKind.DEATH, Outcome.DECEASED),
}
STRIKE_OFF_DETAILS = (
    (ExitReason.NO_ACTIVITY_OR_DUES, "Bỏ sinh hoạt đảng, không đóng đảng phí 3 tháng trong năm"),
    (ExitReason.NO_ACTIVITY_OR_DUES, "Không đóng đảng phí 3 tháng trong năm, không có lý do"),
    (ExitReason.NO_PROGRESS, "Đã được chi bộ giáo dục, sau 12 tháng không tiến bộ"),
)
AWARD_FIELDS = ["member", "date", "form", "issuer", "reason"]
CERTIFICATE_TURNS = ("valid", "expiring", "expired", "none", "valid", "valid", "expiring", "valid")
LATE_REASONS = (
    "Cấp ủy cấp trên họp chậm do trùng thời gian tổ chức đại hội.",
    "Phải thẩm tra bổ sung lý lịch của người vào Đảng.",
    "Người vào Đảng đi công tác dài ngày.",
    "Hồ sơ gửi lên thiếu, phải bổ sung.",
)
CLASS_NAMES = (
    "Lớp bồi dưỡng nhận thức về Đảng, Trung tâm Chính trị",
    "Lớp bồi dưỡng nhận thức về Đảng khóa {n}",
)
SOURCES_BY_PROFILE = {
    RESIDENTIAL: (CandidateSource.RESIDENT, CandidateSource.YOUTH_UNION, CandidateSource.WORKER),
    ARMED: (CandidateSource.ARMED_FORCES, CandidateSource.YOUTH_UNION),
    CARE: (CandidateSource.CIVIL_SERVANT, CandidateSource.TRADE_UNION, CandidateSource.YOUTH_UNION),
}
DEFAULT_SOURCES = (
    CandidateSource.CIVIL_SERVANT,
    CandidateSource.YOUTH_UNION,
    CandidateSource.TRADE_UNION,
    CandidateSource.WORKER,
    CandidateSource.STUDENT,
    CandidateSource.OTHER,
)

CANDIDATE_FIELDS = [
    "id", "org", "org_path", "full_name", "name_sort", "gender", "date_of_birth", "ethnicity",
    "phone", "hometown", "current_address", "education", "source", "class_name",
    "class_certificate_date",
    "registered_on", "note",
]  # fmt: skip
HELPER_FIELDS = ["candidate", "member"]
CASE_FIELDS = [
    "id", "kind", "member", "candidate", "org", "org_path", "other_org", "other_org_path",
    "opened_on", "state", "closed_on", "outcome", "next_deadline", "next_step",
]  # fmt: skip
STEP_FIELDS = [
    "case", "kind", "done_on", "received_on", "reference", "eligible", "present", "votes_for",
    "votes_against", "deadline", "late", "late_reason", "rule",
]  # fmt: skip
INTRODUCER_FIELDS = ["case", "member", "known_since"]
HELPERS_MODEL = Candidate.helpers.through
MODELS: list[type[Model]] = [
    Candidate, HELPERS_MODEL, Case, Step, Introducer, Badge, Exit, Exemption, PartyCard
]  # fmt: skip
EXEMPTION_FIELDS = ["case", "member", "scope", "reason", "decided", "valid_from", "valid_to"]

# The recognition flow's deadline counts from the member's 12-month date, not from a step.
RECOGNITION_STEPS = ("dossier", "cell_resolution", "grassroots_resolution", "decision")


@dataclass
class PlannedStep:
    kind: str
    done_on: dt.date
    received_on: dt.date | None = None
    reference: str = ""
    votes: tuple[int, int, int, int] | None = None  # eligible, present, for, against


@dataclass
class PlannedCase:
    kind: str
    org: OrgPlan
    opened_on: dt.date
    member: int | None = None
    candidate: int | None = None
    other_org: OrgPlan | None = None
    steps: list[PlannedStep] = field(default_factory=list)
    closed_on: dt.date | None = None
    outcome: str = ""
    introducers: list[tuple[int, dt.date]] = field(default_factory=list)
    late_reason: str = ""
    probation_end: dt.date | None = None  # recognition: what its deadline counts from
    badge: tuple[int, dt.date, dt.date] | None = None  # milestone, award day, reaches on
    exit: tuple[str, str, str, dt.date | None] | None = None  # reason, detail, authority, died
    exempted_from: dt.date | None = None  # an exemption from meetings: the resolution's day


@dataclass
class Written:
    candidates: int = 0
    cases: int = 0
    steps: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    void_cards: int = 0  # cards lost or damaged, re-issued
    queued_cards: int = 0  # recognised lately: waiting in the card queue


@functools.cache
def _rule(name: str, day: dt.date) -> Rule | None:
    try:
        return rule_in_force(name, day)
    except NoRuleInForce:  # a day before every rule kept (the hanoi scale's 2020): no deadline
        return None


@functools.cache
def _apply(name: str, start: dt.date, argument: str) -> dt.date | None:
    """The deadline rule `name` in force on `start` gives from `start` (cached: a few hundred
    distinct days, each a read of the working calendar)."""
    rule = _rule(name, start)
    return rule(**{argument: start}) if rule is not None else None


def _rule_text(rule: Rule | None) -> str:
    return f"{rule.title}, {rule.citation}" if rule is not None else ""


class Officials:
    """Each cell's official members as periods (member, from, to), from the written membership
    and status periods: a member counts on a day when both an official membership of the cell
    and an official status hold that day (as `members_of_org_on`)."""

    def __init__(self, since: dt.date, cells: Iterable[int]) -> None:
        # One raw join, not the ORM: a million periods at `hanoi`, whose conversions cost seconds.
        self.by_org: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for org, member, low, high in _official_periods(since, sorted(cells)):
            if high is None or low < high:
                self.by_org[org].append((member, low, high))

    def on(self, org: int, day: dt.date) -> list[int]:
        return sorted(
            {
                member
                for member, low, high in self.by_org.get(org, ())
                if low <= day and (high is None or day < high)
            }
        )

    def count(self, org: int, day: dt.date) -> int:
        # A member has one official membership of a cell at a time: no one is counted twice.
        return sum(
            1
            for _m, low, high in self.by_org.get(org, ())
            if low <= day and (high is None or day < high)
        )


_DAYS: dict[object, dt.date] = {}


def _day(value: object) -> dt.date | None:
    """A date read as text (a few thousand distinct days)."""
    if value is None:
        return None
    day = _DAYS.get(value)
    if day is None:
        day = _DAYS[value] = (
            value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        )
    return day


def _official_periods(
    since: dt.date, cells: list[int]
) -> Iterable[tuple[int, int, dt.date, dt.date | None]]:
    """(cell, member, from, to) where an official membership and an official status period of the
    member overlap, for the periods not ended by `since`, of `cells` (read a chunk of cells at a
    time, each by the memberships' index on the cell)."""
    qn = connection.ops.quote_name
    ms, sp = qn(Membership._meta.db_table), qn(StatusPeriod._meta.db_table)
    start, end = qn("valid_from"), qn("valid_to")
    for first in range(0, len(cells), CHUNK):
        chunk = cells[first : first + CHUNK]
        sql = (
            # As text: no per-value converter on SQLite, a few thousand distinct days parsed once.
            f"SELECT m.{qn('org_id')}, m.{qn('member_id')}, "
            f"CAST(CASE WHEN m.{start} > s.{start} THEN m.{start} ELSE s.{start} END AS TEXT), "
            f"CAST(CASE WHEN m.{end} IS NULL THEN s.{end} WHEN s.{end} IS NULL THEN m.{end} "
            f"WHEN m.{end} < s.{end} THEN m.{end} ELSE s.{end} END AS TEXT) "
            f"FROM {ms} m JOIN {sp} s ON s.{qn('member_id')} = m.{qn('member_id')} "
            f"WHERE m.{qn('org_id')} IN ({', '.join(['%s'] * len(chunk))}) "
            f"AND m.{qn('kind')} = %s AND s.{qn('status')} = %s "
            f"AND (m.{end} IS NULL OR m.{end} > %s) AND (s.{end} IS NULL OR s.{end} > %s)"
        )
        params: list[int | str | dt.date] = [
            *chunk, Membership.Kind.OFFICIAL, Status.OFFICIAL, since, since
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(50_000):
                for org, member, low, high in batch:
                    yield org, member, _day(low), _day(high)  # type: ignore[misc]


def _weekday(day: dt.date) -> dt.date:
    """Meetings and decisions on a weekday: the Friday before a weekend day."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


class Maker:
    """Plans the procedures of the cells of `plan` under `root` (one province: what is held in
    memory is one province's), deterministic for its seed."""

    def __init__(
        self,
        plan: Plan,
        *,
        as_of: dt.date,
        ethnicities: dict[str, int],
        root: OrgPlan,
        cells: dict[int, OrgPlan],
    ) -> None:
        self.plan = plan
        self.as_of = as_of
        self.scope = root.path
        self.rng = random.Random(f"dangvien-demo-procedures:{plan.scale}:{plan.seed}:{root.id}")
        self.names = NameMaker()
        self.kinh = ethnicities.get("Kinh")
        levels = dict(EducationLevel.objects.values_list("code", "id"))
        # Today's candidates finished school: mostly upper secondary, a few lower secondary.
        self.schooling = [levels.get("12/12"), levels.get("11/12"), levels.get("9/12")]
        # Transfers may end in another province: every cell, and the root's own to start from.
        self.all_cells = cells
        self.cells = {pk: org for pk, org in cells.items() if org.path.startswith(self.scope)}
        self.officials = Officials(add_months(as_of, -12 * ADMISSION_YEARS - 12), self.cells)
        self.candidates: list[tuple] = []
        self.helpers: list[tuple] = []
        self.cases: list[PlannedCase] = []
        self.references: dict[tuple[int, int], int] = {}
        self.turn = 0
        self.next_candidate = (
            Candidate.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1

    # Votes, references, late reasons.

    def _votes(self, org: int, day: dt.date) -> tuple[int, int, int, int] | None:
        eligible = self.officials.count(org, day)
        if eligible == 0:
            return None
        least = -(-2 * eligible // 3)  # two thirds, rounded up
        present = eligible - min(eligible - least, int(self.rng.random() ** 2 * 3))
        votes_for = present - min(present - least, int(self.rng.random() ** 3 * 2))
        return eligible, present, votes_for, present - votes_for

    def _reference(self, org: OrgPlan, day: dt.date, suffix: str) -> str:
        upper = org.parent.parent if org.level != GRASSROOTS_CELL and org.parent else org.parent
        key = (upper.id if upper else 0, day.year)
        n = self.references.get(key, 0) + 1 + int(self.rng.random() * 3)
        self.references[key] = n
        return f"{n}-{suffix}"

    # Admission cases of the members admitted lately.

    def admissions(self) -> None:
        start = add_months(self.as_of, -12 * ADMISSION_YEARS)
        members = list(
            Member.objects.filter(
                subtree_q("org_path", self.scope),
                admission_date__gte=start,
                admission_date__lt=self.as_of,
                status__in=[Status.PROBATIONARY, Status.OFFICIAL],
            )
            .order_by("pk")
            .values_list("pk", "org_id", "date_of_birth", "admission_date",
                         "admission_ceremony_date", "status")
        )  # fmt: skip
        ids = [row[0] for row in members]
        moved: set[int] = set()
        for first in range(0, len(ids), CHUNK):
            moved.update(
                Membership.objects.filter(
                    member_id__in=ids[first : first + CHUNK], valid_to__isnull=False
                ).values_list("member_id", flat=True)
            )
        for pk, org_id, born, admitted, ceremony, status in members:
            cell = self.cells.get(org_id)
            # Members who moved since were admitted in another cell: that cell's story.
            if cell is None or admitted is None or pk in moved:
                continue
            case = self._admission_of_member(cell, pk, born, admitted, ceremony)
            if case is not None:
                self.cases.append(case)
                self._recognition(cell, pk, admitted, status)

    def _admission_of_member(
        self, cell: OrgPlan, member: int, born: dt.date, decided: dt.date, ceremony: dt.date | None
    ) -> PlannedCase | None:
        rng = self.rng
        late = rng.random() < LATE_SHARE
        gap = 95 + int(rng.random() * 40) if late else 10 + int(rng.random() * 40)
        # The cell considers a person of 18 full years at least (the rule the step checks).
        resolution = max(_weekday(decided - dt.timedelta(days=gap)), add_months(born, 216))
        votes = self._votes(cell.id, resolution)
        if votes is None or resolution > decided:
            return None
        dossier = resolution - dt.timedelta(days=7 + int(rng.random() * 24))
        opened = dossier - dt.timedelta(days=7 + int(rng.random() * 35))
        steps = [
            PlannedStep("dossier", dossier),
            PlannedStep("cell_resolution", resolution, votes=votes),
        ]
        if "grassroots_resolution" not in skipped(CaseKind.ADMISSION, cell.level):
            days = (decided - resolution).days
            grassroots = resolution + dt.timedelta(days=min(days, 3 + int(rng.random() * 12)))
            steps.append(
                PlannedStep(
                    "grassroots_resolution",
                    grassroots,
                    reference=self._reference(cell, grassroots, "NQ/ĐU"),
                )
            )
        received = min(decided + dt.timedelta(days=int(rng.random() * 5)), self.as_of)
        if ceremony is not None and decided <= ceremony < received:
            received = ceremony
        steps.append(
            PlannedStep(
                "decision",
                decided,
                received_on=received,
                reference=self._reference(cell, decided, "QĐ/ĐU"),
            )
        )
        case = PlannedCase(CaseKind.ADMISSION, cell, opened, member=member, steps=steps)
        if late:
            case.late_reason = LATE_REASONS[int(rng.random() * len(LATE_REASONS))]
        if ceremony is not None and decided <= ceremony <= self.as_of:
            steps.append(PlannedStep("ceremony", ceremony))
            case.closed_on, case.outcome = ceremony, Outcome.ADMITTED
        return case

    # Recognition cases of the members admitted lately.

    def _recognition(self, cell: OrgPlan, member: int, admitted: dt.date, status: str) -> None:
        rng = self.rng
        end_rule = _rule(recognition_rules.PROBATION_END, admitted)
        # Before every rule kept, the 12 months the members' own dates use (people.py).
        end: dt.date = (
            end_rule(admitted_on=admitted) if end_rule is not None else add_months(admitted, 12)
        )
        opened = max(admitted, end - dt.timedelta(days=10 + int(rng.random() * 50)))
        if status == Status.PROBATIONARY:
            # Probations ending soon: the case is open, waiting for the cell's dossier.
            due_soon = end <= self.as_of + dt.timedelta(days=RECOGNITION_DUE_DAYS)
            if due_soon and opened < self.as_of and rng.random() < RECOGNITION_OPEN_SHARE:
                case = PlannedCase(CaseKind.RECOGNITION, cell, opened, member=member)
                case.probation_end = end
                self.cases.append(case)
            return
        # Official since the 12-month date: the committee decided, on or after it.
        late = rng.random() < LATE_SHARE
        resolution = _weekday(end + dt.timedelta(days=(45 if late else 0) + int(rng.random() * 25)))
        grassroots = resolution + dt.timedelta(days=3 + int(rng.random() * 10))
        decided = _weekday(grassroots + dt.timedelta(days=5 + int(rng.random() * 20)))
        dossier = max(opened, resolution - dt.timedelta(days=5 + int(rng.random() * 20)))
        votes = self._votes(cell.id, resolution)
        if decided >= self.as_of or votes is None:
            return
        case = PlannedCase(
            CaseKind.RECOGNITION,
            cell,
            min(opened, dossier),
            member=member,
            steps=[
                PlannedStep("dossier", dossier),
                PlannedStep("cell_resolution", resolution, votes=votes),
                PlannedStep(
                    "grassroots_resolution",
                    grassroots,
                    reference=self._reference(cell, grassroots, "NQ/ĐU"),
                ),
                PlannedStep(
                    "decision",
                    decided,
                    received_on=decided,
                    reference=self._reference(cell, decided, "QĐ/ĐU"),
                ),
            ],
            closed_on=decided,
            outcome=Outcome.RECOGNISED,
            probation_end=end,
        )
        if late:
            case.late_reason = LATE_REASONS[int(rng.random() * len(LATE_REASONS))]
        self.cases.append(case)

    # Candidates, some with an admission case under way.

    def candidates_of(self, cell: OrgPlan) -> None:
        rng, as_of = self.rng, self.as_of
        officials = self.officials.on(cell.id, as_of)
        for i in range(CANDIDATES_PER_CELL[int(rng.random() * len(CANDIDATES_PER_CELL))]):
            pk = self.next_candidate
            self.next_candidate += 1
            gender = "M" if rng.random() < 0.55 else "F"
            born = as_of - dt.timedelta(days=int((19 + 16 * rng.random() ** 1.5) * 365.2425))
            full, _folded, sort_key = self.names.make(rng, gender, born.year, "Kinh")
            registered = as_of - dt.timedelta(days=30 + int(rng.random() * 600))
            # Every cell has one case under way at least: something on its secretary's list.
            under_way = rng.random() < OPEN_CASE_SHARE or i == 0
            # The others' certificates in turns: valid, expiring within a month, expired, none.
            kind = "valid" if under_way else CERTIFICATE_TURNS[self.turn % len(CERTIFICATE_TURNS)]
            self.turn += not under_way
            issued: dt.date | None = None
            if kind == "valid":  # issued after the registration or up to about 3 years before
                issued = registered - dt.timedelta(days=int(rng.random() * 1200) - 20)
                issued = min(issued, registered)
            elif kind == "expiring":
                issued = add_months(as_of + dt.timedelta(days=1 + int(rng.random() * 29)), -60)
            elif kind == "expired":
                issued = add_months(as_of, -60) - dt.timedelta(days=1 + int(rng.random() * 300))
            source = self._source(cell)
            self.candidates.append(
                (
                    pk, cell.id, cell.path, full, sort_key[:400], gender,
                    born.isoformat(), self.kinh,
                    f"09{int(rng.random() * 10**8):08d}" if rng.random() < 0.9 else "",
                    "", "",
                    self.schooling[0 if rng.random() < 0.93 else 1 + int(rng.random() * 2)],
                    source,
                    CLASS_NAMES[1].format(n=issued.year) if issued else "",
                    issued.isoformat() if issued else None, registered.isoformat(), "",
                )
            )  # fmt: skip
            if officials and rng.random() < 0.6:
                self.helpers.append((pk, officials[int(rng.random() * len(officials))]))
            if under_way:
                case = self._admission_under_way(cell, pk, registered, officials)
                if case is not None:
                    self.cases.append(case)

    def _source(self, cell: OrgPlan) -> str:
        sources = SOURCES_BY_PROFILE.get(cell.profile, DEFAULT_SOURCES)
        return str(sources[int(self.rng.random() ** 1.5 * len(sources))])

    def _admission_under_way(
        self, cell: OrgPlan, candidate: int, registered: dt.date, officials: list[int]
    ) -> PlannedCase | None:
        rng, as_of = self.rng, self.as_of
        flow = ["dossier", "cell_resolution"]
        if "grassroots_resolution" not in skipped(CaseKind.ADMISSION, cell.level):
            flow.append("grassroots_resolution")
        done = int(rng.random() * (len(flow) + 1))  # how many steps are recorded
        day = as_of - dt.timedelta(days=1 + int(rng.random() * 90))
        days: list[dt.date] = []
        for _ in range(done):
            days.insert(0, day)
            day = _weekday(day - dt.timedelta(days=7 + int(rng.random() * 30)))
        opened = max(registered, day - dt.timedelta(days=int(rng.random() * 20)))
        if days and opened > days[0]:
            return None
        case = PlannedCase(CaseKind.ADMISSION, cell, opened, candidate=candidate)
        for kind, on in zip(flow, days, strict=False):
            votes = None
            if kind == "cell_resolution":
                votes = self._votes(cell.id, on)
                if votes is None:
                    return None
            reference = (
                self._reference(cell, on, "NQ/ĐU") if kind == "grassroots_resolution" else ""
            )
            case.steps.append(PlannedStep(kind, on, votes=votes, reference=reference))
        if done and len(officials) >= 2:  # the dossier needed its two introducers
            first, second = rng.sample(officials, 2)
            known = add_months(days[0], -13 - int(rng.random() * 36))
            case.introducers = [(first, known), (second, known)]
        return case

    # Transfers between cells, mirrored from the memberships.

    # Badges: awarded to the members who reached a milestone in the year before `as_of`, and
    # proposed (waiting for the committee) for some of those reaching one by the next award day.

    def badges(self) -> None:
        rng, as_of = self.rng, self.as_of
        next_day = badge_rules.next_award_day(as_of)
        first = add_months(as_of, -12)
        members = Member.objects.filter(
            subtree_q("org_path", self.scope),
            status__in=[Status.OFFICIAL, Status.EXEMPTED],
            party_age_from__isnull=True,
        )
        for milestone in badge_rules.MILESTONES:
            found = members.filter(
                admission_date__gt=years_before(first, milestone),
                admission_date__lte=years_before(next_day, milestone),
            ).values_list("pk", "org_id", "admission_date")
            for member, org_id, admitted in found.order_by("pk"):
                cell = self.cells.get(org_id)
                if cell is None or admitted is None:
                    continue
                reaches = months_reached(admitted, 12 * milestone)
                if not first < reaches <= next_day:
                    continue
                award_day = badge_rules.next_award_day(reaches)
                if award_day <= as_of:
                    proposed = award_day - dt.timedelta(days=45 + int(rng.random() * 30))
                    decided = _weekday(award_day - dt.timedelta(days=10 + int(rng.random() * 20)))
                    steps = [
                        PlannedStep("proposal", proposed),
                        PlannedStep("decision", decided,
                                    reference=self._reference(cell, decided, "QĐ/TU")),
                        PlannedStep("ceremony", award_day),
                    ]  # fmt: skip
                    case = PlannedCase(CaseKind.BADGE, cell, proposed, member=member, steps=steps,
                                       closed_on=award_day, outcome=Outcome.AWARDED)  # fmt: skip
                elif rng.random() < BADGE_PROPOSED_SHARE:
                    proposed = as_of - dt.timedelta(days=1 + int(rng.random() * 40))
                    case = PlannedCase(CaseKind.BADGE, cell, proposed, member=member,
                                       steps=[PlannedStep("proposal", proposed)])  # fmt: skip
                else:
                    continue
                case.badge = (milestone, award_day, reaches)
                self.cases.append(case)

    # Leaving the Party: the closed cases of the members whose record closed in the year before
    # `as_of` (their status from people.py: the case's closing day is the status's), and a few
    # striking-off cases under way (the cell's resolution passed, the committee to decide).

    def exits(self) -> None:
        rng, as_of = self.rng, self.as_of
        first = add_months(as_of, -12)
        left = (
            Member.objects.filter(
                subtree_q("org_path", self.scope),
                status__in=list(EXIT_OF_STATUS),
                status_periods__valid_to__isnull=True,
                status_periods__valid_from__gt=first,
            )
            .order_by("pk")
            .values_list("pk", "org_id", "status", "status_periods__valid_from", "recognition_date")
        )
        for member, org_id, status, since, recognised in left:
            cell = self.cells.get(org_id)
            if cell is None or since is None:
                continue
            kind, outcome = EXIT_OF_STATUS[status]
            if kind == CaseKind.DEATH:
                reported = min(since + dt.timedelta(days=3 + int(rng.random() * 20)), as_of)
                case = PlannedCase(
                    kind,
                    cell,
                    reported,
                    member=member,
                    closed_on=reported,
                    outcome=outcome,
                    steps=[PlannedStep("report", reported)],
                )
                case.exit = ("", "", "", since)
            elif kind == CaseKind.EXPULSION:
                opened = since - dt.timedelta(days=20 + int(rng.random() * 20))
                steps = [
                    PlannedStep(
                        "decision", since, reference=self._reference(cell, since, "QĐ/UBKT")
                    )
                ]
                case = PlannedCase(
                    kind, cell, opened, member=member, steps=steps, closed_on=since, outcome=outcome
                )
                upper = cell.parent.parent if cell.parent and cell.parent.parent else cell.parent
                body = f"Ủy ban Kiểm tra {upper.name}" if upper else "Ủy ban Kiểm tra"
                case.exit = ("", "Vi phạm tư cách đảng viên, bị xử lý kỷ luật", body, None)
            else:
                case = self._strike_off(kind, cell, member, since, outcome)
                if recognised is None:
                    reason, detail = ExitReason.NOT_RECOGNISED, "Không đủ tư cách đảng viên"
                else:
                    reason, detail = STRIKE_OFF_DETAILS[int(rng.random() * 3)]
                case.exit = (reason if kind == CaseKind.STRIKE_OFF else "", detail, "", None)
            self.cases.append(case)
        wanted = max(1, len(self.cells) // OPEN_STRIKE_OFFS_PER_CELLS)
        staying = (
            Member.objects.filter(subtree_q("org_path", self.scope), status=Status.OFFICIAL)
            .order_by()
            .values_list("pk", "org_id")[: wanted * 5]
        )
        for member, org_id in list(staying)[::5]:
            cell = self.cells.get(org_id)
            if cell is None:
                continue
            voted = _weekday(as_of - dt.timedelta(days=3 + int(rng.random() * 20)))
            opened = voted - dt.timedelta(days=7)
            case = PlannedCase(
                CaseKind.STRIKE_OFF,
                cell,
                opened,
                member=member,
                steps=[PlannedStep("cell_resolution", voted, votes=self._votes(cell.id, voted))],
            )
            case.exit = (*STRIKE_OFF_DETAILS[0], "", None)
            self.cases.append(case)

    def _strike_off(
        self, kind: str, cell: OrgPlan, member: int, decided: dt.date, outcome: str
    ) -> PlannedCase:
        """A striking off or discharge decided on `decided`: the cell's resolution (with its vote
        for a striking off) a month before, the grassroots opinion two weeks before."""
        voted = _weekday(decided - dt.timedelta(days=30))
        steps = [
            PlannedStep(
                "cell_resolution",
                voted,
                reference=self._reference(cell, voted, "NQ/CB"),
                votes=self._votes(cell.id, voted) if kind == CaseKind.STRIKE_OFF else None,
            )
        ]
        if kind == CaseKind.DISCHARGE:
            steps.insert(0, PlannedStep("application", voted - dt.timedelta(days=10)))
        if cell.level != GRASSROOTS_CELL:
            steps.append(
                PlannedStep("grassroots_resolution", _weekday(decided - dt.timedelta(days=14)))
            )
        steps.append(
            PlannedStep("decision", decided, reference=self._reference(cell, decided, "QĐ/TU"))
        )
        return PlannedCase(
            kind,
            cell,
            steps[0].done_on,
            member=member,
            steps=steps,
            closed_on=decided,
            outcome=outcome,
        )

    # Exemptions: the case of every member whose status is "miễn sinh hoạt" (people.py gives it
    # to a share of the elderly), its resolution on the day the status began; the committee above
    # took note some days later (not yet, for the latest).

    def exemptions(self) -> None:
        rng, as_of = self.rng, self.as_of
        periods = StatusPeriod.objects.filter(
            subtree_q("member__org_path", self.scope),
            status=Status.EXEMPTED,
            valid_to__isnull=True,
            member__status=Status.EXEMPTED,
        ).values_list("member_id", "member__org_id", "valid_from")
        for member, org_id, since in periods.order_by("member_id"):
            cell = self.cells.get(org_id)
            if cell is None:
                continue
            applied = since - dt.timedelta(days=7 + int(rng.random() * 30))
            noted = since + dt.timedelta(days=5 + int(rng.random() * 20))
            steps = [
                PlannedStep("application", applied),
                PlannedStep("cell_resolution", since,
                            reference=self._reference(cell, since, "NQ/CB")),
            ]  # fmt: skip
            case = PlannedCase(CaseKind.EXEMPTION, cell, applied, member=member, steps=steps)
            if noted <= as_of:
                steps.append(PlannedStep("reported", noted))
                case.closed_on, case.outcome = noted, Outcome.EXEMPTED
            case.exempted_from = since
            self.cases.append(case)

    def transfers(self) -> None:
        cells = sorted(self.cells)
        rows: list[tuple[int, int, int | None, dt.date | None]] = []
        for first in range(0, len(cells), CHUNK):
            rows += (
                Membership.objects.filter(
                    org_id__in=cells[first : first + CHUNK],
                    kind=Membership.Kind.OFFICIAL,
                    valid_to__isnull=False,
                    member__status__in=list(IN_PARTY),
                )
                .exclude(org_id=F("member__org_id"))
                .values_list("member_id", "org_id", "member__org_id", "valid_to")
            )
        rows.sort(key=lambda row: (row[0], row[1]))
        for member, from_id, to_id, moved in rows:
            origin = self.cells.get(from_id)
            destination = self.all_cells.get(to_id) if to_id is not None else None
            if origin is None or destination is None or moved is None:
                continue
            opened = moved - dt.timedelta(days=10 + int(self.rng.random() * 30))
            self.cases.append(
                PlannedCase(
                    CaseKind.TRANSFER_OFFICIAL,
                    origin,
                    opened,
                    member=member,
                    other_org=destination,
                    closed_on=moved,
                    outcome=Outcome.TRANSFERRED,
                )
            )


def _deadline(
    case: PlannedCase, kind: str, done: dict[str, PlannedStep]
) -> tuple[dt.date, str] | None:
    """The deadline of step `kind` and its rule's words, as `services.deadline_of` gives it."""
    if case.kind == CaseKind.RECOGNITION:
        if kind != "cell_resolution" or case.probation_end is None:
            return None
        name, start, argument = (
            recognition_rules.CONSIDERATION_DEADLINE,
            case.probation_end,
            "probation_end",
        )
    else:
        spec = spec_of(case.kind, kind)
        if spec is None or spec.deadline is None or spec.deadline.since not in done:
            return None
        since = done[spec.deadline.since]
        start = getattr(since, spec.deadline.field, None) or since.done_on
        name, argument = spec.deadline.rule, spec.deadline.argument
    due = _apply(name, start, argument)
    return (due, _rule_text(_rule(name, start))) if due is not None else None


def rows_of(
    cases: Iterable[PlannedCase], first_case: int
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Case, step and introducer rows, ids from `first_case`."""
    case_rows: list[tuple] = []
    step_rows: list[tuple] = []
    introducer_rows: list[tuple] = []
    for pk, case in enumerate(cases, start=first_case):
        done: dict[str, PlannedStep] = {}
        for step in case.steps:
            due = _deadline(case, step.kind, done)
            late = due is not None and step.done_on > due[0]
            rules = []
            if step.votes is not None:
                rules.append(_rule_text(_rule(vote_rules.TWO_THIRDS, step.done_on)))
            if due is not None:
                rules.append(due[1])
            eligible, present, votes_for, against = step.votes or (None, None, None, None)
            step_rows.append(
                (
                    pk, step.kind, step.done_on.isoformat(),
                    step.received_on.isoformat() if step.received_on else None,
                    step.reference, eligible, present, votes_for, against,
                    due[0].isoformat() if due else None, late,
                    (case.late_reason or LATE_REASONS[0]) if late else "",
                    "; ".join(filter(None, rules))[:300],
                )
            )  # fmt: skip
            done[step.kind] = step
        next_step, next_deadline = "", None
        if case.closed_on is None:
            if case.steps:
                # As `step_record` leaves it: the next main step and its deadline.
                skip = skipped(case.kind, case.org.level)
                spec = main_next(case.kind, set(done), skip)
                if spec is not None:
                    next_step = spec.kind
                    due = _deadline(case, spec.kind, done)
                    next_deadline = due[0] if due else None
            elif case.kind == CaseKind.RECOGNITION and case.probation_end is not None:
                # As opening a recognition case leaves it: due from the 12-month date.
                due = _deadline(case, "cell_resolution", done)
                next_deadline = due[0] if due else None
        other = case.other_org
        case_rows.append(
            (
                pk, case.kind, case.member, case.candidate, case.org.id, case.org.path,
                other.id if other else None, other.path if other else "",
                case.opened_on.isoformat(),
                CaseState.CLOSED if case.closed_on else CaseState.OPEN,
                case.closed_on.isoformat() if case.closed_on else None, case.outcome,
                next_deadline.isoformat() if next_deadline else None, next_step,
            )
        )  # fmt: skip
        for member, known in case.introducers:
            introducer_rows.append((pk, member, known.isoformat()))
    return case_rows, step_rows, introducer_rows


def badge_rows(cases: list[PlannedCase], first_case: int) -> tuple[list[tuple], list[tuple]]:
    """The `Badge` row of each badge case (ids as `rows_of` gives them) and, for those awarded,
    the award in the member's dossier, as the ceremony's effect writes it."""
    badges: list[tuple] = []
    awards: list[tuple] = []
    for pk, case in enumerate(cases, start=first_case):
        if case.badge is None:
            continue
        milestone, award_day, reaches = case.badge
        badges.append((pk, case.member, milestone, award_day.isoformat(), reaches.isoformat(),
                       "", True))  # fmt: skip
        if case.outcome == Outcome.AWARDED:
            decision = next(step for step in case.steps if step.kind == "decision")
            awards.append((case.member, award_day.isoformat(),
                           f"Huy hiệu {milestone} năm tuổi Đảng",
                           f"Quyết định số {decision.reference}", ""))  # fmt: skip
    return badges, awards


def exit_rows(cases: list[PlannedCase], first_case: int) -> list[tuple]:
    """The `Exit` row of each exit case (ids as `rows_of` gives them)."""
    rows: list[tuple] = []
    for pk, case in enumerate(cases, start=first_case):
        if case.exit is not None and case.member is not None:
            reason, detail, authority, died = case.exit
            rows.append(
                (pk, case.member, reason, detail, authority, died.isoformat() if died else None)
            )
    return rows


def exemption_rows(cases: list[PlannedCase], first_case: int) -> list[tuple]:
    """The `Exemption` row of each exemption case (ids as `rows_of` gives them): from meetings,
    for age, open-ended, from the resolution's day."""
    return [
        (pk, case.member, "activity", "age", True, case.exempted_from.isoformat(), None)
        for pk, case in enumerate(cases, start=first_case)
        if case.exempted_from is not None
    ]


def demo_procedures_write(
    writer: bulk.Writer, plan: Plan, *, as_of: dt.date, ethnicities: dict[str, int]
) -> Written:
    """Plan and write the procedures of the demo's cells (members already written), one province
    at a time: a national plan never holds the whole country's periods and cases at once."""
    cells = {org.id: org for org in plan.cells()}
    written = Written(0, 0, 0)
    # The card numbers the people generator gave: the void cards' numbers follow them.
    carded = Member.objects.filter(party_card_number__isnull=False).count()
    for root in (org for org in plan.orgs if org.parent is None):
        maker = Maker(plan, as_of=as_of, ethnicities=ethnicities, root=root, cells=cells)
        for cell in maker.cells.values():
            maker.candidates_of(cell)
        maker.admissions()
        maker.transfers()
        maker.badges()
        maker.exits()
        maker.exemptions()
        first_case = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        cases, steps, introducers = rows_of(maker.cases, first_case)
        badges, awards = badge_rows(maker.cases, first_case)
        tables: list[tuple[Table, list[tuple]]] = [
            (Table(Candidate, CANDIDATE_FIELDS), maker.candidates),
            (Table(HELPERS_MODEL, HELPER_FIELDS), maker.helpers),
            (table_with(Case, CASE_FIELDS), cases),
            (table_with(Step, STEP_FIELDS), steps),
            (Table(Introducer, INTRODUCER_FIELDS), introducers),
            (Table(Badge, BADGE_FIELDS), badges),
            (Table(Award, AWARD_FIELDS), awards),
            (Table(Exit, EXIT_FIELDS), exit_rows(maker.cases, first_case)),
            (Table(Exemption, EXEMPTION_FIELDS), exemption_rows(maker.cases, first_case)),
        ]
        writer.write(tables)
        written.void_cards += demo_cards_write(
            plan, root, as_of=as_of, first_void=carded + written.void_cards
        )
        written.candidates += len(maker.candidates)
        written.cases += len(cases)
        written.steps += len(steps)
        for case in maker.cases:
            written.by_kind[case.kind] = written.by_kind.get(case.kind, 0) + 1
    written.queued_cards = demo_card_queue_write(as_of)
    return written


# --- Party cards ---------------------------------------------------------------------------------

CARD_QUEUE_DAYS = 30  # members recognised this recently wait in the card queue
CARD_REISSUE_EVERY = 1000  # one handed card in this many was re-issued after a loss or damage


def demo_cards_write(plan: Plan, root: OrgPlan, *, as_of: dt.date, first_void: int) -> int:
    """The card registry of one province from its records, in one INSERT … SELECT: each card
    number a record holds is the member's active card, handed on the recognition day (the demo
    records carry no issue day). Then a few re-issues: one card in CARD_REISSUE_EVERY had a
    predecessor, lost or damaged, recorded void, numbered by the people generator's shuffle from
    `first_void` on (past the numbers it gave). How many void cards were made."""
    before = PartyCard.objects.order_by("-id").values_list("id", flat=True).first() or 0
    recent = as_of - dt.timedelta(days=CARD_QUEUE_DAYS)
    province = Member.objects.filter(
        subtree_q("org_path", root.path), party_card_number__isnull=False
    ).exclude(recognition_date__gte=recent)
    sql, params = (
        province.order_by()
        .values_list("id", "party_card_number", "party_card_issued_date", "recognition_date")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(PartyCard._meta.db_table)} (member_id, "
            "number, issued_on, handed_on, state, void_reason, end_note, reference, handed_note) "
            f"SELECT s.*, 'handed', '', '', '', '' FROM ({sql}) s",
            params,
        )
    # The ids just written, as the database gave them (a PostgreSQL sequence may leave gaps).
    written = PartyCard.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
    picked = list(written)[::CARD_REISSUE_EVERY]
    keys = number_keys(plan)
    made = 0
    for start in range(0, len(picked), CHUNK):
        current = list(PartyCard.objects.filter(pk__in=picked[start : start + CHUNK]))
        olds = []
        for card in current:
            n = first_void + made
            made += 1
            handed = card.handed_on or as_of - dt.timedelta(days=3650)
            span = max((as_of - handed).days - 30, 1)
            ended = handed + dt.timedelta(days=span * (n % 7 + 1) // 8)
            lost = n % 3 != 0
            olds.append(
                PartyCard(
                    member_id=card.member_id,
                    number=f"{shuffle_number(n, CARD_HALF, keys):08d}",
                    state=CardState.VOID,
                    handed_on=card.handed_on,
                    ended_on=ended,
                    void_reason=CardVoidReason.LOST if lost else CardVoidReason.DAMAGED,
                    end_note="Mất thẻ khi đi công tác" if lost else "Thẻ bị ướt, mờ chữ",
                )
            )
            card.requested_on = ended
            card.handed_on = min(ended + dt.timedelta(days=21), as_of)
        PartyCard.objects.bulk_create(olds)
        for card, old in zip(current, olds, strict=True):
            card.replaces_id = old.pk
        PartyCard.objects.bulk_update(current, ["requested_on", "handed_on", "replaces"])
    return made


def demo_card_queue_write(as_of: dt.date) -> int:
    """Members recognised in the CARD_QUEUE_DAYS before the demo's day wait in the queue: the
    most recent for the committee's request, then requested, then numbered and waiting to be
    handed at their cell's next meeting. Their records hold no card yet (the record copies the
    active card). One query over the country's recent recognitions: a few thousand rows."""
    recent = as_of - dt.timedelta(days=CARD_QUEUE_DAYS)
    rows = list(
        Member.objects.filter(recognition_date__gte=recent, party_card_number__isnull=False)
        .order_by("pk")
        .values_list("pk", "party_card_number", "recognition_date")
    )
    queued = []
    for pk, number, recognised in rows:
        assert recognised is not None  # the filter says so
        age = (as_of - recognised).days
        if age <= CARD_QUEUE_DAYS // 3:
            continue  # waits for the committee's request
        requested = min(recognised + dt.timedelta(days=7), as_of)
        if age <= 2 * CARD_QUEUE_DAYS // 3:
            queued.append(PartyCard(member_id=pk, state=CardState.REQUESTED,
                                    requested_on=requested))  # fmt: skip
        else:
            registered = min(recognised + dt.timedelta(days=18), as_of)
            queued.append(PartyCard(member_id=pk, number=number, state=CardState.REGISTERED,
                                    requested_on=requested, registered_on=registered,
                                    issued_on=registered))  # fmt: skip
    for start in range(0, len(rows), CHUNK):
        chunk = [pk for pk, _, _ in rows[start : start + CHUNK]]
        Member.objects.filter(pk__in=chunk).update(
            party_card_number=None, party_card_issued_date=None
        )
    PartyCard.objects.bulk_create(queued, batch_size=CHUNK)
    return len(rows)
