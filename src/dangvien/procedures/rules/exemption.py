"""Miễn công tác và sinh hoạt đảng: who may be exempted.

Điều lệ Đảng (Điều 7, khoản 2) and Quy định 24-QĐ/TW 2021 (point 7.1), kept by Quy định 232-QĐ/TW
and 294-QĐ/TW 2025: a member of advanced age or in poor health who cannot take part in the Party's
life applies in writing, or tells the cell in person, to be relieved of or exempted from party work
and meetings; the cell considers and decides, and the cell's committee or secretary reports it to
the committee directly above. Hướng dẫn 27-HD/BTCTW (26/3/2009, point 1.1) says how: "advanced age"
is past working age as the Labour Code put it then (men over 60, women over 55); "poor health" is
judged by the cell from the member's real condition (an illness needing treatment of three months
or more, or a medical record); the cell meets, passes a resolution written in its resolution book,
and reports to the grassroots committee; a member who wishes to return applies again and the cell
decides. An exempted member may still attend the cell's meetings and is not counted among those
who must attend.

Not confirmed from the texts read here, and decided by this module: that only an official member
may be exempted (a probationary member is being tested through the Party's work and life, Điều lệ
Điều 5); that the age limits of Hướng dẫn 27 still apply after the Labour Code of 2019 raised the
retirement age (they are applied as written, by the member's age on the day of the cell's
resolution); and that "over 60" means past working age, i.e. from the 60th birthday (55th for a
woman), not from the 61st; that 232-QĐ/TW and 294-QĐ/TW did not change the point (registered
unchanged).
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import age_on
from dangvien.procedures.rules import register

ELIGIBLE = "exemption_eligible"
AGE_LIMITS = {"M": 60, "F": 55}  # past working age: from the 60th (55th) birthday


@register(
    ELIGIBLE,
    "đảng viên chính thức tuổi cao (hết tuổi lao động: nam 60, nữ 55 tuổi) hoặc sức khỏe yếu, "
    "tự nguyện làm đơn xin miễn công tác và sinh hoạt đảng; chi bộ xem xét, quyết định (Điều lệ "
    "Đảng Điều 7, Hướng dẫn 27-HD/BTCTW năm 2009 điểm 1.1)",
)
def eligible(
    *,
    name: str,
    official: bool,
    reason: str,
    gender: str,
    born: dt.date,
    day: dt.date,
) -> tuple[bool, str]:
    """Whether the member may be exempted on `day` for `reason` ("age" or "health")."""
    if not official:
        return False, (
            f"{name} không phải đảng viên chính thức ngày {day:%d/%m/%Y}: chỉ đảng viên chính "
            "thức được xét miễn công tác và sinh hoạt đảng."
        )
    if reason == "age":
        limit = AGE_LIMITS.get(gender, 60)
        years = age_on(born, day)
        if years < limit:
            return False, (
                f"Ngày {day:%d/%m/%Y} {name} {years} tuổi, chưa đủ {limit} tuổi: chưa thuộc diện "
                "tuổi cao (có thể xét theo lý do sức khỏe yếu)."
            )
        return True, f"{name} {years} tuổi, thuộc diện tuổi cao."
    if reason == "health":
        return True, f"{name} xin miễn vì sức khỏe yếu; chi bộ xem xét tình trạng sức khỏe thực tế."
    return False, f"Lý do «{reason}» không phải tuổi cao hay sức khỏe yếu."
