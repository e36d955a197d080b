"""Yearly admission targets (chỉ tiêu kết nạp), the sources' pipeline of candidates, and the
procedure figures of a period.

A target belongs to one organization and one year and is set by the committee above it (the
policy's `decide` on the target, scoped by the parent's path). How many were admitted against it
is the reports' own admissions figure, counted in `reports` (which reads this module, never the
other way round).

The procedure figures count closed cases by kind, outcome and closing day; each is a filter
(`figure_filters`) that the cases list applies unchanged, so a number and the list behind it
cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dangvien.accounts.access import DECIDE, VIEW, allowed, restrict
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record
from dangvien.core.dates import add_months
from dangvien.core.models import AuditEvent
from dangvien.core.paths import subtree_q
from dangvien.orgs.models import Organization
from dangvien.procedures import selectors
from dangvien.procedures.models import (
    AdmissionTarget,
    Candidate,
    CandidateSource,
    Case,
    CaseKind,
    CaseState,
    Outcome,
)
from dangvien.procedures.rules.admission import certificate_valid_until

# A target is planned a few years ahead at most and corrected for a few past years at most.
YEARS_BACK = 10
YEARS_AHEAD = 5
LARGEST_TARGET = 100_000


def year_bounds(today: dt.date | None = None) -> tuple[int, int]:
    """The years a target may be set for, both included."""
    year = (today or timezone.localdate()).year
    return year - YEARS_BACK, year + YEARS_AHEAD


def year_of(raw: str | None) -> int:
    """The year asked for in an address (`?nam=`), this year when missing or out of range."""
    low, high = year_bounds()
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if low <= year <= high else timezone.localdate().year


def target_for(org: Organization, year: int) -> AdmissionTarget:
    """The organization's target of the year, or a new unsaved one with the paths the policy
    reads (to ask whether the user may set it)."""
    found = AdmissionTarget.objects.filter(org=org, year=year).first()
    if found is not None:
        return found
    return AdmissionTarget(
        org=org,
        org_path=org.path,
        parent_path=_parent_path(org),
        year=year,
        target=0,
    )


def _parent_path(org: Organization) -> str:
    if org.parent_id is None:
        return ""
    return Organization.objects.values_list("path", flat=True).get(pk=org.parent_id)


def settable(user: Actor, org: Organization, children: list[Organization], year: int) -> set[int]:
    """The ids, among `org` and its `children`, of those whose target the user may set: asked
    of the policy on unsaved targets, so a list of children costs no query per child."""

    def target(node: Organization, parent_path: str) -> AdmissionTarget:
        return AdmissionTarget(
            org=node, org_path=node.path, parent_path=parent_path, year=year, target=0
        )

    ids = {c.pk for c in children if allowed(user, DECIDE, target(c, org.path))}
    if allowed(user, DECIDE, target(org, _parent_path(org))):
        ids.add(org.pk)
    return ids


@transaction.atomic
def target_set(
    *,
    acting_user: ActingUser,
    org: Organization,
    year: int,
    target: int,
    note: str = "",
) -> AdmissionTarget:
    """Set (or change) `org`'s admission target for `year`. Refused, with the reason in
    Vietnamese and nothing written: a negative or absurd number, a year out of range, or a user
    who is not of the committee above the organization."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    low, high = year_bounds()
    problems: list[str] = []
    if not allowed(acting_user, DECIDE, target_for(org, year)):
        problems.append(
            f"Đồng chí không có quyền giao chỉ tiêu kết nạp cho {org.name}: chỉ tiêu do cấp ủy "
            "cấp trên trực tiếp của tổ chức giao."
        )
    if not low <= year <= high:
        problems.append(f"Năm giao chỉ tiêu phải từ {low} đến {high}.")
    if target < 0:
        problems.append("Chỉ tiêu kết nạp không được là số âm.")
    elif target > LARGEST_TARGET:
        problems.append(f"Chỉ tiêu kết nạp không quá {LARGEST_TARGET:,}.".replace(",", "."))
    if problems:
        raise ValidationError(problems)
    row = AdmissionTarget.objects.select_for_update().filter(org=org, year=year).first()
    before = None if row is None else {"target": row.target, "note": row.note}
    if row is None:
        row = AdmissionTarget(org=org, year=year)
    row.org_path, row.parent_path = org.path, _parent_path(org)
    row.target, row.note, row.set_by = target, note.strip(), acting_user
    row.save()
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        target=row,
        summary=f"Giao chỉ tiêu kết nạp năm {year} cho {org.name}: {target}",
        before=before,
        after={"org": org.pk, "year": year, "target": target, "note": row.note},
    )
    return row


# --- The sources' pipeline --------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineRow:
    """Candidates of one source in a subtree, through the year: on the list, with a valid
    awareness-class certificate, having applied (an admission case), admitted."""

    source: str
    label: str
    registered: int
    certified: int
    applied: int
    admitted: int


def _earliest_valid_certificate(day: dt.date) -> dt.date:
    """The first issue day of a certificate still valid on `day` (the admission rule's term)."""
    issued = add_months(day, -60)
    while certificate_valid_until(issued) < day:
        issued += dt.timedelta(days=1)
    while certificate_valid_until(issued - dt.timedelta(days=1)) >= day:
        issued -= dt.timedelta(days=1)
    return issued


def year_days(year: int) -> tuple[dt.date, dt.date]:
    """The first day of `year` and its last day, or today when the year is not over."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return first, min(last, max(timezone.localdate(), first))


def expected_by(target: int, day: dt.date) -> int:
    """The admissions a target of `day`'s year expects by `day` at an even pace through the
    year, rounded down (a target of 4 expects 2 from 2 July, 4 only on 31 December)."""
    first = dt.date(day.year, 1, 1)
    days = (dt.date(day.year, 12, 31) - first).days + 1
    return target * ((day - first).days + 1) // days


def pipeline(user: Actor, org: Organization, year: int) -> list[PipelineRow]:
    """The candidates of `org`'s subtree the user sees, by source, for `year`, as of its last
    day (today for the current year). On the list: registered by then and not admitted before
    the year; applied: an admission case opened by then and not closed before the year;
    admitted: a case closed as admitted during the year. One query."""
    start, end = year_days(year)
    admission = Case.objects.filter(candidate=OuterRef("pk"), kind=CaseKind.ADMISSION)
    admitted_before = admission.filter(outcome=Outcome.ADMITTED, closed_on__lt=start)
    applied = admission.filter(opened_on__lte=end).filter(
        Q(state=CaseState.OPEN) | Q(closed_on__gte=start)
    )
    admitted = admission.filter(outcome=Outcome.ADMITTED, closed_on__gte=start, closed_on__lte=end)
    earliest = _earliest_valid_certificate(end)
    rows = (
        restrict(Candidate.objects.all(), user, VIEW)
        .filter(subtree_q("org_path", org.path), registered_on__lte=end)
        .exclude(Exists(admitted_before))
        .annotate(applied=Exists(applied), admitted=Exists(admitted))
        .values("source")
        .annotate(
            registered=Count("pk"),
            certified=Count(
                "pk",
                filter=Q(class_certificate_date__lte=end, class_certificate_date__gte=earliest),
            ),
            applied_n=Count("pk", filter=Q(applied=True)),
            admitted_n=Count("pk", filter=Q(admitted=True)),
        )
        .order_by()
    )
    by_source = {row["source"]: row for row in rows}
    result = []
    for source, label in CandidateSource.choices:
        row = by_source.get(source)
        result.append(
            PipelineRow(
                source=source,
                label=str(label),
                registered=row["registered"] if row else 0,
                certified=row["certified"] if row else 0,
                applied=row["applied_n"] if row else 0,
                admitted=row["admitted_n"] if row else 0,
            )
        )
    return result


def pipeline_total(rows: list[PipelineRow]) -> PipelineRow:
    return PipelineRow(
        source="",
        label="Tổng số",
        registered=sum(r.registered for r in rows),
        certified=sum(r.certified for r in rows),
        applied=sum(r.applied for r in rows),
        admitted=sum(r.admitted for r in rows),
    )


# --- Procedure figures of a period ------------------------------------------------------------

TRANSFERS = (CaseKind.TRANSFER_OFFICIAL, CaseKind.TRANSFER_TEMPORARY)


@dataclass(frozen=True)
class Figure:
    """A count of closed cases: of these kinds, with this outcome, on this side of the
    subtree (`org`: the case's cell is in it; `in`: it came from outside to a cell in it;
    `out`: it left a cell in it for outside)."""

    key: str
    label: str
    kinds: tuple[str, ...]
    outcome: str
    side: str


FIGURES: tuple[Figure, ...] = (
    Figure("admitted", "Kết nạp", (CaseKind.ADMISSION,), Outcome.ADMITTED, "org"),
    Figure(
        "recognised",
        "Công nhận đảng viên chính thức",
        (CaseKind.RECOGNITION,),
        Outcome.RECOGNISED,
        "org",
    ),
    Figure(
        "transferred_in",
        "Chuyển sinh hoạt chính thức đến",
        (CaseKind.TRANSFER_OFFICIAL,),
        Outcome.TRANSFERRED,
        "in",
    ),
    Figure(
        "transferred_out",
        "Chuyển sinh hoạt chính thức đi",
        (CaseKind.TRANSFER_OFFICIAL,),
        Outcome.TRANSFERRED,
        "out",
    ),
    Figure(
        "temporary_in",
        "Chuyển sinh hoạt tạm thời đến",
        (CaseKind.TRANSFER_TEMPORARY,),
        Outcome.TRANSFERRED,
        "in",
    ),
    Figure(
        "temporary_out",
        "Chuyển sinh hoạt tạm thời đi",
        (CaseKind.TRANSFER_TEMPORARY,),
        Outcome.TRANSFERRED,
        "out",
    ),
    Figure("badges", "Trao tặng Huy hiệu Đảng", (CaseKind.BADGE,), Outcome.AWARDED, "org"),
    # Leaving the Party, by kind: the record closed over the period (a withdrawn case is none).
    Figure("struck_off", "Xóa tên", (CaseKind.STRIKE_OFF,), Outcome.STRUCK_OFF, "org"),
    Figure("expelled", "Khai trừ", (CaseKind.EXPULSION,), Outcome.EXPELLED, "org"),
    Figure("discharged", "Cho ra khỏi Đảng", (CaseKind.DISCHARGE,), Outcome.DISCHARGED, "org"),
    Figure("deceased", "Từ trần", (CaseKind.DEATH,), Outcome.DECEASED, "org"),
    # Counted on the day the committee above took note (the case closes then).
    Figure(
        "exemptions",
        "Miễn công tác, sinh hoạt đảng",
        (CaseKind.EXEMPTION,),
        Outcome.EXEMPTED,
        "org",
    ),
)
FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}


def side_q(org: Organization, side: str) -> Q:
    """Cases whose ends lie as `side` says relative to `org`'s subtree (today's paths). A
    transfer between two cells of the subtree is neither in nor out of it."""
    here = subtree_q("org_path", org.path)
    there = subtree_q("other_org_path", org.path)
    if side == "in":
        return there & ~here
    if side == "out":
        return here & ~there
    return here


def figure_cases(
    user: Actor, key: str, org: Organization, start: dt.date, end: dt.date
) -> QuerySet[Case] | None:
    """The cases behind one figure, through the cases list's own filters; None for an unknown
    key."""
    figure = FIGURES_BY_KEY.get(key)
    if figure is None:
        return None
    return selectors.case_list(
        user,
        state=CaseState.CLOSED,
        kinds=figure.kinds,
        outcome=figure.outcome,
        where=side_q(org, figure.side),
        closed_from=start,
        closed_to=end,
    )


def case_figures(
    user: Actor, org: Organization, start: dt.date, end: dt.date
) -> list[tuple[Figure, int]]:
    """Each figure of `FIGURES` for `org`'s subtree over the period, counted over the cases the
    user sees, in one query."""
    counts = (
        selectors.cases_visible_to(user)
        .filter(state=CaseState.CLOSED, closed_on__gte=start, closed_on__lte=end)
        .filter(subtree_q("org_path", org.path) | subtree_q("other_org_path", org.path))
        .aggregate(
            **{
                figure.key: Count(
                    "pk",
                    filter=Q(kind__in=figure.kinds, outcome=figure.outcome)
                    & side_q(org, figure.side),
                )
                for figure in FIGURES
            }
        )
    )
    return [(figure, counts[figure.key] or 0) for figure in FIGURES]
