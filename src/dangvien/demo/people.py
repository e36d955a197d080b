"""Demo members, cell by cell: identity, dates, status history and membership periods.

Rules kept (DOMAIN.md §4–5): admission at 18–60 (most before 35); probation of 12 months, official
from the 12-month date; a party card only once official; CCCD = birth province (3 digits) + century
and sex (1) + year of birth (2) + 6 digits, unique; số lý lịch = 6 digits + province letters. Some
elderly members are exempted, some members have died, transferred out or been struck off: their
records stay, closed, in their last cell.

Identifiers are unique without any lookup: within each CCCD prefix (and for card and record numbers)
the k-th number is an affine permutation of k, so numbers look random but never repeat.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from dangvien.demo.names import NameMaker, WeightedPicker
from dangvien.demo.plan import ARMED, CARE, RESIDENTIAL, OrgPlan, Plan
from dangvien.demo.population import (
    ETHNICITY_SHARES,
    RELIGION_SHARES,
    birth_shares,
    provinces,
)
from dangvien.members.models import Membership, Status

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
    """Rows for one write batch, in the column order of writer.MEMBER_COLUMNS etc."""

    members: list[tuple] = field(default_factory=list)
    statuses: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)

    def clear(self) -> None:
        self.members.clear()
        self.statuses.clear()
        self.memberships.clear()


def shuffle_number(k: int, half: int, keys: tuple[int, ...]) -> int:
    """A bijection of [0, half²): a small Feistel network, so that consecutive k look random."""
    left, right = divmod(k, half)
    for key in keys:
        left, right = right, (left + (right * 7_919 + key) * (right + 13) % 9_973) % half
    return left * half + right


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later; the 29–31st falls back to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError(day)


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
    ) -> None:
        self.rng = random.Random(f"dangvien-demo-people:{plan.scale}:{plan.seed}")
        seed_rng = random.Random(f"dangvien-demo-ids:{plan.scale}:{plan.seed}")
        self.keys = tuple(seed_rng.randrange(10**6) for _ in range(4))
        self.as_of = as_of
        self.today = as_of.toordinal()
        self.next_id = first_member_id
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
        out.members.append(
            (
                member_id,
                *identity[:6],
                card,
                self._record_number(identity[11]),
                *identity[6:11],
                iso(admitted),
                iso(recognition) if recognition is not None else None,
                end_status,
                cell.id,
                cell.path,
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
