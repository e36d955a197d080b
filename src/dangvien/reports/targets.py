"""Admission targets against admissions, rolled up the tree.

What counts as achieved is the reports' own admissions figure (`selectors.change_events`,
"admitted"): a member whose admission day falls in the year and whose official cell that day lay
under the node that day. The node's number is that figure; each child's comes from the same rows
(the member, the day, the path of the cell that day), attributed to the child whose path held
them that day, so the children and the node cannot count differently.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.types import Actor
from dangvien.core.dates import WorkingCalendar
from dangvien.core.periods import valid_on_q
from dangvien.members.models import Membership
from dangvien.orgs.models import Organization, OrgHistory
from dangvien.procedures.cards import card_figures
from dangvien.procedures.models import AdmissionTarget
from dangvien.procedures.targets import Figure, case_figures, expected_by
from dangvien.procedures.todo import Line
from dangvien.reports.models import DatedEvent
from dangvien.reports.selectors import _change_events, _Subtree


@dataclass(frozen=True)
class TargetRow:
    """One organization's year: its target (None when none was set), admitted, what remains
    (never negative; None without a target) and the sum of its children's targets (None when
    none of them has one)."""

    org: Organization
    target: int | None
    achieved: int
    children_target: int | None
    may_set: bool = False

    @property
    def remaining(self) -> int | None:
        return None if self.target is None else max(self.target - self.achieved, 0)

    @property
    def done(self) -> bool:
        return self.target is not None and self.achieved >= self.target


def admission_rows(
    org: Organization, start: dt.date, end: dt.date
) -> list[tuple[int, dt.date, str]]:
    """(member, day, path of the official cell that day) of every admission the reports count
    for `org` from `start` to `end`: the kept events when they are current, else the same rows
    from the histories."""
    sub = _Subtree(org, start, end)
    if sub.events_kept:
        kept = DatedEvent.objects.filter(
            sub.under(F("day")), kind=DatedEvent.Kind.ADMITTED, day__gte=start, day__lte=end
        )
        return list(kept.values_list("member_id", "day", "path").order_by())
    day = F("member__admission_date")
    held = Membership.objects.filter(
        valid_on_q(day),
        valid_on_q(day, "org__history__"),
        member_id__in=_change_events(sub, start, end, DatedEvent.Kind.ADMITTED),
        kind=Membership.Kind.OFFICIAL,
    ).filter(sub.under(day, "org__history__path"))
    rows = held.values_list("member_id", "member__admission_date", "org__history__path")
    return [(member, day, path) for member, day, path in rows.order_by() if day is not None]


def achieved_by_child(
    rows: list[tuple[int, dt.date, str]], children: list[Organization], start: dt.date, end: dt.date
) -> dict[int, int]:
    """The members of `rows` under each child, by the path the child had on each row's day."""
    windows: dict[int, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    history = OrgHistory.objects.filter(org__in=children).overlapping(start, end)
    for org_id, path, valid_from, valid_to in history.values_list(
        "org_id", "path", "valid_from", "valid_to"
    ):
        windows[org_id].append((path, valid_from, valid_to))
    # By path length, then by path: a row's prefixes are looked up, not every window tried.
    by_prefix: dict[int, dict[str, list[tuple[int, dt.date, dt.date | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for org_id, spans in windows.items():
        for path, valid_from, valid_to in spans:
            by_prefix[len(path)][path].append((org_id, valid_from, valid_to))
    members: dict[int, set[int]] = defaultdict(set)
    for member_id, day, path in rows:
        for length, paths in by_prefix.items():
            for org_id, valid_from, valid_to in paths.get(path[:length], ()):
                if valid_from <= day and (valid_to is None or day < valid_to):
                    members[org_id].add(member_id)
    return {child.pk: len(members.get(child.pk, ())) for child in children}


@dataclass(frozen=True)
class TargetReport:
    year: int
    node: TargetRow
    children: list[TargetRow]

    @property
    def children_achieved(self) -> int:
        return sum(row.achieved for row in self.children)


def target_report(
    org: Organization, children: list[Organization], year: int, settable: set[int]
) -> TargetReport:
    """`org` and its `children` (those the caller may report on) for `year`; `settable`: the
    ids whose target the user may set."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    nodes = [org, *children]
    targets = dict(
        AdmissionTarget.objects.filter(org__in=nodes, year=year).values_list("org_id", "target")
    )
    below = dict(
        AdmissionTarget.objects.filter(org__parent__in=nodes, year=year)
        .values_list("org__parent_id")
        .annotate(total=Sum("target"))
        .order_by()
    )
    rows = admission_rows(org, start, end)
    by_child = achieved_by_child(rows, children, start, end)

    def row(node: Organization, achieved: int) -> TargetRow:
        return TargetRow(
            org=node,
            target=targets.get(node.pk),
            achieved=achieved,
            children_target=below.get(node.pk),
            may_set=node.pk in settable,
        )

    return TargetReport(
        year=year,
        node=row(org, len({member_id for member_id, _day, _path in rows})),
        children=[row(child, by_child[child.pk]) for child in children],
    )


def figure_links(
    figures: list[tuple[Figure, int]], org: Organization, start: dt.date, end: dt.date
) -> list[tuple[Figure, int, str]]:
    """Each procedure figure with the address of the cases it counts."""
    base = reverse("org_cases", args=[org.pk])
    return [
        (
            figure,
            n,
            base
            + "?"
            + urlencode({"chi-so": figure.key, "tu": start.isoformat(), "den": end.isoformat()}),
        )
        for figure, n in figures
    ]


def procedure_figures(
    user: Actor, org: Organization, start: dt.date, end: dt.date
) -> list[tuple[Figure, int, str]]:
    """The procedure figures of `org` over the period, with their lists' addresses."""
    figures = case_figures(user, org, start, end)
    return figure_links(figures, org, start, end) + card_figure_links(user, org, start, end)


def card_figure_links(
    user: Actor, org: Organization, start: dt.date, end: dt.date
) -> list[tuple[Figure, int, str]]:
    """The party card figures (issued, re-issued, void, withdrawn) with the lists of their cards."""
    base = reverse("card_queue", args=[org.pk])
    period = {"tu": start.isoformat(), "den": end.isoformat()}
    return [
        (
            Figure(key, label, (), "", "org"),
            n,
            f"{base}?{urlencode({'chi-so': key, **period})}",
        )
        for key, label, n in card_figures(user, org, start, end)
    ]


def targets_behind(user: Actor, nodes: list[Organization], today: dt.date) -> list[Line]:
    """To-do lines for this year's admission targets of `nodes` and of their children (those
    the user reports on) that are behind an even pace through the year: what was admitted,
    what the pace expects by `today`, what remains, due on 31 December."""
    year, calendar, lines = today.year, WorkingCalendar(), []
    end = dt.date(year, 12, 31)
    for node in nodes:
        held = AdmissionTarget.objects.filter(year=year).filter(Q(org=node) | Q(org__parent=node))
        with_target = [
            row.org
            for row in held.select_related("org")
            if row.org_id == node.pk or allowed(user, REPORT, row.org)
        ]
        if not with_target:
            continue  # nothing set: the admissions of the year are not counted
        children = [org for org in with_target if org.pk != node.pk]
        report = target_report(node, children, year, set())
        url = f"{reverse('report_targets', args=[node.pk])}?{urlencode({'nam': year})}"
        for row in (report.node, *report.children):
            if row.target is None or row.achieved >= expected_by(row.target, today):
                continue
            lines.append(
                Line(
                    what=(
                        f"Chỉ tiêu kết nạp năm {year} chậm tiến độ: đã kết nạp {row.achieved}/"
                        f"{row.target}, theo tiến độ cần {expected_by(row.target, today)}"
                    ),
                    subject=f"Còn {row.remaining} đảng viên",
                    org=row.org.name,
                    deadline=end,
                    days_left=calendar.working_days_between(today, end),
                    url=url,
                )
            )
    return lines
