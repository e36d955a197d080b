"""Refuse logins for a while after repeated failures for one username or from one address.

The limit and the window are settings (LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_SECONDS). While locked,
attempts are refused without checking the password and are not recorded, so the lock ends on time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from dangvien.accounts.models import LoginFailure


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind PROXY_COUNT trusted reverse proxies the
    address the outermost of them saw (X-Forwarded-For is appended to by each proxy)."""
    proxies: int = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def throttle_key(username: str) -> str:
    return username.strip().casefold()[:150]


def login_wait_seconds(username: str, ip: str | None) -> int:
    """Seconds until the username and the address may try again; 0 when they may now."""
    limit: int = settings.LOGIN_FAILURE_LIMIT
    window = dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    now = timezone.now()
    who = Q(username=throttle_key(username))
    if ip:
        who |= Q(ip=ip)
    recent = list(
        LoginFailure.objects.filter(who, at__gt=now - window)
        .order_by("-at")
        .values_list("username", "ip", "at")
    )
    wait = dt.timedelta(0)
    for matches in (
        [at for name, _, at in recent if name == throttle_key(username)],
        [at for _, addr, at in recent if ip and addr == ip],
    ):
        if len(matches) >= limit:
            # The lock lifts when the limit-th newest failure leaves the window.
            wait = max(wait, matches[limit - 1] + window - now)
    return max(0, int(wait.total_seconds() + 0.999))


def login_failed(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=throttle_key(username), ip=ip or None)


def login_succeeded(username: str) -> None:
    LoginFailure.objects.filter(username=throttle_key(username)).delete()
