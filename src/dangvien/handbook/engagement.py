"""How a subtree uses the handbook in a month: posts published, the share of members who opened
it, how notices were confirmed, the most opened documents, and the children ranked so that a
committee sees where the handbook is weak."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from dangvien.core.paths import SEGMENT, subtree_q, subtrees_q
from dangvien.handbook.models import Document, Post, Reading, Visit
from dangvien.members.models import IN_PARTY, Member
from dangvien.orgs.models import Organization


@dataclass
class Engagement:
    org: Organization
    members: int  # in the Party today
    visitors: int  # members who opened the handbook in the month
    posts: int  # posts and notices published in the subtree in the month

    @property
    def share(self) -> float | None:
        return self.visitors / self.members if self.members else None


@dataclass
class NoticeRate:
    post: Post
    reached: int
    acknowledged: int

    @property
    def rate(self) -> float | None:
        return self.acknowledged / self.reached if self.reached else None


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def engagement_of(org: Organization, month: dt.date) -> Engagement:
    start, end = month_bounds(month)
    members = Member.objects.filter(subtree_q("org_path", org.path), status__in=IN_PARTY)
    visitors = (
        Visit.objects.filter(day__gte=start, day__lt=end)
        .filter(subtree_q("user__member__org_path", org.path))
        .filter(user__member__status__in=IN_PARTY)
        .values("user")
        .distinct()
        .count()
    )
    posts = Post.objects.filter(
        subtree_q("org__path", org.path), publish_at__date__gte=start, publish_at__date__lt=end
    ).count()
    return Engagement(org=org, members=members.count(), visitors=visitors, posts=posts)


def children_ranked(org: Organization, month: dt.date) -> list[Engagement]:
    """The active children, weakest use first (no members last).

    Each figure is one query grouped by the child's path (a prefix of every path below it), so
    the page costs the same for three children or three hundred."""
    start, end = month_bounds(month)
    children = list(Organization.objects.filter(parent=org, dissolved_on__isnull=True))
    width = len(org.path) + SEGMENT

    def by_child(rows: QuerySet[Any], path_field: str, counted: Count) -> dict[str, int]:
        grouped = rows.annotate(child=Substr(path_field, 1, width)).values("child")
        return dict(grouped.annotate(n=counted).order_by().values_list("child", "n"))

    members = by_child(
        Member.objects.filter(subtree_q("org_path", org.path), status__in=IN_PARTY),
        "org_path",
        Count("pk"),
    )
    visitors = by_child(
        Visit.objects.filter(day__gte=start, day__lt=end)
        .filter(subtree_q("user__member__org_path", org.path))
        .filter(user__member__status__in=IN_PARTY),
        "user__member__org_path",
        Count("user", distinct=True),
    )
    posts = by_child(
        Post.objects.filter(
            subtree_q("org__path", org.path),
            publish_at__date__gte=start,
            publish_at__date__lt=end,
        ),
        "org__path",
        Count("pk"),
    )
    rows = [
        Engagement(
            org=child,
            members=members.get(child.path, 0),
            visitors=visitors.get(child.path, 0),
            posts=posts.get(child.path, 0),
        )
        for child in sorted(children, key=lambda c: c.name)
    ]
    return sorted(rows, key=lambda e: (e.share is None, e.share or 0.0, e.org.name))


def notice_rates(org: Organization, month: dt.date) -> list[NoticeRate]:
    """The committee's own notices of the month with how many members confirmed them.

    The cells every notice reaches are read once, with their members and confirmations per
    (notice, cell); each notice then sums the cells under its own targets."""
    start, end = month_bounds(month)
    notices = list(
        Post.objects.filter(
            org=org, kind=Post.Kind.NOTICE, publish_at__date__gte=start, publish_at__date__lt=end
        )
        .select_related("org")
        .prefetch_related("targets")
        .order_by("-publish_at")[:20]
    )
    if not notices:
        return []
    roots = {n.pk: [t.path for t in n.targets.all()] or [n.org.path] for n in notices}
    cells = dict(
        Organization.objects.filter(
            subtrees_q("path", sorted({p for paths in roots.values() for p in paths})),
            level__holds_members=True,
            dissolved_on__isnull=True,
        ).values_list("pk", "path")
    )
    members = dict(
        Member.objects.filter(org__in=list(cells), status__in=IN_PARTY)
        .values_list("org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    confirmed: dict[tuple[int, int], int] = {
        (post_id, cell_id): n
        for post_id, cell_id, n in Reading.objects.filter(
            post__in=notices, acknowledged_at__isnull=False, user__member__org__in=list(cells)
        )
        .values_list("post_id", "user__member__org_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rates = []
    for notice in notices:
        reached = [pk for pk, path in cells.items() if path.startswith(tuple(roots[notice.pk]))]
        rates.append(
            NoticeRate(
                post=notice,
                reached=sum(members.get(pk, 0) for pk in reached),
                acknowledged=sum(confirmed.get((notice.pk, pk), 0) for pk in reached),
            )
        )
    return rates


def most_opened_documents(org: Organization, month: dt.date, limit: int = 10) -> list[Document]:
    """Documents most opened in the month by members of the subtree."""
    start, end = month_bounds(month)
    opened = Q(
        opens__day__gte=start,
        opens__day__lt=end,
    ) & subtree_q("opens__user__member__org_path", org.path)
    return list(
        Document.objects.annotate(times=Count("opens", filter=opened))
        .filter(times__gt=0)
        .order_by("-times", "-issued_on")[:limit]
    )
