"""Leaving the Party: the reasons a member may be struck off the list (xóa tên trong danh sách
đảng viên), and the statuses a closed record takes.

Điều lệ Đảng, Điều 8 khoản 2, and the implementing rules' point 8.1 (Quy định 29-QĐ/TW 2016, kept
in Quy định 24-QĐ/TW 2021): the cell considers and proposes to the competent committee to strike
off a member who
- gives up party activity or does not pay dues for three months in a year without good reason;
- returns or destroys the party card of their own accord;
- declines in will, does not do a member's tasks, and after the cell's education shows no
  progress within 12 months;
- violates a member's standing two years running;
- does not meet the political standard set by the Politburo.
And Điều lệ Đảng, Điều 5 khoản 4: a probationary member who does not qualify when considered for
recognition as official is struck off the list.

Confirmed: the wording of point 8.1 of Quy định 29 and 24 as quoted by public legal sources.
Unconfirmed: that Quy định 232-QĐ/TW and 294-QĐ/TW (2025) keep the list unchanged (registered
under them unchanged until their text is checked); the exact wording of "hai năm liền vi phạm tư
cách đảng viên" in Quy định 294 (some sources read "hai năm liền không hoàn thành nhiệm vụ");
the vote needed for a discharge at the member's request (recorded without the two-thirds check,
see `flows`), and whether the grassroots committee's opinion is required for it.
"""

from __future__ import annotations

from dangvien.members.models import Status
from dangvien.procedures.rules import STATUTE_RULES, register
from dangvien.procedures.rules.recognition import QD_29

STRIKE_OFF_REASON = "strike_off_reason"

# The reasons of point 8.1 and of Điều 5 (failed recognition), by code (ExitReason's values).
STRIKE_OFF_REASONS = (
    "no_activity_or_dues",
    "card_given_up",
    "no_progress",
    "two_years_failing",
    "political_standard",
    "not_recognised",
)

# The status a closed record takes, by case kind.
STATUS_OF = {
    "strike_off": Status.STRUCK_OFF,
    "expulsion": Status.EXPELLED,
    "discharge": Status.DISCHARGED,
    "death": Status.DECEASED,
}


@register(
    STRIKE_OFF_REASON,
    "xóa tên đảng viên trong các trường hợp Điều lệ Đảng (Điều 5, Điều 8) và quy định thi hành "
    "liệt kê",
    (QD_29, *STATUTE_RULES),
)
def strike_off_reason(*, reason: str, label: str = "") -> tuple[bool, str]:
    if reason not in STRIKE_OFF_REASONS:
        return False, f"«{label or reason}» không phải một trường hợp xóa tên theo quy định."
    return True, f"Trường hợp xóa tên: {label or reason}."
