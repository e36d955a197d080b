"""Writes to member records: one transaction each, with the audit row in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Concat, Substr

from dangvien.accounts.services import member_roles_follow
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import subtree_q
from dangvien.core.text import fold, name_sort_key, normalize
from dangvien.members.models import IN_PARTY, Member, Membership, Status, StatusPeriod
from dangvien.members.search import name_keys_rebase, name_keys_refresh, name_keys_repath
from dangvien.orgs.models import Organization

_AUDITED = [
    "full_name",
    "gender",
    "date_of_birth",
    "citizen_id",
    "party_card_number",
    "record_number",
    "admission_date",
    "recognition_date",
    "status",
    "org",
]


def _max_length(name: str) -> int:
    field = Member._meta.get_field(name)
    assert isinstance(field, CharField)
    return field.max_length or 0


def member_names(full_name: str) -> dict[str, str]:
    """The stored forms of a name: as written (NFC), folded for search, and its sort key.

    PostgreSQL refuses a value longer than its column where SQLite keeps it: a name too long is a
    ValidationError, and the derived forms are cut to their columns (a cut sort key still orders
    every name whose key differs within the kept digits).
    """
    name = normalize(full_name)
    if len(name) > _max_length("full_name"):
        raise ValidationError(
            f"Họ và tên dài quá {_max_length('full_name')} ký tự ({len(name)} ký tự)."
        )
    return {
        "full_name": name,
        "name_fold": fold(name)[: _max_length("name_fold")],
        "name_sort": name_sort_key(name)[: _max_length("name_sort")],
    }


def _require_cell(org: Organization, message: str) -> None:
    if not org.level.holds_members:
        raise ValidationError(message)
    if org.dissolved_on is not None:
        raise ValidationError(f"«{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}.")


@transaction.atomic
def member_create(
    *,
    acting_user: Any,
    full_name: str,
    gender: str,
    date_of_birth: dt.date,
    org: Organization,
    admission_date: dt.date,
    status: str = Status.PROBATIONARY,
    joined_on: dt.date | None = None,
    **fields: Any,
) -> Member:
    """A new record in `org` from `joined_on` (default: the admission date)."""
    if not normalize(full_name):
        raise ValidationError("Họ và tên không được để trống.")
    org.refresh_from_db()  # its path is copied onto the member: not a stale one
    _require_cell(org, f"«{org.name}» không phải chi bộ: đảng viên sinh hoạt tại chi bộ.")
    member = Member.objects.create(
        **member_names(full_name),
        gender=gender,
        date_of_birth=date_of_birth,
        admission_date=admission_date,
        status=status,
        org=org,
        org_path=org.path,
        **fields,
    )
    name_keys_refresh(member)
    start = joined_on or admission_date
    StatusPeriod.objects.create(member=member, status=status, valid_from=start)
    Membership.objects.create(member=member, org=org, valid_from=start)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=member,
        summary=f"Tạo hồ sơ đảng viên {member.full_name}",
        after=snapshot(member, _AUDITED),
    )
    return member


@transaction.atomic
def member_set_status(
    *, acting_user: Any, member: Member, status: str, on: dt.date, note: str = ""
) -> Member:
    """Change the status from `on`, closing the current status period.

    Leaving the Party (death, striking off, …) closes the membership on `on`; coming back into it
    opens a new one in the member's cell.
    """
    if status not in Status.values:
        raise ValidationError(f"Tình trạng «{status}» không hợp lệ.")
    member.refresh_from_db(from_queryset=Member.objects.select_for_update())
    if status == member.status:
        raise ValidationError(f"Đảng viên đã ở tình trạng «{member.get_status_display()}».")
    current = StatusPeriod.objects.filter(member=member, valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from > on:
            raise ValidationError(
                f"Ngày {on:%d/%m/%Y} trước ngày bắt đầu tình trạng hiện tại "
                f"({current.valid_from:%d/%m/%Y})."
            )
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    open_memberships = Membership.objects.filter(member=member, valid_to__isnull=True)
    if status not in IN_PARTY:
        _require_memberships_start_by(open_memberships, on)
    before = snapshot(member, _AUDITED)
    StatusPeriod.objects.create(member=member, status=status, valid_from=on, note=note)
    member.status = status
    update = ["status"]
    if status == Status.OFFICIAL and member.recognition_date is None:
        member.recognition_date = on
        update.append("recognition_date")
    if status not in IN_PARTY:
        open_memberships.update(valid_to=on)
    elif member.org_id is not None and not open_memberships.exists():
        Membership.objects.create(member=member, org_id=member.org_id, valid_from=on)
    member.save(update_fields=update)
    member_roles_follow(member_ids=[member.pk])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary=f"Chuyển tình trạng sang «{member.get_status_display()}»",
        before=before,
        after=snapshot(member, _AUDITED),
    )
    return member


def _require_memberships_start_by(memberships: QuerySet[Membership], on: dt.date) -> None:
    """A period closed on `on` must have started by then."""
    later = memberships.filter(valid_from__gt=on).order_by("-valid_from").first()
    if later is not None:
        raise ValidationError(
            f"Ngày {on:%d/%m/%Y} trước ngày bắt đầu sinh hoạt tại «{later.org}» "
            f"({later.valid_from:%d/%m/%Y})."
        )


def member_paths_rebase(*, old_path: str, new_path: str) -> int:
    """After a subtree moves, its members' copied paths follow. Called inside org_move."""
    name_keys_rebase(old_path=old_path, new_path=new_path)
    return Member.objects.filter(subtree_q("org_path", old_path)).update(
        org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1))
    )


@transaction.atomic
def members_move(
    *,
    acting_user: Any,
    source: Organization,
    target: Organization,
    on: dt.date,
    member_ids: list[int] | None = None,
) -> int:
    """Move members whose cell is `source` to `target` from `on` (restructuring, not transfer)."""
    source.refresh_from_db()
    target.refresh_from_db()  # its path is copied onto the members: not a stale one
    if source.pk == target.pk:
        raise ValidationError(f"Đảng viên đã sinh hoạt tại «{target.name}».")
    members = Member.objects.filter(org=source, status__in=IN_PARTY)
    if member_ids is not None:
        members = members.filter(pk__in=member_ids)
        if members.count() != len(set(member_ids)):
            raise ValidationError(f"Có đảng viên không sinh hoạt tại «{source.name}».")
    moving = list(members.values_list("pk", flat=True))
    if not moving:
        # Nothing to move: merging or splitting a committee without members of its own is fine.
        return 0
    _require_cell(target, f"«{target.name}» không phải chi bộ: không thể chuyển đảng viên vào.")
    closing = Membership.objects.filter(member_id__in=moving, org=source, valid_to__isnull=True)
    _require_memberships_start_by(closing, on)
    closing.update(valid_to=on)
    Membership.objects.bulk_create(
        [Membership(member_id=pk, org=target, valid_from=on) for pk in moving], batch_size=1000
    )
    Member.objects.filter(pk__in=moving).update(org=target, org_path=target.path)
    member_roles_follow(member_ids=moving)
    name_keys_repath(moving, target.path)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.MOVE,
        target=target,
        summary=f"Chuyển {len(moving)} đảng viên từ «{source.name}» sang «{target.name}»",
        before={"org": source.pk, "members": moving},
        after={"org": target.pk},
    )
    return len(moving)


def member_viewed(*, acting_user: Any, member: Member) -> None:
    """Record that someone opened a member's record (personal data protection)."""
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.VIEW,
        target=member,
        summary=f"Xem hồ sơ {member.full_name}",
    )


# ---------------------------------------------------------------------------------------------
# The dossier: photo, history tables, yearly supplements. Implemented in
# members/dossier.py, imported here so that every write is found among the services.
from dangvien.members.dossier import dossier_row_add as dossier_row_add  # noqa: E402
from dangvien.members.dossier import dossier_row_update as dossier_row_update  # noqa: E402
from dangvien.members.dossier import member_photo_set as member_photo_set  # noqa: E402
from dangvien.members.dossier import supplement_record as supplement_record  # noqa: E402
