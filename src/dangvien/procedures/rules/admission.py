"""Admission (kết nạp đảng viên): who may be admitted on the cell's day of consideration, the
introducers, and the deadlines of the committee's decision and of the ceremony.

Grounded in Điều lệ Đảng (Điều 4), Quy định 24-QĐ/TW 2021 and Hướng dẫn 01-HD/TW 2021 (point 3),
whose limits DOMAIN.md §5 gives as today's: age from 18 to 60 counted in months at the cell's
consideration (over 60 only with the approval of a committee directly under the Central
Committee), an awareness-class certificate valid for 5 years, two official introducers who have
worked, studied or lived with the applicant for at least 12 months, the committee's decision
within 60 working days of the cell's resolution, the ceremony within 30 working days of receiving
the decision, and general education: lower secondary completed (9/12, or 7/10 in the former
10-year system) or above. Hướng dẫn 01-HD/TW (point 1.2) relaxes education for people living in
mountain, border, island, ethnic-minority or especially disadvantaged areas and fishermen working
at sea (primary completed: 5/12, or 4/10), and further for village elders, village heads and
people of standing there (lower still, decided case by case). Quy định 232-QĐ/TW and 294-QĐ/TW
(2025) are registered with the same limits: that they did not change them is not confirmed from
their text here (Hướng dẫn 06-HD/TW 2025 treats age and education in special cases, not read).
"""

from __future__ import annotations

import datetime as dt

from dangvien.core.dates import add_months, add_working_days, full_months
from dangvien.procedures.rules import register

AGE = "admission_age"
CERTIFICATE = "awareness_certificate"
EDUCATION = "admission_education"
INTRODUCER = "introducer"
DECISION_DEADLINE = "admission_decision_deadline"
CEREMONY_DEADLINE = "admission_ceremony_deadline"

MIN_MONTHS, MAX_MONTHS = 18 * 12, 60 * 12
CERTIFICATE_MONTHS = 60
INTRODUCER_MONTHS = 12
DECISION_WORKING_DAYS = 60
CEREMONY_WORKING_DAYS = 30


def _years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} tuổi {rest} tháng" if rest else f"{years} tuổi"


@register(AGE, "tuổi đời từ đủ 18 đến đủ 60 tuổi (tính theo tháng) khi chi bộ xét kết nạp")
def age(*, born: dt.date, day: dt.date, higher_approval: bool = False) -> tuple[bool, str]:
    months = full_months(born, day)
    said = f"Ngày {day:%d/%m/%Y} người vào Đảng {_years_months(months)}"
    if months < MIN_MONTHS:
        return False, f"{said}, chưa đủ 18 tuổi."
    if months > MAX_MONTHS:
        if higher_approval:
            return True, f"{said}, trên 60 tuổi, đã có ý kiến đồng ý của cấp ủy cấp trên."
        return False, (
            f"{said}, trên 60 tuổi: cần ý kiến đồng ý của cấp ủy trực thuộc Trung ương "
            "(ghi bước «Ý kiến cấp ủy cấp trên» trước)."
        )
    return True, f"{said}."


# The special cases of Hướng dẫn 01-HD/TW point 1.2, as recorded on the candidate
# (`models.EducationException`); "" is the general case.
SPECIAL_AREA = "special_area"
VILLAGE_ELDER = "village_elder"


# Grades completing lower secondary and primary school, by school system (the "/12" and the
# former "/10" of the codes the education list uses, e.g. "9/12", "7/10").
LOWER_SECONDARY = {12: 9, 10: 7}
PRIMARY = {12: 5, 10: 4}


def _grade(code: str) -> tuple[int, int] | None:
    grade, _, system = code.partition("/")
    if grade.isdigit() and system.isdigit() and int(system) in LOWER_SECONDARY:
        return int(grade), int(system)
    return None


@register(
    EDUCATION,
    "người vào Đảng tốt nghiệp trung học cơ sở hoặc tương đương trở lên (thấp hơn ở miền núi, "
    "biên giới, hải đảo, vùng đặc biệt khó khăn; già làng, trưởng bản, người có uy tín)",
)
def education(*, code: str | None, name: str, exception: str) -> tuple[bool, str]:
    if exception == VILLAGE_ELDER:
        return True, (
            f"Trình độ {name or 'chưa ghi'}: già làng, trưởng bản, người có uy tín ở vùng đặc biệt "
            "khó khăn, trình độ học vấn có thể thấp hơn quy định chung."
        )
    parsed = _grade(code) if code else None
    if parsed is None:
        return False, (
            "Chưa ghi trình độ giáo dục phổ thông của người vào Đảng (dạng «9/12»)."
            if not code
            else f"Không đọc được trình độ giáo dục phổ thông «{name}» (cần dạng «9/12»)."
        )
    grade, system = parsed
    if exception == SPECIAL_AREA:
        needed, words = PRIMARY[system], "hoàn thành tiểu học"
    else:
        needed, words = LOWER_SECONDARY[system], "tốt nghiệp trung học cơ sở"
    if grade < needed:
        return False, f"Trình độ giáo dục phổ thông {name}: chưa {words} ({needed}/{system})."
    return True, f"Trình độ giáo dục phổ thông {name}: đã {words}."


def certificate_valid_until(issued: dt.date) -> dt.date:
    """The last day a certificate issued on `issued` is valid (5 years)."""
    return add_months(issued, CERTIFICATE_MONTHS) - dt.timedelta(days=1)


@register(CERTIFICATE, "giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng còn giá trị (5 năm)")
def certificate(*, issued: dt.date | None, day: dt.date) -> tuple[bool, str]:
    if issued is None:
        return False, "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng."
    if issued > day:
        return False, f"Giấy chứng nhận cấp ngày {issued:%d/%m/%Y}, sau ngày xét {day:%d/%m/%Y}."
    until = certificate_valid_until(issued)
    if day > until:
        return False, (
            f"Giấy chứng nhận cấp ngày {issued:%d/%m/%Y} đã hết giá trị từ "
            f"{until + dt.timedelta(days=1):%d/%m/%Y}."
        )
    return True, f"Giấy chứng nhận còn giá trị đến {until:%d/%m/%Y}."


@register(
    INTRODUCER,
    "người giới thiệu là đảng viên chính thức, cùng công tác, học tập, sinh sống với người vào "
    "Đảng ít nhất 12 tháng",
)
def introducer(
    *, name: str, official_on_day: bool, known_since: dt.date, day: dt.date
) -> tuple[bool, str]:
    if not official_on_day:
        return (
            False,
            f"Người giới thiệu {name} không phải đảng viên chính thức ngày {day:%d/%m/%Y}.",
        )
    if add_months(known_since, INTRODUCER_MONTHS) > day:
        return False, (
            f"Người giới thiệu {name} mới cùng công tác, học tập, sinh sống với người vào Đảng "
            f"từ {known_since:%d/%m/%Y}, chưa đủ 12 tháng vào ngày {day:%d/%m/%Y}."
        )
    return True, f"Người giới thiệu {name} đủ điều kiện."


@register(
    DECISION_DEADLINE,
    "cấp ủy có thẩm quyền quyết định trong 60 ngày làm việc kể từ ngày chi bộ có nghị quyết",
)
def decision_deadline(*, resolution_on: dt.date) -> dt.date:
    return add_working_days(resolution_on, DECISION_WORKING_DAYS)


@register(
    CEREMONY_DEADLINE,
    "chi bộ tổ chức lễ kết nạp trong 30 ngày làm việc kể từ ngày nhận quyết định",
)
def ceremony_deadline(*, received_on: dt.date) -> dt.date:
    return add_working_days(received_on, CEREMONY_WORKING_DAYS)
