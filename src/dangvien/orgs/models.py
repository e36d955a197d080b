"""The organization tree: levels and kinds are data; every change is kept in OrgHistory."""

from __future__ import annotations

from django.db import models

from dangvien.core.paths import depth_of
from dangvien.core.periods import Period


class OrgLevel(models.Model):
    """A level of the tree (province committee, upper committee, …, cell, party group)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("tên cấp", max_length=80)
    rank = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_grassroots = models.BooleanField("là tổ chức cơ sở đảng", default=False)
    holds_members = models.BooleanField("có đảng viên sinh hoạt trực tiếp", default=False)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = "cấp tổ chức"
        verbose_name_plural = "cấp tổ chức"

    def __str__(self) -> str:
        return self.name


class GrassrootsKind(models.Model):
    """Kind of grassroots organization used in statistics (commune, ward, state agency, …)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("tên loại hình", max_length=120)
    rank = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name = "loại hình tổ chức cơ sở"
        verbose_name_plural = "loại hình tổ chức cơ sở"

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    """A node as it stands today. Its past states are in OrgHistory."""

    name = models.CharField("tên tổ chức", max_length=200)
    level = models.ForeignKey(OrgLevel, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(
        GrassrootsKind, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=160, unique=True)
    founded_on = models.DateField("ngày thành lập")
    dissolved_on = models.DateField("ngày giải thể", null=True, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return depth_of(self.path)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class OrgHistory(Period):
    """One state of one node, valid from `valid_from` (inclusive) to `valid_to` (exclusive)."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="history")
    name = models.CharField(max_length=200)
    level = models.ForeignKey(OrgLevel, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=160)

    class Meta:
        ordering = ["org_id", "valid_from"]
        constraints = [
            *Period.Meta.constraints,
            # One state of a node at a time: changes close the open row before opening the next.
            models.UniqueConstraint(
                fields=["org"],
                condition=models.Q(valid_to__isnull=True),
                name="orgs_orghistory_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["path", "valid_from"]),
            models.Index(fields=["org", "valid_from"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from} – {self.valid_to or '…'})"
