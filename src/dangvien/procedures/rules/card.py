"""Thẻ đảng viên: the format of a card's number, by the day the card was issued.

Chỉ thị 29-CT/TW (17/10/2003) exchanged every card for one numbered with 8 digits; the cards of
that exchange and those issued after it until Chỉ thị 51-CT/TW (8/8/2025) carry 8 digits. A card
issued earlier was exchanged then, so its number is judged by the same rule. Chỉ thị 51-CT/TW
exchanges the cards again (electronic card linked to the members' database); the new number's
format is not confirmed here, so it is the setting PARTY_CARD_PATTERN (a regular expression the
whole number must match; 8 digits until an installation sets it). A number whose issue day is
unknown passes when either format fits.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from dangvien.procedures.rules import Regulation, judge, register

FORMAT = "card_format"
CT_29 = Regulation(
    "Chỉ thị 29-CT/TW ngày 17/10/2003 của Ban Bí thư về việc đổi thẻ đảng viên",
    dt.date(2003, 10, 17),
    dt.date(2025, 8, 8),
)
CT_51 = Regulation(
    "Chỉ thị 51-CT/TW ngày 8/8/2025 của Ban Bí thư về đổi thẻ đảng viên", dt.date(2025, 8, 8), None
)
EIGHT_DIGITS = re.compile(r"\d{8}")


@lru_cache(maxsize=1)
def chip_pattern() -> re.Pattern[str]:
    """The setting, compiled once (an import checks hundreds of thousands of cards)."""
    return re.compile(getattr(settings, "PARTY_CARD_PATTERN", r"\d{8}"))


@receiver(setting_changed)
def _pattern_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "PARTY_CARD_PATTERN":
        chip_pattern.cache_clear()


@register(FORMAT, "số thẻ đảng viên gồm 8 chữ số", (CT_29,))
def eight_digits(*, number: str) -> tuple[bool, str]:
    if EIGHT_DIGITS.fullmatch(number):
        return True, f"Số thẻ «{number}» đúng mẫu 8 chữ số."
    return False, f"Số thẻ đảng viên «{number}» không đúng mẫu: thẻ cấp trước 8/8/2025 có 8 chữ số."


@register(FORMAT, "số thẻ đảng viên theo mẫu thẻ mới (mẫu do cài đặt PARTY_CARD_PATTERN quy định)",
          (CT_51,))  # fmt: skip
def chip_card(*, number: str) -> tuple[bool, str]:
    pattern = chip_pattern()
    if pattern.fullmatch(number):
        return True, f"Số thẻ «{number}» đúng mẫu thẻ đảng viên mới."
    return False, (
        f"Số thẻ đảng viên «{number}» không đúng mẫu thẻ đảng viên mới (cấp từ 8/8/2025; mẫu "
        f"đang dùng: {_shown(pattern.pattern)})."
    )


def _shown(pattern: str) -> str:
    return "8 chữ số" if pattern == EIGHT_DIGITS.pattern else pattern


def number_problems(number: str, issued_on: dt.date | None = None) -> list[tuple[str, str]]:
    """[(rule code, Vietnamese message)] for a card number issued on `issued_on` (unknown: it
    passes if either format fits): empty when it is well formed."""
    if issued_on is None:
        if EIGHT_DIGITS.fullmatch(number) or chip_pattern().fullmatch(number):
            return []
        return [(FORMAT, f"Số thẻ đảng viên «{number}» không đúng mẫu ({_either()}).")]
    verdict = judge(FORMAT, max(issued_on, CT_29.effective_from), number=number)
    return [] if verdict.ok else [(FORMAT, verdict.message)]


def _either() -> str:
    chip = _shown(chip_pattern().pattern)
    return "8 chữ số" if chip == "8 chữ số" else f"8 chữ số, hoặc thẻ mới theo mẫu {chip}"
