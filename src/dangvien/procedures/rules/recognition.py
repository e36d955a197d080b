"""Recognition as official (công nhận đảng viên chính thức): 12 months of probation from the
admission decision; the member is official from the 12-month date even when the decision is late;
the cell considers within 30 working days after the probation ends (Điều lệ Đảng, Điều 5;
Quy định 24-QĐ/TW 2021, Hướng dẫn 01-HD/TW 2021; DOMAIN.md §5). Quy định 232 and 294-QĐ/TW
(2025) are registered with the same limits, not confirmed to differ.
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import add_months, add_working_days
from dangvien.procedures.rules import register

PROBATION_END = "probation_end"
CONSIDERATION_DEADLINE = "recognition_deadline"
PROBATION_MONTHS = 12
CONSIDERATION_WORKING_DAYS = 30


@register(PROBATION_END, "đảng viên dự bị 12 tháng kể từ ngày cấp ủy có thẩm quyền ra quyết định")
def probation_end(*, admitted_on: dt.date) -> dt.date:
    """The recognition date: the same day 12 months later (29/02 becomes 28/02; the 29th–31st
    of a shorter month its last day)."""
    return add_months(admitted_on, PROBATION_MONTHS)


@register(
    CONSIDERATION_DEADLINE,
    "chi bộ xét công nhận chính thức trong 30 ngày làm việc kể từ khi hết 12 tháng dự bị",
)
def consideration_deadline(*, probation_end: dt.date) -> dt.date:
    return add_working_days(probation_end, CONSIDERATION_WORKING_DAYS)
