"""Which posts a user reads (their chain of committees) and which they manage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from dangvien.accounts.access import scope_for
from dangvien.accounts.models import Role, RoleAssignment
from dangvien.core.text import fold
from dangvien.handbook.models import Bookmark, CorrectionRequest, Document, Post, Reading
from dangvien.members.models import IN_PARTY, Member
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.models import Organization
from dangvien.orgs.paths import ancestor_ids, subtrees_q


def reader_chain(user: Any) -> list[int]:
    """The ids of the committees above the user's own organizations, and those themselves: a
    member's cell up to the province; a staff member's committee up to the province."""
    if user is None or not user.is_authenticated:
        return []
    paths: list[str] = []
    member = user.member if user.member_id is not None else None
    if member is not None and member.org is not None:
        paths.append(member.org.path)
    assignments = RoleAssignment.objects.filter(user=user, org__isnull=False).select_related("org")
    paths += [a.org.path for a in assignments if a.org is not None]
    return sorted({pk for path in paths for pk in ancestor_ids(path)})


def posts_for_reader(user: Any) -> QuerySet[Post]:
    """Published posts of the user's chain, addressed to the whole subtree or to an organization
    on the user's chain; pinned first, then newest."""
    chain = reader_chain(user)
    addressed = Q(targets__isnull=True) | Q(targets__in=chain)
    return (
        Post.objects.filter(org_id__in=chain, publish_at__lte=timezone.now())
        .filter(addressed)
        .distinct()
        .select_related("org")
    )


def orgs_user_may_publish_for(user: Any) -> QuerySet[Organization]:
    """Committees and staff write for the nodes of their subtrees; members do not."""
    scope = scope_for(user)
    if scope.all_orgs:
        return Organization.objects.filter(dissolved_on__isnull=True)
    return Organization.objects.filter(
        subtrees_q("path", list(scope.org_paths)), dissolved_on__isnull=True
    )


def may_publish_for(user: Any, org: Organization) -> bool:
    scope = scope_for(user)
    return scope.all_orgs or (bool(scope.org_paths) and org.path.startswith(scope.org_paths))


def posts_visible_to(user: Any) -> QuerySet[Post]:
    """What the user may open: what they read, and what they manage (also before publication)."""
    scope = scope_for(user)
    if scope.all_orgs:
        return Post.objects.select_related("org")
    managed = Q(pk__in=[])
    if scope.org_paths:
        managed = subtrees_q("org__path", list(scope.org_paths))
    readable = posts_for_reader(user).values("pk")
    return Post.objects.filter(Q(pk__in=readable) | managed).select_related("org")


def with_read_marks(posts: QuerySet[Post], user: Any) -> QuerySet[Post]:
    mine = Reading.objects.filter(post=OuterRef("pk"), user=user)
    return posts.annotate(
        is_read=Exists(mine),
        is_acknowledged=Exists(mine.filter(acknowledged_at__isnull=False)),
    )


@dataclass
class CellReads:
    cell: Organization
    members: int  # in the Party today
    read: int
    acknowledged: int
    not_acknowledged: list[Member]  # names, for those who may see the cell's members


def reached_cells(post: Post) -> QuerySet[Organization]:
    """The cells a post reaches: its committee's subtree, or the chosen organizations' subtrees."""
    targets = list(post.targets.all())
    paths = [t.path for t in targets] or [post.org.path]
    return Organization.objects.filter(
        subtrees_q("path", paths), level__holds_members=True, dissolved_on__isnull=True
    ).order_by("path")


def notice_reads(post: Post, user: Any) -> list[CellReads]:
    """Per cell reached: members, how many read the post, how many confirmed, and who has not."""
    cells = list(reached_cells(post))
    members = dict(
        Member.objects.filter(org__in=cells, status__in=IN_PARTY)
        .values_list("org_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reads = {
        row["user__member__org_id"]: row
        for row in Reading.objects.filter(post=post, user__member__org__in=cells)
        .values("user__member__org_id")
        .annotate(
            read=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False))
        )
        .order_by()
    }
    confirmed = Reading.objects.filter(post=post, acknowledged_at__isnull=False).values(
        "user__member_id"
    )
    missing: dict[int, list[Member]] = {}
    visible = members_visible_to(user).filter(org__in=cells, status__in=IN_PARTY)
    for member in visible.exclude(pk__in=confirmed).order_by("name_sort")[:MISSING_LIMIT]:
        missing.setdefault(member.org_id or 0, []).append(member)
    return [
        CellReads(
            cell=cell,
            members=members.get(cell.pk, 0),
            read=reads.get(cell.pk, {}).get("read", 0),
            acknowledged=reads.get(cell.pk, {}).get("acknowledged", 0),
            not_acknowledged=missing.get(cell.pk, []),
        )
        for cell in cells
    ]


ACKNOWLEDGED = Q(acknowledged_at__isnull=False)
MISSING_LIMIT = 2000  # names listed on one page; the counts are always whole


# --- Document library --------------------------------------------------------------------------


def documents_for_reader(user: Any) -> QuerySet[Document]:
    """Documents published for the user's chain of committees."""
    return Document.objects.filter(
        org_id__in=reader_chain(user), published_at__lte=timezone.now()
    ).select_related("org")


def documents_visible_to(user: Any) -> QuerySet[Document]:
    """What the user may open: the library of their chain, and the documents they manage."""
    scope = scope_for(user)
    if scope.all_orgs:
        return Document.objects.select_related("org")
    managed = subtrees_q("org__path", list(scope.org_paths)) if scope.org_paths else Q(pk__in=[])
    readable = Q(org_id__in=reader_chain(user), published_at__lte=timezone.now())
    return Document.objects.filter(readable | managed).select_related("org")


def document_search(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Every word of the query, tones optional, in the reference data or the text."""
    for word in fold(query).split()[:8]:
        documents = documents.filter(Q(search_head__contains=word) | Q(search_text__contains=word))
    return documents


def with_bookmarks(documents: QuerySet[Document], user: Any) -> QuerySet[Document]:
    return documents.annotate(
        is_bookmarked=Exists(Bookmark.objects.filter(document=OuterRef("pk"), user=user))
    )


# --- The member's own page ---------------------------------------------------------------------


@dataclass
class MyCell:
    member: Member
    cell: Organization | None
    secretaries: list[str]
    pending: int  # own correction requests not yet handled


def my_cell(user: Any) -> MyCell | None:
    """The member's record summary, cell and secretary, for the member's home page."""
    member = user.member if getattr(user, "member_id", None) else None
    if member is None:
        return None
    secretaries = []
    if member.org_id is not None:
        secretaries = [
            a.user.get_full_name() or a.user.get_username()
            for a in RoleAssignment.objects.filter(
                org_id=member.org_id, role=Role.CELL_SECRETARY
            ).select_related("user")
        ]
    pending = CorrectionRequest.objects.filter(member=member, resolved_at__isnull=True).count()
    return MyCell(member=member, cell=member.org, secretaries=secretaries, pending=pending)


def corrections_for(user: Any) -> QuerySet[CorrectionRequest]:
    """Correction requests of the members whose records the user manages, open ones first."""
    visible = members_visible_to(user)
    scope = scope_for(user)
    if not scope.works_on_records:
        return CorrectionRequest.objects.none()
    requests = CorrectionRequest.objects.filter(member__in=visible.values("pk"))
    if scope.own_member_id is not None:  # one's own request is for someone else to handle
        requests = requests.exclude(member_id=scope.own_member_id)
    return requests.select_related("member", "member__org").order_by(
        F("resolved_at").desc(nulls_first=True), "-created_at"
    )
