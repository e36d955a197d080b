"""How a subtree uses the handbook in a month: posts published, the share of members who opened
it, how notices were confirmed, the most opened documents, and the children ranked so that a
committee sees where the handbook is weak."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from dangvien.core.paths import subtree_q
from dangvien.handbook.models import Document, Post, Reading, Visit
from dangvien.handbook.selectors import reached_cells
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
    """The active children, weakest use first (no members last)."""
    children = Organization.objects.filter(parent=org, dissolved_on__isnull=True)
    rows = [engagement_of(child, month) for child in children.order_by("name")]
    return sorted(rows, key=lambda e: (e.share is None, e.share or 0.0, e.org.name))


def notice_rates(org: Organization, month: dt.date) -> list[NoticeRate]:
    """The committee's own notices of the month with how many members confirmed them."""

    start, end = month_bounds(month)
    notices = Post.objects.filter(
        org=org, kind=Post.Kind.NOTICE, publish_at__date__gte=start, publish_at__date__lt=end
    ).order_by("-publish_at")[:20]
    rates = []
    for notice in notices:
        cells = reached_cells(notice)
        reached = Member.objects.filter(org__in=cells, status__in=IN_PARTY).count()
        acknowledged = Reading.objects.filter(
            post=notice, acknowledged_at__isnull=False, user__member__org__in=cells
        ).count()
        rates.append(NoticeRate(post=notice, reached=reached, acknowledged=acknowledged))
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
