"""Dates as Party documents write them (Hướng dẫn 36-HD/VPTW), and working days."""

from __future__ import annotations

import datetime as dt
import functools


def document_date(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 03 tháng 4 năm 2018": a leading zero for days under 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    dated = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {dated}" if place else dated[0].upper() + dated[1:]


# --- Working days (DOMAIN.md §5) -----------------------------------------------------------------
# Deadlines in working days skip weekends and Vietnamese public holidays, the lunar ones included
# (Tết, Giỗ Tổ Hùng Vương), from the `holidays` package's Vietnam calendar. Extra days off decided
# by the administration (e.g. a day moved to make a long weekend) are not entered anywhere yet.


@functools.lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` (`day` itself not counted)."""
    step = 1 if count >= 0 else -1
    left = abs(count)
    while left:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day
