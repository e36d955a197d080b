"""Reads of restructuring: who may restructure a node, what each operation requires, and the
preview of an operation (what moves, and the tree after) computed without writing anything.

The checks are the services' own: a service runs them under its locks before it writes, the preview
runs them before it counts, so the page refuses with the same message the service would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from dangvien.accounts.access import RESTRUCTURE, allowed, restrict
from dangvien.accounts.types import Actor
from dangvien.core.paths import subtree_q
from dangvien.core.periods import overlapping_q
from dangvien.members.models import IN_PARTY, Member, Membership
from dangvien.members.selectors import member_counts, members_current_in
from dangvien.orgs.models import Organization, OrgHistory
from dangvien.orgs.services import require_active, require_in_place_on, require_level_below


@dataclass
class SplitPart:
    """One new organization made from a split: its name and what moves into it."""

    name: str
    member_ids: list[int] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)


# --- Who may ------------------------------------------------------------------------------------


def may_restructure(user: Actor, org: Organization) -> bool:
    """Those who manage the whole subtree of `org`: province staff, upper committee staff above
    it, administrators (the policy's `restructure` action). An operation also needs its target
    to pass the same test."""
    return allowed(user, RESTRUCTURE, org)


def orgs_restructurable_by(user: Actor) -> QuerySet[Organization]:
    """The active nodes `user` may restructure (the choices of a move's or a merge's target)."""
    orgs = Organization.objects.filter(dissolved_on__isnull=True).select_related("level")
    return restrict(orgs, user, RESTRUCTURE)


def move_targets(user: Actor, org: Organization) -> QuerySet[Organization]:
    """Where `org` may go: a node of a higher level, outside its own subtree, not its parent."""
    targets = (
        orgs_restructurable_by(user)
        .filter(level__rank__lt=org.level.rank)
        .exclude(subtree_q("path", org.path))
        .order_by("path")
    )
    return targets if org.parent_id is None else targets.exclude(pk=org.parent_id)


def merge_targets(user: Actor, org: Organization) -> QuerySet[Organization]:
    """What `org` may merge into: another node of its level."""
    return (
        orgs_restructurable_by(user)
        .filter(level=org.level)
        .exclude(subtree_q("path", org.path))
        .order_by("path")
    )


# --- What each operation requires -------------------------------------------------------------


def _require_no_later_change(orgs: QuerySet[Organization], on: dt.date) -> None:
    """Changes are entered in date order: none of `orgs` changed after `on` already."""
    row = (
        OrgHistory.objects.filter(org__in=orgs, valid_to__isnull=True, valid_from__gt=on)
        .order_by("-valid_from")
        .first()
    )
    if row is not None:
        raise ValidationError(
            f"Ngày hiệu lực {on:%d/%m/%Y} trước lần thay đổi gần nhất của «{row.name}» "
            f"({row.valid_from:%d/%m/%Y})."
        )


def org_move_check(*, org: Organization, new_parent: Organization, on: dt.date) -> None:
    require_active(org)
    require_active(new_parent)
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            f"Không thể chuyển «{org.name}» vào chính nó hoặc một tổ chức trực thuộc nó."
        )
    if new_parent.pk == org.parent_id:
        raise ValidationError(f"«{org.name}» đã trực thuộc «{new_parent.name}».")
    require_level_below(org.level, new_parent)
    require_in_place_on(new_parent, on)
    _require_no_later_change(
        Organization.objects.filter(subtree_q("path", org.path), dissolved_on__isnull=True), on
    )


def org_dissolve_check(*, org: Organization, on: dt.date) -> None:
    require_active(org)
    # Today's children and members, and also those that left only after `on`: the tree of a day
    # after the dissolution must not show them under a node that no longer exists.
    after_on = overlapping_q(on, None)
    if OrgHistory.objects.filter(after_on, parent=org).exists():
        raise ValidationError(
            f"«{org.name}» còn tổ chức trực thuộc: chuyển hoặc giải thể các tổ chức đó trước."
        )
    if members_current_in(org).exists() or Membership.objects.filter(after_on, org=org).exists():
        raise ValidationError(
            f"«{org.name}» còn đảng viên sinh hoạt: chuyển sinh hoạt cho các đảng viên trước."
        )
    open_row = OrgHistory.objects.filter(org=org, valid_to__isnull=True).first()
    if open_row is not None and open_row.valid_from > on:
        raise ValidationError(
            f"Ngày giải thể {on:%d/%m/%Y} trước lần thay đổi gần nhất "
            f"({open_row.valid_from:%d/%m/%Y})."
        )


def org_merge_check(*, source: Organization, target: Organization, on: dt.date) -> None:
    require_active(source)
    require_active(target)
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(
            f"Không thể hợp nhất «{source.name}» vào chính nó hoặc tổ chức trực thuộc nó."
        )
    require_in_place_on(target, on)
    for child in _active_children(source):
        org_move_check(org=child, new_parent=target, on=on)
    if members_current_in(source).exists() and not target.level.holds_members:
        raise ValidationError(f"«{target.name}» không phải chi bộ: không thể chuyển đảng viên vào.")


def org_split_check(*, org: Organization, parts: Sequence[SplitPart], on: dt.date) -> None:
    require_active(org)
    if not parts:
        raise ValidationError("Cần ít nhất một tổ chức mới khi chia tách.")
    if org.parent is None:
        raise ValidationError("Không thể chia tách tổ chức cấp cao nhất.")
    require_in_place_on(org.parent, on)
    children = set(_active_children(org).values_list("pk", flat=True))
    members = set(members_current_in(org).values_list("pk", flat=True))
    for part in parts:
        if not part.name.strip():
            raise ValidationError("Tên tổ chức không được để trống.")
        if not set(part.child_ids) <= children:
            raise ValidationError(
                f"Có tổ chức không trực thuộc «{org.name}» trong phần «{part.name}»."
            )
        if not set(part.member_ids) <= members:
            raise ValidationError(f"Có đảng viên không sinh hoạt tại «{org.name}».")
    _require_no_later_change(Organization.objects.filter(pk__in=children), on)


def _active_children(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(parent=org, dissolved_on__isnull=True).select_related(
        "level"
    )


# --- The preview --------------------------------------------------------------------------------


@dataclass
class Node:
    """One node of the tree as it will look after the change."""

    name: str
    level: str
    members: int  # in the party, in its whole subtree
    mark: str = ""  # what the change does to it, in words ("" when untouched)
    children: list[Node] = field(default_factory=list)


@dataclass
class Preview:
    """What an operation will do: what moves, and the tree under the node(s) it changes."""

    orgs_moved: int
    members_moved: int
    orgs_created: int = 0
    orgs_dissolved: int = 0
    trees: list[Node] = field(default_factory=list)
    changes: list[tuple[str, int, int]] = field(default_factory=list)  # name, members before, after


def _subtree_orgs(org: Organization) -> int:
    return Organization.objects.filter(
        subtree_q("path", org.path), dissolved_on__isnull=True
    ).count()


def _node(org: Organization, members: int, mark: str = "", children: Iterable[Node] = ()) -> Node:
    return Node(org.name, org.level.name, members, mark, list(children))


def _children_nodes(
    parent: Organization, counts: dict[int, int], marks: dict[int, str] | None = None
) -> list[Node]:
    marks = marks or {}
    return [
        _node(child, counts.get(child.pk, 0), marks.get(child.pk, ""))
        for child in _active_children(parent).order_by("level__rank", "name", "pk")
    ]


def _sorted(nodes: list[Node]) -> list[Node]:
    return sorted(nodes, key=lambda n: n.name)


def _after(node: Organization, before: int, moving: int, old: str, new: str) -> int:
    """Members under `node` once `moving` members leave path `old` for a place under `new`."""
    was_in, will_be_in = old.startswith(node.path), new.startswith(node.path)
    return before + moving * (int(will_be_in) - int(was_in))


def move_preview(*, org: Organization, new_parent: Organization, on: dt.date) -> Preview:
    org_move_check(org=org, new_parent=new_parent, on=on)
    siblings = list(_active_children(new_parent))
    old_parent = org.parent
    above = [old_parent] if old_parent is not None else []
    counts = member_counts([org, new_parent, *siblings, *_active_children(org), *above])
    moving = counts[org.pk]
    moved = _node(org, moving, "chuyển đến", _children_nodes(org, counts))
    # The old parent may be among them (a move up the tree): every count is the one after.
    after = [_node(s, _after(s, counts[s.pk], moving, org.path, new_parent.path)) for s in siblings]
    changes = [
        (n.name, counts[n.pk], _after(n, counts[n.pk], moving, org.path, new_parent.path))
        for n in [*above, new_parent]
    ]
    root = _node(new_parent, changes[-1][2], children=_sorted([*after, moved]))
    return Preview(
        orgs_moved=_subtree_orgs(org), members_moved=moving, trees=[root], changes=changes
    )


def merge_preview(*, source: Organization, target: Organization, on: dt.date) -> Preview:
    org_merge_check(source=source, target=target, on=on)
    kept = list(_active_children(target))
    coming = list(_active_children(source))
    counts = member_counts([source, target, *kept, *coming])
    moving = counts[source.pk]
    children = [_node(c, _after(c, counts[c.pk], moving, source.path, target.path)) for c in kept]
    children += [_node(c, counts[c.pk], f"từ «{source.name}»") for c in coming]
    target_after = _after(target, counts[target.pk], moving, source.path, target.path)
    root = _node(target, target_after, "nhận hợp nhất", _sorted(children))
    gone = _node(source, 0, "giải thể")
    return Preview(
        orgs_moved=_subtree_orgs(source) - 1,
        members_moved=moving,
        orgs_dissolved=1,
        trees=[root, gone],
        changes=[(source.name, moving, 0), (target.name, counts[target.pk], target_after)],
    )


def split_preview(
    *, org: Organization, parts: Sequence[SplitPart], on: dt.date, dissolve_original: bool
) -> Preview:
    org_split_check(org=org, parts=parts, on=on)
    if dissolve_original:
        _require_emptied(org, parts)
    children = {c.pk: c for c in _active_children(org)}
    counts = member_counts([org, *children.values()])
    trees: list[Node] = []
    orgs_moved = members_moved = 0
    for part in parts:
        moved = [children[pk] for pk in part.child_ids]
        members = len(part.member_ids) + sum(counts[c.pk] for c in moved)
        nodes = [_node(c, counts[c.pk], f"từ «{org.name}»") for c in moved]
        trees.append(Node(part.name.strip(), org.level.name, members, "thành lập mới", nodes))
        orgs_moved += sum(_subtree_orgs(c) for c in moved)
        members_moved += members
    staying = counts[org.pk] - members_moved
    moved_ids = {pk for part in parts for pk in part.child_ids}
    rest = [_node(c, counts[c.pk]) for pk, c in children.items() if pk not in moved_ids]
    mark = "giải thể" if dissolve_original else "còn lại"
    trees.insert(0, _node(org, staying, mark, _sorted(rest)))
    return Preview(
        orgs_moved=orgs_moved,
        members_moved=members_moved,
        orgs_created=len(parts),
        orgs_dissolved=1 if dissolve_original else 0,
        trees=trees,
        changes=[(org.name, counts[org.pk], staying)],
    )


def _require_emptied(org: Organization, parts: Sequence[SplitPart]) -> None:
    """Dissolving the original after a split: everything in it must go to a new part."""
    moved_children = {pk for part in parts for pk in part.child_ids}
    moved_members = {pk for part in parts for pk in part.member_ids}
    if (
        set(_active_children(org).values_list("pk", flat=True)) - moved_children
        or set(members_current_in(org).values_list("pk", flat=True)) - moved_members
    ):
        raise ValidationError(
            f"Muốn giải thể «{org.name}» sau khi chia tách thì mọi tổ chức trực thuộc và "
            "đảng viên phải chuyển sang các tổ chức mới."
        )


def dissolve_preview(*, org: Organization, on: dt.date) -> Preview:
    org_dissolve_check(org=org, on=on)
    parent = org.parent
    trees = []
    if parent is not None:
        counts = member_counts([parent, *_active_children(parent)])
        trees = [
            _node(
                parent,
                counts[parent.pk],
                children=_children_nodes(parent, counts, {org.pk: "giải thể"}),
            )
        ]
    return Preview(orgs_moved=0, members_moved=0, orgs_dissolved=1, trees=trees)


def split_choices(org: Organization) -> tuple[list[Organization], list[Member]]:
    """What a split of `org` can share out: its active children and the members of its own."""
    members = list(
        Member.objects.filter(org=org, status__in=IN_PARTY)
        .order_by("name_sort", "pk")
        .only("pk", "full_name", "date_of_birth")
    )
    return list(_active_children(org).order_by("level__rank", "name", "pk")), members
