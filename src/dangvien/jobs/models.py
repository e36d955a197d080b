"""A job: long work (an import, an export, a check) run by a worker, not a request.

A job belongs to the user who started it; its page and result are theirs, and also of those who
keep the records of its organization (when it has one). Files (the uploaded input, the result)
live under settings.TASKS_DIR, outside the web root, and are only ever served through the
download view. The queue itself is django-tasks' (`task_result_id` names its row); this row is
what users see and keeps what the work reports (progress, summary, result).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvien.orgs.models import Organization


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Không thành công"

    kind = models.CharField("loại", max_length=60)
    title = models.CharField("tên", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
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
    # The queue's row (django-tasks' task result id) and the worker running it ("host:pid" when
    # started by `dangvien worker`): how abandoned work is recognised.
    task_result_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind"]),  # unfinished work, of a kind
            models.Index(fields=["owner", "-created_at"]),  # "my jobs"
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
