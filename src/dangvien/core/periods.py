"""Effective dating: anything valid from a day to a day, and the questions asked of it.

A period runs from `valid_from` (the first day it holds) to `valid_to` (the first day it no longer
holds: an exclusive end), or without end while `valid_to` is empty (an open period). A period
closed on day D and the next one opened on day D meet without a gap or an overlap, and "valid on
day D" is always `valid_from <= D < valid_to`.

The end comes after the start (a check constraint): a period holds on one day at least. A change
made the day the current period started replaces that period rather than closing it empty
(`close_on`): two changes of status in one day leave the last one, which is what the day's figures
count; the audit trail, not the periods, records that there were two.

Every dated model (status periods, memberships, organization history, and the terms, posts and
cards to come) inherits `Period` and asks its questions through `PeriodQuerySet`; a filter across
a relation (`memberships__…`) or against an expression (`OuterRef("valid_from")`) uses the `*_q`
builders below, so the predicate is written once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

ONE_DAY = dt.timedelta(days=1)
_M = TypeVar("_M", bound=models.Model)


def valid_on_q(day: Any, prefix: str = "", *, day_before: bool = False) -> Q:
    """The period (at `prefix`, e.g. "memberships__") holds on `day`: a date or an expression.

    With `day_before`, it held on the day before `day`: for an expression (`OuterRef`) no day can
    be subtracted in SQL portably, so the comparison shifts instead (started before `day`, not
    ended until `day` or later)."""
    if day_before:
        return Q(**{f"{prefix}valid_from__lt": day}) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
        )
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def overlapping_q(start: Any, end: Any | None, prefix: str = "") -> Q:
    """The period holds on at least one day from `start` to `end`, both included (no `end`: from
    `start` on, i.e. the period had not ended by `start`)."""
    not_ended = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    if end is None:
        return not_ended
    return Q(**{f"{prefix}valid_from__lte": end}) & not_ended


class PeriodQuerySet(models.QuerySet[_M]):
    def on(self, day: Any) -> Self:
        """Periods that hold on `day` (a date or an expression such as `OuterRef`)."""
        return self.filter(valid_on_q(day))

    def open(self) -> Self:
        """Periods without an end: the latest of each series, which may start after today."""
        return self.filter(valid_to__isnull=True)

    def current(self) -> Self:
        """Periods that hold today (the local date): not the same as `open()`, since an open
        period may start in the future and a closed one may end in the future."""
        return self.on(timezone.localdate())

    def overlapping(self, start: dt.date, end: dt.date | None) -> Self:
        """Periods that hold on at least one day from `start` to `end`, both included (`end`
        None: from `start` on)."""
        return self.filter(overlapping_q(start, end))

    def during(self, start: dt.date, end: dt.date) -> Self:
        """Periods that lie wholly within `start` to `end`, both included: begun on `start` or
        later, ended (exclusive end) by the day after `end`."""
        return self.filter(valid_from__gte=start, valid_to__lte=end + ONE_DAY)

    def close_on(self, day: dt.date) -> None:
        """End the open periods among these on `day`, the first day they no longer hold. One
        that started on `day` would hold on no day: it is deleted, and the period the caller
        opens on `day` takes its place. The caller has checked that none starts after `day`
        (with a message); if one does, the check constraint refuses."""
        still_open = self.filter(valid_to__isnull=True)
        still_open.filter(valid_from=day).delete()
        still_open.update(valid_to=day)


class Period(models.Model):
    """From `valid_from` (inclusive) to `valid_to` (exclusive; empty while open). A concrete
    model that adds constraints lists `*Period.Meta.constraints` with its own."""

    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.valid_from} – {self.valid_to or '…'})"

    def holds_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
