"""Two-factor login (TOTP, django-otp): who owes a code after the password, enrolment, recovery
codes.

Anyone signed in may enrol an authenticator app; once they have, every login asks for its code.
When the installation sets DANGVIEN_REQUIRE_2FA, administrators and province staff must have one:
after the password they are sent to enrolment and can open nothing else until they have enrolled.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvien.accounts.models import Role, User
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent

REQUIRED_ROLES = (Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF)
RECOVERY_CODES = 10
TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã dự phòng"

# What the session owes ("verify", "enrol" or "none"), worked out when the user signs in so that
# a request costs no query; a role granted later applies from the next login. Stored with the
# installation's switch, so that turning it on applies to sessions already open.
_SESSION_KEY = "dv_second_factor"


def second_factor_required(user: User | AnonymousUser) -> bool:
    """Whether the installation requires a second factor of this user."""
    if not settings.DANGVIEN_REQUIRE_2FA or not isinstance(user, User):
        return False
    return bool(user.is_superuser) or user.roles.filter(role__in=REQUIRED_ROLES).exists()


def has_device(user: User | AnonymousUser) -> bool:
    return user_has_device(user, confirmed=True)


def is_verified(user: User | AnonymousUser) -> bool:
    """Whether this session gave the second factor (django-otp's middleware adds the check to
    request.user; a user just signed in with the password has not)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if check is not None else False


def _owed(user: User | AnonymousUser) -> str:
    if has_device(user):
        return "verify"
    if second_factor_required(user):
        return "enrol"
    return "none"


def remember_owed(request: HttpRequest, user: User | AnonymousUser) -> None:
    """Work out what the session owes (at sign-in, and when devices change)."""
    switch = int(settings.DANGVIEN_REQUIRE_2FA)
    request.session[_SESSION_KEY] = f"{_owed(user)}:{switch}"


def owed_at_sign_in(
    sender: Any, request: HttpRequest | None, user: User | AnonymousUser, **kwargs: Any
) -> None:
    """On user_logged_in, whatever the way in (the login page, the admin's, activation)."""
    if request is not None and hasattr(request, "session"):
        remember_owed(request, user)


def owed_step(request: HttpRequest, *, then: str | None = None) -> str | None:
    """Where a signed-in user must go before anything else: the code page, the enrolment page,
    or nowhere (None). `then` is where to go afterwards (default: the page asked for)."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return None
    stored = request.session.get(_SESSION_KEY, "")
    if not stored.endswith(f":{int(settings.DANGVIEN_REQUIRE_2FA)}"):
        remember_owed(request, user)
        stored = request.session[_SESSION_KEY]
    owed = stored.split(":", 1)[0]
    if owed == "none":
        return None
    next_url = (
        then if then is not None else (request.get_full_path() if request.method == "GET" else "")
    )
    query = "?" + urlencode({"next": next_url}) if next_url else ""
    page = "two_factor_verify" if owed == "verify" else "two_factor_enrol"
    return reverse(page) + query


def pending_totp_device(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (the one the enrolment page shows), made if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def verify_code(user: User, code: str) -> Device | None:
    """The confirmed device that accepts `code`: the authenticator's, or a recovery code (which
    is spent)."""
    code = "".join(code.split())
    if not code:
        return None
    return match_token(user, code)


@transaction.atomic
def two_factor_enrol(*, acting_user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator if `code` is right, replace any earlier one, and issue fresh
    recovery codes (returned once; None when the code is wrong)."""
    if device.user_id != acting_user.pk or not device.verify_token("".join(code.split())):
        return None
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=acting_user).delete()
    recovery = StaticDevice.objects.create(user=acting_user, name=RECOVERY_NAME, confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.TWO_FACTOR,
        target=acting_user,
        summary=f"Bật đăng nhập hai lớp cho {acting_user.username}",
        after={"device": device.pk, "recovery_codes": RECOVERY_CODES},
    )
    return codes
