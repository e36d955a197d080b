"""The procedures' dated rules at their date boundaries: working days across Tết, 12-month dates
at month ends and 29 February, the two-thirds vote, ages in months."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvien.core.dates import full_months, is_working_day
from dangvien.procedures.rules import (
    QD_24,
    QD_232,
    QD_294,
    NoRuleInForce,
    admission,
    judge,
    recognition,
    rule_in_force,
    transfer,
    votes,
)

D = dt.date


def test_each_rule_has_one_version_per_regulation_and_the_right_one_is_in_force():
    assert rule_in_force(admission.AGE, D(2021, 7, 30)).regulation == QD_24
    assert rule_in_force(admission.AGE, D(2025, 1, 19)).regulation == QD_24
    assert rule_in_force(admission.AGE, D(2025, 1, 20)).regulation == QD_232
    assert rule_in_force(admission.AGE, D(2025, 6, 30)).regulation == QD_232
    assert rule_in_force(admission.AGE, D(2025, 7, 1)).regulation == QD_294


def test_a_day_before_every_rule_kept_is_an_error_not_a_guess():
    with pytest.raises(NoRuleInForce):
        rule_in_force(admission.AGE, D(2021, 7, 29))


def test_a_verdict_names_the_regulation_that_decided():
    verdict = judge(admission.AGE, D(2025, 8, 1), born=D(2010, 1, 1), day=D(2025, 8, 1))
    assert not verdict.ok
    assert "chưa đủ 18 tuổi" in verdict.text
    assert "Quy định 294-QĐ/TW" in verdict.text
    earlier = judge(admission.AGE, D(2024, 8, 1), born=D(2010, 1, 1), day=D(2024, 8, 1))
    assert "Quy định 24-QĐ/TW" in earlier.text


# --- Working days across Tết -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_ceremony_deadline_skips_tet_2026():
    # Decision received on the Friday before Tết Bính Ngọ: 16–20/02 off, then the weekends.
    assert admission.ceremony_deadline(received_on=D(2026, 2, 13)) == D(2026, 4, 3)


@pytest.mark.django_db
def test_the_decision_deadline_skips_tet_and_the_april_holidays_2026():
    # 60 working days from Monday 02/02/2026: Tết (16–20/02), Giỗ Tổ (Sunday 26/04, taken on
    # Monday 27/04), 30/04 and 01/05 are not working days.
    assert not is_working_day(D(2026, 4, 27))
    assert admission.decision_deadline(resolution_on=D(2026, 2, 2)) == D(2026, 5, 7)


@pytest.mark.django_db
def test_working_days_across_tet_2027():
    # Tết Đinh Mùi: Thursday 04/02 to Wednesday 10/02/2027 off.
    assert transfer.present_deadline(letter_on=D(2027, 2, 3)) == transfer.present_deadline(
        letter_on=D(2027, 2, 10)
    )
    from dangvien.core.dates import add_working_days

    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    assert add_working_days(D(2027, 2, 3), 3) == D(2027, 2, 15)


@pytest.mark.django_db
def test_an_administrator_entered_day_off_moves_the_deadline(db):
    from dangvien.core.models import CalendarDay

    before = admission.ceremony_deadline(received_on=D(2026, 2, 13))
    CalendarDay.objects.create(day=D(2026, 3, 2), kind=CalendarDay.Kind.DAY_OFF)
    assert admission.ceremony_deadline(received_on=D(2026, 2, 13)) == D(2026, 4, 6)
    assert before == D(2026, 4, 3)


# --- Twelve months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admitted", "official"),
    [
        (D(2024, 2, 29), D(2025, 2, 28)),  # 29 February: the 28th of a common year
        (D(2023, 2, 28), D(2024, 2, 28)),  # not the 29th of the leap year
        (D(2025, 1, 31), D(2026, 1, 31)),
        (D(2025, 3, 31), D(2026, 3, 31)),
        (D(2025, 12, 31), D(2026, 12, 31)),
        (D(2025, 7, 1), D(2026, 7, 1)),
    ],
)
def test_probation_ends_twelve_months_after_the_decision(admitted, official):
    assert recognition.probation_end(admitted_on=admitted) == official


def test_an_introducer_knows_the_applicant_twelve_months_from_the_same_day():
    day = D(2026, 2, 28)
    ok = judge(
        admission.INTRODUCER,
        day,
        name="A",
        official_on_day=True,
        known_since=D(2025, 2, 28),
        day=day,
    )
    assert ok.ok
    short = judge(
        admission.INTRODUCER,
        day,
        name="A",
        official_on_day=True,
        known_since=D(2025, 3, 1),
        day=day,
    )
    assert not short.ok and "chưa đủ 12 tháng" in short.message
    # Known since 29/02/2024: twelve months on 28/02/2025.
    leap = D(2025, 2, 28)
    assert judge(
        admission.INTRODUCER, leap, name="A", official_on_day=True, known_since=D(2024, 2, 29),
        day=leap,
    ).ok  # fmt: skip


def test_a_probationary_introducer_is_refused():
    day = D(2026, 1, 5)
    verdict = judge(
        admission.INTRODUCER,
        day,
        name="B",
        official_on_day=False,
        known_since=D(2020, 1, 1),
        day=day,
    )
    assert not verdict.ok and "không phải đảng viên chính thức" in verdict.message


def test_the_awareness_certificate_is_valid_five_years():
    issued = D(2021, 3, 15)
    assert admission.certificate_valid_until(issued) == D(2026, 3, 14)
    assert judge(admission.CERTIFICATE, D(2026, 3, 14), issued=issued, day=D(2026, 3, 14)).ok
    expired = judge(admission.CERTIFICATE, D(2026, 3, 15), issued=issued, day=D(2026, 3, 15))
    assert not expired.ok and "hết giá trị từ 15/03/2026" in expired.message
    missing = judge(admission.CERTIFICATE, D(2026, 3, 15), issued=None, day=D(2026, 3, 15))
    assert not missing.ok


# --- The vote ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes_for", "eligible", "ok"),
    [(6, 9, True), (5, 9, False), (5, 8, False), (6, 8, True), (2, 3, True), (1, 3, False),
     (4, 6, True), (3, 5, False), (4, 5, True)],
)  # fmt: skip
def test_two_thirds_of_the_cells_official_members(votes_for, eligible, ok):
    day = D(2026, 5, 4)
    verdict = judge(
        votes.TWO_THIRDS, day, eligible=eligible, present=eligible, votes_for=votes_for,
        votes_against=eligible - votes_for,
    )  # fmt: skip
    assert verdict.ok is ok
    if not ok:
        assert "chưa đủ hai phần ba" in verdict.message


def test_two_thirds_counts_the_cells_officials_not_those_present():
    day = D(2026, 5, 4)
    # 6 present of 9, all for: 6/9 passes; 5 present of 8, all for: 5/8 does not.
    assert judge(votes.TWO_THIRDS, day, eligible=9, present=6, votes_for=6, votes_against=0).ok
    assert not judge(votes.TWO_THIRDS, day, eligible=8, present=5, votes_for=5, votes_against=0).ok


def test_impossible_counts_are_refused():
    day = D(2026, 5, 4)
    assert not judge(votes.TWO_THIRDS, day, eligible=5, present=6, votes_for=5, votes_against=0).ok
    assert not judge(votes.TWO_THIRDS, day, eligible=5, present=4, votes_for=4, votes_against=1).ok
    assert not judge(votes.TWO_THIRDS, day, eligible=0, present=0, votes_for=0, votes_against=0).ok


# --- Ages in months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "day", "ok"),
    [
        (D(2008, 5, 17), D(2026, 5, 16), False),  # the day before the 18th birthday
        (D(2008, 5, 17), D(2026, 5, 17), True),  # the birthday
        (D(2008, 2, 29), D(2026, 2, 28), False),  # born 29/02: not yet 18 on 28/02
        (D(2008, 2, 29), D(2026, 3, 1), True),
        (D(1966, 5, 17), D(2026, 5, 17), True),  # exactly 60
        (D(1966, 5, 17), D(2026, 6, 16), True),  # 60 and 0 full months
        (D(1966, 5, 17), D(2026, 6, 17), False),  # 60 years and 1 month: over 60
    ],
)
def test_age_from_18_to_60_in_months_on_the_cells_day(born, day, ok):
    assert judge(admission.AGE, day, born=born, day=day).ok is ok


def test_over_60_with_the_higher_committees_approval():
    born, day = D(1960, 1, 10), D(2026, 3, 2)
    assert not judge(admission.AGE, day, born=born, day=day).ok
    approved = judge(admission.AGE, day, born=born, day=day, higher_approval=True)
    assert approved.ok and "đã có ý kiến đồng ý" in approved.message


@pytest.mark.parametrize(
    ("code", "exception", "ok"),
    [
        ("9/12", "", True),  # lower secondary completed
        ("8/12", "", False),
        ("7/10", "", True),  # the former 10-year system: lower secondary ended at grade 7
        ("6/10", "", False),
        ("12/12", "", True),
        ("5/12", admission.SPECIAL_AREA, True),  # mountain, island, fishermen: primary
        ("4/12", admission.SPECIAL_AREA, False),
        ("4/10", admission.SPECIAL_AREA, True),
        ("3/10", admission.VILLAGE_ELDER, True),  # village elders: lower still
        (None, admission.VILLAGE_ELDER, True),
        (None, "", False),  # nothing recorded: not admitted blind
        ("Đại học", "", False),  # a code the rule cannot read
    ],
)
def test_lower_secondary_education_and_its_special_cases(code, exception, ok):
    day = D(2026, 3, 16)
    verdict = judge(admission.EDUCATION, day, code=code, name=code or "", exception=exception)
    assert verdict.ok is ok, verdict.message
    assert "trung học cơ sở" in verdict.rule.title


def test_full_months_at_month_ends():
    assert full_months(D(2000, 1, 31), D(2000, 2, 29)) == 0
    assert full_months(D(2000, 1, 31), D(2000, 3, 1)) == 1
    assert full_months(D(2000, 1, 15), D(2001, 1, 15)) == 12


def test_temporary_transfer_lengths():
    start = D(2026, 1, 31)
    assert not transfer.temporary_length(start=start, end=D(2026, 4, 29))[0]
    assert transfer.temporary_length(start=start, end=D(2026, 4, 30))[0]
    assert not transfer.temporary_length(start=start, end=D(2027, 1, 31))[0]
    assert transfer.temporary_length(start=start, end=D(2028, 1, 31), study=True)[0]
    assert not transfer.temporary_length(start=start, end=D(2028, 2, 1), study=True)[0]
