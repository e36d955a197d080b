"""Admission and recognition dates (Điều lệ Đảng, Điều 1 and Điều 5; the implementing rules of
Quy định 29-QĐ/TW 2016, 24-QĐ/TW 2021, 232-QĐ/TW 2025 and 294-QĐ/TW 2025 keep the same limits).

- Admitted from 18 years of age; over 60 only with the approval of the competent committee: both
  are warnings the user may confirm (the record may be right, the case exceptional).
- Probation is 12 months from the admission decision: recognition earlier or much later is a
  warning; recognition before admission is impossible.
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import add_months as add_months
from dangvien.core.dates import age_on as age_on

RULE = "Điều lệ Đảng (Điều 1, Điều 5) và Quy định 294-QĐ/TW"
EFFECTIVE_FROM = dt.date(2011, 1, 19)  # the statute as amended by the 11th Congress
MIN_AGE, MAX_AGE = 18, 60
PROBATION_MONTHS = 12
LATE_RECOGNITION_DAYS = 92  # a recognition decision up to about a quarter late is ordinary


def admission_problems(
    born: dt.date | None, admitted: dt.date | None, recognised: dt.date | None, today: dt.date
) -> list[tuple[str, str, bool]]:
    """(code, message, blocking)."""
    found: list[tuple[str, str, bool]] = []
    if admitted is not None:
        if admitted > today:
            found.append(("admission_future", f"Ngày vào Đảng {admitted:%d/%m/%Y} chưa tới.", True))
        if born is not None:
            age = age_on(born, admitted)
            if admitted <= born:
                found.append(("admission_before_birth", "Ngày vào Đảng trước ngày sinh.", True))
            elif age < MIN_AGE:
                found.append(
                    ("admission_age", f"Vào Đảng khi mới {age} tuổi (chưa đủ {MIN_AGE}) theo "
                     f"{RULE}: xin kiểm tra lại ngày sinh và ngày vào Đảng.", False)
                )  # fmt: skip
            elif age > MAX_AGE:
                found.append(
                    ("admission_age", f"Vào Đảng khi đã {age} tuổi (trên {MAX_AGE}): theo {RULE} "
                     "cần cấp ủy có thẩm quyền đồng ý; xin xác nhận.", False)
                )  # fmt: skip
    if recognised is not None:
        if recognised > today:
            found.append(
                ("recognition_future", f"Ngày chính thức {recognised:%d/%m/%Y} chưa tới.", True)
            )
        if admitted is not None:
            if recognised < admitted:
                found.append(
                    ("recognition_before_admission",
                     f"Ngày chính thức {recognised:%d/%m/%Y} trước ngày vào Đảng "
                     f"{admitted:%d/%m/%Y}.", True)
                )  # fmt: skip
            else:
                due = add_months(admitted, PROBATION_MONTHS)
                if recognised < due or (recognised - due).days > LATE_RECOGNITION_DAYS:
                    found.append(
                        ("probation_length",
                         f"Ngày chính thức {recognised:%d/%m/%Y} không sau đúng 12 tháng dự bị "
                         f"(dự kiến {due:%d/%m/%Y}) theo {RULE}; xin xác nhận.", False)
                    )  # fmt: skip
    return found
