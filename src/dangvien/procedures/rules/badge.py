"""Huy hiệu Đảng: the milestones of party age, the award days, and how early a badge may be
proposed.

Hướng dẫn 01-HD/TW 2021 (point 18): members with 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85 or 90
years of party age are considered for the badge; a seriously ill member may be considered early,
by at most 12 months for 30 to 65 years and 24 months for 70 to 90; a member who has died may be
awarded posthumously, at most 12 months early. Badges are awarded on 3/2, 19/5, 2/9 and 7/11 and
on other great anniversaries (the installation's own days, `AwardDay`). Quy định 232-QĐ/TW and
294-QĐ/TW (guided by Hướng dẫn 06-HD/TW 2025) are registered with the same limits: a change is
not confirmed from their text here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dangvien.core.dates import add_months
from dangvien.procedures.rules import register

EARLY = "badge_early"
MILESTONES = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
# (month, day, name) of the yearly award days.
AWARD_DAYS = (
    (2, 3, "Ngày thành lập Đảng (3/2)"),
    (5, 19, "Ngày sinh Chủ tịch Hồ Chí Minh (19/5)"),
    (9, 2, "Quốc khánh (2/9)"),
    (11, 7, "Ngày Cách mạng Tháng Mười Nga (7/11)"),
)
ILL, POSTHUMOUS = "ill", "posthumous"


def award_days(year: int, extra: Iterable[dt.date] = ()) -> list[dt.date]:
    """The award days of `year`: the four yearly ones and the installation's own of that year."""
    days = {dt.date(year, month, day) for month, day, _ in AWARD_DAYS}
    days.update(day for day in extra if day.year == year)
    return sorted(days)


def previous_award_day(day: dt.date, extra: Iterable[dt.date] = ()) -> dt.date:
    """The award day before `day` (the last of the year before, for the first of a year)."""
    extra = list(extra)
    earlier = [d for d in award_days(day.year, extra) if d < day]
    return earlier[-1] if earlier else award_days(day.year - 1, extra)[-1]


def next_award_day(day: dt.date, extra: Iterable[dt.date] = ()) -> dt.date:
    """The first award day on or after `day`."""
    extra = list(extra)
    later = [d for d in award_days(day.year, extra) if d >= day]
    return later[0] if later else award_days(day.year + 1, extra)[0]


def early_months(milestone: int, reason: str) -> int:
    """How many months early a badge may be considered for `reason` ("" for none)."""
    if reason == ILL:
        return 24 if milestone >= 70 else 12
    if reason == POSTHUMOUS:
        return 12
    return 0


@register(
    EARLY,
    "tặng Huy hiệu Đảng khi đủ 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm tuổi đảng; "
    "đảng viên bệnh nặng được xét sớm không quá 12 tháng (30–65 năm) hoặc 24 tháng (70–90 năm), "
    "truy tặng sớm không quá 12 tháng",
)
def early(*, milestone: int, reaches_on: dt.date, day: dt.date, reason: str) -> tuple[bool, str]:
    """Whether a badge of `milestone` years may be awarded on `day` to a member whose party age
    reaches it on `reaches_on`."""
    if milestone not in MILESTONES:
        return False, f"Không có Huy hiệu {milestone} năm tuổi đảng."
    if reaches_on <= day:
        return True, f"Đủ {milestone} năm tuổi đảng ngày {reaches_on:%d/%m/%Y}."
    months = early_months(milestone, reason)
    if months and add_months(reaches_on, -months) <= day:
        return True, (
            f"Đủ {milestone} năm tuổi đảng ngày {reaches_on:%d/%m/%Y}: xét sớm "
            f"({'bệnh nặng' if reason == ILL else 'truy tặng'}), trong {months} tháng cho phép."
        )
    if months:
        return False, (
            f"Đủ {milestone} năm tuổi đảng ngày {reaches_on:%d/%m/%Y}: sớm hơn {months} tháng "
            "được phép xét sớm."
        )
    return False, (
        f"Ngày {day:%d/%m/%Y} chưa đủ {milestone} năm tuổi đảng (đủ ngày {reaches_on:%d/%m/%Y}); "
        "chỉ đảng viên bệnh nặng hoặc đã từ trần được xét sớm."
    )
