"""Date arithmetic and working days on the Vietnamese calendar, with real dates."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvien.core.dates import (
    WorkingCalendar,
    add_months,
    add_working_days,
    age_on,
    is_working_day,
    working_days_between,
    years_before,
)
from dangvien.core.models import CalendarDay

D = dt.date


def test_age_counts_full_years():
    assert age_on(D(1980, 5, 17), D(2026, 5, 16)) == 45
    assert age_on(D(1980, 5, 17), D(2026, 5, 17)) == 46
    # Born on 29/02: a year older on 01/03 of a common year, on 29/02 of a leap year.
    assert age_on(D(2004, 2, 29), D(2022, 2, 28)) == 17
    assert age_on(D(2004, 2, 29), D(2022, 3, 1)) == 18
    assert age_on(D(2004, 2, 29), D(2024, 2, 29)) == 20


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 1, 15), 1, D(2025, 2, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # divisible by 4, not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # divisible by 400: a leap year
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2025, 3, 31), 12, D(2026, 3, 31)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
        (D(2025, 5, 31), -17, D(2023, 12, 31)),
        (D(2025, 5, 31), 0, D(2025, 5, 31)),
    ],
)
def test_add_months_falls_back_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_years_before():
    assert years_before(D(2026, 12, 7), 30) == D(1996, 12, 7)
    assert years_before(D(2024, 2, 29), 1) == D(2023, 2, 28)
    assert years_before(D(2024, 2, 29), 4) == D(2020, 2, 29)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Tết Dương lịch"),
        (D(2026, 2, 16), "Giao thừa (Bính Ngọ)"),
        (D(2026, 2, 17), "Mùng một Tết"),
        (D(2026, 2, 20), "Mùng bốn Tết"),
        (D(2026, 4, 27), "Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/4)"),
        (D(2026, 4, 30), "Ngày Chiến thắng"),
        (D(2026, 5, 1), "Quốc tế Lao động"),
        (D(2026, 9, 1), "Quốc khánh"),
        (D(2026, 9, 2), "Quốc khánh"),
        (D(2026, 8, 31), "Nghỉ bù, làm bù thứ Bảy 22/8"),
        (D(2025, 4, 7), "Giỗ Tổ Hùng Vương 2025"),
        (D(2025, 5, 2), "Nghỉ bù 2025, làm bù thứ Bảy 26/4"),
        (D(2024, 4, 29), "Nghỉ bù 2024, làm bù thứ Bảy 4/5"),
    ],
)
def test_public_holidays_are_not_working_days(day, name):
    assert day.weekday() < 5, name
    assert not is_working_day(day), name


@pytest.mark.django_db
def test_weekends_and_working_saturdays():
    assert is_working_day(D(2026, 2, 23))  # Monday after Tết
    assert not is_working_day(D(2026, 12, 5))  # a Saturday
    assert not is_working_day(D(2026, 12, 6))  # a Sunday
    # Saturdays worked to make up a moved day off (Government notices for public servants).
    assert is_working_day(D(2025, 4, 26))
    assert is_working_day(D(2024, 5, 4))
    assert is_working_day(D(2026, 8, 22))


@pytest.mark.django_db
def test_add_working_days_skips_tet_and_the_long_weekends():
    # The Friday before Tết 2026: the next working day is the Monday after the holiday.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    # From 29/04/2026 (Wed): 30/4, 1/5 off, then the weekend.
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    # Around 2/9/2025: Mon 1/9 and Tue 2/9 off.
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)
    # The Saturday 26/04/2025 is worked: Friday 25/04 + 1 is that Saturday.
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert add_working_days(D(2026, 2, 23), 0) == D(2026, 2, 23)


@pytest.mark.django_db
def test_working_days_between_matches_add_working_days():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 23)) == 1
    assert working_days_between(D(2026, 2, 23), D(2026, 2, 13)) == -1
    assert working_days_between(D(2026, 4, 24), D(2026, 5, 8)) == 7  # 27/4, 30/4, 1/5 off
    start = D(2025, 12, 1)
    for n in (1, 5, 30, 60):
        assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.django_db
def test_days_entered_by_the_administrator_win_over_the_calendar():
    assert not is_working_day(D(2027, 5, 3))  # 1/5/2027 is a Saturday: off on Monday 3/5
    monday, saturday = D(2027, 5, 10), D(2027, 5, 8)
    assert is_working_day(monday) and not is_working_day(saturday)
    CalendarDay.objects.create(day=monday, kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ bù")
    CalendarDay.objects.create(day=saturday, kind=CalendarDay.Kind.WORKING_DAY, note="Làm bù")
    assert not is_working_day(monday)
    assert is_working_day(saturday)
    assert add_working_days(D(2027, 5, 7), 1) == saturday
    assert add_working_days(saturday, 1) == D(2027, 5, 11)


@pytest.mark.django_db
def test_a_calendar_reads_the_entered_days_once_per_year(django_assert_num_queries):
    calendar = WorkingCalendar()
    with django_assert_num_queries(2):
        calendar.add_working_days(D(2026, 12, 20), 30)  # into 2027
        calendar.working_days_between(D(2026, 1, 1), D(2026, 12, 31))


def test_the_holiday_calendar_covers_2020_to_2030():
    import holidays

    for year in range(2020, 2031):
        names = set(holidays.country_holidays("VN", years=year, language="vi").values())
        assert any("Tết Nguyên Đán" in n for n in names), year
        assert any("Hùng Vương" in n for n in names), year
