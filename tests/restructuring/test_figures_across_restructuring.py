"""The figures of a past day do not change when the tree is restructured after it; today's figures
follow the change. Read through the report selectors, as the report pages read them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangvien.orgs.models import Organization
from dangvien.reports.selectors import member_figures, member_report
from dangvien.restructuring.services import org_merge, org_move

BEFORE = dt.date(2024, 1, 1)
CHANGE = dt.date(2024, 3, 1)


def figures(org: Organization, day: dt.date) -> dict[str, int]:
    org = Organization.objects.get(pk=org.pk)  # the path as it stands now
    return {row.measure.key: row.value for g in member_figures(org, day) for row in g.rows}


def by_child(org: Organization, day: dt.date) -> list[tuple[str, int]]:
    org = Organization.objects.get(pk=org.pk)
    children = list(Organization.objects.filter(parent=org).order_by("name"))
    return [(child.name, n) for child, n in member_report(org, day, children)[1]]


def test_a_past_day_reads_the_same_after_a_move_and_today_follows_it(world):
    nodes = [world.province, world.upper1, world.upper2, world.grassroots1]
    past = {org.pk: figures(org, BEFORE) for org in nodes}
    past_children = by_child(world.province, BEFORE)
    assert past[world.upper1.pk]["members"] == 3 and past[world.upper2.pk]["members"] == 1

    org_move(acting_user=None, org=world.grassroots1, new_parent=world.upper2, on=CHANGE)

    assert {org.pk: figures(org, BEFORE) for org in nodes} == past
    assert by_child(world.province, BEFORE) == past_children
    today = timezone.localdate()
    assert figures(world.upper1, today)["members"] == 0
    assert figures(world.upper2, today)["members"] == 4
    assert figures(world.grassroots1, today)["members"] == 3
    assert by_child(world.province, today) == [
        ("Đảng bộ quận Ba Đình", 0),
        ("Đảng bộ quận Tây Hồ", 4),
    ]


def test_a_past_day_reads_the_same_after_a_merge_and_today_follows_it(world):
    nodes = [world.province, world.grassroots1, world.cell_a, world.cell_b]
    past = {org.pk: figures(org, BEFORE) for org in nodes}
    past_children = by_child(world.grassroots1, BEFORE)
    assert past_children == [("Chi bộ 1", 2), ("Chi bộ 2", 1)]

    org_merge(acting_user=None, source=world.cell_b, target=world.cell_a, on=CHANGE)

    assert {org.pk: figures(org, BEFORE) for org in nodes} == past
    assert by_child(world.grassroots1, BEFORE) == past_children
    today = timezone.localdate()
    assert figures(world.cell_a, today)["members"] == 3
    assert figures(world.cell_b, today)["members"] == 0
    assert figures(world.grassroots1, today)["members"] == 3
    # A day between the two: the merge took effect on CHANGE, not before.
    assert figures(world.cell_b, CHANGE - dt.timedelta(days=1))["members"] == 1
    assert figures(world.cell_b, CHANGE)["members"] == 0
    assert figures(world.cell_a, CHANGE)["members"] == 3
