"""A node dissolved the day it was founded or moved: the state that began that day held on no
day and is deleted; the node's record and the audit trail keep what was done."""

from __future__ import annotations

import datetime as dt

from tests.conftest import level

from dangvien.core.models import AuditEvent
from dangvien.members.services import members_move
from dangvien.orgs.models import OrgHistory
from dangvien.orgs.services import org_create
from dangvien.reports import selectors
from dangvien.restructuring.services import org_dissolve, org_move

DAY = dt.date(2024, 5, 1)


def test_a_node_dissolved_the_day_it_was_founded_never_stood_in_the_tree(world):
    cell = org_create(
        acting_user=None, name="Chi bộ 4", level=level("cell"), parent=world.grassroots1, on=DAY
    )
    org_dissolve(acting_user=None, org=cell, on=DAY)
    assert not OrgHistory.objects.filter(org=cell).exists()
    cell.refresh_from_db()
    assert (cell.founded_on, cell.dissolved_on) == (DAY, DAY)
    actions = AuditEvent.objects.filter(target_id=cell.pk, target_type="orgs.organization")
    assert set(actions.values_list("action", flat=True)) == {
        AuditEvent.Action.CREATE,
        AuditEvent.Action.DISSOLVE,
    }
    assert selectors.org_level_counts(world.grassroots1, DAY)["cell"] == 2


def test_a_node_dissolved_the_day_it_was_moved_ends_where_it_stood_before(world):
    founded = OrgHistory.objects.get(org=world.cell_b).valid_from
    org_move(acting_user=None, org=world.cell_b, new_parent=world.grassroots2, on=DAY)
    world.cell_b.refresh_from_db()
    # Its member leaves first (a dissolved cell keeps no one).
    members_move(acting_user=None, source=world.cell_b, target=world.cell_a, on=DAY)
    org_dissolve(acting_user=None, org=world.cell_b, on=DAY)
    assert list(
        OrgHistory.objects.filter(org=world.cell_b).values_list("parent", "valid_from", "valid_to")
    ) == [(world.grassroots1.pk, founded, DAY)]
    assert selectors.org_level_counts(world.grassroots1, DAY - dt.timedelta(days=1))["cell"] == 2
    assert selectors.org_level_counts(world.grassroots1, DAY)["cell"] == 1
    assert selectors.org_level_counts(world.grassroots2, DAY)["cell"] == 1
