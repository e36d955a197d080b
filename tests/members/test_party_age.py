"""Party age from the status history, against cases computed by hand (Quy định 24-QĐ/TW point 4.5,
kept by 232 and 294): from the admission decision, less the time struck off, expelled or away by a
transfer; none while probationary; a re-admitted member counts from the first admission once
recognised again; a closed record keeps the age it had."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dangvien.core.dates import add_months, months_reached
from dangvien.members.rules.party_age import party_age

D = dt.date


def test_an_official_member_counts_from_the_admission_decision():
    periods = [("probationary", D(1975, 4, 10), D(1976, 4, 10)), ("official", D(1976, 4, 10), None)]
    age = party_age(periods, D(2025, 4, 9))
    assert age is not None and (age.years, age.months) == (49, 599)
    assert party_age(periods, D(2025, 4, 10)).years == 50  # the 50th anniversary, to the day
    assert age.text == "49 năm 11 tháng"
    assert age.reaches(50) == D(2025, 4, 10)
    assert "Tính từ ngày quyết định kết nạp 10/04/1975" in age.explanation


def test_a_probationary_member_has_no_party_age_yet():
    periods = [("probationary", D(2026, 3, 1), None)]
    assert party_age(periods, D(2026, 12, 1)) is None
    assert party_age(periods, D(2026, 2, 1)) is None  # not admitted yet


def test_time_struck_off_is_not_counted_and_re_admission_counts_from_the_first():
    periods = [
        ("probationary", D(1980, 1, 15), D(1981, 1, 15)),
        ("official", D(1981, 1, 15), D(1990, 6, 1)),
        ("struck_off", D(1990, 6, 1), D(1995, 6, 1)),  # 1.826 days out
        ("probationary", D(1995, 6, 1), D(1996, 6, 1)),  # re-admitted: a new probation
        ("official", D(1996, 6, 1), None),
    ]
    # Probationary again: no party age until recognised.
    assert party_age(periods, D(1996, 1, 1)) is None
    age = party_age(periods, D(2026, 1, 15))
    assert age is not None
    assert age.admitted_on == D(1980, 1, 15)
    assert age.counted_from == D(1980, 1, 15) + dt.timedelta(days=1826)
    assert age.years == 41  # 46 years since 1980, less 5 out
    assert "bị xóa tên từ 01/06/1990 đến 01/06/1995 (1826 ngày)" in age.explanation


def test_a_transfer_gap_is_not_counted():
    periods = [
        ("probationary", D(2000, 3, 1), D(2001, 3, 1)),
        ("official", D(2001, 3, 1), D(2010, 1, 1)),
        ("transferred_out", D(2010, 1, 1), D(2010, 4, 1)),  # 90 days before the new cell
        ("official", D(2010, 4, 1), None),
    ]
    age = party_age(periods, D(2030, 3, 1))
    assert age is not None and age.counted_from == D(2000, 5, 30)
    assert age.years == 29 and age.reaches(30) == D(2030, 5, 30)


def test_a_closed_record_keeps_the_party_age_it_had():
    periods = [
        ("probationary", D(1960, 2, 3), D(1961, 2, 3)),
        ("official", D(1961, 2, 3), D(2020, 8, 1)),
        ("deceased", D(2020, 8, 1), None),
    ]
    age = party_age(periods, D(2026, 1, 1))
    assert age is not None and age.closed and age.until == D(2020, 8, 1)
    assert age.years == 60 and "ngày hồ sơ khép lại" in age.explanation
    # Struck off at the end of probation: never official, never a party age.
    failed = [("probationary", D(2020, 1, 1), D(2021, 1, 1)), ("struck_off", D(2021, 1, 1), None)]
    assert party_age(failed, D(2026, 1, 1)) is None


def test_an_imported_record_without_its_probation_uses_the_admission_date():
    periods = [("official", D(2024, 1, 1), None)]  # the history starts at the import
    age = party_age(periods, D(2026, 1, 1), admitted_on=D(1990, 5, 19))
    assert age is not None and age.years == 35 and age.admitted_on == D(1990, 5, 19)


@given(
    admitted=st.dates(D(1945, 1, 1), D(2010, 12, 31)),
    years_in=st.integers(1, 40),
    out_days=st.integers(1, 4000),
    back_for=st.integers(0, 30),
)
def test_party_age_is_the_time_in_the_party_whatever_the_dates(
    admitted, years_in, out_days, back_for
):
    """Official from 12 months after admission, struck off after `years_in` years, re-admitted
    `out_days` later: on any day after, party age is the time in, counted by hand."""
    official = add_months(admitted, 12)
    left = add_months(admitted, 12 * years_in)
    back = left + dt.timedelta(days=out_days)
    recognised = add_months(back, 12)
    periods = [
        ("probationary", admitted, official),
        ("official", official, left),
        ("struck_off", left, back),
        ("probationary", back, recognised),
        ("official", recognised, None),
    ]
    day = recognised + dt.timedelta(days=365 * back_for)
    age = party_age(periods, day)
    assert age is not None
    days_in = (day - admitted).days - out_days
    assert age.counted_from == admitted + dt.timedelta(days=out_days)
    assert (age.until - age.counted_from).days == days_in
    # Full years never exceed the days in, and one more year would.
    assert months_reached(age.counted_from, 12 * age.years) <= day
    assert months_reached(age.counted_from, 12 * (age.years + 1)) > day
    # Before recognition after re-admission: none; while struck off: the age when struck off.
    assert party_age(periods, back) is None
    while_out = party_age(periods, left + dt.timedelta(days=out_days // 2))
    assert while_out is not None and while_out.closed and while_out.until == left


def test_counted_from_29_february_a_year_is_reached_on_1_march():
    """As `age_on` counts birthdays: the found failing case of the property test."""
    periods = [
        ("probationary", D(2002, 7, 1), D(2003, 7, 1)),
        ("struck_off", D(2003, 7, 1), D(2005, 2, 28)),  # 608 days out: counted from 29/02/2004
        ("official", D(2005, 2, 28), None),
    ]
    age = party_age(periods, D(2006, 2, 28))
    assert age is not None and age.counted_from == D(2004, 2, 29)
    assert age.years == 1 and age.reaches(2) == D(2006, 3, 1)
    assert party_age(periods, D(2006, 3, 1)).years == 2


def test_lost_contact_is_not_counted_and_a_day_inside_it_counts_up_to_its_start():
    periods = [("probationary", D(1990, 3, 2), D(1991, 3, 2)), ("official", D(1991, 3, 2), None)]
    lost = [(D(2000, 1, 1), D(2001, 1, 1))]  # 366 days (2000 is a leap year)
    age = party_age(periods, D(2026, 3, 2), lost=lost)
    assert age is not None and age.counted_from == D(1991, 3, 3)
    assert age.years == 34 and age.reaches(35) == D(2026, 3, 3)
    assert "mất liên lạc với tổ chức đảng từ 01/01/2000 đến 01/01/2001 (366 ngày)" in (
        age.explanation
    )
    # Half-way through it, the days counted are those up to the day contact was lost.
    inside = party_age(periods, D(2000, 7, 1), lost=lost)
    assert inside is not None
    assert (inside.until - inside.counted_from) == D(2000, 1, 1) - D(1990, 3, 2)
    # Lost contact before a transfer gap: both subtracted, in order.
    with_transfer = [
        *periods[:1],
        ("official", D(1991, 3, 2), D(2010, 1, 1)),
        ("transferred_out", D(2010, 1, 1), D(2010, 1, 31)),
        ("official", D(2010, 1, 31), None),
    ]
    both = party_age(with_transfer, D(2026, 3, 2), lost=lost)
    assert both is not None and both.counted_from == D(1990, 3, 2) + dt.timedelta(days=396)
    assert [gap.start for gap in both.gaps] == [D(2000, 1, 1), D(2010, 1, 1)]


@given(
    admitted=st.dates(D(1950, 1, 1), D(2010, 12, 31)),
    after=st.integers(400, 4000),
    lost_days=st.integers(1, 2000),
    later=st.integers(0, 6000),
)
def test_lost_contact_subtracts_exactly_its_days(admitted, after, lost_days, later):
    official = add_months(admitted, 12)
    periods = [("probationary", admitted, official), ("official", official, None)]
    start = admitted + dt.timedelta(days=after)
    end = start + dt.timedelta(days=lost_days)
    day = end + dt.timedelta(days=later)
    age = party_age(periods, day, lost=[(start, end)])
    assert age is not None
    assert age.counted_from == admitted + dt.timedelta(days=lost_days)
    assert months_reached(age.counted_from, 12 * age.years) <= day
    assert months_reached(age.counted_from, 12 * (age.years + 1)) > day
