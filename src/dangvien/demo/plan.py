"""The shape of the demo tree: how many organizations of each level, what they are called, how many
members each cell holds. Built before anything is written, so its figures can be checked cheaply.

`hanoi` reproduces the Hanoi Party organization of 31/12/2020 exactly (DOMAIN.md §2); `national`
is the Hanoi structure scaled to about 5.6 million members, as 34 province committees (Hanoi among
them with its own figures). The split of Hanoi's 2,316 grassroots organizations into grassroots
committees and grassroots cells is not published with those figures: 1,108 / 1,208 is an assumption.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from dangvien.core.paths import child_path
from dangvien.demo import orgnames
from dangvien.demo.orgnames import RESIDENTIAL, WORKPLACE
from dangvien.demo.population import HANOI_CODE, Place, province, provinces

# Level codes (orgs migration 0002) and grassroots kinds.
PROVINCE, UPPER, GRASSROOTS_COMMITTEE, GRASSROOTS_CELL, SUB_COMMITTEE, CELL = (
    "province",
    "upper",
    "grassroots_committee",
    "grassroots_cell",
    "sub_committee",
    "cell",
)
MEMBER_LEVELS = (GRASSROOTS_CELL, CELL)

# Member profiles drive ages, gender and exemptions (see people.py).

MIN_COMMITTEE_MEMBERS = 30  # a grassroots organization of 30 or more members is a committee
MAX_GRASSROOTS_CELL_MEMBERS = MIN_COMMITTEE_MEMBERS - 1
MIN_GRASSROOTS_CELL_MEMBERS = 5
MIN_CELL_MEMBERS = 3


@dataclass(frozen=True)
class Figures:
    """Counts of a tree: organizations by level and members in the Party (probationary, official,
    exempted). Members who left are extra records and not counted here."""

    provinces: int
    upper: int
    grassroots_committees: int
    grassroots_cells: int
    sub_committees: int
    cells: int
    members: int

    @property
    def grassroots(self) -> int:
        return self.grassroots_committees + self.grassroots_cells

    @property
    def organizations(self) -> int:
        return self.provinces + self.upper + self.grassroots + self.sub_committees + self.cells


HANOI_2020 = Figures(
    provinces=1,
    upper=50,
    grassroots_committees=1108,
    grassroots_cells=1208,
    sub_committees=176,
    cells=17225,
    members=457_397,
)
NATIONAL_FACTOR = 12.25  # 5.6 million / 457,397


def _scaled(figures: Figures, factor: float) -> Figures:
    return Figures(
        provinces=len(provinces()),
        upper=round(figures.upper * factor),
        grassroots_committees=round(figures.grassroots_committees * factor),
        grassroots_cells=round(figures.grassroots_cells * factor),
        sub_committees=round(figures.sub_committees * factor),
        cells=round(figures.cells * factor),
        members=round(figures.members * factor),
    )


SCALES: dict[str, Figures] = {
    "tiny": Figures(1, 2, 2, 2, 1, 6, 100),
    "district": Figures(1, 2, 14, 16, 3, 170, 5600),
    "hanoi": HANOI_2020,
    "national": _scaled(HANOI_2020, NATIONAL_FACTOR),
}


@dataclass(slots=True)
class OrgPlan:
    """One organization to create. `members` is the number of in-party members of a cell."""

    id: int
    parent: OrgPlan | None
    level: str
    name: str
    founded: dt.date
    path: str
    kind: str | None = None
    profile: str = WORKPLACE
    province: int = HANOI_CODE
    ward: int | None = None  # residence ward of most members, for territorial organizations
    members: int = 0


@dataclass
class Plan:
    scale: str
    seed: int
    orgs: list[OrgPlan] = field(default_factory=list)

    def figures(self) -> Figures:
        """Counted from the planned nodes, not copied from the target."""
        levels = Counter(org.level for org in self.orgs)
        return Figures(
            provinces=levels[PROVINCE],
            upper=levels[UPPER],
            grassroots_committees=levels[GRASSROOTS_COMMITTEE],
            grassroots_cells=levels[GRASSROOTS_CELL],
            sub_committees=levels[SUB_COMMITTEE],
            cells=levels[CELL],
            members=sum(org.members for org in self.orgs),
        )

    def cells(self) -> Iterator[OrgPlan]:
        return (org for org in self.orgs if org.level in MEMBER_LEVELS)


def apportion(
    total: int,
    weights: Sequence[float],
    minimum: int = 0,
    maximum: Sequence[int] | None = None,
) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each at least
    `minimum` and at most its `maximum`. The parts always sum to `total` exactly."""
    n = len(weights)
    caps = list(maximum) if maximum is not None else [total] * n
    if n == 0 or total < minimum * n or total > sum(caps):
        raise ValueError(f"cannot split {total} into {n} parts of {minimum}..{caps[:3]}…")
    parts = [minimum] * n
    left = total - minimum * n
    while left > 0:
        open_ = [i for i in range(n) if parts[i] < caps[i]]
        weight = sum(weights[i] for i in open_)
        if weight > 0:
            shares = {i: left * weights[i] / weight for i in open_}
        else:
            shares = {i: left / len(open_) for i in open_}
        given = 0
        for i in open_:
            add = min(int(shares[i]), caps[i] - parts[i])
            parts[i] += add
            given += add
        left -= given
        by_remainder = sorted(open_, key=lambda i: (-(shares[i] - int(shares[i])), i))
        for i in by_remainder:
            if left == 0:
                break
            if parts[i] < caps[i]:
                parts[i] += 1
                left -= 1
    return parts


def _lognormal(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days))


class _Builder:
    def __init__(self, rng: random.Random, as_of: dt.date, first_id: int) -> None:
        self.rng = rng
        self.as_of = as_of
        self.next_id = first_id
        self.orgs: list[OrgPlan] = []

    def add(self, parent: OrgPlan | None, level: str, name: str, founded: dt.date, **kw) -> OrgPlan:
        org_id = self.next_id
        self.next_id += 1
        org = OrgPlan(
            id=org_id,
            parent=parent,
            level=level,
            name=name,
            founded=founded,
            path=child_path(parent.path if parent else "", org_id),
            **kw,
        )
        if parent is not None:
            org.province = parent.province
            org.ward = kw.get("ward", parent.ward)
            org.profile = kw.get("profile", parent.profile)
        self.orgs.append(org)
        return org

    def founded_after(self, parent: OrgPlan, years: int, latest_years_ago: int) -> dt.date:
        """Within `years` of the parent's founding, at least `latest_years_ago` before as-of."""
        start = parent.founded
        latest = max(start, self.as_of - dt.timedelta(days=365 * latest_years_ago))
        return _date_between(self.rng, start, min(latest, start + dt.timedelta(365 * years)))


@dataclass
class _Grassroots:
    """A grassroots organization being planned under one upper committee."""

    committee: bool
    kind: str
    subs: int = 0
    direct_cells: int = 0
    sub_cells: list[int] = field(default_factory=list)
    members: int = 0
    cell_members: list[int] = field(default_factory=list)


def _plan_province(b: _Builder, place: Place, figures: Figures, founded: dt.date) -> None:
    rng = b.rng
    root = b.add(None, PROVINCE, orgnames.province_name(place), founded, province=place.code)

    # Upper committees: about 60% territorial (named after real wards and communes), the rest
    # sector committees (agencies, enterprises, armed forces, universities, corporations).
    n_upper = figures.upper
    n_territorial = max(min(n_upper, 2), round(n_upper * 0.6))
    n_territorial = min(n_territorial, len(place.wards))
    wards = rng.sample(list(place.wards), n_territorial)
    wards.sort()
    sectors = orgnames.sector_committees(place, n_upper - n_territorial)
    uppers: list[tuple[str, str, int | None]] = []  # (name, sector key, ward code)
    for code, ward_name in wards:
        uppers.append(
            (orgnames.territorial_name(ward_name), orgnames.territory_key(ward_name), code)
        )
    for name, key in sectors:
        uppers.append((name, key, None))

    # Grassroots organizations per upper committee, then which of them are committees.
    weights = [_lognormal(rng, 0.35) * (1.3 if ward is not None else 0.7) for _, _, ward in uppers]
    per_upper = apportion(figures.grassroots, weights, minimum=2)
    committees = apportion(
        figures.grassroots_committees, per_upper, minimum=1, maximum=[n - 1 for n in per_upper]
    )
    plans: list[list[_Grassroots]] = []
    for (_, key, _), n, c in zip(uppers, per_upper, committees, strict=True):
        flags = [True] * c + [False] * (n - c)
        rng.shuffle(flags)
        # Keep the first grassroots organization a committee: the demo accounts live there.
        if not flags[0]:
            flags[flags.index(True)] = False
            flags[0] = True
        plans.append(
            [_Grassroots(flag, orgnames.grassroots_kind(rng, key, flag)) for flag in flags]
        )
    all_committees = [g for group in plans for g in group if g.committee]
    all_cells = [g for group in plans for g in group if not g.committee]

    # Sub-committees: a few large committees have two or three of them.
    if figures.sub_committees:
        holders = max(1, min(len(all_committees), round(figures.sub_committees / 2.2)))
        chosen = rng.sample(range(len(all_committees)), holders)
        subs = apportion(figures.sub_committees, [1.0] * holders, minimum=1)
        for i, n in zip(chosen, subs, strict=True):
            all_committees[i].subs = n

    # Cells: every committee keeps at least one cell of its own (two if it has no sub-committee),
    # every sub-committee at least two.
    slots: list[tuple[_Grassroots, int]] = []  # (committee, -1 for its own cells or sub index)
    minimums: list[int] = []
    slot_weights: list[float] = []
    for g in all_committees:
        base = 2.0 if g.kind in ("ward", "commune") else 1.0
        slots.append((g, -1))
        minimums.append(1 if g.subs else 2)
        slot_weights.append(base * _lognormal(rng, 0.6))
        for s in range(g.subs):
            slots.append((g, s))
            minimums.append(2)
            slot_weights.append(0.6 * _lognormal(rng, 0.4))
        g.sub_cells = [0] * g.subs
    spare = figures.cells - sum(minimums)
    extra = apportion(spare, slot_weights) if slots else []
    for (g, s), least, more in zip(slots, minimums, extra, strict=True):
        if s < 0:
            g.direct_cells = least + more
        else:
            g.sub_cells[s] = least + more

    # Members: grassroots cells hold 5–29; committees at least 30 and 3 per cell.
    cell_sizes = [
        min(MAX_GRASSROOTS_CELL_MEMBERS, max(MIN_GRASSROOTS_CELL_MEMBERS, round(rng.gauss(13, 5))))
        for _ in all_cells
    ]
    in_committees = figures.members - sum(cell_sizes)
    n_cells = [g.direct_cells + sum(g.sub_cells) for g in all_committees]
    floors = [max(MIN_COMMITTEE_MEMBERS, MIN_CELL_MEMBERS * n) for n in n_cells]
    if in_committees < sum(floors):  # a small scale: shrink the grassroots cells first
        cell_sizes = apportion(
            figures.members - sum(floors),
            [float(s) for s in cell_sizes],
            MIN_GRASSROOTS_CELL_MEMBERS,
            [MAX_GRASSROOTS_CELL_MEMBERS] * len(cell_sizes),
        )
        in_committees = figures.members - sum(cell_sizes)
    for g, size in zip(all_cells, cell_sizes, strict=True):
        g.members = size
    weights = [
        n * _lognormal(rng, 0.3) * (1.3 if g.kind in ("ward", "commune") else 1.0)
        for g, n in zip(all_committees, n_cells, strict=True)
    ]
    extra = apportion(in_committees - sum(floors), weights) if all_committees else []
    for g, n, least, more in zip(all_committees, n_cells, floors, extra, strict=True):
        g.members = least + more
        g.cell_members = apportion(
            g.members, [_lognormal(rng, 0.5) for _ in range(n)], minimum=MIN_CELL_MEMBERS
        )

    for (name, key, ward), group in zip(uppers, plans, strict=True):
        upper = b.add(
            root,
            UPPER,
            name,
            _date_between(rng, max(root.founded, dt.date(1946, 1, 1)), dt.date(1976, 1, 1)),
            ward=ward,
            profile=RESIDENTIAL if ward is not None else WORKPLACE,
        )
        _plan_upper(b, upper, key, group)


def _plan_upper(b: _Builder, upper: OrgPlan, key: str, group: list[_Grassroots]) -> None:
    rng = b.rng
    names = orgnames.GrassrootsNamer(rng, upper, key)
    for g in group:
        profile = orgnames.profile_of(g.kind)
        if not g.committee:
            b.add(
                upper,
                GRASSROOTS_CELL,
                names.grassroots_cell(g.kind),
                b.founded_after(upper, 40, 3),
                kind=g.kind,
                profile=profile,
                members=g.members,
            )
            continue
        committee = b.add(
            upper,
            GRASSROOTS_COMMITTEE,
            names.grassroots_committee(g.kind),
            b.founded_after(upper, 30, 5),
            kind=g.kind,
            profile=profile,
        )
        cells = orgnames.CellNamer(rng, committee)
        sizes = iter(g.cell_members)
        for _ in range(g.direct_cells):
            b.add(
                committee,
                CELL,
                cells.next(),
                b.founded_after(committee, 20, 2),
                members=next(sizes),
            )
        for s, n in enumerate(g.sub_cells):
            sub = b.add(
                committee,
                SUB_COMMITTEE,
                cells.sub_committee(s),
                b.founded_after(committee, 15, 3),
            )
            for _ in range(n):
                b.add(sub, CELL, cells.next(), b.founded_after(sub, 15, 2), members=next(sizes))


def build_plan(scale: str, *, seed: int, as_of: dt.date, first_id: int = 1) -> Plan:
    """The full tree for `scale`, deterministic for (`seed`, `as_of`), ids from `first_id`."""
    figures = SCALES[scale]
    rng = random.Random(f"dangvien-demo-plan:{scale}:{seed}")
    builder = _Builder(rng, as_of, first_id)
    hanoi = province(HANOI_CODE)
    if figures.provinces == 1:
        _plan_province(builder, hanoi, figures, orgnames.HANOI_FOUNDED)
    else:
        places = [hanoi] + [p for p in provinces() if p.code != HANOI_CODE]
        shares = _province_figures(figures, places)
        for place, share in zip(places, shares, strict=True):
            founded = (
                orgnames.HANOI_FOUNDED
                if place.code == HANOI_CODE
                else _date_between(rng, dt.date(1930, 3, 1), dt.date(1946, 1, 1))
            )
            _plan_province(builder, place, share, founded)
    return Plan(scale=scale, seed=seed, orgs=builder.orgs)


def _province_figures(total: Figures, places: list[Place]) -> list[Figures]:
    """Hanoi keeps its 2020 figures; the other provinces share the rest by number of communes."""
    others = [float(len(p.wards)) for p in places[1:]]

    def split(attr: str, minimum: int) -> list[int]:
        rest = getattr(total, attr) - getattr(HANOI_2020, attr)
        return [getattr(HANOI_2020, attr), *apportion(rest, others, minimum)]

    columns = {
        "upper": split("upper", 2),
        "grassroots_committees": split("grassroots_committees", 2),
        "grassroots_cells": split("grassroots_cells", 1),
        "sub_committees": split("sub_committees", 1),
        "cells": split("cells", 40),
        "members": split("members", 5000),
    }
    return [
        Figures(provinces=1, **{name: values[i] for name, values in columns.items()})
        for i in range(len(places))
    ]
