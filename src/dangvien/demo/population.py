"""Who the demo members are: ethnic groups, religions, provinces and wards, in plausible shares.

Ethnic shares follow the 2019 census (Kinh ≈ 85%); religions: most members declare none.
Provinces and wards are the post-2025 units of the `vietnam-provinces` package; codes are what the
members table stores (province code, ward code).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, Ward

HANOI_CODE = 1

# Share in per cent (2019 census), by the names of members.Ethnicity.
ETHNICITY_SHARES: list[tuple[str, float]] = [
    ("Kinh", 85.32), ("Tày", 1.92), ("Thái", 1.89), ("Mường", 1.52), ("HMông", 1.50),
    ("Khơ-me", 1.37), ("Nùng", 1.16), ("Dao", 0.93), ("Hoa", 0.78), ("Gia-rai", 0.53),
    ("Ê-đê", 0.41), ("Ba Na", 0.30), ("Xơ-đăng", 0.22), ("Sán Chay", 0.21), ("Cơ-ho", 0.21),
    ("Sán Dìu", 0.19), ("Chăm", 0.18), ("Hrê", 0.15), ("Ra-glai", 0.15), ("Mnông", 0.13),
    ("Xtiêng", 0.10), ("Khơ-mú", 0.10), ("Thổ", 0.09), ("Bru-Vân Kiều", 0.09), ("Cơ-tu", 0.07),
    ("Giáy", 0.07), ("Gié-Triêng", 0.07), ("Tà-ôi", 0.05), ("Mạ", 0.05), ("Co", 0.04),
    ("Chơ-ro", 0.03), ("Xinh-mun", 0.03), ("Hà Nhì", 0.03), ("Chu-ru", 0.02), ("Lào", 0.02),
    ("Kháng", 0.02), ("La Chí", 0.02), ("Phù Lá", 0.01), ("La Hủ", 0.01), ("La Ha", 0.01),
    ("Pà Thẻn", 0.01), ("Lự", 0.01), ("Chứt", 0.01), ("Lô Lô", 0.005), ("Mảng", 0.004),
    ("Cơ Lao", 0.004), ("Bố Y", 0.003), ("Cống", 0.002), ("Ngái", 0.001), ("Si La", 0.001),
    ("Pu Péo", 0.001), ("Rơ-măm", 0.0005), ("Brâu", 0.0005), ("Ơ Đu", 0.0004),
]  # fmt: skip

# Share in per cent; None = no religion.
RELIGION_SHARES: list[tuple[str | None, float]] = [
    (None, 93.0), ("Phật giáo", 4.0), ("Công giáo", 2.0), ("Tin lành", 0.3), ("Cao Đài", 0.3),
    ("Phật giáo Hòa Hảo", 0.2), ("Hồi giáo", 0.05), ("Tịnh độ Cư sĩ Phật hội Việt Nam", 0.05),
    ("Bửu Sơn Kỳ Hương", 0.02), ("Bà-la-môn", 0.02),
]  # fmt: skip

# Where people living in Hanoi were born, besides Hanoi itself (post-2025 province codes):
# the Red River delta and the north-central provinces send the most.
HANOI_BIRTH_SHARES: list[tuple[int, float]] = [
    (HANOI_CODE, 78.0), (33, 4.5), (37, 4.5), (25, 2.5), (24, 2.0), (31, 2.0), (38, 1.8),
    (40, 1.5), (42, 0.7), (19, 0.6), (22, 0.5), (8, 0.3), (20, 0.2), (15, 0.2), (14, 0.2),
]  # fmt: skip
# Letters of số lý lịch for provinces whose initials would be ambiguous or unusual.
RECORD_LETTERS = {"ha_noi": "HN", "ho_chi_minh": "HCM", "hue": "TTH", "da_nang": "ĐN"}


@dataclass(frozen=True)
class Place:
    code: int
    name: str
    letters: str
    wards: tuple[tuple[int, str], ...]  # (code, name), e.g. (70, "Phường Hoàn Kiếm")


def _letters(codename: str) -> str:
    if codename in RECORD_LETTERS:
        return RECORD_LETTERS[codename]
    return "".join(part[0] for part in codename.split("_")).upper()[:3]


@cache
def provinces() -> tuple[Place, ...]:
    """All provinces in code order, with their wards and communes."""
    wards: dict[int, list[tuple[int, str]]] = {}
    for ward in Ward.iter_all():
        wards.setdefault(int(ward.province_code), []).append((int(ward.code), ward.name))
    return tuple(
        Place(int(p.code), p.name, _letters(p.codename), tuple(sorted(wards[int(p.code)])))
        for p in sorted(Province.iter_all(), key=lambda p: int(p.code))
    )


def province(code: int) -> Place:
    return next(p for p in provinces() if p.code == code)


def birth_shares(home: int) -> list[tuple[int, float]]:
    """Birth provinces of members living in `home`: mostly `home`, the rest by province size."""
    if home == HANOI_CODE:
        return HANOI_BIRTH_SHARES
    others = [(p.code, float(len(p.wards))) for p in provinces() if p.code != home]
    total = sum(weight for _, weight in others)
    return [(home, 85.0)] + [(code, 15.0 * weight / total) for code, weight in others]
