"""Citizen ID (CCCD, căn cước): 12 digits = 3-digit province code of birth registration, 1 digit
for century and sex, 2 digits of the birth year, 6 serial digits (Thông tư 07/2016/TT-BCA, kept by
Thông tư 59/2021/TT-BCA). Province codes are those of the 63 provinces before 7/2025: the 34
provinces after the reform kept one of their members' codes, and issued numbers do not change.
"""

from __future__ import annotations

import datetime as dt
import re

EFFECTIVE_FROM = dt.date(2016, 7, 1)
# The 63 provinces' codes of birth registration, 001 Hà Nội … 096 Cà Mau.
_CODES = """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034
035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072
074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096"""
PROVINCE_CODES = frozenset(_CODES.split())
_TWELVE = re.compile(r"\d{12}")


def century_sex_digit(born: dt.date, gender: str) -> int | None:
    """0/1 for a man/woman born in the 1900s, 2/3 in the 2000s … 8/9 in the 2300s."""
    century = born.year // 100 - 19
    if not 0 <= century <= 4:
        return None
    return century * 2 + (1 if gender == "F" else 0)


def cccd_problems(value: str, born: dt.date | None, gender: str | None) -> list[tuple[str, str]]:
    """(code, message) for each way `value` cannot be this person's CCCD."""
    if not _TWELVE.fullmatch(value):
        return [("cccd_length", f"Số CCCD «{value}» phải gồm đúng 12 chữ số.")]
    found = []
    if value[:3] not in PROVINCE_CODES:
        found.append(
            ("cccd_province", f"Số CCCD «{value}»: mã tỉnh nơi đăng ký khai sinh «{value[:3]}» "
             "không có trong danh mục.")
        )  # fmt: skip
    if born is not None:
        if gender in ("M", "F"):
            expected = century_sex_digit(born, gender)
            if expected is not None and int(value[3]) != expected:
                sex = "nữ" if gender == "F" else "nam"
                found.append(
                    ("cccd_century_sex", f"Số CCCD «{value}»: chữ số thứ tư phải là {expected} "
                     f"({sex}, sinh năm {born.year}), không phải {value[3]}.")
                )  # fmt: skip
        if value[4:6] != f"{born.year % 100:02d}":
            found.append(
                ("cccd_year", f"Số CCCD «{value}»: chữ số thứ năm và sáu phải là "
                 f"{born.year % 100:02d} (năm sinh {born.year}), không phải {value[4:6]}.")
            )  # fmt: skip
    return found
