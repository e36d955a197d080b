"""Writing the audit log. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Model

from dangvien.core.models import AuditEvent

if TYPE_CHECKING:  # accounts sits above core: the type only
    from dangvien.accounts.types import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def snapshot(obj: Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of an object as JSON-ready values, for before/after.

    A foreign key gives its id without loading the related row (one query fewer per field).
    """
    return {name: _plain(obj.serializable_value(name)) for name in fields}


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: Model,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        summary=summary[:300],
        before=before,
        after=after,
    )


def audit_trail(target: Model) -> Any:
    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).select_related("actor")
