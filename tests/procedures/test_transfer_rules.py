"""The transfer rules at their boundaries: temporary stays of 3 months, under 1 year, 2 years of
study; the 60 and 30 working days counted across Tết, against a calendar written out here."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvien.procedures.rules import QD_24, QD_294, judge, rule_in_force
from dangvien.procedures.rules import transfer as rules

D = dt.date

# Vietnam's days off, written out by hand for the years the tests count through.
DAYS_OFF = {
    D(2026, 1, 1), D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19),
    D(2026, 2, 20), D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1), D(2026, 8, 31),
    D(2026, 9, 1), D(2026, 9, 2), D(2026, 11, 24), D(2027, 1, 1), D(2027, 2, 4), D(2027, 2, 5),
    D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10), D(2027, 4, 16), D(2027, 4, 30), D(2027, 5, 3),
}  # fmt: skip


def counted(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start`, counted one day at a time."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in DAYS_OFF:
            days -= 1
    return day


@pytest.mark.django_db
@pytest.mark.parametrize("event_on", [D(2026, 1, 26), D(2026, 2, 13), D(2026, 12, 28)])
def test_the_transfer_starts_within_60_working_days_across_tet(event_on):
    due = rules.start_deadline(event_on=event_on)
    assert due == counted(event_on, 60)
    # From Monday 26/01/2026: weekends, Tết 16–20/02 and Giỗ Tổ/30-4/1-5 fall in between.
    if event_on == D(2026, 1, 26):
        assert due == D(2026, 4, 28)  # 27/04 is Giỗ Tổ taken on the Monday


@pytest.mark.django_db
@pytest.mark.parametrize("letter_on", [D(2027, 1, 25), D(2027, 2, 3), D(2027, 2, 11)])
def test_the_letter_is_presented_within_30_working_days_across_tet(letter_on):
    due = rules.present_deadline(letter_on=letter_on)
    assert due == counted(letter_on, 30)
    if letter_on == D(2027, 1, 25):
        # 25/01/2027 + 30 working days, Tết Đinh Mùi (04–10/02) skipped: 15/03/2027.
        assert due == D(2027, 3, 15)


@pytest.mark.parametrize(
    ("end", "ok"),
    [
        (D(2026, 6, 14), False),  # a day short of 3 months
        (D(2026, 6, 15), True),  # 3 months exactly
        (D(2027, 3, 14), True),  # the last day under 1 year
        (D(2027, 3, 15), False),  # 1 year: an official transfer
    ],
)
def test_a_temporary_stay_is_from_3_months_to_under_1_year(end, ok):
    verdict = judge(rules.TEMPORARY_LENGTH, D(2026, 3, 15), start=D(2026, 3, 15), end=end)
    assert verdict.ok is ok
    assert "Quy định 294-QĐ/TW" in verdict.text


@pytest.mark.parametrize(
    ("end", "ok"),
    [
        (D(2026, 6, 14), False),
        (D(2026, 6, 15), True),
        (D(2028, 3, 15), True),  # 2 years exactly (taken as inclusive)
        (D(2028, 3, 16), False),
    ],
)
def test_study_is_from_3_months_to_2_years(end, ok):
    verdict = judge(
        rules.TEMPORARY_LENGTH, D(2026, 3, 15), start=D(2026, 3, 15), end=end, study=True
    )
    assert verdict.ok is ok


def test_the_reason_fits_the_kind_of_transfer_under_the_rule_of_its_day():
    assert judge(rules.REASON, D(2026, 3, 2), temporary=False, reason="retirement").ok
    assert judge(rules.REASON, D(2026, 3, 2), temporary=True, reason="study").ok
    refused = judge(rules.REASON, D(2024, 3, 2), temporary=True, reason="retirement")
    assert not refused.ok and refused.rule.regulation == QD_24
    assert "chính thức" in refused.message
    assert not judge(rules.REASON, D(2026, 3, 2), temporary=False, reason="study").ok
    assert rule_in_force(rules.START_DEADLINE, D(2025, 7, 1)).regulation == QD_294
