"""Writes to the organization tree. Each service is one transaction with its audit rows.

Founding and renaming a node live here; moving, merging, splitting and dissolving, which carry
members along, live in the restructuring app above, built on the helpers below. Every change closes
the node's current OrgHistory row on the effective date and opens a new one, so the tree of any past
date can be rebuilt.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import child_path
from dangvien.core.text import normalize
from dangvien.orgs.models import GrassrootsKind, Organization, OrgHistory, OrgLevel

AUDITED = ["name", "parent", "path", "level", "kind", "dissolved_on"]


def org_lock(*orgs: Organization) -> None:
    """Reload the caller's objects from the database, locked: a path held in memory may be stale
    (an ancestor moved since it was read), and every path written below is derived from it."""
    for org in orgs:
        org.refresh_from_db(from_queryset=Organization.objects.select_for_update())


def require_active(org: Organization) -> None:
    if org.dissolved_on is not None:
        raise ValidationError(
            f"Tổ chức «{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}, "
            "không thể thay đổi."
        )


def require_level_below(level: OrgLevel, parent: Organization) -> None:
    """A node sits under a node of a higher level (lower rank): no cell under a cell."""
    if level.rank <= parent.level.rank:
        raise ValidationError(
            f"Một {level.name.lower()} không thể trực thuộc «{parent.name}» "
            f"({parent.level.name.lower()}): cấp trực thuộc phải thấp hơn."
        )


def require_in_place_on(org: Organization, on: dt.date) -> None:
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


def org_states_record(orgs: Sequence[Organization], on: dt.date) -> None:
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
    acting_user: ActingUser,
    name: str,
    level: OrgLevel,
    parent: Organization | None,
    on: dt.date,
    kind: GrassrootsKind | None = None,
) -> Organization:
    name = normalize(name)
    if not name:
        raise ValidationError("Tên tổ chức không được để trống.")
    if parent is not None:
        org_lock(parent)
        require_active(parent)
        require_level_below(level, parent)
        require_in_place_on(parent, on)
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
    org_states_record([org], on)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=org,
        summary=f"Thành lập «{org.name}»",
        after=snapshot(org, AUDITED),
    )
    return org


@transaction.atomic
def org_rename(
    *, acting_user: ActingUser, org: Organization, name: str, on: dt.date
) -> Organization:
    org_lock(org)
    require_active(org)
    name = normalize(name)
    if not name:
        raise ValidationError("Tên tổ chức không được để trống.")
    if name == org.name:
        raise ValidationError(f"Tên mới trùng với tên hiện tại «{org.name}».")
    before = snapshot(org, AUDITED)
    old_name = org.name
    org.name = name
    org.save(update_fields=["name"])
    org_states_record([org], on)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.RENAME,
        target=org,
        summary=f"Đổi tên «{old_name}» thành «{name}»",
        before=before,
        after=snapshot(org, AUDITED),
    )
    return org
