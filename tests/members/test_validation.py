"""Member record rules: blocking errors and warnings, against DOMAIN.md §4 and the statute."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien.members.rules.cccd import PROVINCE_CODES, century_sex_digit
from dangvien.members.validation import blocking, member_problems, warnings

TODAY = dt.date(2026, 11, 24)


def codes(values, **kw):
    return {p.rule for p in member_problems(values, check_unique=False, today=TODAY, **kw)}


def a_cccd(born: dt.date, gender: str, province: str = "001", serial: str = "012345") -> str:
    return f"{province}{century_sex_digit(born, gender)}{born.year % 100:02d}{serial}"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"citizen_id": "00108001234", "date_of_birth": dt.date(1980, 5, 1), "gender": "M"},
         {"cccd_length"}),
        ({"citizen_id": "003080012345", "date_of_birth": dt.date(1980, 5, 1), "gender": "M"},
         {"cccd_province"}),  # 003 is no province
        ({"citizen_id": "001180012345", "date_of_birth": dt.date(1980, 5, 1), "gender": "M"},
         {"cccd_century_sex"}),  # 1 = a woman of the 1900s
        ({"citizen_id": "001081012345", "date_of_birth": dt.date(1980, 5, 1), "gender": "M"},
         {"cccd_year"}),
        ({"citizen_id": "079305012345", "date_of_birth": dt.date(2005, 1, 1), "gender": "F"},
         set()),  # TP.HCM, a woman born in 2005
        ({"party_card_number": "1234567"}, {"card_format"}),
        ({"party_card_number": "01234567"}, set()),
        ({"record_number": "012345HN"}, set()),
        ({"record_number": "12345HN"}, {"record_number_format"}),
        ({"date_of_birth": dt.date(2030, 1, 1)}, {"birth_future"}),
        ({"date_of_birth": dt.date(1990, 1, 1), "admission_date": dt.date(2005, 1, 1)},
         {"admission_age"}),  # 15 years old
        ({"date_of_birth": dt.date(1950, 1, 1), "admission_date": dt.date(2015, 1, 1)},
         {"admission_age"}),  # 65 years old
        ({"admission_date": dt.date(2020, 3, 2), "recognition_date": dt.date(2020, 1, 1)},
         {"recognition_before_admission"}),
        ({"admission_date": dt.date(2020, 3, 2), "recognition_date": dt.date(2020, 9, 2)},
         {"probation_length"}),
        ({"admission_date": dt.date(2020, 3, 2), "recognition_date": dt.date(2021, 3, 2)}, set()),
        ({"admission_date": dt.date(2024, 2, 29), "recognition_date": dt.date(2025, 2, 28)}, set()),
        ({"admission_date": dt.date(2027, 1, 1)}, {"admission_future"}),
    ],
)  # fmt: skip
def test_table_of_cases(values, expected):
    assert codes(values) == expected


def test_age_and_probation_are_warnings_the_rest_block():
    problems = member_problems(
        {
            "date_of_birth": dt.date(1990, 1, 1),
            "admission_date": dt.date(2005, 1, 1),
            "recognition_date": dt.date(2004, 1, 1),
            "citizen_id": "12",
        },
        check_unique=False,
        today=TODAY,
    )
    assert {p.rule for p in warnings(problems)} == {"admission_age"}
    assert {p.rule for p in blocking(problems)} == {"cccd_length", "recognition_before_admission"}
    assert all(p.message for p in problems)


def test_messages_name_the_value_and_the_rule():
    [problem] = member_problems(
        {"citizen_id": "001180012345", "date_of_birth": dt.date(1980, 5, 1), "gender": "M"},
        check_unique=False,
        today=TODAY,
    )
    assert "001180012345" in problem.message and "phải là 0" in problem.message
    assert problem.field == "citizen_id"


def test_a_partial_update_is_checked_with_the_record_around_it(world):
    a1 = world.a1  # born 17/05/1980, male, admitted 02/03/2010
    assert {p.rule for p in member_problems({"citizen_id": "001180099999"}, member=a1)} == {
        "cccd_century_sex"
    }
    assert member_problems({"citizen_id": "001080099999"}, member=a1) == []


def test_duplicates_block_but_not_the_record_itself(world):
    assert {p.rule for p in member_problems({"citizen_id": "001080012345"}, member=world.a2)} >= {
        "cccd_duplicate"
    }
    assert member_problems({"citizen_id": "001080012345"}, member=world.a1) == []
    assert {p.rule for p in member_problems({"party_card_number": "01234567"})} == {
        "card_duplicate"
    }


def test_the_card_pattern_is_a_setting(settings):
    # The pattern of the cards of Chỉ thị 51-CT/TW (8/8/2025): a card issued since must fit it;
    # one whose issue day is not known may fit either format (procedures.rules.card).
    settings.PARTY_CARD_PATTERN = r"[A-Z]{2}\d{10}"
    new = {"party_card_issued_date": dt.date(2026, 1, 5)}
    assert codes({"party_card_number": "HN0123456789", **new}) == set()
    assert codes({"party_card_number": "01234567", **new}) == {"card_format"}
    assert codes({"party_card_number": "01234567"}) == set()


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2008, 12, 31)),
    gender=st.sampled_from(["M", "F"]),
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    serial=st.from_regex(r"\d{6}", fullmatch=True),
)
def test_every_well_formed_cccd_is_accepted(born, gender, province, serial):
    cccd = a_cccd(born, gender, province, serial)
    assert codes({"citizen_id": cccd, "date_of_birth": born, "gender": gender}) == set()


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2008, 12, 31)),
    gender=st.sampled_from(["M", "F"]),
    position=st.integers(min_value=3, max_value=5),
    shift=st.integers(min_value=1, max_value=9),
)
def test_changing_a_digit_of_sex_century_or_year_is_caught(born, gender, position, shift):
    cccd = a_cccd(born, gender)
    digit = str((int(cccd[position]) + shift) % 10)
    wrong = cccd[:position] + digit + cccd[position + 1 :]
    assert codes({"citizen_id": wrong, "date_of_birth": born, "gender": gender}) & {
        "cccd_century_sex",
        "cccd_year",
    }


@given(
    born=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2000, 1, 1)),
    age=st.integers(min_value=18, max_value=60),
    days=st.integers(min_value=0, max_value=364),
)
def test_admission_between_18_and_60_with_a_year_of_probation_is_clean(born, age, days):
    from dangvien.members.rules.admission import add_months

    admitted = born.replace(year=born.year + age, day=min(born.day, 28)) + dt.timedelta(days=days)
    if admitted >= TODAY or add_months(admitted, 12) > TODAY or (admitted.year - born.year) > 60:
        return
    values = {
        "date_of_birth": born,
        "admission_date": admitted,
        "recognition_date": add_months(admitted, 12),
    }
    found = codes(values)
    assert found <= {"admission_age"}  # only at the exact edges of 60 years
