"""Members open their own accounts: a secretary issues a one-time code (printed, or shown as a QR
code), the member signs in with their CCCD (or phone) and the code, then chooses a password.

Codes are 8 digits (easy to type on any phone), stored hashed, single use, replaced by a new
issue, valid 30 days; wrong codes count in the failed-login lock like wrong passwords.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvien.accounts.access import MANAGE, allowed
from dangvien.accounts.models import ActivationCode, User
from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.members.models import IN_PARTY, Member
from dangvien.members.services import member_roles_follow

VALID_FOR = dt.timedelta(days=30)
CODE_DIGITS = 8


def member_by_identifier(identifier: str) -> Member | None:
    """The member whose CCCD (12 digits) or phone number this is."""
    digits = re.sub(r"\D", "", identifier)
    if len(digits) == 12:
        return Member.objects.filter(citizen_id=digits).first()
    if 9 <= len(digits) <= 11 and any(f.name == "phone" for f in Member._meta.get_fields()):
        return Member.objects.filter(phone=digits).first()
    return None


@transaction.atomic
def activation_issue(*, acting_user: ActingUser, member: Member) -> str:
    """A new code for the member (the previous one stops working); their account if new."""
    if not allowed(acting_user, MANAGE, member):
        raise ValidationError("Đồng chí không quản lý hồ sơ của đảng viên này.")
    if member.status not in IN_PARTY:
        raise ValidationError("Đảng viên này không còn sinh hoạt: không cấp mã kích hoạt.")
    if not member.citizen_id:
        raise ValidationError("Hồ sơ chưa có số CCCD: xin bổ sung trước khi cấp mã.")
    user = User.objects.filter(member=member).first()
    if user is None:
        user = User.objects.create_user(
            username=member.citizen_id, member=member, first_name=member.full_name
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    member_roles_follow(member_ids=[member.pk])
    ActivationCode.objects.filter(member=member, used_at__isnull=True).delete()
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    ActivationCode.objects.create(
        member=member,
        code_hash=make_password(code),
        issued_by=acting_user,
        expires_at=timezone.now() + VALID_FOR,
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.TOKEN,
        target=member,
        summary=f"Cấp mã kích hoạt tài khoản cho {member.full_name}",
    )
    return code


def activation_check(*, identifier: str, code: str) -> Member:
    """The member whose valid code this is; the same message whatever is wrong."""
    refused = ValidationError(
        "Số CCCD (hoặc số điện thoại) hoặc mã kích hoạt không đúng, hoặc mã đã hết hạn. "
        "Xin kiểm tra lại hoặc nhờ bí thư chi bộ cấp mã mới."
    )
    member = member_by_identifier(identifier)
    if member is None:
        raise refused
    pending = ActivationCode.objects.filter(
        member=member, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if pending is None or not check_password(re.sub(r"\D", "", code), pending.code_hash):
        raise refused
    return member


@transaction.atomic
def activation_complete(*, identifier: str, code: str, password: str) -> User:
    """Check the code, set the chosen password, use the code up; the member's account."""
    member = activation_check(identifier=identifier, code=code)
    user = User.objects.select_for_update().get(member=member)
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    ActivationCode.objects.filter(member=member, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.UPDATE,
        target=member,
        summary="Đảng viên kích hoạt tài khoản và đặt mật khẩu",
    )
    return user
