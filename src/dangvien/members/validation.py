"""Problems of a member record, split into blocking errors (the record cannot be saved) and
warnings the user may confirm. Forms, the API, the import and the data-quality rules all use it.

`values` maps model field names to Python values (dates as dates). Only the fields present are
checked, so a partial update checks what it changes (with the record's other values for context
when `member` is given). Everything is pure except the uniqueness of CCCD and card number, which
the import checks in bulk itself (`check_unique=False`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dangvien.members.models import Member
from dangvien.members.rules.admission import admission_problems
from dangvien.members.rules.cccd import cccd_problems
from dangvien.members.rules.identifiers import party_card_problems, record_number_problems

_CONTEXT = ("date_of_birth", "gender", "admission_date", "recognition_date")
_CCCD_INPUTS = frozenset({"citizen_id", "date_of_birth", "gender"})
_DATE_INPUTS = frozenset({"date_of_birth", "admission_date", "recognition_date"})


@dataclass(frozen=True)
class Problem:
    field: str  # model field name, or "" for the whole record
    message: str  # Vietnamese, for the user
    blocking: bool  # True: cannot be saved; False: a warning the user may confirm
    rule: str  # short stable code


def member_problems(
    values: Mapping[str, Any],
    *,
    member: Member | None = None,
    check_unique: bool = True,
    today: dt.date | None = None,
) -> list[Problem]:
    today = today or timezone.localdate()
    merged = values  # read only: a copy only when the record gives context
    if member is not None and member.pk is not None:
        merged = dict(values)
        for name in _CONTEXT:
            if name not in merged:
                merged[name] = getattr(member, name, None)
    born = merged.get("date_of_birth")
    gender = merged.get("gender")
    found: list[Problem] = []

    if born is not None and "date_of_birth" in values and born > today:
        found.append(Problem("date_of_birth", "Ngày sinh chưa tới.", True, "birth_future"))

    cccd = (merged.get("citizen_id") or "").strip()
    if cccd and not _CCCD_INPUTS.isdisjoint(values):
        found += [
            Problem("citizen_id", m, True, code) for code, m in cccd_problems(cccd, born, gender)
        ]
    card = (values.get("party_card_number") or "").strip()
    if card:
        issued = merged.get("party_card_issued_date")
        if issued is None and member is not None:
            issued = member.party_card_issued_date
        found += [
            Problem("party_card_number", m, True, c) for c, m in party_card_problems(card, issued)
        ]
    record = (values.get("record_number") or "").strip()
    if record:
        found += [Problem("record_number", m, True, c) for c, m in record_number_problems(record)]

    if not _DATE_INPUTS.isdisjoint(values):
        for code, message, blocking in admission_problems(
            born, merged.get("admission_date"), merged.get("recognition_date"), today
        ):
            field = (
                "recognition_date"
                if code.startswith(("recognition", "probation"))
                else ("admission_date")
            )
            found.append(Problem(field, message, blocking, code))

    if check_unique:
        found += _duplicates(cccd if "citizen_id" in values else "", card, member)
    return found


def _duplicates(cccd: str, card: str, member: Member | None) -> list[Problem]:
    others = Member.objects.all()
    if member is not None and member.pk is not None:
        others = others.exclude(pk=member.pk)
    found = []
    if cccd and others.filter(citizen_id=cccd).exists():
        found.append(
            Problem("citizen_id", f"Số CCCD {cccd} đã có trong hồ sơ khác.", True, "cccd_duplicate")
        )
    if card and others.filter(party_card_number=card).exists():
        found.append(
            Problem(
                "party_card_number",
                f"Số thẻ đảng viên {card} đã có trong hồ sơ khác.",
                True,
                "card_duplicate",
            )
        )
    return found


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.blocking]
