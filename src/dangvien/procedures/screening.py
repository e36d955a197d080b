"""The screening of members (rà soát, sàng lọc đảng viên, Quy định 09-QĐ/TU of the Hanoi Party
Committee, 2022): members flagged by the rules for their cell to review, and the cell's decision
on each (keep, remind, propose striking off, other), with its day, who recorded it and a note.

Where flags come from is a small registry (`SOURCES`): each source names itself, the statute's
reason it points to, and a function listing its flags in an organization's subtree as the user
sees it. Today one source exists: probationary members the cell or committee did not recognise
(recognition cases closed with a proposal to strike off). Members who missed meetings or dues
three months in a year will come from the meetings and dues apps, which do not exist yet: they
add their source here (`register_source`). Until then the secretary adds such a member by hand,
with one of the statute's reasons (`SOURCE_MANUAL`).

A flag becomes a stored `ScreeningItem` when it is decided (or when added by hand), once per
(member, source, day raised); every write is audited. Items are scoped as the cell's cases are:
those who keep its records (the policy's `procedures.case` propose) see and decide them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dangvien.accounts.access import PROPOSE, VIEW, allowed_anywhere, restrict, restrict_q
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import subtree_q
from dangvien.members.models import IN_PARTY, Member
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import reportable_roots
from dangvien.procedures import exits
from dangvien.procedures.models import (
    Case,
    CaseKind,
    CaseState,
    ExitReason,
    Outcome,
    ScreeningDecision,
    ScreeningItem,
)

if TYPE_CHECKING:
    from dangvien.procedures.todo import Line

SOURCE_MANUAL = "manual"
SOURCE_RECOGNITION = "recognition"
LIMIT = 500  # flags read per source for one page (a cell has a handful; a province's list pages)


@dataclass(frozen=True)
class Flag:
    """A member a source flags: since when, why (a statute reason) and what it saw."""

    member: Member
    source: str
    reason: str
    raised_on: dt.date
    detail: str
    url: str = ""  # where the source's facts are (the recognition case)
    case: Case | None = None


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    flags: Callable[[Actor, Organization], Iterable[Flag]]


SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    """Add a source of flags (the meetings and dues apps add theirs)."""
    SOURCES[source.key] = source


def source_label(key: str) -> str:
    if key == SOURCE_MANUAL:
        return "Chi bộ bổ sung"
    source = SOURCES.get(key)
    return source.label if source is not None else key


def _not_recognised(user: Actor, org: Organization) -> Iterable[Flag]:
    """Probationary members still in the Party whose recognition case closed with a proposal to
    strike off, and no striking-off case opened since."""
    cases = (
        restrict(Case.objects.select_related("member__org"), user, VIEW)
        .filter(
            subtree_q("org_path", org.path),
            kind=CaseKind.RECOGNITION,
            state=CaseState.CLOSED,
            outcome=Outcome.STRIKE_OFF_PROPOSED,
            member__status__in=IN_PARTY,
        )
        .exclude(exits_following__isnull=False)
        .order_by("-closed_on", "-pk")[:LIMIT]
    )
    for case in cases:
        assert case.member is not None and case.closed_on is not None
        yield Flag(
            case.member,
            SOURCE_RECOGNITION,
            ExitReason.NOT_RECOGNISED,
            case.closed_on,
            f"Không được công nhận đảng viên chính thức, đề nghị xóa tên ngày "
            f"{case.closed_on:%d/%m/%Y}",
            reverse("case_detail", args=[case.pk]),
            case,
        )


register_source(
    Source(SOURCE_RECOGNITION, "Không được công nhận đảng viên chính thức", _not_recognised)
)


# --- Reading -----------------------------------------------------------------------------------


def items_visible_to(user: Actor) -> QuerySet[ScreeningItem]:
    """The items of the cells whose records the user keeps (as the cells' cases)."""
    return ScreeningItem.objects.filter(restrict_q(user, Case, PROPOSE))


@dataclass(frozen=True)
class Row:
    """A line of the screening list: a flag not yet decided, or a stored item."""

    member: Member
    source: str
    reason: str
    raised_on: dt.date
    detail: str
    url: str
    item: ScreeningItem | None

    @property
    def source_label(self) -> str:
        return source_label(self.source)

    @property
    def reason_label(self) -> str:
        return dict(ExitReason.choices).get(self.reason, self.reason)

    @property
    def key(self) -> str:
        return f"{self.member.pk}|{self.source}|{self.raised_on.isoformat()}|{self.reason}"


def pending(user: Actor, org: Organization) -> list[Row]:
    """Members to review in `org`'s subtree: the sources' flags not decided yet and the items
    added by hand not decided yet, oldest first."""
    items = items_visible_to(user).filter(subtree_q("org_path", org.path))
    found = items.select_related("member__org")[: LIMIT * 4]
    stored = {(i.member_id, i.source, i.raised_on): i for i in found}
    rows = [
        Row(i.member, i.source, i.reason, i.raised_on, i.detail, "", i)
        for i in stored.values()
        if not i.decision
    ]
    for source in SOURCES.values():
        for flag in source.flags(user, org):
            if (flag.member.pk, flag.source, flag.raised_on) in stored:
                continue
            rows.append(
                Row(flag.member, flag.source, flag.reason, flag.raised_on, flag.detail,
                    flag.url, None)
            )  # fmt: skip
    rows.sort(key=lambda r: (r.raised_on, r.member.name_sort, r.member.pk))
    return rows


def decided(user: Actor, org: Organization) -> QuerySet[ScreeningItem]:
    """The decisions recorded in the subtree, newest first."""
    return (
        items_visible_to(user)
        .filter(subtree_q("org_path", org.path))
        .exclude(decision="")
        .select_related("member", "decided_by", "exit_case", "org")
        .order_by("-decided_on", "-pk")
    )


def todo_lines(user: Actor) -> list[Line]:
    """One to-do line per member awaiting the cell's review in the user's scope (only those who
    keep a cell's records: the list is the cell's to decide)."""
    from dangvien.procedures.todo import Line

    if not allowed_anywhere(user, Case, PROPOSE):
        return []
    lines = []
    for root in reportable_roots(user):
        url = reverse("screening_list", args=[root.pk])
        for row in pending(user, root):
            lines.append(
                Line(
                    what=f"Rà soát đảng viên: {row.reason_label.lower()}",
                    subject=row.member.full_name,
                    org=row.member.org.name if row.member.org else "",
                    deadline=None,
                    days_left=None,
                    url=url,
                )
            )
    return lines


# --- Writing -----------------------------------------------------------------------------------


def _check_member(user: ActingUser, member: Member) -> None:
    if member.status not in IN_PARTY:
        raise ValidationError(
            f"{member.full_name} không còn trong Đảng ({member.get_status_display().lower()})."
        )
    if member.org is None:
        raise ValidationError(f"{member.full_name} chưa sinh hoạt tại một chi bộ.")


@transaction.atomic
def screening_add(
    *,
    acting_user: ActingUser,
    member: Member,
    reason: str,
    raised_on: dt.date | None = None,
    note: str = "",
) -> ScreeningItem:
    """The secretary adds a member to review by hand, with one of the statute's reasons."""
    raised_on = raised_on or timezone.localdate()
    member = Member.objects.select_related("org").get(pk=member.pk)
    _check_member(acting_user, member)
    if reason not in ExitReason.values:
        raise ValidationError("Xin chọn một trong các trường hợp xóa tên theo quy định.")
    if raised_on > timezone.localdate():
        raise ValidationError("Ngày phát hiện chưa tới.")
    assert member.org is not None
    try:
        with transaction.atomic():
            item = ScreeningItem.objects.create(
                org=member.org,
                org_path=member.org.path,
                member=member,
                reason=reason,
                source=SOURCE_MANUAL,
                raised_on=raised_on,
                detail=note.strip()[:400],
                created_by=acting_user,
            )
    except IntegrityError as taken:
        raise ValidationError(
            f"{member.full_name} đã có trong danh sách rà soát ngày {raised_on:%d/%m/%Y}."
        ) from taken
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=item,
        summary=f"Đưa {member.full_name} vào danh sách rà soát đảng viên",
        after=snapshot(item, ["member", "reason", "source", "raised_on", "detail"]),
    )
    return item


@transaction.atomic
def screening_decide(
    *,
    acting_user: ActingUser,
    member: Member,
    source: str,
    reason: str,
    raised_on: dt.date,
    decision: str,
    decided_on: dt.date,
    note: str = "",
    detail: str = "",
) -> ScreeningItem:
    """Record the cell's decision on a flagged member (the item is stored if it was only a
    source's flag); "propose striking off" opens the striking-off case with the item's reason."""
    problems = []
    if decision not in ScreeningDecision.values:
        problems.append("Xin chọn quyết định của chi bộ.")
    if decided_on > timezone.localdate():
        problems.append("Ngày quyết định chưa tới.")
    if decided_on < raised_on:
        problems.append(f"Ngày quyết định trước ngày phát hiện ({raised_on:%d/%m/%Y}).")
    if source != SOURCE_MANUAL and source not in SOURCES:
        problems.append(f"Nguồn «{source}» không có trong danh sách rà soát.")
    if decision == ScreeningDecision.OTHER and not note.strip():
        problems.append("Quyết định «Khác»: xin ghi rõ trong phần ghi chú.")
    if problems:
        raise ValidationError(problems)
    member = Member.objects.select_related("org").get(pk=member.pk)
    item = (
        ScreeningItem.objects.select_for_update()
        .filter(member=member, source=source, raised_on=raised_on)
        .first()
    )
    if item is None:
        _check_member(acting_user, member)
        assert member.org is not None
        item = ScreeningItem.objects.create(
            org=member.org,
            org_path=member.org.path,
            member=member,
            reason=reason if reason in ExitReason.values else ExitReason.NO_ACTIVITY_OR_DUES,
            source=source,
            raised_on=raised_on,
            detail=detail[:400],
            created_by=acting_user,
        )
    elif item.decision:
        raise ValidationError(
            f"Chi bộ đã quyết định về {member.full_name} ngày {item.decided_on:%d/%m/%Y}."
        )
    before = snapshot(item, ["decision", "decided_on", "note"])
    item.decision = decision
    item.decided_on = decided_on
    item.decided_by = acting_user
    item.note = note.strip()[:400]
    if decision == ScreeningDecision.STRIKE_OFF:
        source_case = (
            Case.objects.filter(
                member=member, kind=CaseKind.RECOGNITION, outcome=Outcome.STRIKE_OFF_PROPOSED
            )
            .order_by("-closed_on")
            .first()
            if item.source == SOURCE_RECOGNITION
            else None
        )
        item.exit_case = exits.exit_open(
            acting_user=acting_user,
            member=member,
            kind=CaseKind.STRIKE_OFF,
            opened_on=decided_on,
            reason=item.reason,
            detail=item.detail or item.note,
            source_case=source_case,
        )
    item.save()
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=item,
        summary=f"Rà soát đảng viên {member.full_name}: {item.get_decision_display()}",
        before=before,
        after=snapshot(item, ["decision", "decided_on", "note", "exit_case"]),
    )
    return item
