"""Restructuring the tree: move, merge, split, dissolve (Nghị quyết 18, the 2025 removal of the
district level). Each carries members along, so it sits above orgs and members and uses both.

Every service checks what it requires (restructuring.selectors, the same checks the preview shows)
under its locks, then writes; a refusal is a ValidationError with a Vietnamese message and nothing
written. Every change closes the current OrgHistory rows on the effective date and opens new ones,
so the tree and the figures of any past day stay as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import child_path, path_copies_rebase, subtree_q
from dangvien.members.services import member_paths_rebase, members_move
from dangvien.orgs.models import Organization, OrgHistory
from dangvien.orgs.services import AUDITED, org_create, org_lock, org_states_record
from dangvien.restructuring.selectors import (
    SplitPart,
    org_dissolve_check,
    org_merge_check,
    org_move_check,
    org_split_check,
)

__all__ = ["SplitPart", "org_dissolve", "org_merge", "org_move", "org_split"]


@transaction.atomic
def org_move(
    *, acting_user: ActingUser, org: Organization, new_parent: Organization, on: dt.date
) -> Organization:
    """Place `org` (with its whole subtree and members) under `new_parent`."""
    org_lock(org, new_parent)
    org_move_check(org=org, new_parent=new_parent, on=on)
    before = snapshot(org, AUDITED)
    old_path, new_path = org.path, child_path(new_parent.path, org.pk)
    subtree = Organization.objects.filter(subtree_q("path", old_path))
    subtree.update(path=Concat(Value(new_path), Substr("path", len(old_path) + 1)))
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    member_paths_rebase(old_path=old_path, new_path=new_path)
    path_copies_rebase(old_path=old_path, new_path=new_path)
    moved = list(
        Organization.objects.filter(subtree_q("path", new_path), dissolved_on__isnull=True)
    )
    org_states_record(moved, on)
    org.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.MOVE,
        target=org,
        summary=f"Chuyển «{org.name}» về trực thuộc «{new_parent.name}»",
        before=before,
        after=snapshot(org, AUDITED),
    )
    return org


@transaction.atomic
def org_dissolve(*, acting_user: ActingUser, org: Organization, on: dt.date) -> Organization:
    """Close an empty node: no child and no member left, today or after `on`. Its state that
    began on `on` (founded, moved or renamed that day) held on no day: it is deleted, and the
    node's record and the audit trail keep what was done."""
    org_lock(org)
    org_dissolve_check(org=org, on=on)
    before = snapshot(org, AUDITED)
    OrgHistory.objects.filter(org=org).close_on(on)
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on"])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.DISSOLVE,
        target=org,
        summary=f"Giải thể «{org.name}»",
        before=before,
        after=snapshot(org, AUDITED),
    )
    return org


@transaction.atomic
def org_merge(
    *, acting_user: ActingUser, source: Organization, target: Organization, on: dt.date
) -> Organization:
    """Merge `source` into `target`: its children and members move there, then it is dissolved."""
    org_lock(source, target)
    org_merge_check(source=source, target=target, on=on)
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


@transaction.atomic
def org_split(
    *,
    acting_user: ActingUser,
    org: Organization,
    parts: Sequence[SplitPart],
    on: dt.date,
    dissolve_original: bool = False,
) -> list[Organization]:
    """Make new organizations beside `org` and move the named members and children into them."""
    org_lock(org)
    org_split_check(org=org, parts=parts, on=on)
    assert org.parent is not None  # checked: the top of the tree is not split
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
        for child in Organization.objects.filter(pk__in=part.child_ids, parent=org):
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
