"""Kết nạp lại (re-admission of a former member): who may be considered.

Quy định 24-QĐ/TW 2021 point 3.5, kept in substance by Quy định 232-QĐ/TW and 294-QĐ/TW 2025
(point 3.5.1 to 3.5.4):
- 3.5.1: the person meets the conditions and standards of Điều 1 of the Statute; at least 36 months
  have passed since leaving the Party (60 months after the criminal record was cleared for one
  sentenced for a less serious offence; those who left for breaching the population policy follow
  the Secretariat's own rule); applies in writing; the standing committee of the province (or
  equivalent) agrees in writing, and the competent committee decides; the procedure of Điều 4,
  khoản 1–3 of the Statute is followed;
- 3.5.2: not considered: those who left for abandoning party life, on their own request (except
  for especially difficult family circumstances), for causing serious disunity, or who were
  sentenced for corruption or for a serious offence or worse;
- 3.5.3: re-admitted once only;
- 3.5.4: a re-admitted member goes through probation again.
Party age after recognition counts from the first admission, less the time out
(`members.rules.party_age`).

Not confirmed from the texts read here, and decided by this module: the population-policy case
(the Secretariat's rule is not kept: such a person is recorded as "other" and judged by the 36
months); "at least 36 months" and "after 60 months" are both met on the day the months are
complete; the reason a person left is what the cell records on opening the case (the record's
status says only whether they were struck off, expelled or discharged). That 232-QĐ/TW and
294-QĐ/TW changed nothing in substance is read from secondary sources quoting 294-QĐ/TW point 3.5.
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import add_months
from dangvien.procedures.rules import register

CONDITIONS = "readmission_conditions"
MONTHS_OUT = 36
MONTHS_AFTER_RECORD = 60
LEFT = {"struck_off": "bị xóa tên", "expelled": "bị khai trừ", "discharged": "ra khỏi Đảng"}
EXCLUDED = {
    "self_abandoned": "tự bỏ sinh hoạt đảng",
    "own_request": "làm đơn xin ra khỏi Đảng (không vì hoàn cảnh gia đình đặc biệt khó khăn)",
    "disunity": "gây mất đoàn kết nội bộ nghiêm trọng",
    "corruption": "bị kết án về tội tham nhũng",
    "serious_crime": "bị kết án về tội phạm nghiêm trọng trở lên",
}


@register(
    CONDITIONS,
    "kết nạp lại: ra khỏi Đảng ít nhất 36 tháng (án tội ít nghiêm trọng: 60 tháng sau khi được "
    "xóa án tích), không thuộc diện không xem xét, chỉ kết nạp lại một lần, ban thường vụ tỉnh ủy "
    "(hoặc tương đương) đồng ý bằng văn bản (điểm 3.5)",
)
def conditions(
    *,
    name: str,
    status: str,
    left_on: dt.date,
    reason: str,
    day: dt.date,
    readmitted_before: bool,
    record_cleared_on: dt.date | None = None,
) -> tuple[bool, str]:
    """Whether the former member `name`, who left on `left_on` (the record's `status` since)
    for `reason`, may be considered for re-admission on `day`."""
    if status not in LEFT:
        return False, f"{name} không phải người đã ra khỏi Đảng (bị xóa tên, khai trừ, xin ra)."
    if readmitted_before:
        return False, f"{name} đã được kết nạp lại một lần: chỉ kết nạp lại một lần."
    if reason in EXCLUDED:
        return False, (
            f"{name} ra khỏi Đảng vì {EXCLUDED[reason]}: thuộc diện không xem xét kết nạp lại."
        )
    if reason == "minor_crime":
        if record_cleared_on is None:
            return False, f"Cần ghi ngày {name} được xóa án tích."
        ready = add_months(record_cleared_on, MONTHS_AFTER_RECORD)
        if day < ready:
            return False, (
                f"{name} được xóa án tích ngày {record_cleared_on:%d/%m/%Y}: phải sau 60 tháng, "
                f"tức từ ngày {ready:%d/%m/%Y}, mới xem xét kết nạp lại."
            )
    ready = add_months(left_on, MONTHS_OUT)
    if day < ready:
        return False, (
            f"{name} {LEFT[status]} ngày {left_on:%d/%m/%Y}: phải ít nhất 36 tháng, tức từ ngày "
            f"{ready:%d/%m/%Y}, mới xem xét kết nạp lại."
        )
    return True, f"{name} {LEFT[status]} ngày {left_on:%d/%m/%Y}, đã quá 36 tháng."
