"""Party card number and record number (số lý lịch) formats.

A card number's format depends on the day the card was issued (8 digits for the cards of Chỉ thị
29-CT/TW, the setting PARTY_CARD_PATTERN for those of Chỉ thị 51-CT/TW): that dated rule lives with
the card registry (`procedures.rules.card`), which registers it here when the app is ready, so the
record forms, the import and the data-quality checks judge a number by the one rule. A record
number is 6 digits and 1–3 letters of the province (DOMAIN.md §4).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

RECORD_NUMBER = re.compile(r"\d{6}[A-ZĐ]{1,3}")
CardRule = Callable[[str, dt.date | None], list[tuple[str, str]]]
_card_rule: list[CardRule] = []


def register_card_rule(rule: CardRule) -> None:
    """Install the dated card number rule (the card registry's, at start-up)."""
    _card_rule[:] = [rule]


def party_card_problems(value: str, issued_on: dt.date | None = None) -> list[tuple[str, str]]:
    """[(rule code, message)] of a card number issued on `issued_on` (None: not known)."""
    if not _card_rule:
        raise ImproperlyConfigured("The party card number rule is not registered.")
    return _card_rule[0](value, issued_on)


def record_number_problems(value: str) -> list[tuple[str, str]]:
    if RECORD_NUMBER.fullmatch(value):
        return []
    return [
        ("record_number_format",
         f"Số lý lịch «{value}» phải gồm 6 chữ số và 1–3 chữ cái viết tắt tên tỉnh (vd 012345HN).")
    ]  # fmt: skip
