"""Exemptions in the permission walk: an exemption of a member of cell A and one of cell C, each
with its case; recording the end of one is a step of its cell (`propose` on the case). Who reaches
them is the oracle's table of cases: the exemption of cell A as the admission case of cell A."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.kinds import MISSING_ID, Check, Kind, UrlMaker, login_url
from tests.walk.oracle import PERSONAS

CASES = "procedures.case"


def world_exemptions(world: Any) -> dict[str, Any]:
    """name ("exemption_a", "exemption_c") → exemption, made once per world."""
    from dangvien.procedures.models import Case, CaseKind, Exemption

    made = {}
    for suffix, member, cell in (("a", world.a2, world.cell_a), ("c", world.c1, world.cell_c)):
        found = Exemption.objects.filter(member=member).first()
        if found is None:
            case = Case.objects.create(
                kind=CaseKind.EXEMPTION,
                member=member,
                org=cell,
                org_path=cell.path,
                opened_on=dt.date(2026, 3, 2),
            )
            found = Exemption.objects.create(
                case=case,
                member=member,
                scope="work",
                reason="health",
                decided=True,
                valid_from=dt.date(2026, 3, 10),
            )
        made[f"exemption_{suffix}"] = found
    return made


@dataclass(frozen=True)
class ExemptionPage(Kind):
    """The end of an exemption: anonymous → login; those the declared action on its case reaches
    → 200; those who only see the case → 403; else, or a missing id → 404."""

    methods: ClassVar[tuple[str, ...]] = ("GET",)

    @property
    def model(self) -> str | None:
        return CASES

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        rows = world_exemptions(world)
        reached, seen = self.reached(action), self.reached("view")
        for persona in PERSONAS:
            targets = [
                (url(row.pk), f"case_{name[-1]}" in reached[persona],
                 f"case_{name[-1]}" in seen[persona])
                for name, row in sorted(rows.items())
            ]  # fmt: skip
            for target, allowed, refused in [*targets, (url(MISSING_ID), False, False)]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if allowed else 403 if refused else 404)
