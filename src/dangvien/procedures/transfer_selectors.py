"""Reads of transfers, each from `restrict`: what a node sends, what it is to receive, what is
overdue at either end, and the overdue counts rolled up by the node's children."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from dangvien.accounts.access import REPORT, VIEW, restrict
from dangvien.accounts.types import Actor
from dangvien.core.paths import SEGMENT, ancestor_ids, subtree_q
from dangvien.orgs.models import Organization
from dangvien.procedures.models import Case, CaseState
from dangvien.procedures.transfers import KINDS, OUTGOING


def _transfers(user: Actor) -> QuerySet[Case]:
    return restrict(
        Case.objects.filter(kind__in=KINDS).select_related("org", "other_org", "member"),
        user,
        VIEW,
    )


def _order(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.order_by("state", "next_deadline", "-opened_on", "-pk")


def transfers_sent(user: Actor, org: Organization, *, state: str = "") -> QuerySet[Case]:
    """Transfers out of `org`'s subtree (whatever their destination): open first, soonest due."""
    cases = _transfers(user).filter(subtree_q("org_path", org.path), kind__in=OUTGOING)
    return _order(cases.filter(state=state) if state else cases)


def transfers_to_receive(user: Actor, org: Organization, *, state: str = "") -> QuerySet[Case]:
    """Transfers whose letter was sent to a cell of `org`'s subtree, and members received there
    from outside the installation."""
    cases = _transfers(user).filter(
        subtree_q("other_org_path", org.path)
        | (subtree_q("org_path", org.path) & Q(kind="transfer_in"))
    )
    return _order(cases.filter(state=state) if state else cases)


def _overdue_q(day: dt.date) -> Q:
    return Q(state=CaseState.OPEN, next_deadline__lt=day)


def transfers_overdue(
    user: Actor, org: Organization | None = None, *, today: dt.date | None = None
) -> QuerySet[Case]:
    """Open transfers past their next deadline that the user sees, at either end (within `org`'s
    subtree when given), the longest overdue first."""
    day = today or timezone.localdate()
    cases = _transfers(user).filter(_overdue_q(day))
    if org is not None:
        cases = cases.filter(
            subtree_q("org_path", org.path) | subtree_q("other_org_path", org.path)
        )
    return cases.order_by("next_deadline", "pk")


@dataclass(frozen=True)
class Rollup:
    org: Organization
    sending: int  # overdue transfers sent from its subtree
    receiving: int  # overdue transfers addressed to its subtree


def transfers_overdue_by_child(
    user: Actor, org: Organization, *, today: dt.date | None = None
) -> list[Rollup]:
    """The overdue transfers below `org`, counted per child the user reports on, at each end:
    two grouped queries, whatever the size of the subtree."""
    day = today or timezone.localdate()
    children = list(
        restrict(Organization.objects.filter(parent=org), user, REPORT).order_by("name", "pk")
    )
    if not children:
        return []
    width = len(org.path) + SEGMENT
    base = transfers_overdue(user, org, today=day)
    counts: dict[str, dict[str, int]] = {}
    for end, field in (("sending", "org_path"), ("receiving", "other_org_path")):
        rows = (
            base.filter(subtree_q(field, org.path))
            .exclude(**{field: org.path})
            .annotate(child=Substr(field, 1, width))
            .order_by()
            .values("child")
            .annotate(n=Count("pk"))
        )
        counts[end] = {row["child"]: row["n"] for row in rows}
    return [
        Rollup(child, counts["sending"].get(child.path, 0), counts["receiving"].get(child.path, 0))
        for child in children
    ]


@dataclass(frozen=True)
class Destination:
    pk: int
    name: str
    above: str  # the names of the nodes above it, nearest first


def destination_cells(
    query: str, *, exclude: int | None = None, limit: int = 20
) -> list[Destination]:
    """Cells of the whole installation whose name contains `query`, as names and places in the
    tree only: a transfer may go to a subtree the sender's staff do not see, so the picker reads
    no member and no figure of it, and `restrict` does not apply."""
    words = query.split()
    if not words:
        return []
    cells = Organization.objects.filter(level__holds_members=True, dissolved_on__isnull=True)
    for word in words[:5]:
        cells = cells.filter(name__icontains=word)
    if exclude is not None:
        cells = cells.exclude(pk=exclude)
    found = list(cells.order_by("name", "pk").values("pk", "name", "path")[:limit])
    above_ids = {i for row in found for i in ancestor_ids(row["path"])[:-1]}
    names = dict(Organization.objects.filter(pk__in=above_ids).values_list("pk", "name"))
    return [
        Destination(
            row["pk"],
            row["name"],
            " · ".join(names.get(i, "") for i in reversed(ancestor_ids(row["path"])[:-1])),
        )
        for row in found
    ]
