"""Report figures against the rules: what a node counts on a day, what changed in a period, the
sums of children, and the fast path (today's columns) against a recount from the histories."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest
from tests.conftest import make_member, make_org

from dangvien.members.models import Gender, Member, Status
from dangvien.members.services import member_set_status, members_move
from dangvien.orgs.models import Organization
from dangvien.reports import selectors
from dangvien.reports.measures import member_groups
from dangvien.restructuring.services import org_merge, org_move

TODAY = selectors.today()


def test_province_counts_every_member_in_the_party(world):
    totals = selectors.member_totals(world.province, TODAY)
    assert totals["members"] == 4
    assert totals["official"] == 4
    assert totals["probationary"] == 0
    assert (totals["male"], totals["female"]) == (2, 2)


def test_organizations_are_counted_by_level_below_the_node(world):
    counts = selectors.org_level_counts(world.province, TODAY)
    assert counts["upper"] == 2
    assert counts["grassroots_committee"] == 2
    assert counts["cell"] == 3
    assert counts["grassroots"] == 2
    assert "province" not in counts


def test_ages_and_party_ages_are_measured_on_the_report_day(world):
    day = dt.date(2026, 6, 30)
    # world members: born 17/05/1980, admitted 02/03/2010 → 46 years old, 16 years in the Party
    totals = selectors.member_totals(world.province, day)
    assert totals["age_41"] == 4
    assert totals["party_age_10"] == 4
    earlier = selectors.member_totals(world.province, dt.date(2020, 5, 16))
    assert earlier["age_31"] == 4  # the day before the 40th birthday: still 39


def test_party_age_bands_count_without_the_time_out(world):
    from dangvien.members.services import member_lost_contact_record

    day = dt.date(2026, 6, 30)
    # a1 admitted 02/03/2010: 16 years; eight years of lost contact leave 8 (the first band).
    member_lost_contact_record(
        acting_user=None,
        member=world.a1,
        start=dt.date(2011, 1, 1),
        end=dt.date(2019, 1, 1),
        today=day,
    )
    totals = selectors.member_totals(world.province, day)
    assert (totals["party_age_0"], totals["party_age_10"]) == (1, 3)


def test_a_past_day_counts_who_was_there_then(world):
    member_set_status(
        acting_user=None, member=world.b1, status=Status.DECEASED, on=dt.date(2024, 5, 1)
    )
    assert selectors.member_totals(world.grassroots1, dt.date(2024, 4, 30))["members"] == 3
    assert selectors.member_totals(world.grassroots1, dt.date(2024, 5, 1))["members"] == 2
    assert selectors.member_totals(world.grassroots1, TODAY)["members"] == 2


def test_a_node_that_did_not_exist_yet_counts_nothing(world):
    assert selectors.member_totals(world.cell_a, dt.date(2000, 1, 1))["members"] == 0
    assert selectors.org_level_counts(world.province, dt.date(2000, 1, 1)) == {"grassroots": 0}


def test_changes_count_admissions_recognitions_and_deaths_where_they_happened(world):
    new = make_member(
        "Hoàng Văn Em",
        world.cell_b,
        status=Status.PROBATIONARY,
        admission_date=dt.date(2025, 3, 1),
    )
    member_set_status(acting_user=None, member=new, status=Status.OFFICIAL, on=dt.date(2026, 3, 1))
    member_set_status(
        acting_user=None, member=world.a2, status=Status.DECEASED, on=dt.date(2026, 4, 2)
    )
    year = (dt.date(2026, 1, 1), dt.date(2026, 10, 31))
    g1 = selectors.change_figures(world.grassroots1, *year)
    assert g1["recognised"] == 1 and g1["deceased"] == 1 and g1["admitted"] == 0
    assert selectors.change_figures(world.cell_a, *year)["deceased"] == 1
    assert selectors.change_figures(world.cell_b, *year)["deceased"] == 0
    assert (
        selectors.change_figures(world.grassroots1, dt.date(2025, 1, 1), dt.date(2025, 12, 31))[
            "admitted"
        ]
        == 1
    )
    assert selectors.change_figures(world.upper2, *year) == dict.fromkeys(g1, 0)


def test_a_transfer_between_two_cells_is_out_of_one_and_into_the_other_not_of_their_parent(world):
    members_move(
        acting_user=None,
        source=world.cell_a,
        target=world.cell_b,
        on=dt.date(2026, 2, 1),
        member_ids=[world.a2.pk],
    )
    members_move(
        acting_user=None,
        source=world.cell_b,
        target=world.cell_c,
        on=dt.date(2026, 3, 1),
        member_ids=[world.b1.pk],
    )
    period = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    a, b, g1 = (
        selectors.change_figures(o, *period)
        for o in (world.cell_a, world.cell_b, world.grassroots1)
    )
    assert (a["transferred_out"], a["transferred_in"]) == (1, 0)
    assert (b["transferred_out"], b["transferred_in"]) == (1, 1)
    assert (g1["transferred_out"], g1["transferred_in"]) == (1, 0)  # b1 left for another committee
    assert selectors.change_figures(world.upper2, *period)["transferred_in"] == 1
    assert selectors.change_figures(world.province, *period)["transferred_in"] == 0


def test_the_list_behind_a_figure_is_the_figure(world):
    members_move(
        acting_user=None,
        source=world.cell_a,
        target=world.cell_b,
        on=dt.date(2026, 2, 1),
        member_ids=[world.a2.pk],
    )
    day = dt.date(2026, 1, 15)
    for group in member_groups(day):
        for measure in group.measures:
            listed = selectors.members_on(world.cell_a, day).filter(measure.q).count()
            assert listed == selectors.member_totals(world.cell_a, day)[measure.key], measure.key
    period = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    out = Member.objects.filter(selectors.change_q(world.cell_a, *period, "transferred_out"))
    assert list(out) == [world.a2]


# --- Random trees and random histories ---------------------------------------------------------


@dataclass
class Story:
    orgs: list[Organization] = field(default_factory=list)
    cells: list[Organization] = field(default_factory=list)
    committees: list[Organization] = field(default_factory=list)
    days: list[dt.date] = field(default_factory=list)


def _random_tree(rng: random.Random) -> Story:
    story = Story()
    province = make_org("Tỉnh", "province", None)
    story.orgs.append(province)
    for u in range(rng.randint(1, 3)):
        upper = make_org(f"Trực thuộc {u}", "upper", province)
        story.orgs.append(upper)
        for g in range(rng.randint(1, 3)):
            if rng.random() < 0.3:
                cell = make_org(f"Chi bộ cơ sở {u}.{g}", "grassroots_cell", upper, "commune")
                story.orgs.append(cell)
                story.cells.append(cell)
                continue
            committee = make_org(f"Đảng bộ {u}.{g}", "grassroots_committee", upper, "ward")
            story.orgs.append(committee)
            story.committees.append(committee)
            for c in range(rng.randint(1, 3)):
                cell = make_org(f"Chi bộ {u}.{g}.{c}", "cell", committee)
                story.orgs.append(cell)
                story.cells.append(cell)
    for n, cell in enumerate(story.cells * 3):
        if rng.random() < 0.6:
            make_member(
                f"Đảng viên {n}",
                cell,
                gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                date_of_birth=dt.date(
                    rng.randint(1940, 2000), rng.randint(1, 12), rng.randint(1, 28)
                ),
                admission_date=dt.date(
                    rng.randint(2016, 2023), rng.randint(1, 12), rng.randint(1, 28)
                ),
            )
    return story


def _random_changes(
    rng: random.Random,
    story: Story,
    steps: int,
    *,
    restructure: bool = True,
    start: dt.date = dt.date(2024, 1, 1),
) -> dt.date:
    """Admissions, recognitions, transfers, exemptions, deaths and restructuring, day after day
    from `start`; returns the last day."""
    day = start
    for step in range(steps):
        day += dt.timedelta(days=rng.randint(1, 20))
        story.days.append(day)
        cells = [c for c in story.cells if c.dissolved_on is None]
        members = list(Member.objects.filter(status__in=[Status.OFFICIAL, Status.PROBATIONARY]))
        actions = ["admit", "admit", "recognise", "move", "exempt", "die"]
        action = rng.choice(actions + (["merge", "regroup"] if restructure else []))
        if action == "admit" or not members:
            make_member(
                f"Mới {step}",
                rng.choice(cells),
                status=Status.PROBATIONARY,
                admission_date=day,
                gender=rng.choice([Gender.MALE, Gender.FEMALE]),
            )
        elif action == "recognise":
            waiting = [m for m in members if m.status == Status.PROBATIONARY]
            if waiting:
                member_set_status(
                    acting_user=None, member=rng.choice(waiting), status=Status.OFFICIAL, on=day
                )
        elif action == "move" and len(cells) > 1:
            member = rng.choice(members)
            target = rng.choice([c for c in cells if c.pk != member.org_id])
            members_move(
                acting_user=None, source=member.org, target=target, on=day, member_ids=[member.pk]
            )
        elif action in ("exempt", "die"):
            status = Status.EXEMPTED if action == "exempt" else Status.DECEASED
            member_set_status(acting_user=None, member=rng.choice(members), status=status, on=day)
        elif action == "merge":
            same_level = [c for c in cells if c.level.code == "cell"]
            if len(same_level) > 2:
                source, target = rng.sample(same_level, 2)
                org_merge(acting_user=None, source=source, target=target, on=day)
                source.refresh_from_db()
        elif action == "regroup":
            movable = [c for c in cells if c.level.code == "cell"]
            active = [g for g in story.committees if g.dissolved_on is None]
            if movable and len(active) > 1:
                cell = rng.choice(movable)
                others = [g for g in active if g.pk != cell.parent_id]
                org_move(acting_user=None, org=cell, new_parent=rng.choice(others), on=day)
        for org in story.orgs:
            org.refresh_from_db()
    return day


def _own_members(org: Organization, day: dt.date) -> dict[str, int]:
    """Members whose cell is the node itself (a grassroots cell holds members directly)."""
    if not org.level.holds_members:
        return {}
    own = selectors.members_on(org, day)
    groups = member_groups(day)
    return {m.key: own.filter(m.q).count() for g in groups for m in g.measures}


def _children_on(org: Organization, day: dt.date) -> list[Organization]:
    ids = selectors.nodes_on(org, day).filter(parent=org).values("org_id")
    return list(Organization.objects.filter(pk__in=ids))


@pytest.mark.parametrize("seed", range(4))
def test_the_children_add_up_to_their_parent_on_random_trees(db, seed):
    rng = random.Random(seed)
    story = _random_tree(rng)
    _random_changes(rng, story, steps=25)
    for day in (story.days[len(story.days) // 2], TODAY):
        for org in story.orgs:
            if selectors.node_path_on(org, day) is None:
                continue
            parent = selectors.member_totals(org, day)
            children = [selectors.member_totals(c, day) for c in _children_on(org, day)]
            own = _own_members(org, day)
            for key, value in parent.items():
                assert value == own.get(key, 0) + sum(c[key] for c in children), (org, day, key)


@pytest.mark.parametrize("seed", range(4))
def test_additive_changes_of_children_add_up_to_their_parent(db, seed):
    rng = random.Random(100 + seed)
    story = _random_tree(rng)
    _random_changes(rng, story, steps=25, restructure=False)  # a node's children stay its own
    start, end = story.days[0], story.days[-1]
    additive = ["admitted", "recognised", "exempted", "deceased"]
    for org in story.orgs:
        parent = selectors.change_figures(org, start, end)
        children = [selectors.change_figures(c, start, end) for c in _children_on(org, end)]
        if org.level.holds_members:
            continue  # a cell's changes are its own
        for key in additive:
            assert parent[key] == sum(c[key] for c in children), (org, key)


@pytest.mark.parametrize("seed", range(6))
def test_the_fast_path_agrees_with_a_recount_after_random_changes(db, seed):
    rng = random.Random(1000 + seed)
    story = _random_tree(rng)
    _random_changes(rng, story, steps=30)
    for org in story.orgs:
        if org.dissolved_on is not None:
            continue
        fast = selectors._aggregate(selectors.members_now(org), _measures(TODAY))
        recount = selectors._aggregate(
            selectors.members_on_from_history(org, TODAY), _measures(TODAY)
        )
        assert fast == recount, org


def _measures(day: dt.date):
    return [m for g in member_groups(day) for m in g.measures]


@pytest.mark.parametrize("seed", range(4))
def test_a_past_day_counted_by_child_agrees_with_the_lists_behind_it(db, seed):
    """A past day's report counts the subtree grouped by child in one query; each figure must be
    the size of the list behind it, and each child's count its own subtree's."""
    rng = random.Random(500 + seed)
    story = _random_tree(rng)
    _random_changes(rng, story, steps=25)
    for day in (story.days[len(story.days) // 3], story.days[-1]):
        for org in story.orgs:
            children = _children_on(org, day)
            groups, below = selectors.member_report(org, day, children)
            counted = {row.measure.key: row.value for g in groups for row in g.rows}
            listed = selectors._aggregate(
                selectors.members_on_from_history(org, day), _measures(day)
            )
            assert counted == listed, (org, day)
            assert below == [
                (c, selectors.members_on_from_history(c, day).count()) for c in children
            ], (org, day)
