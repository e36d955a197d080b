"""Writes to accounts: one transaction each, with the audit row in it."""

from __future__ import annotations

import secrets
from collections.abc import Collection

from django.db import transaction
from django.db.models import F

from dangvien.accounts.models import ApiToken, Role, RoleAssignment, User, hash_token
from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.members.models import IN_PARTY
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


def member_roles_follow(*, member_ids: Collection[int]) -> None:
    """Put the member role of these members' accounts where their records say: on the member's
    current cell while they are in the Party, nowhere once they have left it.

    Called in the transaction of every service that changes a member's cell or status; the
    change's own audit row records it. Other roles stay on their node: a secretary is bound to
    the cell they lead, not to the one they belong to."""
    if not member_ids:
        return
    accounts = User.objects.filter(member_id__in=member_ids)
    RoleAssignment.objects.filter(role=Role.MEMBER, user__in=accounts).exclude(
        org=F("user__member__org"), user__member__status__in=IN_PARTY
    ).delete()
    missing = (
        accounts.filter(member__status__in=IN_PARTY, member__org__isnull=False)
        .exclude(roles__role=Role.MEMBER)
        .values_list("pk", "member__org_id")
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=pk, role=Role.MEMBER, org_id=org_id) for pk, org_id in missing],
        batch_size=1000,
    )
