"""What a user may reach: computed once per request from their role assignments.

Every read of organizations or members goes through `orgs_visible_to` / `members_visible_to`
(orgs.selectors, members.selectors), which build on the scope here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dangvien.accounts.models import RECORD_ROLES, Role, RoleAssignment


@dataclass(frozen=True)
class Scope:
    all_orgs: bool = False
    org_paths: tuple[str, ...] = ()  # roots of the subtrees whose nodes are visible
    org_ids: tuple[int, ...] = ()  # single nodes visible without their subtree
    all_members: bool = False
    member_paths: tuple[str, ...] = ()  # roots of the subtrees whose members are visible
    own_member_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    node_paths: tuple[str, ...] = ()  # the nodes of all the user's role assignments

    @property
    def works_on_records(self) -> bool:
        return self.all_members or bool(self.member_paths)


_EMPTY = Scope()


def scope_for(user: Any) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_dangvien_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._dangvien_scope = scope
    return scope


def _compute_scope(user: Any) -> Scope:
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("org").only("role", "org__path")
    )
    roles = frozenset(a.role for a in assignments)
    node_paths = tuple(sorted({a.org.path for a in assignments if a.org is not None}))
    if user.is_superuser or Role.SYSTEM_ADMIN in roles:
        return Scope(
            all_orgs=True,
            all_members=True,
            own_member_id=user.member_id,
            roles=roles,
            node_paths=node_paths,
        )
    org_paths: set[str] = set()
    single_orgs: dict[int, str] = {}
    member_paths: set[str] = set()
    all_orgs = False
    for a in assignments:
        if a.role in RECORD_ROLES and a.org is not None:
            org_paths.add(a.org.path)
            member_paths.add(a.org.path)
        elif a.role == Role.CONTENT_EDITOR:
            if a.org is None:
                all_orgs = True
            else:
                org_paths.add(a.org.path)
        elif a.role == Role.MEMBER and a.org is not None:
            single_orgs[a.org.pk] = a.org.path
    roots = _roots(org_paths)
    # A member's own cell inside a subtree the user already sees is not a root of its own.
    org_ids = () if all_orgs else _outside(single_orgs, roots)
    return Scope(
        all_orgs=all_orgs,
        org_paths=roots,
        org_ids=org_ids,
        member_paths=_roots(member_paths),
        own_member_id=user.member_id,
        roles=roles,
        node_paths=node_paths,
    )


def _roots(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another: each subtree is queried once."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(root) for root in kept):
            kept.append(path)
    return tuple(kept)


def _outside(nodes: dict[int, str], roots: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(sorted(pk for pk, path in nodes.items() if not path.startswith(roots)))


def may_see_audit_trail(user: Any, member: Any) -> bool:
    """Those who manage the record, and the member themself (their right to know)."""
    return scope_for(user).own_member_id == member.pk or may_manage_record(user, member)


def may_report_on(user: Any, org: Any) -> bool:
    """Statistics of a subtree are for those who work on its records (figures lead to names)."""
    scope = scope_for(user)
    return scope.all_members or (
        bool(scope.member_paths) and org.path.startswith(scope.member_paths)
    )


def may_manage_record(user: Any, member: Any) -> bool:
    """Those who work on the member's record (secretary of the cell, staff above, admins): they
    edit it and issue the member's activation code; the member themself does not."""
    scope = scope_for(user)
    if scope.all_members:
        return True
    return bool(scope.member_paths) and member.org_path.startswith(scope.member_paths)
