"""Who a service or selector acts for.

Layers below accounts (core, office) import these only under `TYPE_CHECKING`.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from dangvien.accounts.models import User

# Whoever asks a selector or the policy: a signed-in user, an anonymous visitor, or nobody (a
# job or command with no user). The last two are simply refused everything.
Actor: TypeAlias = User | AnonymousUser | None

# Who performs a service's change, recorded in the audit row: a user, or None for the system.
ActingUser: TypeAlias = User | None
