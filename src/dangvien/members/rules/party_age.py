"""Party age (tuổi đảng), from a member's status history.

Điều lệ Đảng (Điều 5, khoản 4) and Quy định 24-QĐ/TW 2021 (point 4.5), kept by Quy định 232-QĐ/TW
and 294-QĐ/TW 2025:
- an official member's party age counts from the day the competent committee decided the
  admission, less the time out of the Party's life: expelled, struck off, lost contact with the
  organization, and the gaps of a transfer;
- a re-admitted member (re-admission is allowed once and starts a new probation), once recognised
  official again, counts from the first admission decision, less the time out;
- a probationary member has no party age yet (it is counted, from the admission decision, once the
  member is recognised official).

The time out is read from the status history: a period of "struck off", "expelled", "discharged"
or "transferred out" followed by a return to the Party's life in this installation. A record that
is closed (left, transferred out, died) keeps the party age it had on the day it closed. Lost
contact is not a status (the member stays on the cell's roll until struck off): the cell records
its period when contact is restored (`Member.lost_contacts`), and it is subtracted like the others.

Members admitted under the statutes before 2011 counted probation and party age by the rules of
their time (Hướng dẫn 12-HD/BTCTW 2022, Phụ lục 1); those rules are not kept here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dangvien.core.dates import full_months, months_reached

RULE = "Điều lệ Đảng (Điều 5, khoản 4), Quy định 294-QĐ/TW (như Quy định 24-QĐ/TW, điểm 4.5)"

PROBATIONARY, OFFICIAL, EXEMPTED = "probationary", "official", "exempted"
IN_PARTY = frozenset({PROBATIONARY, OFFICIAL, EXEMPTED})
# Statuses that are time out of the Party's life when the member comes back after them.
OUT = {
    "struck_off": "bị xóa tên",
    "expelled": "bị khai trừ",
    "discharged": "ra khỏi Đảng",
    "transferred_out": "gián đoạn do chuyển sinh hoạt",
}
LOST_CONTACT = "mất liên lạc với tổ chức đảng"
# A period of lost contact, recorded when it ended: (first day, the day contact was restored).
Lost = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Gap:
    start: dt.date
    end: dt.date  # exclusive: the day the member was back
    reason: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class PartyAge:
    admitted_on: dt.date  # the (first) admission decision
    counted_from: dt.date  # `admitted_on` moved later by the days out
    until: dt.date  # the day it is counted to: the day asked, or the day the record closed
    gaps: tuple[Gap, ...]
    closed: bool  # the record closed before the day asked: the party age it had then

    @property
    def months(self) -> int:
        return full_months(self.counted_from, self.until)

    @property
    def years(self) -> int:
        return self.months // 12

    def reaches(self, years: int) -> dt.date:
        """The day the party age reaches `years` (if the member stays in the Party's life)."""
        return months_reached(self.counted_from, 12 * years)

    @property
    def text(self) -> str:
        """As the record says it: "52 năm 3 tháng"."""
        years, months = divmod(self.months, 12)
        if years and months:
            return f"{years} năm {months} tháng"
        return f"{years} năm" if years else f"{months} tháng"

    @property
    def explanation(self) -> str:
        said = f"Tính từ ngày quyết định kết nạp {self.admitted_on:%d/%m/%Y}"
        if self.gaps:
            out = "; ".join(
                f"{gap.reason} từ {gap.start:%d/%m/%Y} đến {gap.end:%d/%m/%Y} ({gap.days} ngày)"
                for gap in self.gaps
            )
            said += f", trừ thời gian không tham gia sinh hoạt đảng: {out}"
        if self.closed:
            said += f"; tính đến ngày {self.until:%d/%m/%Y}, ngày hồ sơ khép lại"
        return f"{said} (căn cứ {RULE})."


def first_admission(
    history: list[tuple[str, dt.date, dt.date | None]], admitted_on: dt.date | None
) -> dt.date | None:
    """The first admission decision: the record's admission date, or the start of the first
    period in the Party when that is earlier (a re-admitted member's record holds the later
    admission, and an imported history may begin official), or the one of them there is (a
    transfer in starts its history on the day it arrived)."""
    first_in = next((start for status, start, _ in history if status in IN_PARTY), None)
    known = [d for d in (first_in, admitted_on) if d is not None]
    return min(known) if known else None


def counted_from(
    periods: Iterable[tuple[str, dt.date, dt.date | None]],
    admitted_on: dt.date | None,
    lost: Iterable[Lost] = (),
) -> dt.date | None:
    """The day party age counts from, whatever the day asked: the first admission moved later by
    every time out that ended with a return. None without an admission date."""
    history = sorted(periods, key=lambda row: row[1])
    admitted = first_admission(history, admitted_on)
    if admitted is None:
        return None
    days = sum(gap.days for gap in _gaps(history, admitted, dt.date.max, lost))
    return admitted + dt.timedelta(days=days)


def _gaps(
    lived: list[tuple[str, dt.date, dt.date | None]],
    admitted: dt.date,
    until: dt.date,
    lost: Iterable[Lost] = (),
) -> tuple[Gap, ...]:
    """Time out followed by a return, and lost contact, from the admission on, cut at `until`
    (a day inside a period of lost contact counts it up to that day), in order."""
    out = [
        Gap(start, min(end or until, until), OUT[status])
        for index, (status, start, end) in enumerate(lived)
        if status in OUT and index + 1 < len(lived) and start >= admitted
    ]
    out += [
        Gap(start, min(end, until), LOST_CONTACT)
        for start, end in lost
        if start >= admitted and start < until
    ]
    return tuple(sorted(out, key=lambda gap: gap.start))


def party_age(
    periods: Iterable[tuple[str, dt.date, dt.date | None]],
    day: dt.date,
    *,
    admitted_on: dt.date | None = None,
    lost: Iterable[Lost] = (),
) -> PartyAge | None:
    """The party age on `day` of a member with these status `periods` (status, from, to
    exclusive), or None when there is none: never admitted by `day`, or probationary on `day`
    (not yet recognised, or re-admitted and not yet recognised again). `admitted_on`: the admission
    decision the record holds, used when the history starts later (an imported record). `lost`:
    the periods of lost contact recorded on the record."""
    history = sorted(
        ((status, start, end) for status, start, end in periods if start <= day),
        key=lambda row: row[1],
    )
    admitted = first_admission(history, admitted_on)
    if admitted is None or admitted > day or not history:
        return None
    status_on_day, since, _ = history[-1]
    closed = status_on_day not in IN_PARTY
    # Closed: the party age it had the day it closed (the history before that day).
    lived = history[:-1] if closed else history
    until = since if closed else day
    # The last stint: since the last return to the Party's life after time out.
    starts = [index + 1 for index, (status, _, _) in enumerate(lived) if status in OUT]
    stint = lived[starts[-1] if starts else 0 :]
    if not any(status in (OFFICIAL, EXEMPTED) for status, _, _ in stint):
        return None  # probationary (or re-admitted, not yet recognised again): none yet
    gaps = _gaps(lived, admitted, until, lost)
    start = admitted + dt.timedelta(days=sum(gap.days for gap in gaps))
    return PartyAge(admitted, start, until, gaps, closed)
