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
from dangvien.core.paths import SEGMENT, subtree_q
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
