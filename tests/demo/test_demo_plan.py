"""The plan of the demo tree, checked without writing it: Hanoi's 2020 figures, exactly."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from dangvien.core.paths import child_path
from dangvien.demo.plan import (
    GRASSROOTS_CELL,
    GRASSROOTS_COMMITTEE,
    HANOI_2020,
    Plan,
    apportion,
    build_plan,
)
from dangvien.demo.services import DEFAULT_AS_OF


@pytest.fixture(scope="module")
def hanoi() -> Plan:
    return build_plan("hanoi", seed=1, as_of=DEFAULT_AS_OF)


def test_hanoi_plan_has_the_figures_of_31_12_2020(hanoi):
    levels = Counter(org.level for org in hanoi.orgs)
    assert levels == {
        "province": 1,
        "upper": 50,
        "grassroots_committee": 1108,
        "grassroots_cell": 1208,
        "sub_committee": 176,
        "cell": 17225,
    }
    assert levels["grassroots_committee"] + levels["grassroots_cell"] == 2316
    assert sum(org.members for org in hanoi.orgs) == 457_397
    assert hanoi.figures() == HANOI_2020
    assert hanoi.orgs[0].name == "Đảng bộ Thành phố Hà Nội"


def test_hanoi_plan_follows_the_rules_of_grassroots_organizations(hanoi):
    by_id = {org.id: org for org in hanoi.orgs}
    subtree_members: dict[int, int] = defaultdict(int)
    for org in hanoi.orgs:
        parent = org.parent
        assert org.path == child_path(parent.path if parent else "", org.id)
        assert parent is None or parent.founded <= org.founded < DEFAULT_AS_OF
        if org.level == "cell":
            assert parent is not None
            assert parent.level in ("grassroots_committee", "sub_committee")
            assert org.members >= 3
        if org.level == "sub_committee":
            assert parent is not None and parent.level == GRASSROOTS_COMMITTEE
        if org.level == GRASSROOTS_CELL:
            assert 5 <= org.members < 30
        node = parent
        while node is not None:
            subtree_members[node.id] += org.members
            node = node.parent
    committees = [o for o in hanoi.orgs if o.level == GRASSROOTS_COMMITTEE]
    assert all(subtree_members[c.id] >= 30 for c in committees)
    assert {o.kind for o in committees} >= {"ward", "state_agency", "public_service"}
    assert len({o.name for o in hanoi.orgs if o.level == "upper"}) == 50
    assert len(by_id) == len(hanoi.orgs)


def test_national_plan_scales_hanoi_to_about_5_6_million_members():
    plan = build_plan("national", seed=1, as_of=DEFAULT_AS_OF)
    figures = plan.figures()
    assert figures.provinces == 34
    assert 5_550_000 <= figures.members <= 5_650_000
    assert figures.cells == round(17225 * 12.25)
    hanoi = plan.orgs[0]
    assert hanoi.name == "Đảng bộ Thành phố Hà Nội"
    in_hanoi = [o for o in plan.orgs if o.path.startswith(hanoi.path)]
    assert sum(o.members for o in in_hanoi) == 457_397


def test_the_same_seed_plans_the_same_tree():
    first = build_plan("district", seed=3, as_of=DEFAULT_AS_OF)
    again = build_plan("district", seed=3, as_of=DEFAULT_AS_OF)
    other = build_plan("district", seed=4, as_of=DEFAULT_AS_OF)

    def shape(plan: Plan) -> list[tuple]:
        return [(o.path, o.name, o.founded, o.members) for o in plan.orgs]

    assert shape(first) == shape(again)
    assert shape(first) != shape(other)
    assert first.figures() == other.figures()


@pytest.mark.parametrize(
    ("total", "weights", "minimum", "maximum"),
    [
        (10, [1.0, 1.0, 1.0], 0, None),
        (457_397, [0.1, 5.0, 2.5, 0.0], 3, None),
        (7, [9.0, 1.0, 1.0], 1, [3, 3, 3]),
    ],
)
def test_apportion_always_sums_to_the_total(total, weights, minimum, maximum):
    parts = apportion(total, weights, minimum, maximum)
    assert sum(parts) == total
    assert all(p >= minimum for p in parts)
    if maximum:
        assert all(p <= m for p, m in zip(parts, maximum, strict=True))
