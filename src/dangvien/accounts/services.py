"""Writes to accounts: one transaction each, with the audit row in it."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction

from dangvien.accounts.models import ApiToken, RoleAssignment, User, hash_token
from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent

if TYPE_CHECKING:  # the tree sits above accounts: named for the types only
    from dangvien.orgs.models import Organization

TOKEN_PREFIX = "dv_"


@transaction.atomic
def token_create(*, acting_user: ActingUser, user: User) -> str:
    """A new token for `user`. The raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=hash_token(raw))
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.TOKEN,
        target=user,
        summary=f"Cấp mã truy cập API cho {user.username}",
        after={"token": token.pk},
    )
    return raw


def _role_words(assignment: RoleAssignment) -> str:
    place = assignment.org.name if assignment.org else "toàn hệ thống"
    return f"{assignment.get_role_display()} ({place})"


@transaction.atomic
def role_assign(
    *, acting_user: ActingUser, user: User, role: str, org: Organization | None
) -> RoleAssignment:
    """Give `user` the role on `org` (and its subtree), or system-wide when `org` is None."""
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, org=org)
    if created:
        role_assigned(acting_user=acting_user, assignment=assignment)
    return assignment


def role_assigned(*, acting_user: ActingUser, assignment: RoleAssignment) -> None:
    """The audit row of a grant already saved (the admin's inline saves its rows itself); called
    inside the transaction that saved it."""
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.ROLE_ASSIGN,
        target=assignment.user,
        summary=f"Cấp vai trò {_role_words(assignment)} cho {assignment.user.username}",
        after={"role": assignment.role, "org": assignment.org_id},
    )


@transaction.atomic
def role_remove(*, acting_user: ActingUser, assignment: RoleAssignment) -> None:
    role_removed(acting_user=acting_user, assignment=assignment)
    assignment.delete()


def role_removed(*, acting_user: ActingUser, assignment: RoleAssignment) -> None:
    """The audit row of taking a role away (or of what a changed grant was before)."""
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.ROLE_REMOVE,
        target=assignment.user,
        summary=f"Thu hồi vai trò {_role_words(assignment)} của {assignment.user.username}",
        before={"role": assignment.role, "org": assignment.org_id},
    )
