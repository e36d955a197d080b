"""A data-quality run: what it stores, the figures rolled up the tree (random trees), a subtree
checked again inside a larger run, readers never seeing half a run, the task and the command."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from tests.conftest import make_member, make_org, make_user

from dangvien.accounts.models import Role, RoleAssignment
from dangvien.core.paths import subtree_q
from dangvien.jobs.models import Job
from dangvien.jobs.services import job_run
from dangvien.members.models import IN_PARTY, Gender, Member, Status
from dangvien.orgs.models import Organization
from dangvien.quality import checks, selectors
from dangvien.quality.models import QualityIssue, QualityRun, QualityScore, Severity
from dangvien.quality.services import quality_check
from dangvien.quality.tasks import QUALITY_CHECK, quality_check_start

TODAY = dt.date(2026, 11, 24)
FIELDS = ("members", "with_errors", "with_issues", "fields_filled", "fields_expected")


def published(org: Organization) -> QualityScore:
    score = selectors.score_of(org)
    assert score is not None, org.name
    return score


def test_a_run_stores_each_members_issues_and_the_figures_of_every_node(world):
    run = quality_check(acting_user=None, org=world.province, today=TODAY)
    assert run.status == QualityRun.Status.PUBLISHED
    # The world's members have no recognition date, a2, b1, c1 no CCCD and no card.
    a2 = set(QualityIssue.objects.filter(member=world.a2).values_list("rule", flat=True))
    assert a2 == {"missing_cccd", "missing_recognition_date", "missing_card_number"}
    a1 = set(QualityIssue.objects.filter(member=world.a1).values_list("rule", flat=True))
    assert a1 == {"missing_recognition_date"}
    province = published(world.province)
    assert (province.members, province.with_errors) == (4, 4)
    assert province.score == 0.0
    assert province.by_rule["missing_cccd"] == 3
    cell_a = published(world.cell_a)
    assert (cell_a.members, cell_a.by_rule["missing_cccd"]) == (2, 1)
    assert run.summary["members"] == 4 and run.summary["issues"] == 10
    # 16 fields per official member, 14 filled for a1 (no recognition date, no ethnicity …).
    assert 0 < cell_a.completeness < 1


def test_correcting_records_raises_the_score_at_the_next_run(world):
    quality_check(acting_user=None, org=world.cell_a, today=TODAY)
    assert published(world.cell_a).score == 0.0
    Member.objects.filter(pk=world.a1.pk).update(recognition_date=dt.date(2011, 3, 2))
    quality_check(acting_user=None, org=world.cell_a, today=TODAY)
    cell_a = published(world.cell_a)
    assert (cell_a.with_errors, cell_a.score) == (1, 0.5)
    assert not QualityIssue.objects.filter(
        member=world.a1, run__status=QualityRun.Status.PUBLISHED
    ).exists()
    # The first run's rows are gone, the run itself kept as history.
    assert QualityRun.objects.filter(status=QualityRun.Status.SUPERSEDED).count() == 1
    assert QualityIssue.objects.filter(run__status=QualityRun.Status.SUPERSEDED).count() == 0


# --- Random trees: every node is its own members plus its children ------------------------------

DEFECTS: list[dict[str, Any]] = [
    {},
    {},
    {},
    {"citizen_id": None},
    {"party_card_number": lambda i: f"{i}"},  # too short: card_format
    {"admission_date": dt.date(2030, 1, 1)},
    {"status": Status.EXEMPTED},
    {"recognition_date": None},
    {"full_name": "Nguyễn Văn Trùng"},  # same name and birth date as others: duplicates
]


def random_tree(rng: random.Random) -> tuple[list[Organization], list[Organization]]:
    province = make_org("Tỉnh", "province", None)
    nodes, cells = [province], []
    for u in range(rng.randint(1, 3)):
        upper = make_org(f"Đảng bộ {u}", "upper", province)
        nodes.append(upper)
        for g in range(rng.randint(1, 3)):
            grassroots = make_org(f"Đảng ủy {u}.{g}", "grassroots_committee", upper, "ward")
            nodes.append(grassroots)
            for c in range(rng.randint(1, 3)):
                cell = make_org(f"Chi bộ {u}.{g}.{c}", "cell", grassroots)
                nodes.append(cell)
                cells.append(cell)
    return nodes, cells


def random_members(rng: random.Random, cells: list[Organization], count: int) -> list[Member]:
    members = []
    for i in range(count):
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        member = make_member(
            f"Đảng Viên Số {i}",
            rng.choice(cells),
            gender=gender,
            date_of_birth=dt.date(1970, 1, 1),
            citizen_id=f"001{1 if gender == Gender.FEMALE else 0}70{i:06d}",
            party_card_number=f"{i:08d}",
            recognition_date=dt.date(2011, 3, 2),
        )
        defect = {k: v(i) if callable(v) else v for k, v in rng.choice(DEFECTS).items()}
        if defect:
            Member.objects.filter(pk=member.pk).update(**defect)
        members.append(member)
    return members


def assert_rolled_up(nodes: list[Organization]) -> None:
    """Each node = its own members + its children; members and errors = a direct count."""
    for node in nodes:
        node.refresh_from_db()
        score = published(node)
        children = [published(c) for c in Organization.objects.filter(parent=node)]
        own = Member.objects.filter(org=node, status__in=IN_PARTY)
        own_errors = QualityIssue.objects.filter(
            run__status=QualityRun.Status.PUBLISHED,
            member__in=own,
            severity=Severity.ERROR,
        )
        assert score.members == own.count() + sum(c.members for c in children), node.name
        assert score.with_errors == own_errors.values("member").distinct().count() + sum(
            c.with_errors for c in children
        ), node.name
        for name in FIELDS[2:]:
            own_total = getattr(score, name) - sum(getattr(c, name) for c in children)
            assert own_total >= 0, (node.name, name)
        rules = Counter(score.by_rule)
        for child in children:
            rules.subtract(child.by_rule)
        assert all(n >= 0 for n in rules.values()), node.name
        in_subtree = Member.objects.filter(subtree_q("org_path", node.path), status__in=IN_PARTY)
        assert score.members == in_subtree.count()
        errors = QualityIssue.objects.filter(
            run__status=QualityRun.Status.PUBLISHED, member__in=in_subtree, severity="error"
        )
        assert score.with_errors == errors.values("member").distinct().count()


def figures_of(nodes: list[Organization]) -> dict[int, tuple[Any, ...]]:
    return {
        n.pk: (*(getattr(published(n), f) for f in FIELDS), published(n).by_rule) for n in nodes
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_roll_up_the_tree_on_random_trees(db, seed):
    rng = random.Random(seed)
    nodes, cells = random_tree(rng)
    random_members(rng, cells, rng.randint(15, 40))
    quality_check(acting_user=None, org=None, today=TODAY)
    assert_rolled_up(nodes)


@pytest.mark.parametrize("seed", [4, 5])
def test_a_subtree_checked_again_keeps_every_sum_and_equals_a_fresh_check(db, seed):
    rng = random.Random(seed)
    nodes, cells = random_tree(rng)
    members = random_members(rng, cells, 30)
    quality_check(acting_user=None, org=None, today=TODAY)
    # Records of one grassroots committee change, then only that subtree is checked again.
    grassroots = next(n for n in nodes if n.level.code == "grassroots_committee")
    inside = [m for m in members if m.org_path.startswith(grassroots.path)]
    for member in inside:
        Member.objects.filter(pk=member.pk).update(citizen_id=None, party_card_number=None)
    quality_check(acting_user=None, org=grassroots, today=TODAY)
    assert_rolled_up(nodes)
    after_partial = figures_of(nodes)
    quality_check(acting_user=None, org=None, today=TODAY)
    assert figures_of(nodes) == after_partial
    # Nested runs leave one published row per node.
    for node in nodes:
        assert (
            QualityScore.objects.filter(org=node, run__status=QualityRun.Status.PUBLISHED).count()
            == 1
        )


def test_a_cell_checked_inside_a_province_check_then_the_province_again(world):
    quality_check(acting_user=None, org=world.province, today=TODAY)
    Member.objects.filter(pk=world.a2.pk).update(citizen_id="001180012399")  # a woman of 1980
    quality_check(acting_user=None, org=world.cell_a, today=TODAY)
    quality_check(acting_user=None, org=world.grassroots1, today=TODAY)
    assert published(world.province).by_rule["missing_cccd"] == 2
    assert published(world.upper1).by_rule["missing_cccd"] == 1
    assert published(world.province).run.org == world.province
    assert published(world.grassroots1).run.org == world.grassroots1
    assert_rolled_up([world.province, world.upper1, world.grassroots1, world.cell_a])


# --- Readers never see half a run -----------------------------------------------------------------


def test_readers_see_the_previous_results_until_the_run_is_published(world):
    first = quality_check(acting_user=None, org=world.province, today=TODAY)
    Member.objects.filter(pk=world.a1.pk).update(party_card_number="1")
    seen: list[tuple[int, set[str]]] = []

    def peek(done: int, total: int, message: str) -> None:
        score = selectors.score_of(world.province)
        rules = set(
            selectors.published_issues().filter(member=world.a1).values_list("rule", flat=True)
        )
        seen.append((score.run_id if score else 0, rules))

    second = quality_check(acting_user=None, org=world.province, today=TODAY, progress=peek)
    assert len(seen) >= 4
    assert all(run == first.pk and rules == {"missing_recognition_date"} for run, rules in seen)
    assert published(world.province).run_id == second.pk
    assert "card_format" in set(
        selectors.published_issues().filter(member=world.a1).values_list("rule", flat=True)
    )


def test_a_run_that_fails_leaves_the_previous_results(world, monkeypatch):
    first = quality_check(acting_user=None, org=world.province, today=TODAY)
    stored = QualityIssue.objects.filter(run=first).count()

    def broken(scope: Any, progress: Any = None) -> Any:
        yield from ()
        raise RuntimeError("disk full")

    monkeypatch.setattr(checks, "duplicate_findings", broken)
    with pytest.raises(RuntimeError):
        quality_check(acting_user=None, org=world.province, today=TODAY)
    failed = QualityRun.objects.get(status=QualityRun.Status.FAILED)
    assert not QualityIssue.objects.filter(run=failed).exists()
    assert not QualityScore.objects.filter(run=failed).exists()
    assert published(world.province).run_id == first.pk
    assert QualityIssue.objects.filter(run=first).count() == stored


# --- The background task, the command -------------------------------------------------------------


def test_staff_start_the_check_as_a_background_task(world):
    task = quality_check_start(acting_user=world.users["grassroots"], org=world.grassroots1)
    assert (task.kind, task.status) == (QUALITY_CHECK, Job.Status.DONE)  # immediate backend
    assert task.summary["members"] == 3
    assert published(world.grassroots1).run.started_by == world.users["grassroots"]
    assert selectors.score_of(world.grassroots2) is None  # not checked


def test_a_check_already_queued_is_not_started_twice(world, jobs_queued):
    first = quality_check_start(acting_user=world.users["secretary"], org=world.cell_a)
    again = quality_check_start(acting_user=world.users["grassroots"], org=world.cell_a)
    assert again.pk == first.pk and first.status == Job.Status.QUEUED
    assert job_run(first).status == Job.Status.DONE
    assert (
        quality_check_start(acting_user=world.users["secretary"], org=world.cell_a).pk != first.pk
    )


def test_no_one_checks_a_subtree_they_may_not_report_on(world):
    with pytest.raises(PermissionError):
        quality_check_start(acting_user=world.users["secretary"], org=world.grassroots1)
    with pytest.raises(PermissionError):
        quality_check_start(acting_user=world.users["editor"], org=world.province)


def test_the_task_fails_when_its_owner_lost_the_right(world, jobs_queued):
    task = quality_check_start(acting_user=world.users["secretary"], org=world.cell_a)
    RoleAssignment.objects.filter(user=world.users["secretary"]).delete()
    done = job_run(Job.objects.select_related("owner").get(pk=task.pk))
    assert done.status == Job.Status.FAILED
    assert "không còn quyền" in done.message
    assert selectors.score_of(world.cell_a) is None


def test_the_command_checks_a_subtree_or_everything(world):
    out = io.StringIO()
    call_command("quality", "--org", str(world.grassroots1.pk), stdout=out)
    assert "3 đảng viên" in out.getvalue()
    assert published(world.cell_b).members == 1
    assert selectors.score_of(world.province) is None
    call_command("quality", stdout=out)
    assert published(world.province).members == 4
    assert "4 đảng viên" in out.getvalue()


def test_a_staff_user_checking_records_without_a_role_is_refused(world):
    nobody = make_user("khach", Role.MEMBER, world.cell_c)
    with pytest.raises(PermissionError):
        quality_check_start(acting_user=nobody, org=world.cell_c)
