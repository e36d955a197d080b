"""Authenticating API requests: `Bearer` tokens (accounts.services issues them) and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dangvien.accounts.models import ApiToken, User, hash_token

# last_used_at is a hint for administrators, not a log: write it at most this often.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class InvalidToken(AuthenticationError):
    def __init__(self) -> None:
        super().__init__(401, "Mã truy cập API không hợp lệ hoặc đã bị thu hồi.")


def user_for_token(raw: str) -> User | None:
    """The active user holding `raw`, noting when the token was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. A token that is sent but unknown is refused outright
    (401), rather than falling back to the session."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token.strip())
        if user is None:
            raise InvalidToken
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The Django session of the web pages, with the CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, "Thiếu hoặc sai mã CSRF: hãy tải lại trang rồi thử lại.")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
