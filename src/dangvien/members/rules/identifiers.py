"""Party card number and record number (số lý lịch) formats.

Cards issued 2003–2025 (Chỉ thị 29) carry 8 digits; the chip cards of Chỉ thị 51-CT/TW (2025) have
a format not confirmed yet: the pattern is the setting PARTY_CARD_PATTERN. A record number is 6
digits and 1–3 letters of the province (DOMAIN.md §4).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

RECORD_NUMBER = re.compile(r"\d{6}[A-ZĐ]{1,3}")


@lru_cache(maxsize=1)
def _card_pattern() -> re.Pattern[str]:
    """The setting, compiled once (an import checks hundreds of thousands of cards)."""
    return re.compile(getattr(settings, "PARTY_CARD_PATTERN", r"\d{8}"))


@receiver(setting_changed)
def _card_pattern_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "PARTY_CARD_PATTERN":
        _card_pattern.cache_clear()


def party_card_problems(value: str) -> list[tuple[str, str]]:
    if _card_pattern().fullmatch(value):
        return []
    return [("card_format", f"Số thẻ đảng viên «{value}» không đúng mẫu (8 chữ số).")]


def record_number_problems(value: str) -> list[tuple[str, str]]:
    if RECORD_NUMBER.fullmatch(value):
        return []
    return [
        ("record_number_format",
         f"Số lý lịch «{value}» phải gồm 6 chữ số và 1–3 chữ cái viết tắt tên tỉnh (vd 012345HN).")
    ]  # fmt: skip
