"""Materialized paths: each node's path is its ancestors' ids, then its own, 8 digits each.

Paths hold digits only, so a subtree is one index range (path >= P and path < P+1) that every
database collation orders the same way; no LIKE, no recursion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

SEGMENT = 8
# Appended to a path, greater than every path below it and smaller than the next subtree's: the
# upper bound of a subtree when the bound must be computed in SQL (longer than any stored path).
PATH_CEILING = "9" * 200


def segment(org_id: int) -> str:
    return f"{org_id:0{SEGMENT}d}"


def child_path(parent_path: str, org_id: int) -> str:
    return parent_path + segment(org_id)


def path_upper_bound(path: str) -> str:
    """The smallest digit string of the same length greater than `path`."""
    return str(int(path) + 1).zfill(len(path))


def subtree_q(field: str, path: str) -> Q:
    """`field` lies in the subtree rooted at `path` (the root included)."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_upper_bound(path)})


def subtrees_q(field: str, paths: list[str]) -> Q:
    """Union of subtrees; an empty list matches nothing."""
    query = Q(pk__in=[])
    for path in paths:
        query |= subtree_q(field, path)
    return query


def depth_of(path: str) -> int:
    return len(path) // SEGMENT


def ancestor_ids(path: str) -> list[int]:
    """Ids on the path from the root down to the node itself."""
    return [int(path[i : i + SEGMENT]) for i in range(0, len(path), SEGMENT)]


# Apps that copy a node's path onto their rows (a case, a target) register how to rebase the
# copies when a subtree moves; restructuring calls them all, without knowing those apps.
_REBASERS: list[Callable[[str, str], None]] = []


def register_path_rebase(rebase: Callable[[str, str], None]) -> None:
    """`rebase(old_path, new_path)` runs, inside the move's transaction, when a subtree moves."""
    if rebase not in _REBASERS:
        _REBASERS.append(rebase)


def path_copies_rebase(*, old_path: str, new_path: str) -> None:
    for rebase in _REBASERS:
        rebase(old_path, new_path)


def rebase_field(queryset: Any, field: str, old_path: str, new_path: str) -> int:
    """The rows of `queryset` whose `field` lies under `old_path` get it under `new_path`."""
    return int(
        queryset.filter(subtree_q(field, old_path)).update(
            **{field: Concat(Value(new_path), Substr(field, len(old_path) + 1))}
        )
    )
