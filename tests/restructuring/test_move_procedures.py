"""A subtree moved under another committee takes its procedures along: the paths copied onto
cases, candidates and admission targets follow, so the new committee sees them and the old one
no longer does, and a moved organization's target is set from its new parent."""

from __future__ import annotations

import datetime as dt

from tests.procedures.factories import make_admission

from dangvien.accounts.access import DECIDE, VIEW, allowed
from dangvien.procedures.models import AdmissionTarget, Candidate, Case
from dangvien.restructuring.services import org_move


def _target(org, year=2026):
    return AdmissionTarget.objects.create(
        org=org, org_path=org.path, parent_path=org.parent.path, year=year, target=3
    )


def test_cases_candidates_and_targets_follow_a_moved_subtree(world):
    case = make_admission(world, dossier=False)
    target_g1, target_a = _target(world.grassroots1), _target(world.cell_a)
    upper, other_upper = world.users["upper"], world.users["other_upper"]
    assert allowed(upper, VIEW, case) and not allowed(other_upper, VIEW, case)

    org_move(acting_user=None, org=world.grassroots1, new_parent=world.upper2,
             on=dt.date(2026, 7, 1))  # fmt: skip

    world.cell_a.refresh_from_db()
    world.upper2.refresh_from_db()
    case = Case.objects.get(pk=case.pk)
    assert case.org_path == world.cell_a.path
    assert Candidate.objects.get(pk=case.candidate_id).org_path == world.cell_a.path
    assert allowed(other_upper, VIEW, case) and not allowed(upper, VIEW, case)
    target_g1.refresh_from_db()
    target_a.refresh_from_db()
    assert target_a.org_path == world.cell_a.path
    assert target_g1.parent_path == world.upper2.path  # set from its new parent now
    assert allowed(other_upper, DECIDE, target_g1) and not allowed(upper, DECIDE, target_g1)
