"""Writes to the organization tree. Each service is one transaction with its audit rows.

Restructuring (Nghị quyết 18, the 2025 removal of the district level) is a sequence of these:
rename, move, merge, split, dissolve. Every change closes the node's current OrgHistory row on the
effective date and opens a new one, so the tree of any past date can be rebuilt.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import child_path, subtree_q
from dangvien.core.periods import overlapping_q
from dangvien.orgs.models import GrassrootsKind, Organization, OrgHistory, OrgLevel

_AUDITED = ["name", "parent", "path", "level", "kind", "dissolved_on"]


def _lock(*orgs: Organization) -> None:
    """Reload the caller's objects from the database, locked: a path held in memory may be stale
    (an ancestor moved since it was read), and every path written below is derived from it."""
    for org in orgs:
        org.refresh_from_db(from_queryset=Organization.objects.select_for_update())


def _require_active(org: Organization) -> None:
    if org.dissolved_on is not None:
        raise ValidationError(
            f"Tổ chức «{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}, "
            "không thể thay đổi."
        )


def _require_level_below(level: OrgLevel, parent: Organization) -> None:
    """A node sits under a node of a higher level (lower rank): no cell under a cell."""
    if level.rank <= parent.level.rank:
        raise ValidationError(
            f"Một {level.name.lower()} không thể trực thuộc «{parent.name}» "
            f"({parent.level.name.lower()}): cấp trực thuộc phải thấp hơn."
        )


def _require_in_place_on(org: Organization, on: dt.date) -> None:
    """`org` existed on `on` where it stands today, so a node placed under it from `on` gets a
    path that was true from that day (changes are entered in date order)."""
    state = OrgHistory.objects.filter(org=org).on(on).first()
    if state is None:
        raise ValidationError(f"Ngày {on:%d/%m/%Y} «{org.name}» chưa được thành lập.")
    if state.path != org.path:
        raise ValidationError(
            f"«{org.name}» đã được chuyển sau ngày {on:%d/%m/%Y}: "
            "hãy nhập các thay đổi theo đúng trình tự thời gian."
        )


def _record_states(orgs: Sequence[Organization], on: dt.date) -> None:
    """Write the current state of `orgs` into OrgHistory from `on` onwards."""
    by_id = {org.pk: org for org in orgs}
    open_rows = list(OrgHistory.objects.filter(org_id__in=by_id, valid_to__isnull=True))
    same_day: list[OrgHistory] = []
    closing: list[OrgHistory] = []
    for row in open_rows:
        if row.valid_from > on:
            raise ValidationError(
                f"Ngày hiệu lực {on:%d/%m/%Y} trước lần thay đổi gần nhất của «{row.name}» "
                f"({row.valid_from:%d/%m/%Y})."
            )
        org = by_id[row.org_id]
        if row.valid_from == on:
            row.name, row.level_id, row.parent_id, row.path = (
                org.name,
                org.level_id,
                org.parent_id,
                org.path,
            )
            same_day.append(row)
        else:
            row.valid_to = on
            closing.append(row)
    OrgHistory.objects.bulk_update(same_day, ["name", "level", "parent", "path"], batch_size=500)
    OrgHistory.objects.bulk_update(closing, ["valid_to"], batch_size=500)
    reopened = {row.org_id for row in same_day}
    OrgHistory.objects.bulk_create(
        [
            OrgHistory(
                org=org,
                name=org.name,
                level_id=org.level_id,
                parent_id=org.parent_id,
                path=org.path,
                valid_from=on,
            )
            for org in orgs
            if org.pk not in reopened and org.dissolved_on is None
        ],
        batch_size=500,
    )


@transaction.atomic
def org_create(
    *,
    acting_user: Any,
    name: str,
    level: OrgLevel,
    parent: Organization | None,
    on: dt.date,
    kind: GrassrootsKind | None = None,
) -> Organization:
    from dangvien.core.text import normalize

    name = normalize(name)
    if not name:
        raise ValidationError("Tên tổ chức không được để trống.")
    if parent is not None:
        _lock(parent)
        _require_active(parent)
        _require_level_below(level, parent)
        _require_in_place_on(parent, on)
    org = Organization.objects.create(
        name=name,
        level=level,
        kind=kind,
        parent=parent,
        path=f"new-{uuid.uuid4().hex}",
        founded_on=on,
    )
    org.path = child_path(parent.path if parent else "", org.pk)
    org.save(update_fields=["path"])
    _record_states([org], on)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=org,
        summary=f"Thành lập «{org.name}»",
        after=snapshot(org, _AUDITED),
    )
    return org


@transaction.atomic
def org_rename(*, acting_user: Any, org: Organization, name: str, on: dt.date) -> Organization:
    from dangvien.core.text import normalize

    _lock(org)
    _require_active(org)
    name = normalize(name)
    if not name:
        raise ValidationError("Tên tổ chức không được để trống.")
    if name == org.name:
        raise ValidationError(f"Tên mới trùng với tên hiện tại «{org.name}».")
    before = snapshot(org, _AUDITED)
    old_name = org.name
    org.name = name
    org.save(update_fields=["name"])
    _record_states([org], on)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.RENAME,
        target=org,
        summary=f"Đổi tên «{old_name}» thành «{name}»",
        before=before,
        after=snapshot(org, _AUDITED),
    )
    return org


@transaction.atomic
def org_move(
    *, acting_user: Any, org: Organization, new_parent: Organization, on: dt.date
) -> Organization:
    """Place `org` (with its whole subtree and members) under `new_parent`."""
    from dangvien.members.services import member_paths_rebase

    _lock(org, new_parent)
    _require_active(org)
    _require_active(new_parent)
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            f"Không thể chuyển «{org.name}» vào chính nó hoặc một tổ chức trực thuộc nó."
        )
    if new_parent.pk == org.parent_id:
        raise ValidationError(f"«{org.name}» đã trực thuộc «{new_parent.name}».")
    _require_level_below(org.level, new_parent)
    _require_in_place_on(new_parent, on)
    before = snapshot(org, _AUDITED)
    old_path, new_path = org.path, child_path(new_parent.path, org.pk)
    subtree = Organization.objects.filter(subtree_q("path", old_path))
    subtree.update(path=Concat(Value(new_path), Substr("path", len(old_path) + 1)))
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    member_paths_rebase(old_path=old_path, new_path=new_path)
    moved = list(
        Organization.objects.filter(subtree_q("path", new_path), dissolved_on__isnull=True)
    )
    _record_states(moved, on)
    org.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.MOVE,
        target=org,
        summary=f"Chuyển «{org.name}» về trực thuộc «{new_parent.name}»",
        before=before,
        after=snapshot(org, _AUDITED),
    )
    return org


@transaction.atomic
def org_dissolve(*, acting_user: Any, org: Organization, on: dt.date) -> Organization:
    from dangvien.members.models import Membership
    from dangvien.members.selectors import members_current_in

    _lock(org)
    _require_active(org)
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
    before = snapshot(org, _AUDITED)
    open_row = OrgHistory.objects.filter(org=org, valid_to__isnull=True).first()
    if open_row is not None and open_row.valid_from > on:
        raise ValidationError(
            f"Ngày giải thể {on:%d/%m/%Y} trước lần thay đổi gần nhất "
            f"({open_row.valid_from:%d/%m/%Y})."
        )
    OrgHistory.objects.filter(org=org, valid_to__isnull=True).update(valid_to=on)
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on"])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.DISSOLVE,
        target=org,
        summary=f"Giải thể «{org.name}»",
        before=before,
        after=snapshot(org, _AUDITED),
    )
    return org


@transaction.atomic
def org_merge(
    *, acting_user: Any, source: Organization, target: Organization, on: dt.date
) -> Organization:
    """Merge `source` into `target`: its children and members move there, then it is dissolved."""
    from dangvien.members.services import members_move

    _lock(source, target)
    _require_active(source)
    _require_active(target)
    if source.pk == target.pk or target.path.startswith(source.path):
        raise ValidationError(
            f"Không thể hợp nhất «{source.name}» vào chính nó hoặc tổ chức trực thuộc nó."
        )
    _require_in_place_on(target, on)
    for child in Organization.objects.filter(parent=source, dissolved_on__isnull=True):
        org_move(acting_user=acting_user, org=child, new_parent=target, on=on)
    members_move(acting_user=acting_user, source=source, target=target, on=on)
    source.refresh_from_db()
    org_dissolve(acting_user=acting_user, org=source, on=on)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.MERGE,
        target=target,
        summary=f"Hợp nhất «{source.name}» vào «{target.name}»",
        before={"source": source.pk},
        after={"target": target.pk},
    )
    return target


@dataclass
class SplitPart:
    """One new organization made from a split: its name and what moves into it."""

    name: str
    member_ids: list[int] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)


@transaction.atomic
def org_split(
    *,
    acting_user: Any,
    org: Organization,
    parts: Sequence[SplitPart],
    on: dt.date,
    dissolve_original: bool = False,
) -> list[Organization]:
    """Make new organizations beside `org` and move the named members and children into them."""
    from dangvien.members.services import members_move

    _lock(org)
    _require_active(org)
    if not parts:
        raise ValidationError("Cần ít nhất một tổ chức mới khi chia tách.")
    if org.parent is None:
        raise ValidationError("Không thể chia tách tổ chức cấp cao nhất.")
    created: list[Organization] = []
    for part in parts:
        new = org_create(
            acting_user=acting_user,
            name=part.name,
            level=org.level,
            kind=org.kind,
            parent=org.parent,
            on=on,
        )
        children = Organization.objects.filter(
            pk__in=part.child_ids, parent=org, dissolved_on__isnull=True
        )
        if children.count() != len(set(part.child_ids)):
            raise ValidationError(
                f"Có tổ chức không trực thuộc «{org.name}» trong phần «{part.name}»."
            )
        for child in children:
            org_move(acting_user=acting_user, org=child, new_parent=new, on=on)
        members_move(
            acting_user=acting_user, source=org, target=new, on=on, member_ids=part.member_ids
        )
        created.append(new)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.SPLIT,
        target=org,
        summary=f"Chia tách «{org.name}» thành " + ", ".join(f"«{o.name}»" for o in created),
        after={"created": [o.pk for o in created]},
    )
    if dissolve_original:
        org.refresh_from_db()
        org_dissolve(acting_user=acting_user, org=org, on=on)
    return created
