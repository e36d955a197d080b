"""Members sign in with their CCCD or phone number as well as their username."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from dangvien.accounts.models import User
from dangvien.members.activation import member_by_identifier


class MemberIdentifierBackend(ModelBackend):
    """Members sign in with their CCCD or phone number as well as their username."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or not password:
            return None
        member = member_by_identifier(username)
        user = User.objects.filter(member=member).first() if member is not None else None
        if user is not None and user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
