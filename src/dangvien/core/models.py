"""The audit log: append-only, one row for every change and every opening of a member record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Xem hồ sơ"
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Cập nhật"
        MOVE = "move", "Chuyển"
        MERGE = "merge", "Hợp nhất"
        SPLIT = "split", "Chia tách"
        DISSOLVE = "dissolve", "Giải thể"
        RENAME = "rename", "Đổi tên"
        LOGIN = "login", "Đăng nhập"
        TOKEN = "token", "Cấp mã API"
        EXPORT = "export", "Xuất dữ liệu"
        ROLE_ASSIGN = "role_assign", "Cấp vai trò"
        ROLE_REMOVE = "role_remove", "Thu hồi vai trò"
        TWO_FACTOR = "two_factor", "Đăng nhập hai lớp"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField()
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"])]

    def __str__(self) -> str:
        when = f"{self.at:%d/%m/%Y %H:%M}"
        return f"{when} {self.get_action_display()} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Nhật ký là bất biến: không được sửa một dòng đã ghi.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Nhật ký là bất biến: không được xoá.")


class CalendarDay(models.Model):
    """A day the administration moves: an extra day off (a day bridged to a holiday) or a
    working Saturday (the day that makes it up). Overrides the Vietnamese calendar of
    `core.dates` for working-day deadlines."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc"

    day = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=12, choices=Kind.choices)
    note = models.CharField("ghi chú", max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "ngày nghỉ, ngày làm bù"
        verbose_name_plural = "ngày nghỉ, ngày làm bù"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"
