"""Recognition as official (công nhận đảng viên chính thức): 12 months of probation from the
admission decision; the member is official from the 12-month date even when the decision is late;
the cell considers within 30 working days after the probation ends (Điều lệ Đảng, Điều 5;
Quy định 24-QĐ/TW 2021, Hướng dẫn 01-HD/TW 2021; DOMAIN.md §5). Quy định 232 and 294-QĐ/TW
(2025) are registered with the same limits, not confirmed to differ.

The same limits are registered under Quy định 29-QĐ/TW (25/7/2016), so that a member admitted
before 30/7/2020, whose probation ended before Quy định 24 took over, is still judged: that
Quy định 29 and Hướng dẫn 01-HD/TW 2016 already set the 30 working days is not confirmed here.

The dossier's forms follow the numbering of the guidance on party members' work as committees
republish it (Hướng dẫn 12-HD/BTCTW; 09-HD/BTCTW 2017): 10-KNĐ the probationary member's
self-review, 11-KNĐ the assigned helper's opinion, 12-KNĐ the summary of the opinions of the
unions where the member works and of the cell committee where they live, 13-KNĐ the cell's
resolution, 15-KNĐ the grassroots resolution. That the 2022 edition of Hướng dẫn 12-HD/BTCTW keeps
these numbers, and that the committee's decision is 16-KNĐ, is not confirmed from its text here.
There is no form of an application for recognition: the self-review stands for it.
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import WorkingCalendar, add_months, add_working_days
from dangvien.procedures.rules import STATUTE_RULES, Regulation, register

PROBATION_END = "probation_end"
CONSIDERATION_DEADLINE = "recognition_deadline"
PROBATION_MONTHS = 12
CONSIDERATION_WORKING_DAYS = 30

QD_29 = Regulation(
    "Quy định 29-QĐ/TW ngày 25/7/2016, Hướng dẫn 01-HD/TW ngày 20/9/2016",
    dt.date(2016, 7, 25),
    dt.date(2021, 7, 30),
)
RECOGNITION_RULES = (QD_29, *STATUTE_RULES)


@register(
    PROBATION_END,
    "đảng viên dự bị 12 tháng kể từ ngày cấp ủy có thẩm quyền ra quyết định kết nạp",
    RECOGNITION_RULES,
)
def probation_end(*, admitted_on: dt.date) -> dt.date:
    """The recognition date: the same day 12 months later (29/02 becomes 28/02; the 29th–31st
    of a shorter month its last day)."""
    return add_months(admitted_on, PROBATION_MONTHS)


@register(
    CONSIDERATION_DEADLINE,
    "chi bộ xét công nhận chính thức trong 30 ngày làm việc kể từ khi hết 12 tháng dự bị",
    RECOGNITION_RULES,
)
def consideration_deadline(
    *, probation_end: dt.date, calendar: WorkingCalendar | None = None
) -> dt.date:
    """`calendar`: one shared by a list's rows, which reads the days off once."""
    if calendar is not None:
        return calendar.add_working_days(probation_end, CONSIDERATION_WORKING_DAYS)
    return add_working_days(probation_end, CONSIDERATION_WORKING_DAYS)


def admitted_by(probation_end_on: dt.date) -> dt.date:
    """The last admission date whose probation ends on or before `probation_end_on`: what a list
    of probations ending by a day filters on (a 29/02 admission ends on 28/02)."""
    cutoff = add_months(probation_end_on, -PROBATION_MONTHS)
    while add_months(cutoff + dt.timedelta(days=1), PROBATION_MONTHS) <= probation_end_on:
        cutoff += dt.timedelta(days=1)
    return cutoff


def ended_by_deadline(today: dt.date) -> dt.date:
    """The last probation end whose consideration deadline is before `today` (overdue today)."""
    # The 30th working day before today starts the 30 working days that end yesterday at the
    # latest: a probation that ended the day before it is overdue.
    first = WorkingCalendar().add_working_days(today, -CONSIDERATION_WORKING_DAYS)
    return first - dt.timedelta(days=1)
