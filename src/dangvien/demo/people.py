"""Demo members, cell by cell: identity, dates, status history and membership periods.

Rules kept (DOMAIN.md §4–5): admission at 18–60 (most before 35); probation of 12 months, official
from the 12-month date (a few past it, waiting for their cell); a party card only once official;
CCCD = birth province (3 digits) + century and sex (1) + year of birth (2) + 6 digits, unique; số lý
lịch = 6 digits + province letters. Some elderly members are exempted, some members have died,
transferred out or been struck off: their records stay, closed, in their last cell.

Identifiers are unique without any lookup: within each CCCD prefix (and for card and record numbers)
the k-th number is an affine permutation of k, so numbers look random but never repeat.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dangvien.core.dates import add_months
from dangvien.demo.names import NameMaker, WeightedPicker
from dangvien.demo.orgnames import ARMED, CARE, RESIDENTIAL, WORKPLACE
from dangvien.demo.plan import OrgPlan, Plan
from dangvien.demo.population import (
    ETHNICITY_SHARES,
    RELIGION_SHARES,
    birth_shares,
    provinces,
)
from dangvien.members.models import Membership, Status
from dangvien.members.services import MemberBatch

YEAR = 365.2425
OFFICIAL_KIND = Membership.Kind.OFFICIAL.value
PROBATIONARY, OFFICIAL, EXEMPTED = (
    Status.PROBATIONARY.value,
    Status.OFFICIAL.value,
    Status.EXEMPTED.value,
)
DECEASED, TRANSFERRED_OUT, STRUCK_OFF, EXPELLED = (
    Status.DECEASED.value,
    Status.TRANSFERRED_OUT.value,
    Status.STRUCK_OFF.value,
    Status.EXPELLED.value,
)
NOTES = {
    PROBATIONARY: "Kết nạp vào Đảng",
    OFFICIAL: "Công nhận đảng viên chính thức",
    EXEMPTED: "Miễn sinh hoạt đảng do tuổi cao",
    DECEASED: "Từ trần",
    TRANSFERRED_OUT: "Chuyển sinh hoạt đảng chính thức ra khỏi Đảng bộ",
    STRUCK_OFF: "Xóa tên trong danh sách đảng viên",
    EXPELLED: "Kỷ luật khai trừ ra khỏi Đảng",
}

# Share of men by member profile (the Party is about one third women; health and education more).
MALE_SHARE = {RESIDENTIAL: 0.62, CARE: 0.40, ARMED: 0.92}
DEFAULT_MALE_SHARE = 0.64
PROBATIONARY_SHARE = 0.035
# Probationary members whose 12 months ended up to three months ago and whom the cell has not yet
# recognised: the lists of recognitions due and overdue are never empty in real life.
LATE_RECOGNITION_SHARE = 0.05
TRANSFERRED_WITHIN_SHARE = 0.06  # current members who came from another cell of the dataset
EXEMPT_FROM_AGE = 70
EXEMPTED_SHARE_OF_ELDERLY = 0.25
# Members who left, per current member of a cell: (status, residential rate, other rate).
LEAVERS = [
    (DECEASED, 0.05, 0.004),
    (TRANSFERRED_OUT, 0.02, 0.05),
    (STRUCK_OFF, 0.003, 0.003),
    (EXPELLED, 0.001, 0.001),
]
CARD_HALF = 10**4  # card numbers: 8 digits
SERIAL_HALF = 10**3  # CCCD serials and record numbers: 6 digits
SERIAL_SPACE = SERIAL_HALF * SERIAL_HALF


@dataclass
class Rows:
    """Rows for one write batch: members in the column order of writer.MEMBER_FIELDS (no id:
    the k-th member has the id `first_id + k`), their status periods and memberships in that of
    members.services STATUS_FIELDS and MEMBERSHIP_FIELDS."""

    first_id: int
    members: list[tuple] = field(default_factory=list)
    statuses: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)

    def batch(self) -> MemberBatch:
        return MemberBatch(self.first_id, self.members, self.statuses, self.memberships)

    def clear(self, next_id: int) -> None:
        """Empty, for the members from `next_id` on (the lists are new: a batch made from them
        is the caller's)."""
        self.first_id = next_id
        self.members, self.statuses, self.memberships = [], [], []


def number_keys(plan: Plan) -> tuple[int, ...]:
    """The keys of `shuffle_number` for the identifiers of a plan's members."""
    seed_rng = random.Random(f"dangvien-demo-ids:{plan.scale}:{plan.seed}")
    return tuple(seed_rng.randrange(10**6) for _ in range(4))


def shuffle_number(k: int, half: int, keys: tuple[int, ...]) -> int:
    """A bijection of [0, half²): a small Feistel network, so that consecutive k look random."""
    left, right = divmod(k, half)
    for key in keys:
        left, right = right, (left + (right * 7_919 + key) * (right + 13) % 9_973) % half
    return left * half + right


class People:
    """Generates the members of each cell of a plan, in plan order, deterministically."""

    def __init__(
        self,
        plan: Plan,
        *,
        as_of: dt.date,
        ethnicities: dict[str, int],
        religions: dict[str, int],
        first_member_id: int,
        references: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self.rng = random.Random(f"dangvien-demo-people:{plan.scale}:{plan.seed}")
        self.keys = number_keys(plan)
        self.as_of = as_of
        self.today = as_of.toordinal()
        self.next_id = self.first_member_id = first_member_id
        self.names = NameMaker()
        self.ethnicity = WeightedPicker(
            [(name, share) for name, share in ETHNICITY_SHARES if name in ethnicities]
        )
        self.ethnicity_ids = ethnicities
        self.religion = WeightedPicker(
            [(name, share) for name, share in RELIGION_SHARES if name is None or name in religions]
        )
        self.religion_ids: dict[str | None, int | None] = {None: None}
        self.religion_ids.update(religions)
        self.births: dict[int, WeightedPicker] = {}
        self.places = {p.code: p for p in provinces()}
        self.cccd_counters: dict[int, int] = {}
        self.record_counters: dict[str, int] = {}
        self.cards = 0
        self._iso: dict[int, str] = {}
        # Cells by province, for transfers within the dataset: (id, founded ordinal).
        self.cells_of: dict[int, list[tuple[int, int]]] = {}
        for org in plan.cells():
            self.cells_of.setdefault(org.province, []).append((org.id, org.founded.toordinal()))
        self.counts: dict[str, int] = {}
        self.dossier = DossierMaker(references or {}, self.places, self.iso)

    # Small helpers, kept cheap: they run millions of times at national scale.

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def _citizen_id(self, province: int, birth: dt.date, male: bool) -> str:
        digit = (0 if male else 1) + (2 if birth.year >= 2000 else 0)
        yy = birth.year % 100
        key = province * 1000 + digit * 100 + yy
        k = self.cccd_counters.get(key, 0)
        self.cccd_counters[key] = k + 1
        if k >= SERIAL_SPACE:
            raise OverflowError(f"more than a million CCCD numbers with prefix {key}")
        serial = shuffle_number((k + key * 7_777) % SERIAL_SPACE, SERIAL_HALF, self.keys)
        return f"{province:03d}{digit}{yy:02d}{serial:06d}"

    def _record_number(self, letters: str) -> str:
        k = self.record_counters.get(letters, 0)
        self.record_counters[letters] = k + 1
        if k >= SERIAL_SPACE:
            raise OverflowError(f"more than a million record numbers for {letters}")
        return f"{shuffle_number(k, SERIAL_HALF, self.keys):06d}{letters}"

    def _card_number(self) -> str:
        k = self.cards
        self.cards += 1
        return f"{shuffle_number(k, CARD_HALF, self.keys):08d}"

    def _age_now(self, profile: str) -> float:
        rng = self.rng
        if profile == RESIDENTIAL:  # residential cells: many retired members
            u = rng.random()
            if u < 0.55:
                return 60 + 32 * rng.random() ** 1.3
            if u < 0.80:
                return 45 + 15 * rng.random()
            return 25 + 20 * rng.random()
        if profile == ARMED:
            return rng.triangular(21, 55, 32)
        return rng.triangular(23, 60, 38)

    def _admission_age(self, most: float) -> float:
        """18–60, most of them young; never above `most`."""
        u = self.rng.random()
        if u < 0.70:
            age = 18 + 12 * self.rng.random()
        elif u < 0.92:
            age = 30 + 10 * self.rng.random()
        else:
            age = 40 + 20 * self.rng.random()
        if age > most:
            # Spread over the years available rather than piling everyone on the latest day,
            # which would put a spike of recognitions in the year before the as-of date.
            age = 18.02 + (most - 18.02) * self.rng.random()
        return max(18.02, min(age, most, 59.98))

    # One member.

    def _identity(self, cell: OrgPlan, birth: dt.date, profile: str) -> tuple:
        rng = self.rng
        male = rng.random() < MALE_SHARE.get(profile, DEFAULT_MALE_SHARE)
        gender = "M" if male else "F"
        ethnicity = str(self.ethnicity.pick(rng))
        full, folded, sort_key = self.names.make(rng, gender, birth.year, ethnicity)
        births = self.births.get(cell.province)
        if births is None:
            births = self.births[cell.province] = WeightedPicker(birth_shares(cell.province))
        born_in = int(births.pick(rng))  # type: ignore[call-overload]
        home = self.places[cell.province]
        if cell.ward is not None and rng.random() < 0.85:
            ward = cell.ward
        else:
            ward = home.wards[int(rng.random() * len(home.wards))][0]
        religion = self.religion.pick(rng)
        return (
            full,
            folded,
            sort_key,
            gender,
            self.iso(birth.toordinal()),
            self._citizen_id(born_in, birth, male),
            self.ethnicity_ids[ethnicity],
            self.religion_ids[religion],  # type: ignore[index]
            born_in,
            home.code,
            ward,
            home.letters,
        )

    def _member(self, cell: OrgPlan, out: Rows, status: str) -> None:
        rng, today, iso = self.rng, self.today, self.iso
        profile = cell.profile
        if status == PROBATIONARY:
            adm_age = 18.02 + 17 * rng.random() ** 1.5
            if rng.random() < LATE_RECOGNITION_SHARE:
                admitted = today - 366 - int(rng.random() * 90)
            else:
                admitted = today - 1 - int(rng.random() * 359)
            birth_ord = admitted - int(adm_age * YEAR)
        else:
            age_now = max(self._age_now(profile), 19.6)
            birth_ord = today - int(age_now * YEAR)
            adm_age = self._admission_age(age_now - 1.1)
            admitted = birth_ord + int(adm_age * YEAR)
        birth = dt.date.fromordinal(birth_ord)
        identity = self._identity(cell, birth, profile)
        admission = dt.date.fromordinal(admitted)
        member_id = self.next_id
        self.next_id += 1
        joined = max(admitted, cell.founded.toordinal())
        periods: list[tuple[str, int]] = [(PROBATIONARY, admitted)]
        recognition: int | None = None
        left: int | None = None
        end_status = status
        if status == STRUCK_OFF and rng.random() < 0.3:
            # Not recognised at the end of probation (admitted over a year ago: always past),
            # unless that was before the cell existed.
            end = add_months(admission, 12).toordinal()
            left = end if end > joined else None
        if status != PROBATIONARY and left is None:
            recognition = add_months(admission, 12).toordinal()
            periods.append((OFFICIAL, recognition))
            if status == EXEMPTED:
                exempt = birth_ord + int((EXEMPT_FROM_AGE + 3 * rng.random()) * YEAR)
                exempt = max(exempt, recognition + 30)
                if exempt < today:
                    periods.append((EXEMPTED, exempt))
                else:
                    end_status = OFFICIAL
            elif status != OFFICIAL:
                # Cells are founded two years or more before `as_of` and recognition comes at
                # least a month before it, so the window below is never empty.
                low = max(joined, recognition, today - int(12 * YEAR)) + 1
                left = min(low + int(rng.random() * (today - 1 - low)), today - 1)
        if left is not None:
            periods.append((end_status, left))
        card = self._card_number() if recognition is not None else None
        if member_id != out.first_id + len(out.members):
            raise ValueError(f"member {member_id} out of order in a batch from {out.first_id}")
        out.members.append(
            (
                identity[0],  # the name's folded and sort forms are the service's to make
                *identity[3:6],
                card,
                self._record_number(identity[11]),
                *identity[6:11],
                iso(admitted),
                iso(recognition) if recognition is not None else None,
                end_status,
                cell.id,
                *self.dossier.make(
                    rng,
                    profile,
                    today - birth_ord,
                    birth,
                    admitted,
                    identity[8],
                    end_status,
                    identity[0],
                ),
            )
        )
        for i, (period_status, since) in enumerate(periods):
            until = periods[i + 1][1] if i + 1 < len(periods) else None
            out.statuses.append(
                (
                    member_id,
                    period_status,
                    iso(since),
                    iso(until) if until is not None else None,
                    NOTES[period_status],
                )
            )
        self._memberships(cell, member_id, joined, left, out)
        self.counts[end_status] = self.counts.get(end_status, 0) + 1

    def _memberships(
        self, cell: OrgPlan, member_id: int, joined: int, left: int | None, out: Rows
    ) -> None:
        rng, iso = self.rng, self.iso
        if left is None and rng.random() < TRANSFERRED_WITHIN_SHARE:
            cells = self.cells_of[cell.province]
            previous, founded = cells[int(rng.random() * len(cells))]
            start = max(joined, founded)
            low = max(start, cell.founded.toordinal()) + 60
            high = self.today - 30
            if previous != cell.id and low < high:
                moved = low + int(rng.random() * (high - low))
                out.memberships.append((member_id, previous, OFFICIAL_KIND, iso(start), iso(moved)))
                out.memberships.append((member_id, cell.id, OFFICIAL_KIND, iso(moved), None))
                self.counts["transferred_within"] = self.counts.get("transferred_within", 0) + 1
                return
        out.memberships.append(
            (member_id, cell.id, OFFICIAL_KIND, iso(joined), iso(left) if left else None)
        )

    def fill(self, cell: OrgPlan, out: Rows) -> None:
        """Append the rows of `cell`'s members: `cell.members` in the Party, plus those who left."""
        rng = self.rng
        residential = cell.profile == RESIDENTIAL
        for i in range(cell.members):
            if i < 3:  # every cell keeps at least three official members
                self._member(cell, out, OFFICIAL)
                continue
            u = rng.random()
            if u < PROBATIONARY_SHARE:
                status = PROBATIONARY
            elif residential and u < PROBATIONARY_SHARE + 0.5 * EXEMPTED_SHARE_OF_ELDERLY:
                status = EXEMPTED
            else:
                status = OFFICIAL
            self._member(cell, out, status)
        for status, home_rate, other_rate in LEAVERS:
            expected = cell.members * (home_rate if residential else other_rate)
            for _ in range(int(expected + rng.random())):
                self._member(cell, out, status)


# The dossier: shares that make statistics look like the Party's own figures. Codes are
# those of migration members/0008_reference_lists.
RETIRED_FROM_AGE = 60
OCCUPATION_SHARES: dict[str, list[tuple[str, float]]] = {
    RESIDENTIAL: [
        ("lao_dong_tu_do", 28),
        ("tieu_thuong", 18),
        ("cong_nhan", 14),
        ("lao_dong_dn", 14),
        ("can_bo_cong_chuc", 8),
        ("doanh_nhan", 6),
        ("nong_dan", 6),
        ("khac", 6),
    ],
    WORKPLACE: [
        ("can_bo_cong_chuc", 46),
        ("vien_chuc", 24),
        ("lao_dong_dn", 14),
        ("cong_nhan", 8),
        ("doanh_nhan", 3),
        ("tri_thuc", 3),
        ("khac", 2),
    ],
    CARE: [("vien_chuc", 88), ("tri_thuc", 6), ("can_bo_cong_chuc", 4), ("khac", 2)],
    ARMED: [("luc_luong_vu_trang", 100)],
}
PROFESSIONAL_SHARES: dict[str, list[tuple[str | None, float]]] = {
    RESIDENTIAL: [
        ("none", 30),
        ("so_cap", 6),
        ("trung_cap", 20),
        ("cao_dang", 8),
        ("dai_hoc", 33),
        ("thac_si", 3),
    ],
    WORKPLACE: [
        ("none", 3),
        ("trung_cap", 9),
        ("cao_dang", 6),
        ("dai_hoc", 62),
        ("thac_si", 17),
        ("tien_si", 3),
    ],
    CARE: [
        ("trung_cap", 10),
        ("cao_dang", 12),
        ("dai_hoc", 52),
        ("thac_si", 18),
        ("tien_si", 7),
        ("tskh", 1),
    ],
    ARMED: [("trung_cap", 12), ("cao_dang", 8), ("dai_hoc", 65), ("thac_si", 13), ("tien_si", 2)],
}
# Lý luận chính trị of official members (probationary members have none yet).
THEORY_SHARES: list[tuple[str | None, float]] = [
    (None, 14),
    ("so_cap", 64),
    ("trung_cap", 17),
    ("cao_cap", 4.5),
    ("cu_nhan", 0.5),
]
PHONE_PREFIXES = [
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "086",
    "088",
    "032",
    "035",
    "038",
]


def dossier_references() -> dict[str, dict[str, int]]:
    """Ids of the reference lists by code, for DossierMaker."""
    from dangvien.members.models import EducationLevel, Occupation, ProfessionalLevel, TheoryLevel

    models = {
        "education": EducationLevel,
        "professional_level": ProfessionalLevel,
        "theory_level": TheoryLevel,
        "occupation": Occupation,
    }
    return {
        kind: dict(model._default_manager.values_list("code", "pk"))
        for kind, model in models.items()
    }


class DossierMaker:
    """The dossier columns of a demo member (writer.DOSSIER_FIELDS), cheap per member."""

    def __init__(
        self,
        references: dict[str, dict[str, int]],
        places: dict,
        iso: Callable[[int], str] = lambda day: dt.date.fromordinal(day).isoformat(),
    ) -> None:
        self.iso = iso  # People.iso: cached, a day's text is made once
        self.ids = references
        self.place_names = {code: place.name for code, place in places.items()}
        self.occupation = {k: WeightedPicker(v) for k, v in OCCUPATION_SHARES.items()}
        self.professional = {k: WeightedPicker(v) for k, v in PROFESSIONAL_SHARES.items()}
        self.theory = WeightedPicker(THEORY_SHARES)
        self.recent: list[str] = []  # names of members just made: the introducers of the next

    def _id(self, kind: str, code: Any) -> int | None:
        return self.ids.get(kind, {}).get(code) if code is not None else None

    def make(
        self,
        rng: random.Random,
        profile: str,
        days_old: int,
        birth: dt.date,
        admitted: int,
        born_in: int,
        status: str,
        full_name: str,
    ) -> tuple:
        """Columns in writer.DOSSIER_FIELDS order. `days_old`: age on the as-of date, in days."""
        age = days_old / YEAR
        if profile == RESIDENTIAL and age >= RETIRED_FROM_AGE:
            occupation: Any = "huu_tri"
        else:
            occupation = self.occupation.get(profile, self.occupation[WORKPLACE]).pick(rng)
            if profile != ARMED and age < 24 and rng.random() < 0.3:
                occupation = "hoc_sinh_sinh_vien"
        # Those schooled in the North before the 1980s finished the 10-year system.
        u = rng.random()
        if birth.year < 1970 and u < 0.55:
            education = "10/10" if u < 0.45 else ("9/10" if u < 0.52 else "7/10")
        else:
            education = "12/12" if u < 0.95 else ("9/12" if u < 0.98 else "11/12")
        professional = self.professional.get(profile, self.professional[WORKPLACE]).pick(rng)
        theory = None if status == PROBATIONARY else self.theory.pick(rng)
        prefix = PHONE_PREFIXES[int(rng.random() * len(PHONE_PREFIXES))]
        phone = f"{prefix}{int(rng.random() * 10**7):07d}" if rng.random() < 0.9 else ""
        ceremony = admitted + int(rng.random() * 30)  # within a month of the decision
        recent = self.recent
        if len(recent) >= 2:
            first = recent[int(rng.random() * len(recent))]
            second = recent[int(rng.random() * len(recent))]
        else:
            first = second = ""
        recent.append(full_name)
        if len(recent) > 40:
            del recent[:20]
        return (
            phone,
            self.place_names.get(born_in, ""),
            born_in,
            self._id("education", education),
            self._id("professional_level", professional),
            self._id("theory_level", theory),
            self._id("occupation", occupation),
            self.iso(ceremony),
            first,
            second if second != first else "",
        )


# A few members get the history tables of their dossier filled in, so that the member page shows
# them; one in HISTORY_EVERY keeps the volume small (about 6 rows each).
HISTORY_EVERY = 500
RELATIVES = [("Bố", 28, "M"), ("Mẹ", 25, "F")]
WORKPLACES = [
    "Ủy ban nhân dân phường", "Trường Trung học cơ sở", "Bệnh viện Đa khoa", "Công ty cổ phần",
    "Hợp tác xã nông nghiệp", "Sở Tài chính", "Ban Tuyên giáo", "Trung tâm Y tế",
]  # fmt: skip
SCHOOLS = [
    ("Trường Đại học Sư phạm Hà Nội", "Sư phạm Toán"),
    ("Học viện Hành chính Quốc gia", "Quản lý nhà nước"),
    ("Trường Đại học Bách khoa Hà Nội", "Công nghệ thông tin"),
    ("Trường Đại học Y Hà Nội", "Y đa khoa"),
    ("Trường Đại học Kinh tế Quốc dân", "Kế toán"),
]
AWARDS = ["Giấy khen", "Bằng khen", "Huy hiệu 30 năm tuổi Đảng", "Chiến sĩ thi đua cơ sở"]


def dossier_history_rows(first_member_id: int, last_member_id: int, seed: int) -> int:
    """Family, work, training and award rows for one member in HISTORY_EVERY. Returns rows made."""
    from dangvien.members.models import Award, FamilyMember, Member, TrainingCourse, WorkPeriod

    rng = random.Random(f"dangvien-demo-history:{seed}")
    names = NameMaker()
    members = Member.objects.filter(
        pk__in=range(first_member_id, last_member_id + 1, HISTORY_EVERY)
    ).values_list("pk", "full_name", "date_of_birth", "admission_date")
    family: list[FamilyMember] = []
    work: list[WorkPeriod] = []
    training: list[TrainingCourse] = []
    awards: list[Award] = []
    for pk, full_name, born, admitted in members:
        family_name = full_name.split()[0]
        for relation, older, gender in RELATIVES:
            year = born.year - older - int(rng.random() * 8)
            relative, _, _ = names.make(rng, gender, year, "Kinh")
            if gender == "M":  # the father's family name is the member's
                relative = " ".join([family_name, *relative.split()[1:]])
            family.append(
                FamilyMember(
                    member_id=pk,
                    relation=relation,
                    full_name=relative,
                    birth_year=year,
                    occupation="Hưu trí" if year < 1965 else "Tự do",
                )
            )
        school, field_name = SCHOOLS[int(rng.random() * len(SCHOOLS))]
        studied = dt.date(born.year + 18, 9, 1)
        training.append(
            TrainingCourse(
                member_id=pk,
                start=studied,
                end=dt.date(born.year + 22, 6, 30),
                school=school,
                field=field_name,
                form="Chính quy",
                qualification="Cử nhân",
            )
        )
        start = dt.date(born.year + 23, 1 + int(rng.random() * 12), 1)
        for i in range(2):
            end = add_months(start, 36 + int(rng.random() * 96)) if i == 0 else None
            place = WORKPLACES[int(rng.random() * len(WORKPLACES))]
            work.append(
                WorkPeriod(member_id=pk, start=start, end=end, description=f"Công tác tại {place}")
            )
            if end is None:
                break
            start = end
        if admitted is not None and rng.random() < 0.6:
            awards.append(
                Award(
                    member_id=pk,
                    date=add_months(admitted, 24 + int(rng.random() * 120)),
                    form=AWARDS[int(rng.random() * len(AWARDS))],
                    issuer="Đảng ủy cấp trên",
                    reason="Hoàn thành xuất sắc nhiệm vụ",
                )
            )
    for model, rows in [
        (FamilyMember, family),
        (WorkPeriod, work),
        (TrainingCourse, training),
        (Award, awards),
    ]:
        model.objects.bulk_create(rows, batch_size=1000)  # type: ignore[attr-defined]
    return len(family) + len(work) + len(training) + len(awards)


LOST_CONTACT_EVERY = 700  # one member in so many lost contact for a while, long ago


def lost_contact_rows(first_member_id: int, last_member_id: int, seed: int, as_of: dt.date) -> int:
    """A period of lost contact (4 months to 2½ years, restored two years or more before `as_of`)
    for one official member in LOST_CONTACT_EVERY admitted ten years or more before, with the
    record's `party_age_from` moved by it as the service would. Returns the periods made."""
    from dangvien.members.models import LostContact, Member

    rng = random.Random(f"dangvien-demo-lost-contact:{seed}")
    latest_end = as_of - dt.timedelta(days=730)
    members = Member.objects.filter(
        pk__in=range(first_member_id + LOST_CONTACT_EVERY // 2, last_member_id + 1,
                     LOST_CONTACT_EVERY),
        status__in=[OFFICIAL, EXEMPTED],
        admission_date__lte=add_months(as_of, -120),
    ).values_list("pk", "admission_date")  # fmt: skip
    periods: list[LostContact] = []
    moved: list[Member] = []
    for pk, admitted in members:
        assert admitted is not None  # filtered on it
        days = 120 + int(rng.random() * 790)
        earliest = add_months(admitted, 24)
        span = (latest_end - earliest).days - days
        if span <= 0:
            continue
        start = earliest + dt.timedelta(days=int(rng.random() * span))
        end = start + dt.timedelta(days=days)
        periods.append(LostContact(member_id=pk, start=start, end=end,
                                   note="Đi làm ăn xa, không báo chi bộ"))  # fmt: skip
        moved.append(Member(pk=pk, party_age_from=admitted + dt.timedelta(days=days)))
    LostContact.objects.bulk_create(periods, batch_size=1000)
    Member.objects.bulk_update(moved, ["party_age_from"], batch_size=500)
    return len(periods)
