"""Background tasks: long work (imports, exports, checks) run by `dangvien worker`, not a request.

A task belongs to the user who started it: only they see its page, its progress and its result.
Files (the uploaded input, the result) live under settings.TASKS_DIR, outside the web root, and
are only ever served through the owner's download view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvien.orgs.models import Organization


class Task(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Không thành công"

    kind = models.CharField("loại", max_length=60)
    title = models.CharField("tên", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks"
    )
    # The organization the work is about (its subtree), when there is one.
    org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField("thông báo", max_length=500, blank=True)
    # What the handler wants to show when it is over (counts, a sample): small JSON.
    summary = models.JSONField(default=dict, blank=True)
    result_name = models.CharField("tệp kết quả", max_length=200, blank=True)
    # "host:pid" of the worker running it: a worker that finds its own host's dead pids fails them.
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "id"]),  # the worker's queue
            models.Index(fields=["owner", "-created_at"]),  # "my tasks"
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))
