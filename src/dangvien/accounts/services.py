"""Writes to accounts: one transaction each, with the audit row in it."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction

from dangvien.accounts.models import ApiToken, User, hash_token
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent

TOKEN_PREFIX = "dv_"


@transaction.atomic
def token_create(*, acting_user: Any, user: User) -> str:
    """A new token for `user`. The raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=hash_token(raw))
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.TOKEN,
        target=user,
        summary=f"Cấp mã truy cập API cho {user.username}",
        after={"token": token.pk},
    )
    return raw
