"""Names and kinds of demo organizations, as Party organizations are really called.

Upper committees are named after the real communes and wards of the province (vietnam-provinces) or
after sectors ("Đảng bộ Khối các cơ quan Thành phố"); grassroots organizations after the agencies,
schools, hospitals, enterprises and residential areas they serve; cells after departments, wards'
residential groups (tổ dân phố) and villages (thôn).
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from typing import TYPE_CHECKING

from dangvien.demo.population import HANOI_CODE, Place

if TYPE_CHECKING:
    from dangvien.demo.plan import OrgPlan

# The profile of a grassroots organization: who its members are (plan.py draws them by it).
RESIDENTIAL, WORKPLACE, CARE, ARMED = "residential", "workplace", "care", "armed"

HANOI_FOUNDED = dt.date(1930, 3, 17)  # Đảng bộ Hà Nội, 17/3/1930

BRANDS = [
    "Thăng Long", "Sông Hồng", "Hòa Bình", "Thành Công", "Đông Á", "An Phú", "Minh Phát",
    "Hồng Hà", "Đại Việt", "Tiến Bộ", "Hưng Thịnh", "Phú Thành", "Bình Minh", "Trường Sơn",
    "Việt Tiến", "Hoàng Long", "Tân Á", "Đông Đô", "Kinh Bắc", "Phương Đông", "Sao Mai",
    "Nam Việt", "Đất Việt", "Hà Thành", "Thủ Đô", "Phúc Hưng", "Toàn Cầu", "Vạn Xuân",
    "Hợp Nhất", "Ánh Dương", "Tràng An", "Thiên Long", "Hải Âu", "Hướng Dương", "Bách Khoa",
    "Thái Dương", "Quang Minh", "Phú Gia", "Trí Việt", "Tân Phát",
]  # fmt: skip
BUSINESSES = [
    "Xây dựng", "Thương mại", "Đầu tư", "Vận tải", "Dịch vụ", "Cơ khí", "May mặc", "Điện tử",
    "Thực phẩm", "Dược phẩm", "Bất động sản", "Công nghệ", "Môi trường", "Du lịch",
    "Xuất nhập khẩu", "Vật liệu xây dựng", "In", "Bao bì", "Nhựa", "Phần mềm",
]  # fmt: skip
NOTABLES = [
    "Chu Văn An", "Nguyễn Trãi", "Lê Quý Đôn", "Trần Phú", "Quang Trung", "Lý Thường Kiệt",
    "Trần Hưng Đạo", "Nguyễn Du", "Phan Đình Phùng", "Hoàng Hoa Thám", "Nguyễn Huệ", "Lê Lợi",
    "Đoàn Thị Điểm", "Trưng Vương", "Nguyễn Bỉnh Khiêm", "Ngô Quyền", "Lý Tự Trọng", "Võ Thị Sáu",
    "Kim Đồng", "Nguyễn Văn Trỗi", "Tô Hiến Thành", "Phan Chu Trinh", "Huỳnh Thúc Kháng",
    "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Hai Bà Trưng", "Đinh Tiên Hoàng", "Lê Văn Tám",
    "Phan Huy Chú", "Nguyễn Gia Thiều", "Trần Quốc Toản", "Lương Thế Vinh", "Chu Văn Thịnh",
]  # fmt: skip
SCHOOL_LEVELS = ("Mầm non", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông")
VILLAGES = [
    "Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Tiền", "Hậu", "Cầu", "Chùa", "Đình",
    "Mới", "Giữa", "An Lạc", "Phú Mỹ", "Yên Vĩnh", "Kim Lũ", "Thanh Lâm", "Đại Đồng", "Văn Giáp",
    "Cổ Điển", "Phù Lưu", "La Phù", "Vân Nội", "Bình Đà", "Cao Viên", "Đan Hoài", "Phương Bảng",
    "Thụy Ứng", "Dương Liễu", "Đồng Nhân", "Tảo Khê", "Hương Canh", "Lai Xá", "Yên Thái",
]  # fmt: skip
DEPARTMENTS = [
    "Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Văn hóa và Thể thao", "Sở Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Dân tộc và Tôn giáo", "Văn phòng Ủy ban nhân dân",
    "Thanh tra", "Sở Quy hoạch - Kiến trúc", "Ban Tuyên giáo và Dân vận",
]  # fmt: skip
CORPORATIONS = [
    "Vận tải", "Du lịch", "Thương mại", "Đầu tư và Phát triển hạ tầng", "Điện lực", "Nước sạch",
    "Môi trường đô thị", "Xây dựng", "Chiếu sáng và Thiết bị đô thị", "Thoát nước",
    "Công viên cây xanh", "Phát triển nhà", "Cơ khí", "Dệt may", "Nông nghiệp",
    "Dịch vụ công ích", "Đường sắt đô thị", "Sách và Thiết bị trường học", "Lương thực",
]  # fmt: skip

# Grassroots kinds by the kind of upper committee: (weights for committees, for grassroots cells).
KIND_WEIGHTS: dict[str, tuple[dict[str, int], dict[str, int]]] = {
    "ward": (
        {"ward": 50, "state_agency": 10, "public_service": 14, "armed_forces": 10,
         "state_enterprise": 4, "non_state_enterprise": 8, "other": 4},
        {"ward": 35, "public_service": 33, "non_state_enterprise": 15, "state_agency": 8,
         "armed_forces": 3, "other": 6},
    ),
    "agencies": (
        {"state_agency": 60, "public_service": 35, "other": 5},
        {"state_agency": 55, "public_service": 40, "other": 5},
    ),
    "enterprises": (
        {"state_enterprise": 55, "non_state_enterprise": 45},
        {"state_enterprise": 40, "non_state_enterprise": 60},
    ),
    "corporation": ({"state_enterprise": 1}, {"state_enterprise": 1}),
    "armed": ({"armed_forces": 1}, {"armed_forces": 1}),
    "police": ({"armed_forces": 1}, {"armed_forces": 1}),
    "education": ({"public_service": 1}, {"public_service": 1}),
    "health": ({"public_service": 1}, {"public_service": 1}),
}  # fmt: skip
KIND_WEIGHTS["commune"] = tuple(  # type: ignore[assignment]
    {("commune" if kind == "ward" else kind): w for kind, w in table.items()}
    for table in KIND_WEIGHTS["ward"]
)


def province_short(place: Place) -> str:
    return place.name.removeprefix("Thành phố ")


def province_name(place: Place) -> str:
    if place.name.startswith("Thành phố "):
        return f"Đảng bộ {place.name}"
    return f"Đảng bộ tỉnh {place.name}"


def territory_key(ward_name: str) -> str:
    return "ward" if ward_name.startswith("Phường") else "commune"


def territory_short(ward_name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if ward_name.startswith(prefix):
            return ward_name.removeprefix(prefix)
    return ward_name


def territorial_name(ward_name: str) -> str:
    """'Phường Hoàn Kiếm' → 'Đảng bộ phường Hoàn Kiếm'."""
    first, _, rest = ward_name.partition(" ")
    if first == "Đặc":
        return f"Đảng bộ đặc {rest}"
    return f"Đảng bộ {first.lower()} {rest}"


def sector_committees(place: Place, count: int) -> list[tuple[str, str]]:
    """(name, sector key) of `count` sector committees of a province."""
    city = place.name.startswith("Thành phố ")
    level = "Thành phố" if city else "tỉnh"
    short = province_short(place)
    names = [
        (f"Đảng bộ Khối các cơ quan {level}", "agencies"),
        (f"Đảng bộ Khối Doanh nghiệp {level}", "enterprises"),
        (
            "Đảng bộ Bộ Tư lệnh Thủ đô Hà Nội"
            if place.code == HANOI_CODE
            else f"Đảng bộ Quân sự {level}",
            "armed",
        ),
        (f"Đảng bộ Công an {level}", "police"),
        (f"Đảng bộ Khối các trường đại học, cao đẳng {level}", "education"),
        (f"Đảng bộ Sở Y tế {short}", "health"),
        (f"Đảng bộ Sở Giáo dục và Đào tạo {short}", "education"),
    ]
    names += [(f"Đảng bộ Tổng công ty {field} {short}", "corporation") for field in CORPORATIONS]
    k = 1
    while len(names) < count:
        names.append((f"Đảng bộ Khối Doanh nghiệp {level} số {k}", "enterprises"))
        k += 1
    return names[:count]


def grassroots_kind(rng: random.Random, key: str, committee: bool) -> str:
    table = KIND_WEIGHTS[key][0 if committee else 1]
    kinds = list(table)
    return rng.choices(kinds, weights=[table[k] for k in kinds])[0]


def profile_of(kind: str) -> str:
    if kind in ("ward", "commune"):
        return RESIDENTIAL
    if kind == "public_service":
        return CARE
    if kind == "armed_forces":
        return ARMED
    return WORKPLACE


class _Unique:
    """Draws names until one is new among its siblings; numbers them when the lists run out."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def take(self, candidates: list[str], fallback: str) -> str:
        for _ in range(12):
            name = candidates[int(self.rng.random() * len(candidates))]
            if name not in self.used:
                self.used.add(name)
                return name
        n = 2
        while f"{fallback} số {n}" in self.used:
            n += 1
        self.used.add(f"{fallback} số {n}")
        return f"{fallback} số {n}"


class GrassrootsNamer:
    """Names of the grassroots organizations of one upper committee."""

    def __init__(self, rng: random.Random, upper: OrgPlan, key: str) -> None:
        self.rng = rng
        self.key = key
        self.unique = _Unique(rng)
        territorial = key in ("ward", "commune")
        self.short = territory_short_of(upper) if territorial else ""
        self.local = f"{'phường' if key == 'ward' else 'xã'} {self.short}" if territorial else ""
        self.counter = 0

    def _brands(self, pattern: str) -> list[str]:
        return _brand_names(pattern)

    def _schools(self, levels: tuple[str, ...]) -> list[str]:
        names = _school_names(levels)
        if self.short:
            names = names + [f"Trường {lv} {self.short}" for lv in levels]
        return names

    def grassroots_committee(self, kind: str) -> str:
        return "Đảng bộ " + self._unit(kind, committee=True)

    def grassroots_cell(self, kind: str) -> str:
        return "Chi bộ " + self._unit(kind, committee=False)

    def _unit(self, kind: str, *, committee: bool) -> str:
        key, local, take = self.key, self.local, self.unique.take
        if kind in ("ward", "commune"):
            self.counter += 1
            if committee:
                return take([f"Khu dân cư số {self.counter}"], "Khu dân cư")
            if kind == "ward":
                return take([f"Tổ dân phố số {self.counter}"], "Tổ dân phố")
            return take([f"thôn {v}" for v in VILLAGES], "thôn")
        if kind == "state_agency":
            if key == "agencies":
                return take(DEPARTMENTS, "Cơ quan")
            options = [
                f"Cơ quan Ủy ban nhân dân {local}", f"Các cơ quan Đảng {local}",
                f"Thuế cơ sở {self.short}", f"Kho bạc Nhà nước khu vực {self.short}",
                f"Bảo hiểm xã hội {self.short}", f"Ban Quản lý dự án {local}",
                f"Trung tâm Phục vụ hành chính công {local}", f"Chi cục Thống kê {self.short}",
            ]  # fmt: skip
            return take(options if self.short else DEPARTMENTS, "Cơ quan")
        if kind == "public_service":
            if key == "health" or (committee and self.rng.random() < 0.3):
                hospitals = ["Bệnh viện Đa khoa " + (self.short or b) for b in BRANDS[:10]] + [
                    f"Trung tâm Y tế {self.short or b}" for b in BRANDS[10:20]
                ]
                return take(hospitals, "Bệnh viện")
            if key == "education":
                if committee:
                    fields = ["Kinh tế", "Kỹ thuật", "Sư phạm", "Y tế", "Công nghiệp", "Du lịch"]
                    return take([f"Trường Cao đẳng {f} {b}" for f in fields for b in BRANDS],
                                "Trường Cao đẳng")  # fmt: skip
                return take(self._schools(("Trung học phổ thông",)), "Trường")
            if committee:
                return take(self._schools(("Trung học phổ thông", "Trung học cơ sở")), "Trường")
            return take(self._schools(SCHOOL_LEVELS[:3]), "Trường")
        if kind == "state_enterprise":
            return take(self._brands("Công ty TNHH MTV {f} {b}"), "Công ty")
        if kind == "non_state_enterprise":
            pattern = "Công ty Cổ phần {f} {b}" if committee else "Công ty TNHH {f} {b}"
            return take(self._brands(pattern), "Công ty")
        if kind == "armed_forces":
            if key == "police":
                return take([f"Phòng Cảnh sát số {n}" for n in range(1, 60)], "Phòng")
            if key == "armed":
                return take([f"Trung đoàn {n}" for n in range(1, 80)], "Đơn vị")
            return take([f"Công an {local}", f"Quân sự {local}"], f"Công an {local}")
        return take(_OTHER_UNITS, "Đơn vị")


@cache
def _brand_names(pattern: str) -> list[str]:
    return [pattern.format(b=b, f=f) for b in BRANDS for f in BUSINESSES]


@cache
def _school_names(levels: tuple[str, ...]) -> list[str]:
    return [f"Trường {lv} {n}" for lv in levels for n in NOTABLES]


_OTHER_UNITS = [f"Hợp tác xã {b}" for b in BRANDS] + [f"Ban Quản lý chợ {b}" for b in BRANDS]


def territory_short_of(org: OrgPlan) -> str:
    """'Đảng bộ phường Hoàn Kiếm' → 'Hoàn Kiếm'."""
    for prefix in ("Đảng bộ phường ", "Đảng bộ xã ", "Đảng bộ đặc khu "):
        if org.name.startswith(prefix):
            return org.name.removeprefix(prefix)
    return org.name


_HOSPITAL = ["Khoa Nội", "Khoa Ngoại", "Khoa Nhi", "Khoa Sản", "Khoa Cấp cứu", "Khoa Xét nghiệm",
             "Khoa Dược", "Khoa Chẩn đoán hình ảnh", "Phòng Điều dưỡng", "Phòng Kế hoạch tổng hợp",
             "Khoa Hồi sức tích cực", "Khoa Truyền nhiễm"]  # fmt: skip
_SCHOOL = ["Tổ Toán - Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên",
           "Tổ Khoa học xã hội", "Tổ Văn phòng", "Tổ Giáo dục thể chất"]  # fmt: skip
_UNIVERSITY = ["Khoa Kinh tế", "Khoa Luật", "Khoa Công nghệ thông tin", "Khoa Ngoại ngữ",
               "Phòng Đào tạo", "Phòng Tổ chức cán bộ", "Sinh viên", "Khoa Cơ bản"]  # fmt: skip
_POLICE = ["Đội Cảnh sát giao thông", "Đội Cảnh sát hình sự", "Đội An ninh", "Đội Tham mưu",
           "Đội Cảnh sát kinh tế", "Đội Cảnh sát phòng cháy chữa cháy",
           "Đội Quản lý hành chính"]  # fmt: skip
_MILITARY = ["Ban Chỉ huy", "Tiểu đoàn 1", "Tiểu đoàn 2", "Tiểu đoàn 3", "Đại đội Thông tin",
             "Đại đội Công binh", "Ban Hậu cần", "Ban Tham mưu"]  # fmt: skip
_OFFICE = ["Văn phòng", "Phòng Kế toán", "Phòng Tổ chức - Hành chính", "Phòng Kế hoạch - Đầu tư",
           "Phòng Nghiệp vụ", "Phòng Kỹ thuật", "Phòng Tài chính", "Phòng Pháp chế",
           "Phòng Công nghệ thông tin", "Phòng Thanh tra", "Phòng Tổng hợp"]  # fmt: skip
_ENTERPRISE = [*_OFFICE[:4], "Phòng Kinh doanh", "Phòng Kỹ thuật", "Xí nghiệp số 1",
               "Xí nghiệp số 2", "Phân xưởng Cơ điện", "Đội Xe", "Chi nhánh phía Bắc",
               "Chi nhánh phía Nam"]  # fmt: skip


class CellNamer:
    """Names of the cells and sub-committees of one grassroots committee, unique within it."""

    def __init__(self, rng: random.Random, committee: OrgPlan) -> None:
        self.unique = _Unique(rng)
        self.kind = committee.kind
        name = committee.name
        self.number = 0
        if committee.kind == "ward":
            self.units: list[str] = []
            self.numbered = "Tổ dân phố"
        elif committee.kind == "commune":
            self.units = [f"thôn {v}" for v in VILLAGES]
            self.numbered = "xóm"
        elif "Bệnh viện" in name or "Y tế" in name:
            self.units, self.numbered = _HOSPITAL, "Khoa"
        elif "Đại học" in name or "Cao đẳng" in name:
            self.units, self.numbered = _UNIVERSITY, "Khoa"
        elif "Trường" in name:
            self.units, self.numbered = _SCHOOL, "Tổ"
        elif "Công an" in name or "Cảnh sát" in name:
            self.units, self.numbered = _POLICE, "Đội"
        elif committee.kind == "armed_forces":
            self.units, self.numbered = _MILITARY, "Đại đội"
        elif committee.kind in ("state_enterprise", "non_state_enterprise"):
            self.units, self.numbered = _ENTERPRISE, "Xí nghiệp"
        else:
            self.units, self.numbered = _OFFICE, "Tổ công tác"
        self.remaining = list(self.units)
        rng.shuffle(self.remaining)

    def next(self) -> str:
        if self.remaining:
            unit = self.remaining.pop()
            self.unique.used.add(unit)
            return f"Chi bộ {unit}"
        self.number += 1
        unit = f"{self.numbered} {self.number}"
        if self.kind == "ward" and self.number % 4 == 0:
            unit = f"khu dân cư số {self.number}"
        while unit in self.unique.used:
            self.number += 1
            unit = f"{self.numbered} {self.number}"
        self.unique.used.add(unit)
        return f"Chi bộ {unit}"

    def sub_committee(self, index: int) -> str:
        if self.kind in ("ward", "commune"):
            return f"Đảng bộ bộ phận Cụm dân cư số {index + 1}"
        blocks = ["Khối Văn phòng", "Khối Sản xuất", "Khối Nghiệp vụ", "Khối Kỹ thuật"]
        return f"Đảng bộ bộ phận {blocks[index % 4]}" + (f" {index // 4 + 1}" if index >= 4 else "")
