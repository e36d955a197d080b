"""The audit trail of a record, turned into rows a person can read (labels, dates, names)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from dangvien.accounts.types import Actor
from dangvien.core.models import AuditEvent
from dangvien.members.models import Gender, Member, Status
from dangvien.orgs.selectors import orgs_visible_to

_CHOICES: dict[str, dict[str, str]] = {
    "status": {str(value): str(label) for value, label in Status.choices},
    "gender": {str(value): str(label) for value, label in Gender.choices},
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class TrailRow:
    event: AuditEvent
    actor: str
    changes: list[Change] = field(default_factory=list)


def _label(name: str) -> str:
    try:
        field = Member._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _display(name: str, value: Any, org_names: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if name in _CHOICES:
        return _CHOICES[name].get(str(value), str(value))
    if name == "org":
        return org_names.get(value, "Tổ chức không thuộc phạm vi xem")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _actor(event: AuditEvent) -> str:
    if event.actor is None:
        return "Hệ thống"
    return event.actor.get_full_name() or event.actor.username


def trail_rows(user: Actor, events: list[AuditEvent]) -> list[TrailRow]:
    """Rows with the fields that changed; organization names in one query, within the scope."""
    org_ids: set[int] = set()
    for event in events:
        for values in (event.before or {}, event.after or {}):
            if isinstance(values.get("org"), int):
                org_ids.add(values["org"])
    org_names: dict[int, str] = {}
    if org_ids:
        org_names = dict(orgs_visible_to(user).filter(pk__in=org_ids).values_list("pk", "name"))
    rows = []
    for event in events:
        before = event.before or {}
        after = event.after or {}
        changes = [
            Change(
                _label(name),
                _display(name, before.get(name), org_names) if event.before is not None else "",
                _display(name, after.get(name), org_names),
            )
            for name in dict.fromkeys([*before, *after])
            if before.get(name) != after.get(name)
            and not (event.before is None and after.get(name) in (None, ""))
        ]
        rows.append(TrailRow(event=event, actor=_actor(event), changes=changes))
    return rows
