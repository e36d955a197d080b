"""Huy hiệu Đảng: the list of an award day, the badge case (proposal → decision → ceremony) and
what its ceremony writes into the record.

The list of an award day holds the members of a subtree whose party age reaches a milestone (30,
40, 45 … 90 years) after the previous award day and by this one: with `early`, also those
reaching one within the months a seriously ill member may be considered early. Party age counts
from the admission date, or from `Member.party_age_from` when time out moved it later (kept by
the members' service), so the list is a few index ranges on those two dates, whatever the size of
the subtree, and agrees with `members.selectors.party_age_on` member by member.

A badge is a case like the others (`step_record`, the to-do lists, the case page, the API): its
`Badge` row holds the milestone, the award day and the early reason, and a member gets each
milestone once (one active badge per member and milestone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangvien.accounts.access import DECIDE, PROPOSE, VIEW, restrict
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.dates import add_months, months_reached, years_before
from dangvien.core.models import AuditEvent
from dangvien.core.paths import subtree_q
from dangvien.members.models import Member, Status
from dangvien.members.services import member_award_add
from dangvien.orgs.models import Organization
from dangvien.procedures import flows
from dangvien.procedures.flows import CELL, COMMITTEE, GRASSROOTS, StepSpec
from dangvien.procedures.models import AwardDay, Badge, BadgeEarly, Case, CaseKind, Outcome, Step
from dangvien.procedures.rules import Verdict, judge
from dangvien.procedures.rules import badge as rules

BADGE = (
    StepSpec(
        "proposal",
        "Đề nghị tặng Huy hiệu Đảng",
        PROPOSE,
        f"{CELL}, {GRASSROOTS.lower()}",
    ),
    StepSpec(
        "decision",
        "Quyết định tặng Huy hiệu Đảng",
        DECIDE,
        COMMITTEE,
        after=("proposal",),
    ),
    StepSpec(
        "ceremony",
        "Trao tặng Huy hiệu Đảng",
        PROPOSE,
        CELL,
        after=("decision",),
        closes=Outcome.AWARDED,
    ),
    StepSpec(
        "withdrawal",
        "Dừng đề nghị tặng Huy hiệu Đảng",
        PROPOSE,
        CELL,
        after=("proposal",),
        before=("decision",),
        closes=Outcome.WITHDRAWN,
        optional=True,
    ),
)
FORM_CODES = (
    ("QĐ-HH", "Quyết định tặng Huy hiệu Đảng"),
    ("KHAC", "Tài liệu khác"),
)
flows.FLOWS[CaseKind.BADGE] = BADGE
flows.FORM_CODES[CaseKind.BADGE] = FORM_CODES

IN_PARTY_OFFICIAL = (Status.OFFICIAL, Status.EXEMPTED)
MARGIN = dt.timedelta(days=3)  # the SQL windows' slack around 29 February; Python decides
LOOKUP_CHUNK = 5000  # member ids per query when the badges of a list are looked up


def award_days(year: int) -> list[dt.date]:
    return rules.award_days(year, AwardDay.objects.values_list("day", flat=True))


def previous_award_day(day: dt.date) -> dt.date:
    return rules.previous_award_day(day, AwardDay.objects.values_list("day", flat=True))


@dataclass(frozen=True)
class Listed:
    """What the list reads of a member and of its cell (no model instance per row: a province's
    round is thousands of them)."""

    pk: int
    full_name: str
    name_sort: str
    date_of_birth: dt.date
    admission_date: dt.date | None
    party_age_from: dt.date | None
    org_path: str
    org_id: int | None
    org_name: str


LISTED_FIELDS = (
    "id", "full_name", "name_sort", "date_of_birth", "admission_date", "party_age_from",
    "org_path", "org_id", "org__name",
)  # fmt: skip


@dataclass(frozen=True)
class BadgeRow:
    member: Listed
    milestone: int
    reaches_on: dt.date
    early: bool  # reaches it after the award day: only a seriously ill member may be proposed
    badge: Badge | None  # the member's active badge of that milestone, if proposed


def _found(members: QuerySet[Member], previous: dt.date, last: dt.date) -> list[Listed]:
    """The members whose party-age start lies in a milestone's window: one index range per
    milestone, on (admission_date, org_path, status) for the (many) members counted from their
    admission date and on `party_age_from` for the (few) counted from a later day, as one UNION
    ALL (an OR of the ranges lets SQLite scan the whole subtree instead)."""
    plain = members.filter(party_age_from__isnull=True)
    moved = members.filter(party_age_from__isnull=False)
    branches = [
        among.filter(
            **{
                f"{field}__gt": years_before(previous, m) - MARGIN,
                f"{field}__lte": years_before(last, m) + MARGIN,
            }
        ).values_list(*LISTED_FIELDS)
        for among, field in ((plain, "admission_date"), (moved, "party_age_from"))
        for m in rules.MILESTONES
    ]
    return [Listed(*row) for row in branches[0].union(*branches[1:], all=True)]


def badge_list(
    user: Actor, org: Organization, award_day: dt.date, *, early: bool = False
) -> list[BadgeRow]:
    """The members of `org`'s subtree the user sees whose party age reaches a milestone after the
    previous award day and by `award_day` (with `early`, up to 24 months after it), by milestone
    (highest first) then name."""
    previous = previous_award_day(award_day)
    last = add_months(award_day, 24) if early else award_day
    members = restrict(Member.objects.all(), user, VIEW).filter(
        subtree_q("org_path", org.path), status__in=IN_PARTY_OFFICIAL
    )
    # Each milestone's window on the start date, with the slack: a member's start falls in one
    # of them (the milestones are five years apart at least), counted exactly below.
    bounds = [
        (m, years_before(previous, m) - MARGIN, years_before(last, m) + MARGIN)
        for m in rules.MILESTONES
    ]
    hits: list[tuple[Listed, int, dt.date]] = []
    for member in _found(members, previous, last):
        start = member.party_age_from or member.admission_date
        assert start is not None  # the windows say so
        for milestone, low, high in bounds:
            if not low < start <= high:
                continue
            reaches = months_reached(start, 12 * milestone)
            if not previous < reaches <= last:
                continue
            allowed_early = add_months(reaches, -rules.early_months(milestone, rules.ILL))
            if reaches > award_day and allowed_early > award_day:
                continue
            hits.append((member, milestone, reaches))
    badges: dict[tuple[int, int], Badge] = {}
    ids = sorted({member.pk for member, _, _ in hits})
    for chunk in range(0, len(ids), LOOKUP_CHUNK):
        proposed = Badge.objects.filter(
            active=True, member_id__in=ids[chunk : chunk + LOOKUP_CHUNK]
        ).select_related("case")
        badges.update({(b.member_id, b.milestone): b for b in proposed})
    rows = [
        BadgeRow(member, m, reaches, reaches > award_day, badges.get((member.pk, m)))
        for member, m, reaches in hits
    ]
    rows.sort(key=lambda r: (-r.milestone, r.early, r.member.name_sort, r.member.pk))
    return rows


# --- The case --------------------------------------------------------------------------------


@transaction.atomic
def badge_propose(
    *,
    acting_user: ActingUser,
    member: Member | Listed,
    milestone: int,
    award_day: dt.date,
    early: str = "",
    on: dt.date | None = None,
    reference: str = "",
) -> Case:
    """Open a badge case for `member` and record its proposal on `on` (today by default).
    Refused with the rule that decided: not a milestone, not reached by the award day beyond
    what `early` allows, already proposed or awarded, a member not (or no longer) in the Party."""
    from dangvien.procedures.services import step_record

    on = on or timezone.localdate()
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    start = member.party_age_from or member.admission_date
    posthumous = early == rules.POSTHUMOUS
    if member.status not in (Status.DECEASED if posthumous else IN_PARTY_OFFICIAL):
        raise ValidationError(
            f"{member.full_name} là đảng viên «{member.get_status_display().lower()}»: "
            + (
                "chỉ truy tặng đảng viên đã từ trần."
                if posthumous
                else "chỉ xét tặng đảng viên chính thức đang sinh hoạt."
            )
        )
    if start is None:
        raise ValidationError(f"Hồ sơ của {member.full_name} chưa có ngày vào Đảng.")
    if early not in BadgeEarly.values:
        raise ValidationError(f"Trường hợp xét tặng «{early}» không hợp lệ.")
    reaches = months_reached(start, 12 * milestone)
    verdict = judge(rules.EARLY, award_day, milestone=milestone, reaches_on=reaches,
                    day=award_day, reason=early)  # fmt: skip
    if not verdict.ok:
        raise ValidationError(verdict.text)
    if Badge.objects.filter(member=member, milestone=milestone, active=True).exists():
        raise ValidationError(
            f"{member.full_name} đã được đề nghị hoặc đã được tặng Huy hiệu {milestone} năm "
            "tuổi Đảng."
        )
    org = member.org
    if org is None:
        raise ValidationError(f"{member.full_name} chưa sinh hoạt tại một chi bộ.")
    case = Case.objects.create(
        kind=CaseKind.BADGE,
        member=member,
        org=org,
        org_path=org.path,
        opened_on=on,
        opened_by=acting_user,
    )
    try:
        with transaction.atomic():
            Badge.objects.create(case=case, member=member, milestone=milestone,
                                 award_day=award_day, reaches_on=reaches, early=early)  # fmt: skip
    except IntegrityError as taken:  # a proposal made meanwhile
        raise ValidationError(
            f"{member.full_name} đã được đề nghị Huy hiệu {milestone} năm tuổi Đảng."
        ) from taken
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Đề nghị tặng Huy hiệu {milestone} năm tuổi Đảng cho {member.full_name}",
        after={**snapshot(case, ["kind", "member", "org", "opened_on"]), "milestone": milestone,
               "award_day": award_day.isoformat(), "early": early},
    )  # fmt: skip
    step_record(acting_user=acting_user, case=case, kind="proposal", on=on, reference=reference)
    return Case.objects.get(pk=case.pk)


def badges_propose(
    *,
    acting_user: ActingUser,
    rows: Iterable[tuple[Member | Listed, int, str]],
    award_day: dt.date,
    on: dt.date | None = None,
) -> tuple[int, list[str]]:
    """Propose each (member, milestone, early reason) of a list; how many were proposed and, for
    the others, why not (each in its own transaction: one refusal does not undo the rest)."""
    done, refused = 0, []
    for member, milestone, early in rows:
        try:
            badge_propose(acting_user=acting_user, member=member, milestone=milestone,
                          award_day=award_day, early=early, on=on)  # fmt: skip
            done += 1
        except ValidationError as error:
            refused.append(f"{member.full_name}: {' '.join(error.messages)}")
    return done, refused


def _badge(case: Case) -> Badge:
    return Badge.objects.get(case=case)


def _decided_by_the_award_day(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    """The decision is checked against the rule again (the early allowance counts to the day)."""
    badge = _badge(case)
    facts = {"milestone": badge.milestone, "reaches_on": badge.reaches_on, "reason": badge.early}
    return [judge(rules.EARLY, badge.award_day, day=badge.award_day, **facts)]


def _awarded(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """The ceremony writes the badge into the record's awards (the 7-HSĐV list reads it)."""
    badge = _badge(case)
    member = case.member
    assert member is not None
    decision = next(s for s in case.steps.all() if s.kind == "decision")
    member_award_add(
        acting_user=acting_user,
        member=member,
        date=step.done_on,
        form=f"Huy hiệu {badge.milestone} năm tuổi Đảng",
        issuer=f"Quyết định số {decision.reference}" if decision.reference else "",
    )


def _withdrawn(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    Badge.objects.filter(case=case).update(active=False)


Check = Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]
CHECKS: dict[tuple[str, str], Check] = {(CaseKind.BADGE, "decision"): _decided_by_the_award_day}
EFFECTS: dict[tuple[str, str], Callable[..., None]] = {
    (CaseKind.BADGE, "ceremony"): _awarded,
    (CaseKind.BADGE, "withdrawal"): _withdrawn,
}


def next_award_day(today: dt.date) -> dt.date:
    """The first award day on or after `today`."""
    return rules.next_award_day(today, AwardDay.objects.values_list("day", flat=True))
