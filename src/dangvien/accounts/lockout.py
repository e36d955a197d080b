"""The failed-login lock (django-axes): how a request is identified, what a locked-out user reads,
and the failures that do not pass through `authenticate` (activation and second-factor codes).

Axes counts failures per username and per client address (settings AXES_*); while either is
locked, every path that authenticates is refused before the password is checked, and refused
attempts are not counted, so the lock ends on time.
"""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# Activation codes are counted under their own name, so that a member's wrong codes and wrong
# passwords each lock only their own door.
ACTIVATION_PREFIX = "kich-hoat:"


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


def _key(raw: object) -> str:
    return str(raw or "").strip().casefold()[:150]


def attempt_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name failures are counted under: as typed, without case, so BITHU_A is bithu_a."""
    if credentials:
        return _key(credentials.get("username"))
    return _key(getattr(request, "POST", {}).get("username"))


def is_locked(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def code_failed(request: HttpRequest, username: str) -> None:
    """A wrong code (activation, second factor) counts as a failed login for `username`."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def code_succeeded(username: str) -> None:
    """A right code forgets the failures counted under `username`."""
    from axes.utils import reset

    reset(username=_key(username))


def wait_seconds(request: HttpRequest, username: str) -> int:
    """Seconds until the username and the address may try again (the lock lifts one cool-off
    after the last counted failure)."""
    who = Q(username=_key(username))
    ip = client_ip(request)
    if ip:
        who |= Q(ip_address=ip)
    last = AccessAttempt.objects.filter(who).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return 0
    cool_off = settings.AXES_COOLOFF_TIME
    return max(0, int((last + cool_off - timezone.now()).total_seconds() + 0.999))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return (
        f"Đã nhập sai quá nhiều lần. Để bảo vệ tài khoản, hệ thống tạm khóa đăng nhập. "
        f"Xin chờ khoảng {minutes} phút rồi thử lại."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What a locked-out login answers. The sign-in pages answer 429 themselves with the message
    in their own form; any other login path (the Django admin's) gets the lock-out page."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    username = attempt_username(request, credentials)
    message = lockout_message(wait_seconds(request, username))
    response = render(request, "accounts/lockout.html", {"message": message}, status=429)
    if getattr(request, "htmx", False):
        # htmx does not swap an error answer: show the page whole instead of nothing.
        response.status_code = 200
        response["HX-Retarget"] = "body"
        response["HX-Reswap"] = "innerHTML"
    return response
