"""Today's figures kept per node of the tree (see `reports/stored.py`)."""

from __future__ import annotations

from django.db import models


class FigureNode(models.Model):
    """The figures of one path of the tree today: `own` counts the members whose cell is this
    node and the node itself as an organization; `total` adds every node below. Keys are measure
    keys (`reports/measures.py`) and organization keys; a missing key is 0."""

    path = models.CharField(max_length=160, primary_key=True)
    own = models.JSONField(default=dict)
    total = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.path


class FigureDirty(models.Model):
    """A path whose own figures a write has changed (marked by the database's triggers).

    `stamp` grows with every mark on PostgreSQL, so a refresh deletes only the marks it read and
    a write committed meanwhile stays marked."""

    path = models.CharField(max_length=160, primary_key=True)
    stamp = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.path


class FigureState(models.Model):
    """One row: the day the stored figures describe and what they were counted with: the code's
    `VERSION` of the measures and the filter of each reference-list measure, by key."""

    as_of = models.DateField()
    version = models.PositiveSmallIntegerField()
    meanings = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.as_of} v{self.version}"


class DatedEvent(models.Model):
    """A member's admission or recognition and where it happened: the path, on that day, of the
    cell the member officially belonged to that day (one row per such cell; none when the member
    had no cell then). A changes report counts these instead of walking the histories; `stored`
    keeps them, and the database marks the members a write touches (`EventDirty`)."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", "Kết nạp"
        RECOGNISED = "recognised", "Công nhận đảng viên chính thức"

    member_id = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    day = models.DateField()
    path = models.CharField(max_length=160)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "path", "day", "member_id"], name="reports_event_where"),
            models.Index(fields=["member_id"], name="reports_event_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.day} {self.path}"


class EventDirty(models.Model):
    """A member whose dated events a write may have changed (marked by the database's triggers;
    `stamp` as in `FigureDirty`)."""

    member_id = models.BigIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.member_id)
