"""The one policy: who may do what to which part of the tree.

Every read starts from `restrict(queryset, user, action)` and every decision asks
`allowed(user, action, obj)`. Both are answered from `POLICY`, one table of
(model, action) → `Grant`: which roles grant the action, over the subtrees of the nodes the roles
are held on, found through which path field of the object. A (model, action) missing from the
table is a programming error (`UnknownAction`), never a silent allow.

Subtrees are index ranges on materialized paths (`core.paths`), so a restricted query set is one
range scan per root, and out-of-scope objects are simply absent: views answer 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from dangvien.accounts.models import RECORD_ROLES, Role, RoleAssignment, User
from dangvien.accounts.types import Actor
from dangvien.core.paths import subtrees_q

M = TypeVar("M", bound=Model)

VIEW = "view"
MANAGE = "manage"  # edit a record, issue its activation code, keep its dossier
ACTIVATE = "activate"
SEE_TRAIL = "see_trail"
REPORT = "report"  # figures and lists of a subtree (figures lead to names)
EXPORT = "export"
IMPORT = "import"  # update existing records from a file
# Create records from a file: committee staff bringing existing records in. New members
# otherwise enter only by admission or by a transfer in, never by a cell's own file.
IMPORT_CREATE = "import_create"
CHECK_QUALITY = "check_quality"
PUBLISH = "publish"
RESTRUCTURE = "restructure"
PROPOSE = "propose"  # record a cell's or grassroots organization's step of a procedure
DECIDE = "decide"  # record the competent committee's decision of a procedure
RECEIVE = "receive"  # record the receiving end's step of a transfer (its destination's staff)

_RECORDS = frozenset(RECORD_ROLES)
# The statuses of a member in the Party (members.models.IN_PARTY, which lies above accounts;
# tests/accounts/test_policy.py checks that the two agree).
IN_PARTY_STATUSES = ("probationary", "official", "exempted")
# Roles that, held without a node, reach the whole tree; any other role must name its node.
_UNBOUND_REACHES_ALL = frozenset({Role.CONTENT_EDITOR})
_WRITERS = _RECORDS | {Role.CONTENT_EDITOR}
_DECIDERS = frozenset({Role.UPPER_STAFF, Role.PROVINCE_STAFF})
_TARGET_SETTERS = frozenset({Role.GRASSROOTS_STAFF, Role.UPPER_STAFF, Role.PROVINCE_STAFF})


@dataclass(frozen=True)
class Grant:
    roles: frozenset[str]  # roles whose nodes' subtrees grant the action
    path: str  # the object's field holding its tree path ("path", "org_path", "org__path")
    own_member: str | None = None  # a field equal to the user's own member id grants it too
    own_cell: bool = False  # a member role's own node grants it (seeing one's own cell)
    # A further condition on the object itself, as field lookups (`isnull`, `in` or equality):
    # query sets apply it in SQL, `allowed` reads the same lookups on the object.
    only: Q = field(default_factory=Q)
    # A second path field whose subtree grants the action too (the other end of a transfer);
    # an empty value there reaches no one.
    also_path: str = ""


POLICY: dict[tuple[str, str], Grant] = {
    ("orgs.organization", VIEW): Grant(_WRITERS, "path", own_cell=True),
    ("orgs.organization", REPORT): Grant(_RECORDS, "path"),
    ("orgs.organization", EXPORT): Grant(_RECORDS, "path"),
    ("orgs.organization", IMPORT): Grant(_RECORDS, "path"),
    ("orgs.organization", IMPORT_CREATE): Grant(_RECORDS - {Role.CELL_SECRETARY}, "path"),
    ("orgs.organization", CHECK_QUALITY): Grant(_RECORDS, "path"),
    ("orgs.organization", PUBLISH): Grant(_WRITERS, "path", only=Q(dissolved_on__isnull=True)),
    # Decided above the grassroots: a cell secretary's own cell is not theirs to restructure.
    ("orgs.organization", RESTRUCTURE): Grant(
        frozenset({Role.UPPER_STAFF, Role.PROVINCE_STAFF}), "path"
    ),
    ("members.member", VIEW): Grant(_RECORDS, "org_path", own_member="pk"),
    ("members.member", MANAGE): Grant(_RECORDS, "org_path"),
    ("members.member", ACTIVATE): Grant(_RECORDS, "org_path", only=Q(status__in=IN_PARTY_STATUSES)),
    ("members.member", SEE_TRAIL): Grant(_RECORDS, "org_path", own_member="pk"),
    ("handbook.post", MANAGE): Grant(_WRITERS, "org__path"),
    ("handbook.document", MANAGE): Grant(_WRITERS, "org__path"),
    ("handbook.correctionrequest", MANAGE): Grant(_RECORDS, "member__org_path"),
    # Procedures: those who keep the records of the cell see its cases and record its steps;
    # decisions belong to the committee above the grassroots.
    ("procedures.candidate", VIEW): Grant(_RECORDS, "org_path"),
    ("procedures.candidate", PROPOSE): Grant(_RECORDS, "org_path"),
    # A transfer is seen at both ends once its letter is sent (the case's other_org_path is
    # copied then); only the destination's keepers record that they received it.
    ("procedures.case", VIEW): Grant(_RECORDS, "org_path", also_path="other_org_path"),
    ("procedures.case", PROPOSE): Grant(_RECORDS, "org_path"),
    ("procedures.case", DECIDE): Grant(_DECIDERS, "org_path"),
    ("procedures.case", RECEIVE): Grant(_RECORDS, "other_org_path"),
    ("procedures.step", VIEW): Grant(_RECORDS, "case__org_path", also_path="case__other_org_path"),
    ("procedures.casedocument", VIEW): Grant(
        _RECORDS, "case__org_path", also_path="case__other_org_path"
    ),
    # An organization's yearly admission target is seen where its records are kept and set by
    # the committee above it: staff of the parent's subtree (a cell secretary sets none).
    ("procedures.admissiontarget", VIEW): Grant(_RECORDS, "org_path"),
    ("procedures.admissiontarget", DECIDE): Grant(_TARGET_SETTERS, "parent_path"),
}


class UnknownAction(LookupError):
    """A (model, action) the policy does not name: add it to POLICY."""


@dataclass(frozen=True)
class _Held:
    """The user's role assignments, read once per request and kept on the user."""

    everything: bool = False  # superuser or system administrator
    by_role: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role → node paths
    unbound: frozenset[str] = frozenset()  # roles held without a node: the whole tree
    cells: dict[int, str] = field(default_factory=dict)  # member roles: node id → path
    member_id: int | None = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.by_role) | self.unbound


_NOBODY = _Held()


def _held(user: Actor) -> _Held:
    if not isinstance(user, User) or not user.is_active:
        return _NOBODY
    cached = getattr(user, "_dangvien_held", None)
    if cached is not None:
        return cached
    by_role: dict[str, list[str]] = {}
    unbound: set[str] = set()
    cells: dict[int, str] = {}
    rows = RoleAssignment.objects.filter(user=user).values_list("role", "org_id", "org__path")
    for role, org_id, path in rows:
        if path is None:
            unbound.add(role)
        else:
            by_role.setdefault(role, []).append(path)
            if role == Role.MEMBER:
                cells[org_id] = path
    held = _Held(
        everything=user.is_superuser
        or Role.SYSTEM_ADMIN in unbound
        or Role.SYSTEM_ADMIN in by_role,
        by_role={role: tuple(paths) for role, paths in by_role.items()},
        unbound=frozenset(unbound),
        cells=cells,
        member_id=user.member_id,
    )
    user._dangvien_held = held
    return held


def _label(model: type[Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def _grant(model: type[Model] | str, action: str) -> Grant:
    try:
        return POLICY[(_label(model), action)]
    except KeyError:
        raise UnknownAction(f"{_label(model)}: {action}") from None


def _roots(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another: each subtree is queried once."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in kept):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Reach:
    """Where a user may do one action: everywhere, or in the subtrees of `roots` (plus own)."""

    everywhere: bool = False
    roots: tuple[str, ...] = ()
    cells: tuple[int, ...] = ()  # single nodes (a member's own cell), outside the roots
    member_id: int | None = None  # the user's own record, when the grant includes it

    def covers(self, path: str) -> bool:
        """Whether a tree path lies where the action reaches (own record and cell aside)."""
        return self.everywhere or (bool(self.roots) and path.startswith(self.roots))

    @property
    def nowhere(self) -> bool:
        return not (self.everywhere or self.roots or self.cells or self.member_id is not None)


def reach(user: Actor, model: type[Model] | str, action: str) -> Reach:
    """The part of the tree where `user` may do `action` on objects of `model`."""
    grant = _grant(model, action)
    held = _held(user)
    if held.everything or grant.roles & held.unbound & _UNBOUND_REACHES_ALL:
        return Reach(everywhere=True, member_id=held.member_id if grant.own_member else None)
    roots = _roots(path for role in grant.roles for path in held.by_role.get(role, ()))
    cells: tuple[int, ...] = ()
    if grant.own_cell:
        cells = tuple(sorted(pk for pk, p in held.cells.items() if not p.startswith(roots)))
    own = held.member_id if grant.own_member else None
    return Reach(roots=roots, cells=cells, member_id=own)


def restrict_q(user: Actor, model: type[Model] | str, action: str, prefix: str = "") -> Q:
    """The condition on `model`'s rows (seen through `prefix`, e.g. "org__") that `restrict`
    applies: for combining with other conditions in one query."""
    label = _label(model)
    grant = _grant(label, action)
    where = reach(user, label, action)
    condition = grant.only
    if where.everywhere:
        return _prefixed(condition, prefix)
    allowed_q = subtrees_q(prefix + grant.path, list(where.roots))
    if grant.also_path:
        allowed_q |= subtrees_q(prefix + grant.also_path, list(where.roots))
    if where.cells:
        allowed_q |= Q(**{f"{prefix}pk__in": where.cells})
    if where.member_id is not None and grant.own_member:
        allowed_q |= Q(**{prefix + grant.own_member: where.member_id})
    return allowed_q & _prefixed(condition, prefix)


def _prefixed(condition: Q, prefix: str) -> Q:
    if not prefix or not condition.children:
        return condition
    return Q(**{prefix + key: value for key, value in condition.children})  # type: ignore[misc]


def restrict(queryset: QuerySet[M], user: Actor, action: str) -> QuerySet[M]:
    """The objects of `queryset` the user may do `action` to (all others are absent)."""
    return queryset.filter(restrict_q(user, queryset.model, action))


def _path_of(obj: Any, field_path: str) -> str:
    value = obj
    for part in field_path.split("__"):
        value = getattr(value, part)
    return str(value)


def _holds(obj: Any, condition: Q) -> bool:
    """Whether `obj` meets a condition of plain lookups (ANDed `field`, `field__isnull`,
    `field__in`), read from its attributes: the policy's `only`, without a query."""
    for lookup, expected in condition.children:  # type: ignore[misc]
        name, _, op = lookup.partition("__")
        value = getattr(obj, name)
        if op == "isnull":
            met = (value is None) is expected
        elif op == "in":
            met = value in expected
        elif op == "":
            met = value == expected
        else:
            raise UnknownAction(f"lookup {lookup} in a policy condition")
        if not met:
            return False
    return True


def allowed(user: Actor, action: str, obj: Model) -> bool:
    """Whether `user` may do `action` to `obj`."""
    grant = _grant(type(obj), action)
    if not _holds(obj, grant.only):
        return False
    where = reach(user, type(obj), action)
    if where.everywhere:
        return True
    own = where.member_id
    if grant.own_member and own is not None and getattr(obj, grant.own_member) == own:
        return True
    if grant.own_cell and obj.pk in where.cells:
        return True
    if grant.also_path and where.covers(_path_of(obj, grant.also_path)):
        return True
    return where.covers(_path_of(obj, grant.path))


def allowed_anywhere(user: Actor, model: type[Model] | str, action: str) -> bool:
    """Whether `user` may do `action` to some object of `model` (menus, start pages)."""
    return not reach(user, model, action).nowhere


def allowed_everywhere(user: Actor, model: type[Model] | str, action: str) -> bool:
    """Whether `user` may do `action` across the whole tree (e.g. check every record)."""
    return reach(user, model, action).everywhere


def roles_of(user: Actor) -> frozenset[str]:
    """The roles the user holds anywhere (for showing them, never for deciding)."""
    return _held(user).roles


def role_nodes(user: Actor) -> tuple[str, ...]:
    """The paths of the nodes the user holds roles on (the handbook's reading chain)."""
    return tuple(sorted({p for paths in _held(user).by_role.values() for p in paths}))


def own_member_id(user: Actor) -> int | None:
    return _held(user).member_id
