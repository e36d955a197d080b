"""The vote of a cell on admission, recognition and striking off: at least two thirds of the
cell's official members agree (Điều lệ Đảng, Điều 4 and Điều 5; Quy định 24-QĐ/TW 2021 and
Hướng dẫn 01-HD/TW 2021 point 3; kept by Quy định 232 and 294-QĐ/TW 2025 as far as confirmed).

The base (the cell's official members) is counted from membership and status periods on the
day of the meeting: official members whose official membership of the cell holds that day.
Whether members exempted from activity (miễn sinh hoạt) who are absent leave the base is not
confirmed here: they are not counted (their status that day is "exempted", not "official").
"""

from __future__ import annotations

from dangvien.procedures.rules import register

TWO_THIRDS = "vote_two_thirds"


@register(TWO_THIRDS, "ít nhất hai phần ba số đảng viên chính thức của chi bộ tán thành")
def two_thirds(
    *, eligible: int, present: int, votes_for: int, votes_against: int
) -> tuple[bool, str]:
    if eligible <= 0:
        return False, "Chi bộ không có đảng viên chính thức vào ngày họp: không thể biểu quyết."
    if present > eligible:
        return False, f"Số có mặt ({present}) nhiều hơn số đảng viên chính thức ({eligible})."
    if votes_for + votes_against > present:
        return False, (
            f"Số tán thành ({votes_for}) và không tán thành ({votes_against}) cộng lại nhiều hơn "
            f"số có mặt ({present})."
        )
    # Integers only: 3·for ≥ 2·eligible, so 6 of 9 passes and 5 of 8 does not.
    if 3 * votes_for < 2 * eligible:
        return False, (
            f"Chỉ {votes_for}/{eligible} đảng viên chính thức tán thành, chưa đủ hai phần ba "
            f"(cần ít nhất {-(-2 * eligible // 3)})."
        )
    return True, f"{votes_for}/{eligible} đảng viên chính thức tán thành."
