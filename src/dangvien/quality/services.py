"""A data-quality run: check a subtree, store the findings and the figures of every node, publish.

Readers (the dashboard, the fix list) read only the rows of PUBLISHED runs. A run writes its rows
while RUNNING, in batches and outside any long transaction; then one short transaction publishes
it and retires what it replaces:

- runs of the same subtree or inside it become SUPERSEDED (their rows, hidden at once, are
  deleted afterwards in batches);
- a published run of a larger subtree (an ancestor, or every record) keeps its rows outside the
  new subtree; inside it they are deleted, and its figures of the nodes above the new root are
  corrected by the difference between the root's new and old figures, so every node still
  equals its own members plus its children.

So a reader sees either the old results or the new ones, never half a run. Figures of a node
above a re-checked subtree are those of its own run corrected by that difference: exact unless
the tree was restructured or members moved in or out of the subtree in between; the next run
of the larger subtree sets them right.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Subquery
from django.utils import timezone

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.core.paths import SEGMENT, ancestor_ids, subtree_q
from dangvien.orgs.models import Organization
from dangvien.quality import checks
from dangvien.quality.catalogue import rule_for
from dangvien.quality.models import QualityIssue, QualityRun, QualityScore, Severity

log = logging.getLogger(__name__)

WRITE_BATCH = 5000
PURGE_BATCH = 20000
MAX_OTHERS = 20  # ids kept per duplicate finding
ABANDONED_AFTER = dt.timedelta(hours=12)  # a run still RUNNING then was killed with its process

# (done, total, message): the task's progress bar.
Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, message: str) -> None:
    return None


@dataclass
class Figures:
    """Additive figures of a subtree: a parent's are the sum of its children's and its own."""

    members: int = 0
    with_errors: int = 0
    with_issues: int = 0
    fields_filled: int = 0
    fields_expected: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)

    def add(self, other: Figures, sign: int = 1) -> None:
        self.members += sign * other.members
        self.with_errors += sign * other.with_errors
        self.with_issues += sign * other.with_issues
        self.fields_filled += sign * other.fields_filled
        self.fields_expected += sign * other.fields_expected
        for code, n in other.by_rule.items():
            self.by_rule[code] += sign * n
        for code in [c for c, n in self.by_rule.items() if n == 0]:
            del self.by_rule[code]

    @classmethod
    def of(cls, row: QualityScore | None) -> Figures:
        if row is None:
            return cls()
        return cls(
            row.members,
            row.with_errors,
            row.with_issues,
            row.fields_filled,
            row.fields_expected,
            Counter(row.by_rule),
        )

    def store(self, row: QualityScore) -> None:
        row.members, row.with_errors, row.with_issues = (
            self.members,
            self.with_errors,
            self.with_issues,
        )
        row.fields_filled, row.fields_expected = self.fields_filled, self.fields_expected
        row.by_rule = dict(sorted(self.by_rule.items()))


class _Steps:
    """Progress over the whole run: the two streamed passes count rows, the others one each."""

    def __init__(self, progress: Progress, members: int) -> None:
        self.progress, self.members = progress, members
        self.total = 2 * members + 4
        self.base = 0

    def step(self, message: str, base: int) -> None:
        self.base = base
        self.progress(base, self.total, message)

    def rows(self, message: str) -> checks.Progress:
        def report(done: int) -> None:
            self.progress(self.base + min(done, self.members), self.total, message)

        return report


def quality_check(
    *,
    acting_user: ActingUser,
    org: Organization | None,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
) -> QualityRun:
    """Check the members in the Party of `org`'s subtree (None: every record) and publish the
    results, replacing those of the previous runs for that subtree."""
    runs_abandoned_fail()
    today = today or timezone.localdate()
    scope = checks.Scope(path=org.path if org is not None else None, today=today)
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    run = QualityRun.objects.create(org=org, path=scope.path or "", started_by=user, today=today)
    try:
        _run(run, scope, progress)
    except BaseException:
        _discard(run)
        raise
    try:
        runs_purge()
    except Exception:  # published all the same; what is left is purged by the next run
        log.exception("could not purge retired quality runs")
    return run


def _run(run: QualityRun, scope: checks.Scope, progress: Progress) -> None:
    started = time.monotonic()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal started
        now = time.monotonic()
        seconds[name] = round(now - started, 2)
        started = now

    members = scope.members().count()
    steps = _Steps(progress, members)
    steps.step("Đang kiểm tra các thông tin bắt buộc, ngày tháng và lịch sử…", 0)
    written = _store(run, checks.sql_findings(scope))
    lap("fields")
    steps.step("Đang kiểm tra số CCCD, số thẻ và ngày vào Đảng…", 1)
    written += _store(run, checks.record_findings(scope, steps.rows("Đang kiểm tra hồ sơ…")))
    lap("records")
    steps.step("Đang tìm hồ sơ có thể trùng nhau…", members + 1)
    written += _store(run, checks.duplicate_findings(scope, steps.rows("Đang tìm hồ sơ trùng…")))
    written += _store(run, checks.identifier_findings(scope))
    lap("duplicates")
    steps.step("Đang tính điểm của từng tổ chức…", 2 * members + 2)
    totals, ids, unplaced = _figures(run, scope)
    rows = _store_scores(run, totals, ids)
    lap("figures")
    steps.step("Đang công bố kết quả…", 2 * members + 3)
    root = _root_figures(totals, scope, unplaced)
    run.summary = {
        "members": root.members,
        "with_errors": root.with_errors,
        "with_issues": root.with_issues,
        "issues": written,
        "nodes": rows,
        "unplaced": unplaced.members,
        "by_rule": dict(sorted(root.by_rule.items())),
        "seconds": seconds,
    }
    _publish(run)
    lap("publish")
    run.summary["seconds"] = seconds
    QualityRun.objects.filter(pk=run.pk).update(summary=run.summary)


def _store(run: QualityRun, findings: Iterable[checks.Finding]) -> int:
    batch: list[QualityIssue] = []
    written = 0
    for found in findings:
        batch.append(
            QualityIssue(
                run=run,
                member_id=found.member_id,
                rule=found.rule,
                severity=rule_for(found.rule).severity,
                org_path=found.org_path,
                detail=found.detail[:300],
                others=list(found.others[:MAX_OTHERS]) or None,
            )
        )
        if len(batch) >= WRITE_BATCH:
            QualityIssue.objects.bulk_create(batch)
            written += len(batch)
            batch.clear()
    if batch:
        QualityIssue.objects.bulk_create(batch)
        written += len(batch)
    return written


def _figures(
    run: QualityRun, scope: checks.Scope
) -> tuple[dict[str, Figures], dict[str, int], Figures]:
    """Every node's figures rolled up the tree (by path), the nodes' ids, and the figures of the
    members placed in no node."""
    direct: dict[str, Figures] = {}
    for path, counted in checks.member_figures(scope).items():
        direct[path] = Figures(
            members=counted.members,
            fields_filled=counted.fields_filled,
            fields_expected=counted.fields_expected,
        )
    issues = QualityIssue.objects.filter(run=run).order_by()
    for path, rule, n in issues.values_list("org_path", "rule").annotate(n=Count("pk")):
        direct.setdefault(path, Figures()).by_rule[rule] = n
    by_member = Count("member", distinct=True)
    for path, n in issues.values_list("org_path").annotate(n=by_member):
        direct.setdefault(path, Figures()).with_issues = n
    errors = issues.filter(severity=Severity.ERROR)
    for path, n in errors.values_list("org_path").annotate(n=by_member):
        direct.setdefault(path, Figures()).with_errors = n

    nodes = Organization.objects.all()
    if scope.path is not None:
        nodes = nodes.filter(subtree_q("path", scope.path))
    ids = dict(nodes.values_list("path", "pk"))
    totals = {path: Figures() for path in ids}
    unplaced = Figures()
    top = len(scope.path) if scope.path else SEGMENT
    for path, figures in direct.items():
        if path not in totals:
            unplaced.add(figures)  # no cell, or a path no node has any more
            continue
        for depth in range(top, len(path) + 1, SEGMENT):
            ancestor = totals.get(path[:depth])
            if ancestor is not None:
                ancestor.add(figures)
    return totals, ids, unplaced


def _root_figures(totals: dict[str, Figures], scope: checks.Scope, unplaced: Figures) -> Figures:
    root = Figures()
    if scope.path is not None:
        root.add(totals.get(scope.path, Figures()))
    else:
        for path, figures in totals.items():
            if len(path) == SEGMENT:  # the tops of the forest
                root.add(figures)
    root.add(unplaced)
    return root


def _store_scores(run: QualityRun, totals: dict[str, Figures], ids: dict[str, int]) -> int:
    """One row per node of the subtree, those without members too: a later run of a subtree
    below corrects its ancestors' rows, which must exist."""
    batch: list[QualityScore] = []
    for path in sorted(totals):
        row = QualityScore(run=run, org_id=ids[path], path=path)
        totals[path].store(row)
        batch.append(row)
        if len(batch) >= WRITE_BATCH:
            QualityScore.objects.bulk_create(batch)
            batch.clear()
    QualityScore.objects.bulk_create(batch)
    return len(totals)


@transaction.atomic
def _publish(run: QualityRun) -> None:
    # One publication at a time: the rows of the published runs are locked (PostgreSQL); SQLite
    # serialises writers anyway.
    published = QualityRun.objects.select_for_update().filter(status=QualityRun.Status.PUBLISHED)
    current = list(published.values_list("pk", "path"))
    path = run.path
    if path:
        covered = [pk for pk, p in current if p.startswith(path)]
        above = [pk for pk, p in current if not p.startswith(path) and path.startswith(p)]
    else:
        covered, above = [pk for pk, _p in current], []
    if above and run.org_id is not None:
        old_root = QualityScore.objects.filter(
            run_id__in=covered + above, org_id=run.org_id
        ).first()
        new_root = QualityScore.objects.filter(run=run, org_id=run.org_id).first()
        delta = Figures.of(new_root)
        delta.add(Figures.of(old_root), sign=-1)
        QualityIssue.objects.filter(run_id__in=above).filter(subtree_q("org_path", path)).delete()
        QualityScore.objects.filter(run_id__in=above).filter(subtree_q("path", path)).delete()
        for row in QualityScore.objects.select_for_update().filter(
            run_id__in=above, org_id__in=ancestor_ids(path)[:-1]
        ):
            figures = Figures.of(row)
            figures.add(delta)
            figures.store(row)
            row.save()
    QualityRun.objects.filter(pk__in=covered).update(status=QualityRun.Status.SUPERSEDED)
    run.status, run.finished_at = QualityRun.Status.PUBLISHED, timezone.now()
    run.save(update_fields=["status", "finished_at", "summary"])
    summary = run.summary
    where = run.org.name if run.org is not None else "toàn bộ hồ sơ"
    audit_record(
        actor=run.started_by,
        action=AuditEvent.Action.CREATE,
        target=run,
        summary=(
            f"Kiểm tra chất lượng dữ liệu «{where}»: {summary.get('members', 0)} đảng viên, "
            f"{summary.get('with_errors', 0)} hồ sơ có lỗi"
        ),
    )


def _discard(run: QualityRun) -> None:
    """A run that stopped: failed, its rows deleted. Never raises (the first error matters)."""
    try:
        QualityRun.objects.filter(pk=run.pk, status=QualityRun.Status.RUNNING).update(
            status=QualityRun.Status.FAILED, finished_at=timezone.now()
        )
        runs_purge()
    except Exception:
        log.exception("could not discard quality run %s", run.pk)


def runs_abandoned_fail() -> int:
    """Runs left RUNNING long ago (their process was killed): failed, so that they get purged."""
    return QualityRun.objects.filter(
        status=QualityRun.Status.RUNNING, started_at__lt=timezone.now() - ABANDONED_AFTER
    ).update(status=QualityRun.Status.FAILED, finished_at=timezone.now())


def runs_purge() -> int:
    """Delete the rows of superseded and failed runs, in batches (each its own short write)."""
    retired = QualityRun.objects.filter(
        status__in=[QualityRun.Status.SUPERSEDED, QualityRun.Status.FAILED]
    ).values("pk")
    deleted = 0
    for model in (QualityIssue, QualityScore):
        rows = model.objects.filter(run__in=Subquery(retired))
        while True:
            batch = model.objects.filter(pk__in=Subquery(rows.values("pk")[:PURGE_BATCH]))
            count, _ = batch.delete()
            deleted += count
            if count < PURGE_BATCH:
                break
    return deleted
