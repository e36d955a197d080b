"""Leaving the Party in the permission walk: a2's striking off in cell A, the cell's resolution
recorded (the committee to decide). Who reaches it is the oracle's table for the declared action
(tests/walk/oracle.py: the keepers of cell A; the deciders above it)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def world_exits(world: Any) -> dict[str, dict[str, Any]]:
    """label → name → object, made once per world (found again on later calls)."""
    from dangvien.procedures.models import Case, CaseKind, Exit, Step

    case = Case.objects.filter(kind=CaseKind.STRIKE_OFF, member=world.a2).first()
    if case is None:
        case = Case.objects.create(
            kind=CaseKind.STRIKE_OFF,
            member=world.a2,
            org=world.cell_a,
            org_path=world.cell_a.path,
            opened_on=dt.date(2026, 3, 2),
            next_step="grassroots_resolution",
        )
        Exit.objects.create(case=case, member=world.a2, reason="no_activity_or_dues")
        Step.objects.create(
            case=case,
            kind="cell_resolution",
            done_on=dt.date(2026, 3, 5),
            eligible=2,
            present=2,
            votes_for=2,
            votes_against=0,
        )
    return {
        "procedures.case": {"exit_a": case},
        "procedures.step": {"exit_step": case.steps.get(kind="cell_resolution")},
    }
