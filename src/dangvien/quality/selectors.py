"""What the data-quality pages read: published figures of a node and its children, and the fix
list. Members are read through `members_visible_to`, nodes through `orgs_visible_to`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from dangvien.accounts.types import Actor
from dangvien.core.paths import subtree_q
from dangvien.members.models import Member
from dangvien.members.selectors import members_in_subtree, members_visible_to
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_children_visible_to
from dangvien.quality.catalogue import ORDER, RULES, Rule, rule_for
from dangvien.quality.models import QualityIssue, QualityRun, QualityScore

PUBLISHED = QualityRun.Status.PUBLISHED


def published_issues() -> QuerySet[QualityIssue]:
    return QualityIssue.objects.filter(run__status=PUBLISHED)


def score_of(org: Organization) -> QualityScore | None:
    """The node's published figures (at most one row: publishing retires the others)."""
    return (
        QualityScore.objects.filter(org=org, run__status=PUBLISHED)
        .select_related("run", "run__org", "run__started_by")
        .order_by("-run_id")
        .first()
    )


@dataclass
class ChildScore:
    org: Organization
    score: QualityScore | None


def children_scores(user: Actor, org: Organization) -> list[ChildScore]:
    """The node's children the user sees, lowest score first (nodes without members last);
    a dissolved child is listed only while members are still counted in it."""
    children = list(org_children_visible_to(user, org, include_dissolved=True))
    rows = QualityScore.objects.filter(
        run__status=PUBLISHED, org_id__in=[c.pk for c in children]
    ).order_by("run_id")
    scores = {row.org_id: row for row in rows}  # the newest wins (there is only one)
    found = [
        ChildScore(child, scores.get(child.pk))
        for child in children
        if child.is_active or (child.pk in scores and scores[child.pk].members)
    ]

    def rank(item: ChildScore) -> tuple[int, float, str]:
        share = item.score.score if item.score is not None else None
        return (share is None, share if share is not None else 0.0, item.org.name)

    return sorted(found, key=rank)


@dataclass
class RuleCount:
    rule: Rule
    members: int


def rule_counts(score: QualityScore | None) -> list[RuleCount]:
    """Members per rule broken, in the catalogue's order (errors and warnings alike)."""
    if score is None:
        return []
    counts = score.by_rule or {}
    return [RuleCount(rule, counts[rule.code]) for rule in RULES if counts.get(rule.code)]


@dataclass
class IssueView:
    issue: QualityIssue
    rule: Rule
    others: list[Member] = field(default_factory=list)  # the other records the user sees
    hidden: int = 0  # the other records outside the user's scope


@dataclass
class FixRow:
    member: Member
    issues: list[IssueView]
    changed_since: bool  # the record was saved after the check that found these


def fix_list(
    user: Actor, org: Organization, *, rule: str = "", offset: int = 0, limit: int = 50
) -> list[FixRow]:
    """Members of `org`'s subtree the user sees with a published issue (of `rule`), by cell then
    name: `limit` + 1 rows at most (one more says a next page exists). Fixed number of queries."""
    found = published_issues().filter(subtree_q("org_path", org.path))
    if rule:
        found = found.filter(rule=rule)
    members = (
        members_in_subtree(members_visible_to(user), org)
        .filter(pk__in=found.values("member_id"))
        .order_by("org_path", "name_sort", "pk")
        .prefetch_related(
            Prefetch(
                "quality_issues",
                queryset=published_issues().select_related("run"),
                to_attr="published_issues",
            )
        )
    )
    rows = []
    for member in members[offset : offset + limit + 1]:
        issues: list[QualityIssue] = member.published_issues
        views = sorted(
            (IssueView(issue, rule_for(issue.rule)) for issue in issues),
            key=lambda view: (not view.rule.is_error, ORDER.get(view.rule.code, len(ORDER))),
        )
        checked = [i.run.finished_at for i in issues if i.run.finished_at is not None]
        changed = bool(checked and member.updated_at and member.updated_at > max(checked))
        rows.append(FixRow(member, views, changed))
    wanted = {pk for row in rows for view in row.issues for pk in view.issue.others or ()}
    if wanted:
        visible = {m.pk: m for m in members_visible_to(user).filter(pk__in=wanted)}
        for row in rows:
            for view in row.issues:
                others = view.issue.others or []
                view.others = [visible[pk] for pk in others if pk in visible]
                view.hidden = len(others) - len(view.others)
    return rows


def unplaced(user: Actor, limit: int = 20) -> tuple[list[Member], int]:
    """Members in the Party placed in no node (no cell, or a path no node has): only a check of
    every record finds them, and only those who see every record can open them."""
    found = published_issues().filter(org_path="").values("member_id")
    members = members_visible_to(user).filter(pk__in=found).order_by("name_sort", "pk")
    return list(members[:limit]), members.count()
