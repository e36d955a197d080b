"""The results of the data-quality checks, stored so that pages read them instead of checking
again. A run writes its rows while it is RUNNING, invisible to readers (they read the rows of
PUBLISHED runs only), then publishes them in one short transaction that also retires what it
replaces (services.py).

The models were born in the members app: they keep their members_* tables (and index names), so
moving them here changed no table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvien.members.models import Member
from dangvien.orgs.models import Organization


class QualityRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Đang kiểm tra"
        PUBLISHED = "published", "Đang dùng"
        SUPERSEDED = "superseded", "Đã có lần kiểm tra mới hơn"
        FAILED = "failed", "Không thành công"

    # The root of the checked subtree; empty: every record.
    org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=160, blank=True)  # the root's path when the run started
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    today = models.DateField("ngày đối chiếu")  # the rules are judged on this day
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "lần kiểm tra chất lượng dữ liệu"
        verbose_name_plural = "các lần kiểm tra chất lượng dữ liệu"
        db_table = "members_qualityrun"
        indexes = [models.Index(fields=["status", "path"])]

    def __str__(self) -> str:
        return f"Kiểm tra {self.path or 'toàn bộ'} lúc {self.started_at:%d/%m/%Y %H:%M}"


class Severity(models.TextChoices):
    ERROR = "error", "Lỗi"
    WARNING = "warning", "Cảnh báo"


class QualityIssue(models.Model):
    """One rule broken by one member's record, found by one run (one row per member and rule)."""

    # Indexed by the composite index below, not on its own (one index fewer to write).
    run = models.ForeignKey(
        QualityRun, on_delete=models.CASCADE, related_name="issues", db_index=False
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="quality_issues")
    rule = models.CharField(max_length=40)  # a code of quality.catalogue
    severity = models.CharField(max_length=7, choices=Severity.choices)
    # The member's org_path when checked: a subtree's issues are one range of the index below.
    org_path = models.CharField(max_length=160, blank=True)
    detail = models.CharField(max_length=300)  # Vietnamese, for the user
    others = models.JSONField(null=True, blank=True)  # ids of the other records (duplicates)

    class Meta:
        db_table = "members_qualityissue"
        indexes = [
            # A subtree's issues of a run, by rule (the fix list, the publication's deletes);
            # the member id makes it covering for "members with an issue here".
            models.Index(fields=["run", "org_path", "rule", "member"], name="members_qissue_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


class QualityScore(models.Model):
    """The figures of one node's subtree (the node's own members and everything below it)."""

    run = models.ForeignKey(
        QualityRun, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    path = models.CharField(max_length=160)  # the node's path when checked
    members = models.PositiveIntegerField(default=0)  # in the Party
    with_errors = models.PositiveIntegerField(default=0)  # members with an error
    with_issues = models.PositiveIntegerField(default=0)  # members with an error or a warning
    fields_filled = models.PositiveBigIntegerField(default=0)
    fields_expected = models.PositiveBigIntegerField(default=0)
    by_rule = models.JSONField(default=dict, blank=True)  # rule code → members
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "members_qualityscore"
        indexes = [
            models.Index(fields=["run", "path"]),
            models.Index(fields=["org", "run"]),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}: {self.members - self.with_errors}/{self.members}"

    @property
    def score(self) -> float | None:
        """Share of the members whose record has no error."""
        return (self.members - self.with_errors) / self.members if self.members else None

    @property
    def completeness(self) -> float | None:
        return self.fields_filled / self.fields_expected if self.fields_expected else None

    @property
    def warnings_only(self) -> int:
        return self.with_issues - self.with_errors
