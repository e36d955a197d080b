"""Transfers (chuyển sinh hoạt đảng): the official transfer starts within 60 working days of
the event (new job, retirement, new residence); the member presents the introduction letter to
the new organization within 30 working days; a temporary transfer is for 3 months to under
1 year, for study 3 months to 2 years (Quy định 24-QĐ/TW 2021, Hướng dẫn 01-HD/TW 2021 point 9;
DOMAIN.md §5). Quy định 232 and 294-QĐ/TW (2025) are registered with the same limits, not
confirmed to differ. Whether the study limit's 2 years is inclusive is not confirmed: it is
taken as inclusive.
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import add_months, add_working_days
from dangvien.procedures.rules import register

START_DEADLINE = "transfer_start_deadline"
PRESENT_DEADLINE = "transfer_present_deadline"
TEMPORARY_LENGTH = "transfer_temporary_length"
START_WORKING_DAYS = 60
PRESENT_WORKING_DAYS = 30


@register(
    START_DEADLINE,
    "làm thủ tục chuyển sinh hoạt đảng trong 60 ngày làm việc kể từ ngày có quyết định",
)
def start_deadline(*, event_on: dt.date) -> dt.date:
    return add_working_days(event_on, START_WORKING_DAYS)


@register(
    PRESENT_DEADLINE,
    "xuất trình giấy giới thiệu sinh hoạt đảng trong 30 ngày làm việc kể từ ngày giới thiệu",
)
def present_deadline(*, letter_on: dt.date) -> dt.date:
    return add_working_days(letter_on, PRESENT_WORKING_DAYS)


@register(
    TEMPORARY_LENGTH,
    "sinh hoạt tạm thời từ 3 tháng đến dưới 1 năm (đi học: từ 3 tháng đến 2 năm)",
)
def temporary_length(*, start: dt.date, end: dt.date, study: bool = False) -> tuple[bool, str]:
    if end < add_months(start, 3):
        return False, "Thời gian đi dưới 3 tháng: không chuyển sinh hoạt tạm thời."
    if study:
        if end > add_months(start, 24):
            return False, "Đi học trên 2 năm: chuyển sinh hoạt đảng chính thức."
    elif end >= add_months(start, 12):
        return False, "Đi từ 1 năm trở lên: chuyển sinh hoạt đảng chính thức."
    return True, f"Sinh hoạt tạm thời từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}."


REASON = "transfer_reason"
# The reasons each kind of transfer is for (a temporary stay is work, study or a private
# reason with a good cause; an official one follows a lasting change).
OFFICIAL_REASONS = ("new_job", "retirement", "residence", "other")
TEMPORARY_REASONS = ("work", "study", "other")


@register(
    REASON,
    "chuyển sinh hoạt chính thức khi chuyển công tác, nghỉ hưu, thôi việc, thay đổi nơi cư trú "
    "lâu dài; tạm thời khi đi công tác, đi học hoặc thay đổi nơi ở có thời hạn",
)
def reason_fits(*, temporary: bool, reason: str) -> tuple[bool, str]:
    if temporary and reason not in TEMPORARY_REASONS:
        return False, "Lý do này thuộc chuyển sinh hoạt đảng chính thức, không phải tạm thời."
    if not temporary and reason not in OFFICIAL_REASONS:
        return False, "Lý do này thuộc chuyển sinh hoạt đảng tạm thời, không phải chính thức."
    return True, "Lý do phù hợp với loại chuyển sinh hoạt."
