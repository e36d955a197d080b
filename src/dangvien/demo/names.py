"""Vietnamese personal names with realistic frequencies, for demo members.

Family-name shares follow the commonly cited national figures (Nguyễn ≈ 38%, Trần 11%, Lê 9.5%,
Phạm 7%, Hoàng/Huỳnh 5%, Phan 4.5%, Vũ/Võ 3.9%, …). Middle names depend on gender and generation:
"Văn" and "Thị" are far more common among people born before 1970. Some ethnic groups use their own
family names (Lò, Cầm for Thái; Nông, Bế for Tày; Thạch, Danh for Khơ-me …).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence

from dangvien.members.services import member_names

# (name, weight): weights are per mille of the population, roughly.
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 384), ("Trần", 110), ("Lê", 95), ("Phạm", 71), ("Hoàng", 38), ("Huỳnh", 13),
    ("Phan", 45), ("Vũ", 26), ("Võ", 13), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đào", 6), ("Đoàn", 6), ("Đinh", 6), ("Trịnh", 5),
    ("Lương", 4), ("Mai", 4), ("Trương", 4), ("Lâm", 3), ("Phùng", 3), ("Hà", 3), ("Tạ", 3),
    ("Cao", 3), ("Chu", 3), ("Lưu", 3), ("Vương", 2), ("Tô", 2), ("Kiều", 2), ("Nghiêm", 2),
    ("Khuất", 1), ("Quách", 1), ("Thái", 1), ("Tăng", 1), ("Triệu", 1), ("Văn", 1), ("Hứa", 1),
    ("Lại", 1), ("Mạc", 1), ("Âu", 1), ("Doãn", 1), ("Khổng", 1), ("Đàm", 1), ("Ông", 1),
]  # fmt: skip

# Family names typical of some ethnic groups (names as in members.Ethnicity).
ETHNIC_FAMILY_NAMES: dict[str, list[str]] = {
    "Tày": ["Nông", "Hoàng", "Lương", "Bế", "Ma", "Hà", "Lục", "Triệu"],
    "Thái": ["Lò", "Cầm", "Lường", "Quàng", "Hà", "Vì", "Tòng", "Lự"],
    "Hoa": ["Lý", "Trương", "Quách", "Lâm", "Lưu", "Hứa", "Tăng", "Mã"],
    "Khơ-me": ["Thạch", "Sơn", "Danh", "Kim", "Lâm", "Chau", "Néang"],
    "Mường": ["Bùi", "Đinh", "Quách", "Hà", "Xa", "Cao"],
    "Nùng": ["Nông", "Hoàng", "Lương", "Vi", "Lăng", "Chu", "Mông"],
    "HMông": ["Giàng", "Sùng", "Vàng", "Thào", "Mùa", "Lầu", "Hạng", "Vừ"],
    "Dao": ["Triệu", "Bàn", "Đặng", "Lý", "Phùng", "Chảo"],
    "Gia-rai": ["Siu", "Ksor", "Kpă", "Puih", "Rahlan"],
    "Ê-đê": ["Niê", "Mlô", "Byă", "Êban", "Ksơr"],
}

MALE_MIDDLE: list[tuple[str, float]] = [
    ("Đức", 9), ("Minh", 10), ("Quang", 8), ("Hữu", 7), ("Xuân", 5), ("Mạnh", 4),
    ("Thanh", 6), ("Ngọc", 4), ("Tuấn", 3), ("Công", 5), ("Đình", 6), ("Quốc", 6), ("Anh", 4),
    ("Trung", 3), ("Hoàng", 4), ("Việt", 4), ("Tiến", 3), ("Duy", 4), ("Thế", 4), ("Bá", 2),
    ("Hồng", 2), ("Kim", 1), ("Trọng", 4), ("Huy", 3), ("Chí", 2), ("Khắc", 2), ("Như", 1),
]  # fmt: skip
FEMALE_MIDDLE: list[tuple[str, float]] = [
    ("Thu", 8), ("Ngọc", 8), ("Thanh", 8), ("Thùy", 5), ("Minh", 5), ("Phương", 4),
    ("Hồng", 5), ("Kim", 4), ("Lan", 2), ("Mai", 3), ("Bích", 3), ("Diệu", 2), ("Khánh", 3),
    ("Hải", 3), ("Quỳnh", 2), ("Thảo", 2), ("Thị Thu", 4), ("Thị Thanh", 3), ("Thị Minh", 2),
    ("Thị Hồng", 2), ("Thúy", 3), ("Hoài", 2), ("Vân", 2),
]  # fmt: skip
# Share of "Văn" / "Thị" among men / women born before 1970, and from 1970 on.
TRADITIONAL_MIDDLE_SHARE = {"M": (0.55, 0.22), "F": (0.80, 0.42)}

MALE_GIVEN: list[tuple[str, float]] = [
    ("Hùng", 30), ("Dũng", 28), ("Tuấn", 30), ("Minh", 28), ("Nam", 24), ("Hải", 24), ("Sơn", 22),
    ("Thắng", 20), ("Long", 20), ("Quang", 16), ("Hưng", 18), ("Trung", 18), ("Cường", 18),
    ("Hiếu", 14), ("Đức", 16), ("Thành", 18), ("Tùng", 14), ("Anh", 20), ("Huy", 16), ("Phong", 10),
    ("Khoa", 8), ("Bình", 14), ("Hoàng", 10), ("Việt", 10), ("Toàn", 10), ("Thái", 8), ("Tâm", 8),
    ("Lâm", 6), ("Kiên", 8), ("Quân", 12), ("Hòa", 10), ("Phúc", 8), ("Thịnh", 8), ("Tiến", 10),
    ("Vinh", 10), ("Định", 4), ("Chiến", 8), ("Công", 4), ("Duy", 8), ("Đạt", 10), ("Hiển", 4),
    ("Khánh", 8), ("Lợi", 6), ("Mạnh", 8), ("Nghĩa", 8), ("Phương", 4), ("Quý", 4), ("Tài", 6),
    ("Thanh", 8), ("Thuận", 4), ("Trí", 4), ("Trường", 6), ("Tú", 6), ("Vũ", 6), ("Hà", 4),
    ("Hạnh", 3), ("Khải", 3), ("Lộc", 5), ("Ninh", 3), ("Quyết", 4), ("Sáng", 3), ("Tân", 5),
    ("Thông", 4), ("Thủy", 3), ("Tuyên", 3), ("Vượng", 3), ("Bảo", 5), ("Đông", 4), ("Giang", 4),
]  # fmt: skip
FEMALE_GIVEN: list[tuple[str, float]] = [
    ("Hương", 30), ("Lan", 24), ("Hoa", 20), ("Hằng", 22), ("Hà", 22), ("Linh", 24), ("Trang", 24),
    ("Thảo", 18), ("Mai", 18), ("Ngọc", 12), ("Nga", 16), ("Hạnh", 16), ("Thủy", 18), ("Huyền", 18),
    ("Phương", 16), ("Yến", 14), ("Loan", 12), ("Dung", 14), ("Nhung", 12), ("Thu", 12),
    ("Hiền", 14), ("Vân", 14), ("Anh", 16), ("Liên", 10), ("Oanh", 10), ("Quyên", 6), ("Quỳnh", 10),
    ("Tâm", 8), ("Thanh", 10), ("Thúy", 12), ("Hồng", 12), ("Bích", 6), ("Chi", 8), ("Giang", 10),
    ("Lệ", 4), ("Minh", 6), ("Nguyệt", 6), ("Nhàn", 6), ("Tuyết", 6), ("Uyên", 6), ("Vy", 4),
    ("Xuân", 6), ("Diệp", 3), ("Duyên", 6), ("Hường", 6), ("Lý", 4), ("My", 4), ("Ngân", 6),
    ("Nhi", 4), ("Phượng", 6), ("Quế", 3), ("Sen", 3), ("Tươi", 4), ("Thơm", 3), ("Lụa", 3),
    ("Huệ", 6), ("Thoa", 5), ("Tình", 3), ("Trinh", 4), ("Hậu", 4), ("Điệp", 3), ("Khuyên", 3),
]  # fmt: skip


class WeightedPicker:
    """Cheap weighted choice: one `random()` and one bisect per pick."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, items: Sequence[tuple[object, float]]) -> None:
        weighted = [(item, weight) for item, weight in items if weight > 0]
        self._items = [item for item, _ in weighted]
        self._cumulative = list(itertools.accumulate(weight for _, weight in weighted))
        self._total = self._cumulative[-1]

    def index(self, rng: random.Random) -> int:
        return bisect.bisect_right(self._cumulative, rng.random() * self._total)

    def pick(self, rng: random.Random) -> object:
        return self._items[bisect.bisect_right(self._cumulative, rng.random() * self._total)]


class NameMaker:
    """Draws full names and returns their stored forms (full, folded, sort key), cached."""

    def __init__(self) -> None:
        self._family = WeightedPicker(FAMILY_NAMES)
        self._middle = {"M": WeightedPicker(MALE_MIDDLE), "F": WeightedPicker(FEMALE_MIDDLE)}
        self._given = {"M": WeightedPicker(MALE_GIVEN), "F": WeightedPicker(FEMALE_GIVEN)}
        self._traditional = {"M": "Văn", "F": "Thị"}
        self._cache: dict[tuple[str, str, str], tuple[str, str, str]] = {}

    def make(
        self, rng: random.Random, gender: str, birth_year: int, ethnicity: str
    ) -> tuple[str, str, str]:
        own = ETHNIC_FAMILY_NAMES.get(ethnicity)
        if own is not None and rng.random() < 0.8:
            family = own[int(rng.random() * len(own))]
        else:
            family = str(self._family.pick(rng))
        older, younger = TRADITIONAL_MIDDLE_SHARE[gender]
        if rng.random() < (older if birth_year < 1970 else younger):
            middle = self._traditional[gender]
        else:
            middle = str(self._middle[gender].pick(rng))
        given = str(self._given[gender].pick(rng))
        if given == middle:  # "Nguyễn Minh Minh" is rare: take the traditional middle name
            middle = self._traditional[gender]
        key = (family, middle, given)
        forms = self._cache.get(key)
        if forms is None:
            stored = member_names(f"{family} {middle} {given}")
            forms = (stored["full_name"], stored["name_fold"], stored["name_sort"])
            self._cache[key] = forms
        return forms
