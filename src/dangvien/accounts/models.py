"""Users, the roles that bind them to a node of the tree, API tokens, activation codes."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models

if TYPE_CHECKING:
    from dangvien.accounts.access import _Held


class User(AbstractUser):
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        verbose_name="hồ sơ đảng viên",
    )

    # The policy's reading of the user's roles, kept on the instance for the request.
    _dangvien_held: _Held

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"


class Role(models.TextChoices):
    MEMBER = "member", "Đảng viên"
    CELL_SECRETARY = "cell_secretary", "Bí thư chi bộ"
    GRASSROOTS_STAFF = "grassroots_staff", "Cán bộ đảng ủy cơ sở"
    UPPER_STAFF = "upper_staff", "Cán bộ cấp ủy cấp trên cơ sở"
    PROVINCE_STAFF = "province_staff", "Ban Tổ chức Tỉnh/Thành ủy"
    CONTENT_EDITOR = "content_editor", "Biên tập viên nội dung"
    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"


# Roles whose holders work on the member records of their subtree.
RECORD_ROLES = (
    Role.CELL_SECRETARY,
    Role.GRASSROOTS_STAFF,
    Role.UPPER_STAFF,
    Role.PROVINCE_STAFF,
)


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name="tổ chức",
        help_text="Vai trò có hiệu lực trên tổ chức này và mọi tổ chức trực thuộc.",
    )

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org"], name="unique_role_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org or 'toàn hệ thống'}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"Mã API của {self.user} ({self.created_at:%d/%m/%Y})"


class ActivationCode(models.Model):
    """A one-time code a secretary gives a member to open their account and choose a password.

    Only a hash is kept; a new code replaces the previous one; it expires unused after 30 days.
    """

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="activation_codes"
    )
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "used_at"])]
        verbose_name = "mã kích hoạt"
        verbose_name_plural = "mã kích hoạt"

    def __str__(self) -> str:
        return f"{self.member_id} {self.issued_at:%d/%m/%Y}"
