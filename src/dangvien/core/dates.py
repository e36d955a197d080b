"""All date arithmetic, once: ages, months and years on the calendar, dates as Party documents
write them (Hướng dẫn 36-HD/VPTW), and working days on the Vietnamese calendar."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

ONE_DAY = dt.timedelta(days=1)


def document_date(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 03 tháng 4 năm 2018": a leading zero for days under 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    dated = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {dated}" if place else dated[0].upper() + dated[1:]


# --- Calendar arithmetic -------------------------------------------------------------------------


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years from `born` to `day` (born on 29/02: a year older on 01/03 of common years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def full_months(start: dt.date, day: dt.date) -> int:
    """Whole months from `start` to `day`: a month is complete on the same day number of a later
    month (from the 29th–31st: on the 1st of the next month when the month is shorter), as
    `age_on` counts years."""
    return (day.year - start.year) * 12 + day.month - start.month - (day.day < start.day)


def months_reached(start: dt.date, months: int) -> dt.date:
    """The first day on which `full_months(start, day)` is `months`: the same day number `months`
    later, or the 1st of the next month when that month is shorter (from 29/02, a year is
    reached on 01/03 of a common year, as `age_on` counts birthdays)."""
    day = add_months(start, months)
    return day + dt.timedelta(days=1) if day.day < start.day else day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); the 29th–31st falls back to the last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    if day.day <= 28:  # every month has it: the common case, called per member by the demo load
        return dt.date(year, month0 + 1, day.day)
    return dt.date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29/02 becomes 28/02): whoever was born on or before
    it is at least `years` old on `day`."""
    return add_months(day, -12 * years)


# --- Working days (DOMAIN.md §5) -----------------------------------------------------------------
# Deadlines in working days skip weekends and Vietnamese public holidays, the lunar ones included
# (Tết, Giỗ Tổ Hùng Vương), from the `holidays` package's Vietnam calendar, with the days off the
# Government moves each year for public servants (a Monday bridged to a holiday, made up on a
# Saturday). The administrator enters the moves the package does not know yet (CalendarDay): an
# entered day wins over the calendar.


@functools.lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


@functools.cache
def _made_up_days() -> frozenset[dt.date]:
    """The Saturdays worked to make up a moved day off, from the package's table of moves: each
    is (month, day off, month, day worked[, year worked when another year])."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    worked = set()
    moves: Any
    for year, moves in VietnamStaticHolidays.special_public_holidays.items():
        for move in moves if isinstance(moves[0], tuple) else (moves,):
            if len(move) in (4, 5):
                worked.add(dt.date(move[4] if len(move) == 5 else year, move[2], move[3]))
    return frozenset(worked)


class WorkingCalendar:
    """Working days, reading the administrator's entries once per year asked about: build one for
    a loop, not one per day."""

    def __init__(self) -> None:
        self._entered: dict[int, dict[dt.date, bool]] = {}

    def _entered_in(self, year: int) -> dict[dt.date, bool]:
        if year not in self._entered:
            # Imported here: the date arithmetic above serves code that runs before Django is
            # set up (the office layer in benchmarks and scripts); only this reads the database.
            from dangvien.core.models import CalendarDay

            rows = CalendarDay.objects.filter(day__year=year).values_list("day", "kind")
            self._entered[year] = {day: kind == CalendarDay.Kind.WORKING_DAY for day, kind in rows}
        return self._entered[year]

    def is_working_day(self, day: dt.date) -> bool:
        entered = self._entered_in(day.year).get(day)
        if entered is not None:
            return entered
        if day in _made_up_days():
            return True
        return day.weekday() < 5 and day not in _days_off(day.year)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` (before it when `count` is negative); `day`
        itself is not counted."""
        step = ONE_DAY if count >= 0 else -ONE_DAY
        left = abs(count)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` comes
        first), so that `add_working_days(start, n)` is the day with n working days between."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for day in _days(start + ONE_DAY, end) if self.is_working_day(day))


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day` (`day` itself not counted)."""
    return WorkingCalendar().add_working_days(day, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    return WorkingCalendar().working_days_between(start, end)
