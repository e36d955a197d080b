"""The demo load writes its members with their histories by its own bulk rows (several status
periods, memberships across cells), not through `members_create_bulk`. So that a record every new
member needs is not forgotten there, the load must write every table creating a member writes
(but the audit log, where the load writes one row for the whole load, and the marks the
database's triggers write)."""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.core.management import call_command

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member
from dangvien.members.services import members_create_bulk
from dangvien.orgs.models import Organization
from dangvien.reports.models import EventDirty, FigureDirty

# Rows the database's triggers write: the load pauses them and recounts the figures after.
MARKS = {EventDirty._meta.label, FigureDirty._meta.label}


def counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def test_the_demo_load_writes_every_table_creating_a_member_writes(db):
    before = counts()
    call_command("demo", scale="tiny", stdout=StringIO())
    by_demo = {label for label, n in counts().items() if n > before[label]}

    cell = Organization.objects.filter(level__holds_members=True).first()
    before = counts()
    members_create_bulk(
        acting_user=None,
        fields=["full_name", "gender", "date_of_birth", "admission_date", "org", "status"],
        rows=[[("Hoàng Thị Ngọc Ánh", "F", "1998-04-30", "2024-01-10", cell.pk, "probationary")]],
        summary="Tạo hồ sơ",
    )
    by_creating = {label for label, n in counts().items() if n > before[label]}

    assert Member._meta.label in by_creating
    assert by_creating - {AuditEvent._meta.label} - MARKS <= by_demo
