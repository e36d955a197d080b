"""The Party document layout (Hướng dẫn 36-HD/VPTW) and the Vietnamese formats of numbers,
percentages and dates, written once for every document the application produces.

Numbers: 457.397 (a dot groups thousands), 85,39% (a comma before decimals), dates dd/mm/yyyy.
Figures are rounded half up, the way a person computes them by hand (3,125 → 3,13), on the
decimal value, never on the binary float (where round(3.125, 2) happens to give 3.12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from dangvien.core.dates import document_date

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
STAR = "*"
NO_BASE = "—"  # a share without a base (0 of 0)


class _Org(Protocol):
    name: str
    path: str


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """1234567 → "1.234.567"; number(39.64, 1) → "39,6" (half up)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(share: float | Decimal | None, decimals: int = 2) -> str:
    """A share of 1 as a percentage: 0.8539 → "85,39%", 0.03125 → "3,13%"; "—" without a base."""
    if share is None:
        return NO_BASE
    exact = share if isinstance(share, Decimal) else Decimal(str(share))
    return number(exact * 100, decimals) + "%"


def date(value: dt.date | None) -> str:
    """17/05/1980; an empty string for no date."""
    return f"{value:%d/%m/%Y}" if value else ""


def place_name(name: str) -> str:
    """ "Đảng bộ Thành phố Hà Nội" → "Hà Nội": the place a province's documents are dated from."""
    for prefix in ("Đảng bộ", "Thành phố", "thành phố", "Tỉnh", "tỉnh"):
        name = name.removeprefix(prefix).strip()
    return name


def place_of(org: Any) -> str:
    """The place a document of `org` is dated from: its province (the root of its tree)."""
    # A node's path begins with the path of each of its ancestors, so the root is the node
    # without a parent whose path is a prefix of this one (found without knowing the path format).
    prefixes = [org.path[:end] for end in range(1, len(org.path) + 1)]
    root = (
        type(org)
        ._default_manager.filter(parent__isnull=True, path__in=prefixes)
        .values_list("name", flat=True)
        .first()
    )
    return place_name(root or org.name)


def reference(number: int | str | None, kind: str, issuer: str) -> str:
    """The reference number of a document: "Số 12-QĐ/ĐU"; without a number, the gap a clerk
    fills in by hand when the document is registered ("Số    -QĐ/ĐU")."""
    return f"Số {number if number not in (None, '') else '   '}-{kind}/{issuer}"


@dataclass(frozen=True)
class Heading:
    """The heading of a Party document: the issuing committee on the left (under its superior, if
    given) with "*" and the reference number below it; "ĐẢNG CỘNG SẢN VIỆT NAM" on the right with
    the place and date below it."""

    committee: str
    place: str
    day: dt.date
    superior: str = ""
    reference: str = ""

    @property
    def issuer_lines(self) -> list[str]:
        lines = [self.superior.upper()] if self.superior else []
        return [*lines, self.committee.upper(), STAR, *([self.reference] if self.reference else [])]

    @property
    def dated(self) -> str:
        return document_date(self.place, self.day)

    @property
    def lines(self) -> list[str]:
        """The heading read top to bottom, as a spreadsheet writes it in its first column."""
        return [PARTY, self.committee.upper(), self.dated]


def heading_of(org: _Org, day: dt.date, *, reference: str = "", superior: str = "") -> Heading:
    """The heading of a document issued by `org` on `day`."""
    return Heading(
        committee=org.name,
        place=place_of(org),
        day=day,
        superior=superior,
        reference=reference,
    )


@dataclass(frozen=True)
class Signature:
    """The signature block, bottom right: "T/M ĐẢNG ỦY" (on behalf of), the post, room for the
    signature and the stamp, then the signer's name."""

    on_behalf_of: str
    post: str
    name: str = ""

    @property
    def lines(self) -> list[str]:
        return [f"T/M {self.on_behalf_of.upper()}", self.post.upper(), "", "", "", self.name]
