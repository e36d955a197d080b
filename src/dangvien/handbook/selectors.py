"""Which posts a user reads (their chain of committees) and which they manage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from hashlib import md5
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from dangvien.accounts.access import (
    MANAGE,
    PUBLISH,
    allowed,
    allowed_anywhere,
    own_member_id,
    restrict,
    restrict_q,
    role_nodes,
)
from dangvien.accounts.models import Role, RoleAssignment, User
from dangvien.accounts.types import Actor
from dangvien.core.paths import ancestor_ids, subtrees_q
from dangvien.core.text import fold
from dangvien.handbook.models import (
    Bookmark,
    CorrectionRequest,
    Document,
    Post,
    PostFile,
    Reading,
)
from dangvien.members.models import IN_PARTY, Member
from dangvien.members.selectors import members_visible_to
from dangvien.orgs.models import Organization

# What the handbook shows of the member's own record and cell (other fields load when read).
OWN_MEMBER_FIELDS = (
    "full_name",
    "status",
    "admission_date",
    "recognition_date",
    "party_card_number",
    "org__name",
    "org__path",
)


def own_member(user: Actor) -> Member | None:
    """The user's own member record with its cell, read in one query and kept on the user."""
    if not isinstance(user, User) or user.member_id is None:
        return None
    if not User.member.is_cached(user):
        own = Member.objects.select_related("org").only(*OWN_MEMBER_FIELDS)
        user.member = own.get(pk=user.member_id)
    member: Member | None = user.member
    return member


def reader_chain(user: Actor) -> list[int]:
    """The ids of the committees above the user's own organizations, and those themselves: a
    member's cell up to the province; a staff member's committee up to the province. A member
    who has left the Party reads nothing of it as a member."""
    if user is None or not user.is_authenticated:
        return []
    paths = list(role_nodes(user))
    member = own_member(user)
    if member is not None and member.org is not None and member.status in IN_PARTY:
        paths.append(member.org.path)
    return sorted({pk for path in paths for pk in ancestor_ids(path)})


def posts_for_reader(user: Actor) -> QuerySet[Post]:
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


FEED_CACHE_SECONDS = 60  # bounds the life of a page changed outside the application


@dataclass
class FeedPage:
    posts: list[Post]
    # Names what the posts' list shows (the posts and the reader's marks): a template may cache
    # its rendering under it.
    version: str


def feed_page(user: User, *, offset: int, limit: int) -> FeedPage:
    """Posts `offset` to `offset + limit` of the user's feed (`posts_for_reader`, pinned first,
    then newest), each marked `is_read`, `is_acknowledged`, `has_images`, `has_attachments`.

    A page is the same for every reader of one chain of committees, so it is kept in the cache
    under a key made of what can change it (`_chain_stamp`). The read marks are the user's own,
    read on every request."""
    chain = reader_chain(user)
    now = timezone.now()
    key = "handbook-feed:" + _digest((offset, limit, _chain_stamp(chain, now)))
    posts: list[Any] | None = cache.get(key)
    if posts is None:  # one query, this reader's marks with it; kept for the chain's readers
        listed = with_file_marks(posts_for_reader(user).filter(publish_at__lte=now))
        listed = with_read_marks(listed.defer("body"), user)
        posts = list(listed.order_by("-pinned", "-publish_at", "-pk")[offset : offset + limit])
        cache.set(key, posts, FEED_CACHE_SECONDS)
    else:  # a kept page: this reader's marks
        readings = _read_marks(user.pk, [post.pk for post in posts])
        for post in posts:
            post.is_read = post.pk in readings
            post.is_acknowledged = readings.get(post.pk, False)
    marks = [(post.pk, post.is_read, post.is_acknowledged) for post in posts]
    return FeedPage(posts=posts, version=key + ":" + _digest(marks))


def _chain_stamp(chain: list[int], now: dt.datetime) -> list[tuple[Any, ...]]:
    """Per committee of the chain: its name, and the count, highest id and next publication time
    still to come of its posts. Posts are not edited or deleted once published (their files and
    targets are written with them), so a new post, one whose time comes, or a committee renamed
    changes the stamp at once; a feature that edits or deletes posts must add what it changes.
    Plain SQL: the ORM took longer to build this query than the database to answer it."""
    if not chain:
        return []
    quote = connection.ops.quote_name
    sql = (
        "SELECT o.id, o.name, COUNT(p.id), MAX(p.id),"
        " MIN(CASE WHEN p.publish_at > %s THEN p.publish_at END)"
        f" FROM {quote(Organization._meta.db_table)} o"
        f" LEFT JOIN {quote(Post._meta.db_table)} p ON p.org_id = o.id"
        f" WHERE o.id IN ({', '.join(['%s'] * len(chain))})"
        " GROUP BY o.id, o.name ORDER BY o.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *chain])
        return list(cursor.fetchall())


def _read_marks(user_id: int, post_ids: list[int]) -> dict[int, bool]:
    """The posts among `post_ids` the user has read, each with whether they acknowledged it, as
    `with_read_marks` tells; plain SQL for the reason above (a tenth of the ORM's time)."""
    if not post_ids:
        return {}
    sql = (
        "SELECT post_id, acknowledged_at IS NOT NULL"
        f" FROM {connection.ops.quote_name(Reading._meta.db_table)}"
        f" WHERE user_id = %s AND post_id IN ({', '.join(['%s'] * len(post_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, *post_ids])
        return {post_id: bool(acknowledged) for post_id, acknowledged in cursor.fetchall()}


def _digest(value: Any) -> str:
    return md5(repr(value).encode(), usedforsecurity=False).hexdigest()


def orgs_user_may_publish_for(user: Actor) -> QuerySet[Organization]:
    """Committees and staff write for the nodes of their subtrees; members do not."""
    return restrict(Organization.objects.all(), user, PUBLISH)


def may_publish_somewhere(user: Actor) -> bool:
    """Whether the user writes for any organization; a member, who writes for none, costs no
    query."""
    if not allowed_anywhere(user, Organization, PUBLISH):
        return False
    return orgs_user_may_publish_for(user).exists()


def may_publish_for(user: Actor, org: Organization) -> bool:
    return allowed(user, PUBLISH, org)


def posts_visible_to(user: Actor) -> QuerySet[Post]:
    """What the user may open: what they read, and what they manage (also before publication)."""
    managed = restrict_q(user, Post, MANAGE)
    if not managed:  # everywhere: no condition
        return Post.objects.select_related("org")
    readable = posts_for_reader(user).values("pk")
    return Post.objects.filter(Q(pk__in=readable) | managed).select_related("org")


def with_read_marks(posts: QuerySet[Post], user: User) -> QuerySet[Post]:
    mine = Reading.objects.filter(post=OuterRef("pk"), user=user)
    return posts.annotate(
        is_read=Exists(mine),
        is_acknowledged=Exists(mine.filter(acknowledged_at__isnull=False)),
    )


def with_file_marks(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Whether each post has images, attached files: marks for a list, in the list's query."""
    files = PostFile.objects.filter(post=OuterRef("pk"))
    return posts.annotate(
        has_images=Exists(files.filter(kind=PostFile.Kind.IMAGE)),
        has_attachments=Exists(files.filter(kind=PostFile.Kind.ATTACHMENT)),
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


def notice_reads(post: Post, user: Actor) -> list[CellReads]:
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


def documents_for_reader(user: Actor) -> QuerySet[Document]:
    """Documents published for the user's chain of committees."""
    return Document.objects.filter(
        org_id__in=reader_chain(user), published_at__lte=timezone.now()
    ).select_related("org")


def documents_visible_to(user: Actor) -> QuerySet[Document]:
    """What the user may open: the library of their chain, and the documents they manage."""
    managed = restrict_q(user, Document, MANAGE)
    if not managed:  # everywhere: no condition
        return Document.objects.select_related("org")
    readable = Q(org_id__in=reader_chain(user), published_at__lte=timezone.now())
    return Document.objects.filter(readable | managed).select_related("org")


def document_search(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Every word of the query, tones optional, in the reference data or the text."""
    for word in fold(query).split()[:8]:
        documents = documents.filter(Q(search_head__contains=word) | Q(search_text__contains=word))
    return documents


def with_bookmarks(documents: QuerySet[Document], user: User) -> QuerySet[Document]:
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


def my_cell(user: Actor) -> MyCell | None:
    """The member's record summary, cell and secretary, for the member's home page."""
    member = own_member(user)
    if member is None:
        return None
    # Plain SQL, one query for both, on every home page: the ORM took three times as long to
    # build the two queries as the database took to answer them.
    quote = connection.ops.quote_name
    sql = (
        "SELECT 0, COUNT(*), NULL, NULL, NULL"
        f" FROM {quote(CorrectionRequest._meta.db_table)}"
        " WHERE member_id = %s AND resolved_at IS NULL"
        " UNION ALL SELECT 1, u.id, u.first_name, u.last_name, u.username"
        f" FROM {quote(User._meta.db_table)} u"
        f" JOIN {quote(RoleAssignment._meta.db_table)} r ON r.user_id = u.id"
        " WHERE r.org_id = %s AND r.role = %s ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [member.pk, member.org_id, Role.CELL_SECRETARY])
        (_, pending, *_), *names = cursor.fetchall()
    # As User.get_full_name(), else the username.
    secretaries = [f"{first} {last}".strip() or username for *_, first, last, username in names]
    return MyCell(member=member, cell=member.org, secretaries=secretaries, pending=int(pending))


def corrections_for(user: Actor) -> QuerySet[CorrectionRequest]:
    """Correction requests of the members whose records the user manages, open ones first."""
    requests = restrict(CorrectionRequest.objects.all(), user, MANAGE)
    own = own_member_id(user)
    if own is not None:  # one's own request is for someone else to handle
        requests = requests.exclude(member_id=own)
    return requests.select_related("member", "member__org").order_by(
        F("resolved_at").desc(nulls_first=True), "-created_at"
    )
