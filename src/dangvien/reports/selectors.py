"""The figures of a subtree on a day and its changes over a period, and the lists behind them.

Two ways to the members of a subtree on a day, one result:
- today (the fast path): the current status and cell path stored on each member, one index range;
- any past day: the effective-dated history: official memberships valid that day in the nodes the
  subtree held that day (OrgHistory), with the status period valid that day.
A test replays random changes and checks both paths agree for today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from dangvien.core.paths import SEGMENT, path_upper_bound, subtree_q
from dangvien.core.periods import ONE_DAY, valid_on_q
from dangvien.members.models import IN_PARTY, Member, Membership, Status, StatusPeriod
from dangvien.members.selectors import member_counts
from dangvien.orgs.models import GrassrootsKind, Organization, OrgHistory, OrgLevel
from dangvien.orgs.selectors import tree_on
from dangvien.reports import stored
from dangvien.reports.measures import Group, Measure, member_groups
from dangvien.reports.models import DatedEvent

OFFICIAL = Membership.Kind.OFFICIAL
TEMPORARY = Membership.Kind.TEMPORARY
LEAVING = (Status.DECEASED, Status.STRUCK_OFF, Status.EXPELLED, Status.DISCHARGED)


def today() -> dt.date:
    return timezone.localdate()


def node_path_on(org: Organization, day: dt.date) -> str | None:
    """Where `org` stood in the tree on `day`, or None when it did not exist."""
    state = tree_on(day).filter(org=org).only("path").first()
    return state.path if state else None


# --- Members on a day --------------------------------------------------------------------------


def members_on(org: Organization, day: dt.date) -> QuerySet[Member]:
    """Members in the party in `org`'s subtree on `day`, annotated with `status_on`."""
    if day >= today():
        return members_now(org)
    return members_on_from_history(org, day)


def members_now(org: Organization) -> QuerySet[Member]:
    """Today's members, from the status and cell path kept on each record."""
    return Member.objects.filter(subtree_q("org_path", org.path), status__in=IN_PARTY).annotate(
        status_on=F("status")
    )


def members_on_from_history(org: Organization, day: dt.date) -> QuerySet[Member]:
    """Members on `day` recounted from the membership and status histories."""
    path = node_path_on(org, day)
    if path is None:
        return Member.objects.none().annotate(status_on=F("status"))
    nodes = tree_on(day).filter(subtree_q("path", path)).values("org_id")
    in_subtree = Membership.objects.filter(valid_on_q(day), kind=OFFICIAL, org_id__in=nodes)
    # Status periods do not overlap: joining the one valid that day gives one row per member,
    # and every figure reads its status from the join instead of repeating a subquery.
    return (
        Member.objects.filter(pk__in=in_subtree.values("member_id"))
        .filter(valid_on_q(day, "status_periods__"), status_periods__status__in=IN_PARTY)
        .annotate(status_on=F("status_periods__status"))
    )


def _aggregate(members: QuerySet[Member], measures: list[Measure]) -> dict[str, int]:
    counts = members.aggregate(**{m.key: Count("pk", filter=m.q) for m in measures})
    return {key: value or 0 for key, value in counts.items()}


@dataclass
class Row:
    measure: Measure
    value: int
    share: float | None  # of the group's base (the total members), for charts


@dataclass
class GroupFigures:
    group: Group
    rows: list[Row]


def member_figures(org: Organization, day: dt.date) -> list[GroupFigures]:
    """Every breakdown of the members report."""
    return member_report(org, day, [])[0]


def member_report(
    org: Organization, day: dt.date, children: list[Organization]
) -> tuple[list[GroupFigures], list[tuple[Organization, int]]]:
    """Every breakdown of the members report, and the members of each of `children`: today from
    the kept figures, any other day by one query over the histories grouped by child."""
    groups = member_groups(day)
    measures = [m for g in groups for m in g.measures]
    if day < today():
        counts, below = _counted_by_child(org, day, measures, children)
    elif (kept := stored.totals_of([org.path, *(c.path for c in children)], day)) is not None:
        counts = {m.key: kept[org.path].get(m.key, 0) for m in measures}
        below = [(child, kept[child.path].get("members", 0)) for child in children]
    else:
        counts = _aggregate(members_now(org), measures)
        found = member_counts(children)
        below = [(child, found[child.pk]) for child in children]
    total = counts["members"]
    figures = [
        GroupFigures(
            g,
            [Row(m, counts[m.key], counts[m.key] / total if total else None) for m in g.measures],
        )
        for g in groups
    ]
    return figures, below


def _counted_by_child(
    org: Organization, day: dt.date, measures: list[Measure], children: list[Organization]
) -> tuple[dict[str, int], list[tuple[Organization, int]]]:
    """The figures of `org` on a past `day`, and the members of each child: one query for the
    figures, one for the members of every cell of the subtree that day, summed by child."""
    counts = _aggregate(members_on_from_history(org, day), measures)
    if not children:
        return counts, []
    path = node_path_on(org, day)
    subtree = tree_on(day).filter(subtree_q("path", path or "-"))
    cells = dict(subtree.values_list("org_id", "path"))
    depth = len(path or "") + SEGMENT
    by_child: dict[str, int] = defaultdict(int)
    for cell, n in members_by_cell_on(subtree.values("org_id"), day).items():
        by_child[cells[cell][:depth]] += n
    paths = {pk: cells[pk] for pk in (c.pk for c in children) if pk in cells}
    return counts, [(child, by_child.get(paths.get(child.pk, ""), 0)) for child in children]


def members_by_cell_on(cells: QuerySet[Any], day: dt.date) -> dict[int, int]:
    """Members in the party on `day` in each of `cells` (org ids) that was their official cell
    that day: read from the indexes alone (memberships and status periods), no member row."""
    in_party = StatusPeriod.objects.filter(
        valid_on_q(day), member_id=OuterRef("member_id"), status__in=IN_PARTY
    )
    rows = (
        Membership.objects.filter(valid_on_q(day), kind=OFFICIAL, org_id__in=cells)
        .filter(Exists(in_party))
        .values_list("org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def member_counts_on(orgs: list[Organization], day: dt.date) -> list[tuple[Organization, int]]:
    """Members of each node's subtree on `day` (today: the kept figures, else one query over the
    index)."""
    if day >= today():
        kept = stored.totals_of([org.path for org in orgs], day)
        if kept is not None:
            return [(org, kept[org.path].get("members", 0)) for org in orgs]
        counts = member_counts(orgs)
        return [(org, counts[org.pk]) for org in orgs]
    return [(org, members_on_from_history(org, day).count()) for org in orgs]


def member_totals(org: Organization, day: dt.date) -> dict[str, int]:
    """The figures keyed by measure (for the API, tests and dashboards)."""
    return {row.measure.key: row.value for g in member_figures(org, day) for row in g.rows}


# --- Organizations on a day --------------------------------------------------------------------


@dataclass
class OrgFigures:
    by_level: list[tuple[OrgLevel, int]] = field(default_factory=list)
    by_kind: list[tuple[GrassrootsKind | None, int]] = field(default_factory=list)
    grassroots: int = 0


def nodes_on(org: Organization, day: dt.date) -> QuerySet[OrgHistory]:
    """The nodes below `org` (not itself) as they stood on `day`."""
    path = node_path_on(org, day)
    if path is None:
        return OrgHistory.objects.none()
    return tree_on(day).filter(subtree_q("path", path)).exclude(org=org)


def org_figures(org: Organization, day: dt.date) -> OrgFigures:
    below = stored.below_of(org.path, day)
    if below is not None:
        by_level, kinds = _kept_org_counts(below)
    else:
        by_level, kinds = org_counts_on(org, day)
    levels = OrgLevel.objects.filter(pk__in=by_level)
    known = GrassrootsKind.objects.in_bulk([k for k in kinds if k is not None])
    return OrgFigures(
        by_level=[(level, by_level[level.pk]) for level in levels],
        by_kind=sorted(
            ((known.get(k) if k else None, n) for k, n in kinds.items()),
            key=lambda pair: (pair[0] is None, pair[0].rank if pair[0] else 0),
        ),
        grassroots=sum(kinds.values()),
    )


def org_counts_on(org: Organization, day: dt.date) -> tuple[dict[int, int], dict[int | None, int]]:
    """Nodes below `org` on `day` by level, and grassroots organizations below by kind: counted
    from the tree's history."""
    nodes = nodes_on(org, day)
    by_level = dict(nodes.values_list("level_id").annotate(n=Count("pk")).order_by())
    kinds = dict(
        nodes.filter(level__is_grassroots=True)
        .values_list("org__kind_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return by_level, kinds


def _kept_org_counts(
    below: dict[str, int],
) -> tuple[dict[int, int], dict[int | None, int]]:
    """Nodes below by level and grassroots organizations below by kind, from the kept figures
    of the nodes below (`stored.below_of`)."""
    by_level: dict[int, int] = {}
    kinds: dict[int | None, int] = {}
    for key, value in below.items():
        if key.startswith(stored.LEVEL):
            by_level[int(key.removeprefix(stored.LEVEL))] = value
        elif key.startswith(stored.KIND):
            kind = key.removeprefix(stored.KIND)
            kinds[None if kind == "none" else int(kind)] = value
    return by_level, kinds


def org_level_counts(org: Organization, day: dt.date) -> dict[str, int]:
    figures = org_figures(org, day)
    counts = {level.code: n for level, n in figures.by_level}
    counts["grassroots"] = figures.grassroots
    return counts


# --- Changes over a period ---------------------------------------------------------------------


class _Subtree:
    """`org`'s subtree through a period: a node's path may change (a move), so each path holds
    for a window of days; an event belongs to the subtree when its cell lay under the path the
    node had on the day of the event."""

    def __init__(self, org: Organization, start: dt.date, end: dt.date) -> None:
        rows = OrgHistory.objects.filter(org=org).overlapping(start, end)
        self.windows = [(r.path, r.valid_from, r.valid_to) for r in rows]
        under = Q(pk__in=[])
        for path, _from, _to in self.windows:
            under |= subtree_q("path", path)
        # Every node that lay in the subtree at some time in the period, and every member who
        # belonged to one of them: first, indexed cuts before the exact check of each event.
        self.nodes = OrgHistory.objects.filter(under).overlapping(start, end).values("org_id")
        # From the day before the period: leaving on its first day is an event of the period.
        self.members = (
            Membership.objects.filter(org_id__in=self.nodes)
            .overlapping(start - ONE_DAY, end)
            .values("member_id")
        )
        self.org = org

    @cached_property
    def events_kept(self) -> bool:
        """The kept admissions and recognitions are current (asked once for all kinds)."""
        return stored.events_current()

    @cached_property
    def small(self) -> bool:
        """A small subtree is cheaper to check through its own members; a large one through the
        period's events alone (listing half a million members costs more than it saves)."""
        return member_counts([self.org])[self.org.pk] < SMALL_SUBTREE

    def restrict(self, events: QuerySet[Any], member_field: str) -> QuerySet[Any]:
        if not self.small:
            return events
        return events.filter(**{f"{member_field}__in": self.members})

    def holds(self, org_ref: Any, day_ref: Any, *, day_before: bool = False) -> Exists:
        """The node `org_ref` lay in the subtree on `day_ref` (or the day before it)."""
        when = valid_on_q(day_ref, day_before=day_before)
        return Exists(OrgHistory.objects.filter(when, org_id=org_ref).filter(self.under(day_ref)))

    def under(self, day_ref: Any, path_field: str = "path") -> Q:
        """`path_field` lay under the path the subtree's node had on `day_ref`."""
        where = Q(pk__in=[])
        for path, valid_from, valid_to in self.windows:
            window = Q(**{f"{path_field}__gte": path, f"{path_field}__lt": path_upper_bound(path)})
            if len(self.windows) > 1:
                window &= Q(GreaterThanOrEqual(day_ref, Value(valid_from)))
                if valid_to is not None:
                    window &= Q(LessThan(day_ref, Value(valid_to)))
            where |= window
        return where


CHANGES: tuple[tuple[str, str], ...] = (
    ("admitted", "Kết nạp"),
    ("recognised", "Công nhận đảng viên chính thức"),
    ("transferred_in", "Chuyển sinh hoạt chính thức đến"),
    ("transferred_out", "Chuyển sinh hoạt chính thức đi"),
    ("temporary_in", "Chuyển sinh hoạt tạm thời đến"),
    ("temporary_out", "Chuyển sinh hoạt tạm thời đi"),
    ("exempted", "Miễn sinh hoạt"),
    ("deceased", "Từ trần"),
    ("struck_off", "Xóa tên"),
    ("expelled", "Khai trừ"),
    ("discharged", "Cho ra khỏi Đảng"),
)
CHANGE_LABELS = dict(CHANGES)


SMALL_SUBTREE = 20_000
STATUS_CHANGES = {"exempted": Status.EXEMPTED, **{str(status): status for status in LEAVING}}


def _status_events(
    sub: _Subtree, start: dt.date, end: dt.date, statuses: list[str]
) -> QuerySet[StatusPeriod]:
    """Status periods of `statuses` starting in the period, for members who were in the subtree,
    officially, the day before."""
    in_subtree_before = Membership.objects.filter(
        valid_on_q(OuterRef("valid_from"), day_before=True),
        member=OuterRef("member_id"),
        kind=OFFICIAL,
    ).filter(sub.holds(OuterRef("org_id"), OuterRef(OuterRef("valid_from")), day_before=True))
    periods = StatusPeriod.objects.filter(
        status__in=statuses, valid_from__gte=start, valid_from__lte=end
    )
    return sub.restrict(periods, "member_id").filter(Exists(in_subtree_before))


def change_events(org: Organization, start: dt.date, end: dt.date, key: str) -> QuerySet[Any]:
    """The ids of members with a change of kind `key` in `org`'s subtree between `start` and
    `end` (both included). Each query starts from the events dated in the period (indexed), then
    checks where the member was on that day."""
    return _change_events(_Subtree(org, start, end), start, end, key)


def _change_events(sub: _Subtree, start: dt.date, end: dt.date, key: str) -> QuerySet[Any]:
    if key in stored.EVENT_DATES and sub.events_kept:
        return (
            DatedEvent.objects.filter(sub.under(F("day")), kind=key, day__gte=start, day__lte=end)
            .values("member_id")
            .order_by()
        )
    if key in stored.EVENT_DATES:  # the same, from the histories
        date_field = stored.EVENT_DATES[key]
        there = Membership.objects.filter(
            valid_on_q(OuterRef(date_field)), member=OuterRef("pk"), kind=OFFICIAL
        ).filter(sub.holds(OuterRef("org_id"), OuterRef(OuterRef(date_field))))
        members = Member.objects.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end})
        return sub.restrict(members, "pk").filter(Exists(there)).values("pk")
    if key in STATUS_CHANGES:
        return _status_events(sub, start, end, [STATUS_CHANGES[key]]).values("member_id")
    if key == "transferred_in":
        came_from_inside = Membership.objects.filter(
            member=OuterRef("member_id"), kind=OFFICIAL, valid_to=OuterRef("valid_from")
        ).filter(sub.holds(OuterRef("org_id"), OuterRef(OuterRef("valid_from")), day_before=True))
        return (
            Membership.objects.filter(
                org_id__in=sub.nodes, kind=OFFICIAL, valid_from__gte=start, valid_from__lte=end
            )
            .filter(sub.holds(OuterRef("org_id"), OuterRef("valid_from")))
            .exclude(Exists(came_from_inside))
            # Joining the first cell on the day of admission is an admission, not a transfer.
            .exclude(valid_from=F("member__admission_date"))
            .values("member_id")
        )
    if key == "transferred_out":
        stays_inside = Membership.objects.filter(
            member=OuterRef("member_id"), kind=OFFICIAL, valid_from=OuterRef("valid_to")
        ).filter(sub.holds(OuterRef("org_id"), OuterRef(OuterRef("valid_to"))))
        left_party = StatusPeriod.objects.filter(
            member=OuterRef("member_id"), status__in=LEAVING, valid_from=OuterRef("valid_to")
        )
        return (
            Membership.objects.filter(
                org_id__in=sub.nodes, kind=OFFICIAL, valid_to__gte=start, valid_to__lte=end
            )
            .filter(sub.holds(OuterRef("org_id"), OuterRef("valid_to"), day_before=True))
            .exclude(Exists(stays_inside))
            .exclude(Exists(left_party))
            .values("member_id")
        )
    if key in ("temporary_in", "temporary_out"):
        held = sub.holds(OuterRef("org_id"), OuterRef("valid_from"))
        temporary: QuerySet[Membership] = Membership.objects.filter(
            kind=TEMPORARY, valid_from__gte=start, valid_from__lte=end
        )
        if key == "temporary_in":
            return temporary.filter(org_id__in=sub.nodes).filter(held).values("member_id")
        temporary = sub.restrict(temporary, "member_id")
        home_inside = Membership.objects.filter(
            valid_on_q(OuterRef("valid_from")), member=OuterRef("member_id"), kind=OFFICIAL
        ).filter(sub.holds(OuterRef("org_id"), OuterRef(OuterRef("valid_from"))))
        return temporary.exclude(held).filter(Exists(home_inside)).values("member_id")
    raise KeyError(key)


def change_q(org: Organization, start: dt.date, end: dt.date, key: str) -> Q:
    """Members with a change of kind `key`, as a filter over Member (the list behind a figure)."""
    return Q(pk__in=change_events(org, start, end, key))


def change_figures(org: Organization, start: dt.date, end: dt.date) -> dict[str, int]:
    """Members with each kind of change in the period: a query per kind of movement, one for
    all the changes of status."""
    counts: dict[str, int] = {}
    sub = _Subtree(org, start, end)
    for key, _ in CHANGES:
        if key not in STATUS_CHANGES:
            events = _change_events(sub, start, end, key)
            counts[key] = Member.objects.filter(pk__in=events).count()
    by_status = dict(
        _status_events(sub, start, end, list(STATUS_CHANGES.values()))
        .values_list("status")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
    )
    for key, status in STATUS_CHANGES.items():
        counts[key] = by_status.get(status, 0)
    return {key: counts[key] for key, _ in CHANGES}


@dataclass
class KeyFigures:
    """The dashboard of a staff member's node: where things stand, and this year's and this
    month's movement."""

    org: Organization
    members: int
    probationary: int
    admitted_this_year: int
    month_start: dt.date
    month_changes: list[tuple[str, str, int]]
    year_start: dt.date
    today: dt.date

    @property
    def month_total(self) -> int:
        return sum(n for _key, _label, n in self.month_changes)


def key_figures(org: Organization) -> KeyFigures:
    day = today()
    kept = stored.totals_of([org.path], day)
    if kept is not None:
        members, probationary = (
            kept[org.path].get("members", 0),
            kept[org.path].get("probationary", 0),
        )
    else:
        members = member_counts([org])[org.pk]
        probationary = members_now(org).filter(status=Status.PROBATIONARY).count()
    year_start, month_start = day.replace(month=1, day=1), day.replace(day=1)
    month = change_figures(org, month_start, day)
    return KeyFigures(
        org=org,
        members=members,
        probationary=probationary,
        admitted_this_year=Member.objects.filter(
            pk__in=change_events(org, year_start, day, "admitted")
        ).count(),
        month_start=month_start,
        month_changes=[(key, label, month[key]) for key, label in CHANGES],
        year_start=year_start,
        today=day,
    )
