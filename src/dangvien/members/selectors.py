"""Reads of member records. Every read starts from `members_visible_to`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from dangvien.accounts.access import VIEW, restrict
from dangvien.accounts.types import Actor
from dangvien.core.paths import PATH_CEILING, subtree_q
from dangvien.core.periods import valid_on_q
from dangvien.members.models import IN_PARTY, LostContact, Member, Membership, Status, StatusPeriod
from dangvien.members.rules.party_age import PartyAge, counted_from, party_age
from dangvien.orgs.models import Organization


def members_visible_to(user: Actor) -> QuerySet[Member]:
    return restrict(Member.objects.select_related("org", "ethnicity", "religion"), user, VIEW)


def party_age_on(member: Member, day: dt.date) -> PartyAge | None:
    """The member's party age on `day` from the status history (`rules.party_age`), or None when
    there is none (probationary, not yet admitted)."""
    periods = member.status_periods.values_list("status", "valid_from", "valid_to")
    lost = member.lost_contacts.values_list("start", "end")
    return party_age(periods, day, admitted_on=member.admission_date, lost=lost)


def party_age_start(member: Member) -> dt.date | None:
    """What `Member.party_age_from` holds: the day party age counts from, only when time out
    or lost contact moves it past the admission."""
    periods = StatusPeriod.objects.filter(member=member).values_list(
        "status", "valid_from", "valid_to"
    )
    lost = LostContact.objects.filter(member=member).values_list("start", "end")
    start = counted_from(periods, member.admission_date, lost)
    return start if start is not None and start != member.admission_date else None


def members_current_in(org: Organization) -> QuerySet[Member]:
    """Members in the party whose cell today is `org` (not its subtree)."""
    return Member.objects.filter(org=org, status__in=IN_PARTY)


def members_in_subtree(members: QuerySet[Member], org: Organization) -> QuerySet[Member]:
    return members.filter(subtree_q("org_path", org.path))


def member_counts(orgs: list[Organization]) -> dict[int, int]:
    """Members in the party in each node's subtree, in one query.

    One correlated count per node, each reading only its range of the (org_path, status) index:
    a tree page costs the size of the subtrees shown, not a pass over the whole table per node.
    """
    if not orgs:
        return {}
    in_subtree = Member.objects.filter(
        status__in=IN_PARTY,
        org_path__gte=OuterRef("path"),
        org_path__lte=Concat(OuterRef("path"), Value(PATH_CEILING)),
    )
    count = in_subtree.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    rows = Organization.objects.filter(pk__in=[o.pk for o in orgs]).annotate(n=Subquery(count))
    counts = dict(rows.values_list("pk", "n"))
    return {org.pk: counts.get(org.pk) or 0 for org in orgs}


def members_of_org_on(
    org: Organization, day: dt.date, statuses: Iterable[str] = (Status.OFFICIAL,)
) -> QuerySet[Member]:
    """Members who belonged to `org` on `day` with one of `statuses` that day: one query.

    Only official memberships count: a member on temporary transfer is counted by the home cell,
    not the host (DOMAIN.md §5, chuyển sinh hoạt tạm thời), so no one is counted twice.
    """
    return Member.objects.filter(
        Q(memberships__org=org)
        & Q(memberships__kind=Membership.Kind.OFFICIAL)
        & valid_on_q(day, "memberships__"),
        Q(status_periods__status__in=list(statuses)) & valid_on_q(day, "status_periods__"),
    ).distinct()


def with_dossier(members: QuerySet[Member]) -> QuerySet[Member]:
    """The full dossier of each member in a fixed number of queries (the member page, the API)."""
    return members.select_related(
        "education", "professional_level", "academic_title", "theory_level", "occupation"
    ).prefetch_related(
        "family", "work_history", "training", "awards", "disciplines", "positions", "supplements"
    )
