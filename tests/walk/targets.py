"""Admission targets in the permission walk: a target of cell A (set by grassroots G1), of G1
(set by upper U1) and of cell C (set by grassroots G2). Who reaches them is the oracle's table for
the declared action (tests/walk/oracle.py, TARGETS_SEEN and TARGETS_SET)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.walk.kinds import MISSING_ID, Check, Kind, UrlMaker, login_url
from tests.walk.oracle import PERSONAS

YEAR = 2026


def world_targets(world: Any) -> dict[str, Any]:
    """name → target, made once per world (found again on later calls)."""
    from dangvien.procedures.models import AdmissionTarget

    def make(org: Any, parent: Any, target: int) -> Any:
        row, _ = AdmissionTarget.objects.get_or_create(
            org=org,
            year=YEAR,
            defaults={"org_path": org.path, "parent_path": parent.path, "target": target},
        )
        return row

    return {
        "target_a": make(world.cell_a, world.grassroots1, 3),
        "target_g1": make(world.grassroots1, world.upper1, 10),
        "target_c": make(world.cell_c, world.grassroots2, 2),
    }


@dataclass(frozen=True)
class TargetPage(Kind):
    """The form setting a node's target of a year, at the node's id with `?nam=`: anonymous →
    login; those the declared action reaches the target for → 200; others, or a missing node →
    404."""

    @property
    def model(self) -> str | None:
        return "procedures.admissiontarget"

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        objects = world_targets(world)
        reached = self.reached(action)
        for persona in PERSONAS:
            targets = [(f"{url(obj.org_id)}?nam={obj.year}", name in reached[persona])
                       for name, obj in sorted(objects.items())]  # fmt: skip
            for target, allowed in [*targets, (f"{url(MISSING_ID)}?nam={YEAR}", False)]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if allowed else 404)
