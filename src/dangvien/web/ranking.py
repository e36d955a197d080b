"""The children of a node in one table, a row each: the reports and the data-quality dashboard
both show them through `web/_ranking.html`; each page says what its rows hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    url: str
    name: str
    values: Sequence[Any]  # one cell per heading; numbers are shown in the locale's format
    meta: str = ""  # a line under the name
    bar: float | None = None  # a share of 1 drawn as a bar under the name


@dataclass(frozen=True)
class Ranking:
    title: str
    headings: Sequence[str]
    rows: Sequence[Row]
    hint: str = ""
