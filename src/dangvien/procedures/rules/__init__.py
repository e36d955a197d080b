"""The regulations procedures are judged by, as dated rules.

Each rule is a named function valid from a day to a day under a regulation. A case is judged by
the rule in force on its date (`rule_in_force(name, day)`), and every answer carries the
regulation that gave it, so the page can say which rule decided.

The implementing rules of the Party Statute changed three times in five years: Quy định
24-QĐ/TW (30/7/2021, guided by Hướng dẫn 01-HD/TW 28/9/2021), Quy định 232-QĐ/TW (20/1/2025) and
Quy định 294-QĐ/TW (26/5/2025, in force 1/7/2025, guided by Hướng dẫn 06-HD/TW 9/6/2025). Each
topic module registers its rule under each of them; where the later texts are not confirmed to
change a limit, the module says so and the limit carries over unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Regulation:
    citation: str  # as the user reads it: "Quy định 24-QĐ/TW ngày 30/7/2021 …"
    effective_from: dt.date
    effective_to: dt.date | None  # exclusive: the day the next one took over

    def holds_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


QD_24 = Regulation(
    "Quy định 24-QĐ/TW ngày 30/7/2021, Hướng dẫn 01-HD/TW ngày 28/9/2021",
    dt.date(2021, 7, 30),
    dt.date(2025, 1, 20),
)
QD_232 = Regulation("Quy định 232-QĐ/TW ngày 20/1/2025", dt.date(2025, 1, 20), dt.date(2025, 7, 1))
QD_294 = Regulation(
    "Quy định 294-QĐ/TW ngày 26/5/2025, Hướng dẫn 06-HD/TW ngày 9/6/2025", dt.date(2025, 7, 1), None
)
STATUTE_RULES = (QD_24, QD_232, QD_294)


@dataclass(frozen=True)
class Rule:
    name: str
    title: str  # what the rule says, in Vietnamese
    regulation: Regulation
    function: Callable[..., Any]

    @property
    def citation(self) -> str:
        return self.regulation.citation

    @property
    def effective_from(self) -> dt.date:
        return self.regulation.effective_from

    @property
    def effective_to(self) -> dt.date | None:
        return self.regulation.effective_to

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)


@dataclass(frozen=True)
class Verdict:
    """A rule's answer: whether it holds, and the Vietnamese sentence naming the rule."""

    ok: bool
    message: str
    rule: Rule

    @property
    def text(self) -> str:
        return f"{self.message} (Căn cứ: {self.rule.title}, {self.rule.citation}.)"


class NoRuleInForce(LookupError):
    """No version of a rule holds on the day asked about (a case older than every rule kept)."""


_RULES: dict[str, list[Rule]] = {}


def register(
    name: str, title: str, regulations: tuple[Regulation, ...] = STATUTE_RULES
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `function` as rule `name` under each of `regulations` (one version each)."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        versions = _RULES.setdefault(name, [])
        for regulation in regulations:
            versions.append(Rule(name, title, regulation, function))
        versions.sort(key=lambda rule: rule.effective_from)
        return function

    return wrap


def rule_in_force(name: str, day: dt.date) -> Rule:
    """The version of rule `name` in force on `day`."""
    _load()
    for rule in _RULES.get(name, ()):
        if rule.regulation.holds_on(day):
            return rule
    raise NoRuleInForce(
        f"Chưa có quy định «{name}» áp dụng cho ngày {day:%d/%m/%Y} trong hệ thống."
    )


def judge(name: str, on: dt.date, /, **facts: Any) -> Verdict:
    """Apply the version of rule `name` in force on `on` (the case's day) to `facts` (the rule
    answers `(ok, message)`)."""
    rule = rule_in_force(name, on)
    ok, message = rule(**facts)
    return Verdict(ok, message, rule)


def rule_names() -> list[str]:
    _load()
    return sorted(_RULES)


def _load() -> None:
    # The topic modules register themselves on import.
    from dangvien.procedures.rules import (  # noqa: F401
        admission,
        badge,
        card,
        exemption,
        exit,
        readmission,
        recognition,
        transfer,
        votes,
    )
