"""Periods run from the first day they hold to the first day they no longer hold; the questions
asked of them and the database constraints that keep them one at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dangvien.core.periods import overlapping_q, valid_on_q
from dangvien.members.models import Member, Membership, Status, StatusPeriod
from dangvien.orgs.models import OrgHistory

JAN_1 = dt.date(2020, 1, 1)
MAR_1 = dt.date(2020, 3, 1)
FEB_29 = dt.date(2020, 2, 29)


@pytest.fixture
def periods(world):
    """a1: probationary from 01/01/2020 to 01/03/2020 (exclusive), official from then on."""
    member = world.a1
    StatusPeriod.objects.filter(member=member).delete()
    first = StatusPeriod.objects.create(
        member=member, status=Status.PROBATIONARY, valid_from=JAN_1, valid_to=MAR_1
    )
    second = StatusPeriod.objects.create(member=member, status=Status.OFFICIAL, valid_from=MAR_1)
    return member, first, second


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_a_period_holds_from_its_first_day_to_the_day_before_its_end(periods):
    member, first, second = periods
    mine = StatusPeriod.objects.filter(member=member)
    assert ids(mine.on(JAN_1 - dt.timedelta(days=1))) == set()
    assert ids(mine.on(JAN_1)) == {first.pk}
    assert ids(mine.on(FEB_29)) == {first.pk}
    assert ids(mine.on(MAR_1)) == {second.pk}  # the end day belongs to the next period
    assert ids(mine.on(dt.date(2999, 1, 1))) == {second.pk}  # open: no end
    assert first.holds_on(FEB_29) and not first.holds_on(MAR_1)
    assert second.holds_on(dt.date(2999, 1, 1)) and not second.holds_on(FEB_29)


def test_open_is_the_period_without_end_and_current_the_one_holding_today(periods):
    member, _first, second = periods
    mine = StatusPeriod.objects.filter(member=member)
    assert ids(mine.open()) == {second.pk}
    assert ids(mine.current()) == ids(mine.on(timezone.localdate())) == {second.pk}
    # An open period that starts tomorrow is open but not current.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    second.valid_to = tomorrow
    second.save()
    later = StatusPeriod.objects.create(member=member, status=Status.EXEMPTED, valid_from=tomorrow)
    assert ids(mine.open()) == {later.pk}
    assert ids(mine.current()) == {second.pk}


def test_overlapping_counts_both_days_of_the_window(periods):
    member, first, second = periods
    mine = StatusPeriod.objects.filter(member=member)
    assert ids(mine.overlapping(FEB_29, FEB_29)) == {first.pk}
    assert ids(mine.overlapping(FEB_29, MAR_1)) == {first.pk, second.pk}
    assert ids(mine.overlapping(MAR_1, dt.date(2020, 3, 5))) == {second.pk}
    assert ids(mine.overlapping(dt.date(2019, 1, 1), dt.date(2019, 12, 31))) == set()
    assert ids(mine.overlapping(dt.date(2019, 1, 1), JAN_1)) == {first.pk}
    # Without an end: every period not ended by the start.
    assert ids(mine.overlapping(FEB_29, None)) == {first.pk, second.pk}
    assert ids(mine.overlapping(MAR_1, None)) == {second.pk}


def test_during_keeps_the_periods_wholly_inside_the_window(periods):
    member, first, _second = periods
    mine = StatusPeriod.objects.filter(member=member)
    assert ids(mine.during(JAN_1, FEB_29)) == {first.pk}  # last day held: 29/02
    assert ids(mine.during(JAN_1, dt.date(2020, 2, 28))) == set()
    assert ids(mine.during(dt.date(2020, 1, 2), dt.date(2020, 12, 31))) == set()
    assert ids(mine.during(JAN_1, dt.date(2999, 1, 1))) == {first.pk}  # an open one never is


def test_the_predicate_across_a_relation_and_against_an_expression(periods):
    member, first, second = periods
    on_leap_day = Member.objects.filter(
        valid_on_q(FEB_29, "status_periods__"), status_periods__status=Status.PROBATIONARY
    )
    assert member in on_leap_day
    on_mar_1 = Member.objects.filter(
        valid_on_q(MAR_1, "status_periods__"), status_periods__status=Status.PROBATIONARY
    )
    assert member not in on_mar_1
    # The status held on the day the next period starts, and the day before it.
    held_on_start = StatusPeriod.objects.filter(valid_on_q(OuterRef("valid_from")), pk=first.pk)
    held_day_before = StatusPeriod.objects.filter(
        valid_on_q(OuterRef("valid_from"), day_before=True), pk=first.pk
    )
    starts = StatusPeriod.objects.filter(pk=second.pk)
    assert not starts.filter(Exists(held_on_start)).exists()
    assert starts.filter(Exists(held_day_before)).exists()
    assert StatusPeriod.objects.filter(overlapping_q(JAN_1, JAN_1), member=member).count() == 1


def test_a_period_ends_after_it_starts_so_it_holds_on_one_day_at_least(periods):
    _member, first, _second = periods
    for end in (JAN_1, JAN_1 - dt.timedelta(days=1)):  # empty, then backwards
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusPeriod.objects.filter(pk=first.pk).update(valid_to=end)
    StatusPeriod.objects.filter(pk=first.pk).update(valid_to=JAN_1 + dt.timedelta(days=1))


def test_close_on_ends_the_open_periods_on_the_day(periods):
    member, first, second = periods
    StatusPeriod.objects.filter(member=member).close_on(dt.date(2021, 6, 1))
    second.refresh_from_db()
    assert second.valid_to == dt.date(2021, 6, 1)
    first.refresh_from_db()
    assert first.valid_to == MAR_1  # a closed period is left as it was


def test_close_on_deletes_an_open_period_that_started_that_day(periods):
    member, first, second = periods
    StatusPeriod.objects.filter(member=member).close_on(MAR_1)
    assert not StatusPeriod.objects.filter(pk=second.pk).exists()  # it would hold on no day
    assert list(StatusPeriod.objects.filter(member=member)) == [first]
    # The next period opened that day takes its place, meeting the one before.
    StatusPeriod.objects.create(member=member, status=Status.EXEMPTED, valid_from=MAR_1)
    assert StatusPeriod.objects.filter(member=member).on(MAR_1).get().status == Status.EXEMPTED


def test_close_on_a_day_before_an_open_period_starts_is_refused(periods):
    member, _first, second = periods
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusPeriod.objects.filter(member=member).close_on(FEB_29)
    second.refresh_from_db()
    assert second.valid_to is None


def test_a_member_has_one_open_status_period(periods):
    member, _first, _second = periods
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusPeriod.objects.create(member=member, status=Status.EXEMPTED, valid_from=FEB_29)


def test_a_member_has_one_open_official_membership_and_any_temporary_ones(world):
    member = world.a1
    assert Membership.objects.filter(member=member).open().count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=member, org=world.cell_b, valid_from=MAR_1)
    Membership.objects.create(
        member=member, org=world.cell_b, kind=Membership.Kind.TEMPORARY, valid_from=MAR_1
    )
    Membership.objects.create(
        member=member, org=world.cell_c, kind=Membership.Kind.TEMPORARY, valid_from=MAR_1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(member=member, org=world.cell_b).update(
            valid_to=dt.date(2020, 2, 1)
        )


def test_a_node_has_one_open_state(world):
    state = OrgHistory.objects.get(org=world.cell_a)
    assert state.valid_to is None
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgHistory.objects.create(
            org=world.cell_a,
            name="Chi bộ 1 (mới)",
            level=state.level,
            parent=state.parent,
            path=state.path,
            valid_from=MAR_1,
        )
